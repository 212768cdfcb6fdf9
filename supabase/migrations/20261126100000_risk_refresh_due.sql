-- Which learners' drop-off snapshots the refresh job recomputes next.
--
-- The organization lists (learners, at-risk, summary) read Postgres only, so a learner nobody has
-- opened keeps the numbers of their last computation. The BFF's refresh job (Node: a timer;
-- Workers: a cron trigger; edge/src/insights/org-refresh.ts) asks this function for the risk
-- snapshots that are due: computed by other formulas than the running ones (after a model change,
-- their level follows another rule) first, then those past their expiry, oldest first.

create index analytics_snapshots_risk_expiry_idx
  on public.analytics_snapshots (expires_at)
  where kind = 'dropoff_risk';

create function public.risk_snapshots_due(p_now timestamptz, p_version text, p_limit integer)
returns jsonb
language sql stable security invoker
set search_path = ''
as $$
  with
  wanted as (select least(greatest(coalesce(p_limit, 100), 1), 1000) as n),
  -- Two index-friendly halves: another computation version (rare, after a deployment), then
  -- expired rows of this version in expiry order (the expiry index).
  other_version as (
    select s.learner_id, s.org_id, s.expires_at, false as current_version
    from public.analytics_snapshots s
    where s.kind = 'dropoff_risk' and s.computation_version is distinct from p_version
    order by s.expires_at, s.learner_id
    limit (select n from wanted)
  ),
  expired as (
    select s.learner_id, s.org_id, s.expires_at, true as current_version
    from public.analytics_snapshots s
    where s.kind = 'dropoff_risk' and s.expires_at <= p_now and s.computation_version = p_version
    order by s.expires_at, s.learner_id
    limit (select n from wanted)
  ),
  due as (
    select * from other_version
    union all
    select * from expired
    order by current_version, expires_at, learner_id
    limit (select n from wanted)
  )
  select coalesce(jsonb_agg(jsonb_build_object(
      'learnerId', d.learner_id,
      'orgId', d.org_id,
      'expiresAt', d.expires_at,
      'currentVersion', d.current_version
    ) order by d.current_version, d.expires_at, d.learner_id), '[]'::jsonb)
  from due d
$$;

-- A maintenance read across organizations: the service role only (it bypasses RLS anyway).
revoke all on function public.risk_snapshots_due(timestamptz, text, integer)
  from public, anon, authenticated, service_role;
grant execute on function public.risk_snapshots_due(timestamptz, text, integer) to service_role;
