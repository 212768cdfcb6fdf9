-- A learner the Directory no longer knows (left the organization, or no longer a learner there).
--
-- The refresh job (edge/src/insights/org-refresh.ts) finds them when it recomputes their snapshot
-- and the Directory answers "no such learner". Until now they stayed in the organization's at-risk
-- list and summary with their last numbers, and opening them was a 404. This takes them out of
-- every organization view: their snapshots and refresh lease go, and the mirror stops calling them
-- a learner (the rollup triggers adjust the counts). Their ledger stays: it is append-only, and if
-- the Directory knows them again, their next ingestion or visit restores the mirror.

create function public.mark_learner_departed(p_learner_id text) returns jsonb
language sql volatile security invoker
set search_path = ''
as $$
  with
  snapshots as (delete from public.analytics_snapshots s where s.learner_id = p_learner_id returning 1),
  leases as (delete from public.risk_refresh_leases l where l.learner_id = p_learner_id returning 1),
  mirror as (
    update public.directory_users u set roles = array_remove(u.roles, 'learner')
    where u.id = p_learner_id and 'learner' = any (u.roles)
    returning 1
  )
  select jsonb_build_object(
    'snapshots', (select count(*) from snapshots),
    'wasLearner', exists (select from mirror),
    'leases', (select count(*) from leases)
  )
$$;

revoke all on function public.mark_learner_departed(text) from public, anon, authenticated, service_role;
grant execute on function public.mark_learner_departed(text) to service_role;
