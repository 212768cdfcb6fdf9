-- Learners nobody has heard from yet, into the organization lists.
--
-- The refresh job (edge/src/insights/org-refresh.ts) recomputes learners that already have a
-- stored snapshot. A learner enters the store with their first event or the first time someone
-- opens them, so a learner who was enrolled and never started, the one a trainer most needs to
-- see, was in no organization list until an operator ran `pnpm ms8 refresh --org`. Now the job also
-- reads each organization's roster from the Directory, about once an hour per organization, and
-- computes the learners it lists who have no drop-off snapshot yet.
--
-- One organization per run is checked, claimed with a lease like the learners are, so instances
-- sharing the database do not page the same Directory at once. A large newcomer cohort is taken a
-- batch per run: the check is finished (checked_at set) only when every listed learner is stored.

create table public.org_roster_checks (
  -- Not a reference to organizations: the Directory may list an organization the store has not met.
  org_id text primary key check (org_id ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$'),
  -- The last check that found every learner the Directory lists stored; null: never finished.
  checked_at timestamptz,
  leased_until timestamptz not null default '-infinity'
);
alter table public.org_roster_checks enable row level security;
revoke all on table public.org_roster_checks from public, anon, authenticated, service_role;
grant select, insert, update, delete on table public.org_roster_checks to service_role;

-- The organization whose roster is due: never finished first, then the longest ago, none leased.
-- p_org_ids: the organizations the Directory lists (the store's own are added). Returns
-- {"orgId": ...}, orgId null when none is due. The same lease rule as
-- claim_due_risk_snapshots: of two instances claiming at once, the second does not get it.
create function public.claim_due_roster_check(p_now timestamptz, p_every_seconds integer, p_lease_seconds integer,
                                              p_org_ids text[])
returns jsonb
language plpgsql volatile security invoker
set search_path = ''
as $$
declare
  v_org text;
begin
  -- Every organization the Directory lists or the store knows (created with its first learner).
  insert into public.org_roster_checks (org_id)
  select o.id from public.organizations o
  union
  select i.id from unnest(coalesce(p_org_ids, '{}')) as i (id) where i.id ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$'
  on conflict (org_id) do nothing;

  update public.org_roster_checks c
     set leased_until = p_now + make_interval(secs => greatest(coalesce(p_lease_seconds, 600), 1))
   where c.org_id = (
       select d.org_id from public.org_roster_checks d
        where d.leased_until <= p_now
          and (d.checked_at is null
               or d.checked_at <= p_now - make_interval(secs => greatest(coalesce(p_every_seconds, 3600), 1)))
        order by d.checked_at nulls first, d.org_id
        limit 1
        for update skip locked
     )
     and c.leased_until <= p_now
  returning c.org_id into v_org;
  return jsonb_build_object('orgId', v_org);
end
$$;

-- The end of a check (p_outcome):
--   complete  every learner the Directory lists is stored: not due again for an interval;
--   more      a batch was taken and more are waiting: the lease ends now, the next run goes on;
--   failed    the Directory or learners failed (or answered without a stored snapshot): tried again
--             in half an hour, longer than a run's interval, so an organization that keeps failing
--             does not re-read its roster and warn on every run.
create function public.finish_roster_check(p_org_id text, p_now timestamptz, p_outcome text)
returns jsonb
language plpgsql volatile security invoker
set search_path = ''
as $$
begin
  if p_outcome is null or p_outcome not in ('complete', 'more', 'failed') then
    raise exception 'finish_roster_check: outcome % is not complete, more or failed', p_outcome
      using errcode = '22023';
  end if;
  update public.org_roster_checks c
     set checked_at = case when p_outcome = 'complete' then p_now else c.checked_at end,
         leased_until = case when p_outcome = 'failed' then p_now + interval '30 minutes' else p_now end
   where c.org_id = p_org_id;
  return jsonb_build_object('found', found);
end
$$;

-- Of these learner ids (the Directory's roster), those without a stored drop-off snapshot, in the
-- order given (a JSON array).
create function public.learners_without_risk_snapshot(p_learner_ids text[])
returns jsonb
language sql stable security invoker
set search_path = ''
as $$
  select coalesce(jsonb_agg(ids.id order by ids.position), '[]'::jsonb)
  from unnest(p_learner_ids) with ordinality as ids (id, position)
  where not exists (
    select from public.analytics_snapshots s where s.learner_id = ids.id and s.kind = 'dropoff_risk'
  )
$$;

-- Maintenance across organizations: the service role only.
revoke all on function public.claim_due_roster_check(timestamptz, integer, integer, text[]) from public, anon, authenticated, service_role;
revoke all on function public.finish_roster_check(text, timestamptz, text) from public, anon, authenticated, service_role;
revoke all on function public.learners_without_risk_snapshot(text[]) from public, anon, authenticated, service_role;
grant execute on function public.claim_due_roster_check(timestamptz, integer, integer, text[]) to service_role;
grant execute on function public.finish_roster_check(text, timestamptz, text) to service_role;
grant execute on function public.learners_without_risk_snapshot(text[]) to service_role;
