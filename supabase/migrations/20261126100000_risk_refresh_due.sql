-- The refresh job's queue: which learners' drop-off snapshots to recompute next.
--
-- The organization lists (learners, at-risk, summary) read Postgres only, so a learner nobody has
-- opened keeps the numbers of their last computation. The BFF's refresh job (Node: a timer;
-- Workers: a cron trigger; edge/src/insights/org-refresh.ts) claims the risk snapshots that are
-- due: computed by formulas the running code replaced (after a model change their level follows
-- another rule) first, then those past their expiry, oldest first.
--
-- Claimed, not just listed: several BFF instances (Node replicas, a Worker's cron beside them) run
-- the job against one database, and a learner whose services keep failing must not hold the head
-- of the queue. A claim is a lease: the learner is not offered again until it ends, by which time a
-- successful recomputation has moved the snapshot's expiry on (no longer due), and a failed one is
-- retried. Leases live in their own table: an update of analytics_snapshots would fire its org
-- rollup triggers for nothing.

create table public.risk_refresh_leases (
  learner_id text primary key references public.directory_users (id) on delete cascade,
  leased_until timestamptz not null
);
alter table public.risk_refresh_leases enable row level security;
revoke all on table public.risk_refresh_leases from public, anon, authenticated, service_role;
grant select, insert, update, delete on table public.risk_refresh_leases to service_role;

create index analytics_snapshots_risk_expiry_idx
  on public.analytics_snapshots (expires_at)
  where kind = 'dropoff_risk';

create function public.claim_due_risk_snapshots(p_now timestamptz, p_version text, p_retired_versions text[],
                                                p_limit integer, p_lease_seconds integer)
returns jsonb
language sql volatile security invoker
set search_path = ''
as $$
  with
  wanted as (select least(greatest(coalesce(p_limit, 100), 1), 1000) as n),
  lease as (select greatest(coalesce(p_lease_seconds, 600), 1) as seconds),
  -- A learner tried within the last four leases (their services failed, or they were just done)
  -- goes behind everyone else, so learners that keep failing cannot take the head of every run.
  -- (leased_until is the claim plus one lease: claimed within four leases = lease ending within three.)
  recent as (select p_now - make_interval(secs => 3 * (select seconds from lease)) as since),
  -- Snapshots of formulas this code replaced (p_retired_versions), before they expire. Only retired
  -- ones: an older instance beside a newer one (a rolling deploy, a Worker cron beside Node) must not
  -- recompute the newer one's rows back, nor the newer the older's, every lease.
  retired as (
    select s.learner_id, s.org_id, s.expires_at, s.computation_version,
           coalesce(l.leased_until > (select since from recent), false) as tried_lately, 0 as pass
    from public.analytics_snapshots s
    left join public.risk_refresh_leases l on l.learner_id = s.learner_id
    where s.kind = 'dropoff_risk' and s.computation_version = any (p_retired_versions) and s.expires_at > p_now
      and s.computation_version is distinct from p_version -- never the running formulas, whatever the list says
      and (l.leased_until is null or l.leased_until <= p_now)
    order by tried_lately, s.expires_at, s.learner_id
    limit (select n from wanted)
  ),
  -- Expired snapshots of any formulas, oldest first (the expiry index).
  expired as (
    select s.learner_id, s.org_id, s.expires_at, s.computation_version,
           coalesce(l.leased_until > (select since from recent), false) as tried_lately, 1 as pass
    from public.analytics_snapshots s
    left join public.risk_refresh_leases l on l.learner_id = s.learner_id
    where s.kind = 'dropoff_risk' and s.expires_at <= p_now
      and (l.leased_until is null or l.leased_until <= p_now)
    order by tried_lately, s.expires_at, s.learner_id
    limit (select n from wanted)
  ),
  due as materialized (
    select d.*, row_number() over (order by d.tried_lately, d.pass, d.expires_at, d.learner_id) as position
    from (select * from retired union all select * from expired) d
    order by position
    limit (select n from wanted)
  ),
  -- The lease is taken only where none is running: of two instances claiming the same learner at
  -- once, the second waits on the row and then finds the lease taken, so it does not get them.
  -- Rows are inserted in learner order, so two claimers lock them in the same order (no deadlock).
  claimed as (
    insert into public.risk_refresh_leases as l (learner_id, leased_until)
    select d.learner_id, p_now + make_interval(secs => (select seconds from lease))
    from due d
    order by d.learner_id
    on conflict (learner_id) do update set leased_until = excluded.leased_until
      where l.leased_until <= p_now
    returning l.learner_id
  )
  select coalesce(jsonb_agg(jsonb_build_object(
      'learnerId', d.learner_id,
      'orgId', d.org_id,
      'expiresAt', d.expires_at,
      'currentVersion', d.computation_version is not distinct from p_version
    ) order by d.position), '[]'::jsonb)
  from due d
  where d.learner_id in (select c.learner_id from claimed c)
$$;

-- A maintenance job across organizations: the service role only (it bypasses RLS anyway).
revoke all on function public.claim_due_risk_snapshots(timestamptz, text, text[], integer, integer)
  from public, anon, authenticated, service_role;
grant execute on function public.claim_due_risk_snapshots(timestamptz, text, text[], integer, integer) to service_role;
