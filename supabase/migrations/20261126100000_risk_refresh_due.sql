-- The refresh job's queue: which learners' drop-off snapshots to recompute next.
--
-- The organization lists (learners, at-risk, summary) read Postgres only, so a learner nobody has
-- opened keeps the numbers of their last computation. The BFF's refresh job (Node: a timer;
-- Workers: a cron trigger; edge/src/insights/org-refresh.ts) claims the risk snapshots that are
-- due: computed by other formulas than the running ones (after a model change their level follows
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

create function public.claim_due_risk_snapshots(p_now timestamptz, p_version text, p_limit integer,
                                                p_lease_seconds integer)
returns jsonb
language sql volatile security invoker
set search_path = ''
as $$
  with
  wanted as (select least(greatest(coalesce(p_limit, 100), 1), 1000) as n),
  -- Two index-friendly halves: another computation version (rare, after a deployment), then
  -- expired rows of this version in expiry order (the expiry index). Leased learners are skipped.
  other_version as (
    select s.learner_id, s.org_id, s.expires_at, false as current_version
    from public.analytics_snapshots s
    where s.kind = 'dropoff_risk' and s.computation_version is distinct from p_version
      and not exists (select from public.risk_refresh_leases l where l.learner_id = s.learner_id and l.leased_until > p_now)
    order by s.expires_at, s.learner_id
    limit (select n from wanted)
  ),
  expired as (
    select s.learner_id, s.org_id, s.expires_at, true as current_version
    from public.analytics_snapshots s
    where s.kind = 'dropoff_risk' and s.expires_at <= p_now and s.computation_version = p_version
      and not exists (select from public.risk_refresh_leases l where l.learner_id = s.learner_id and l.leased_until > p_now)
    order by s.expires_at, s.learner_id
    limit (select n from wanted)
  ),
  due as materialized (
    select * from other_version
    union all
    select * from expired
    order by current_version, expires_at, learner_id
    limit (select n from wanted)
  ),
  -- The lease is taken only where none is running: of two instances claiming the same learner at
  -- once, the second waits on the row and then finds the lease taken, so it does not get them.
  claimed as (
    insert into public.risk_refresh_leases as l (learner_id, leased_until)
    select d.learner_id, p_now + make_interval(secs => greatest(coalesce(p_lease_seconds, 600), 1))
    from due d
    on conflict (learner_id) do update set leased_until = excluded.leased_until
      where l.leased_until <= p_now
    returning l.learner_id
  )
  select coalesce(jsonb_agg(jsonb_build_object(
      'learnerId', d.learner_id,
      'orgId', d.org_id,
      'expiresAt', d.expires_at,
      'currentVersion', d.current_version
    ) order by d.current_version, d.expires_at, d.learner_id), '[]'::jsonb)
  from due d
  where d.learner_id in (select c.learner_id from claimed c)
$$;

-- A maintenance job across organizations: the service role only (it bypasses RLS anyway).
revoke all on function public.claim_due_risk_snapshots(timestamptz, text, integer, integer)
  from public, anon, authenticated, service_role;
grant execute on function public.claim_due_risk_snapshots(timestamptz, text, integer, integer) to service_role;
