-- The org at-risk list by level first, then by chance of leaving.
--
-- Risk levels are relative (docs/risk-model.md, "Levels"): risk_score is the calibrated chance of
-- leaving, risk_level compares it with a typical learner of the same course week. Late in a course
-- a learner at 0.30 can be critical while an early one at 0.40 is high, so ordering by score put
-- "critical" rows below "high" ones. The list now orders by level (critical, high, medium, low),
-- then risk_score descending, then learner_id, with a keyset cursor over (rank, score, id).

-- ---------------------------------------------------------------------------------------------
-- The level as a number the index can order by: critical 3, high 2, medium 1, low 0; null for
-- other kinds (and for a level this model does not know). Generated from the payload, as
-- risk_score and risk_level are, so the three can never disagree.
-- ---------------------------------------------------------------------------------------------
alter table public.analytics_snapshots
  add column risk_rank smallint generated always as (
    case when kind = 'dropoff_risk' then
      case payload ->> 'riskLevel' when 'critical' then 3 when 'high' then 2 when 'medium' then 1 when 'low' then 0 end
    end::smallint
  ) stored;

drop index public.analytics_snapshots_org_risk_idx;
create index analytics_snapshots_org_risk_idx
  on public.analytics_snapshots (org_id, risk_rank desc, risk_score desc, learner_id)
  where kind = 'dropoff_risk';

-- ---------------------------------------------------------------------------------------------
-- list_at_risk with the rank in its keyset. The positional arguments stay where they were
-- (callers pass (org, levels, after_score, after_id, limit[, trainer])); the cursor's rank comes
-- last. A cursor without a rank (a caller of the old signature) takes the rank of its learner's
-- current snapshot, or the top rank when that learner has none (a row may then repeat; none is
-- skipped).
-- ---------------------------------------------------------------------------------------------
drop function public.list_at_risk(text, text[], double precision, text, integer, text);
create function public.list_at_risk(p_org_id text, p_levels text[], p_after_score double precision, p_after_id text,
                                    p_limit integer, p_trainer_id text default null,
                                    p_after_rank smallint default null)
returns jsonb
language sql stable security invoker
set search_path = ''
set jit = off
as $$
  -- The page is cut from the ordered risk index first (materialized, so the planner cannot start
  -- from the directory instead); names are looked up for those rows only. A trainer's page skips
  -- the learners they do not train on the way (one primary-key lookup per candidate).
  with
  -- The cursor: after (rank, score, learner id), or from the top when there is none.
  bound as materialized (
    select coalesce(p_after_rank,
                    (select c.risk_rank from public.analytics_snapshots c
                     where p_after_score is not null and c.learner_id = p_after_id and c.kind = 'dropoff_risk'),
                    3::smallint) as rank,
           coalesce(p_after_score, 'Infinity'::double precision) as score
  ),
  page as materialized (
    select s.learner_id, s.risk_rank, s.risk_score, s.risk_level,
           s.payload -> 'factors' -> 0 ->> 'name' as top_factor, s.calculated_at, s.expires_at
    from public.analytics_snapshots s
    where s.org_id = p_org_id
      and s.kind = 'dropoff_risk'
      and s.risk_level = any (p_levels)
      -- Keyset: an index range from the cursor's (rank, score) down (a row comparison over the two
      -- descending index columns, so it positions the scan), then the ties after its learner id.
      -- The bounds are sub-selects (plain parameters to the planner), so under RLS they stay
      -- leakproof and remain index conditions.
      and (s.risk_rank, s.risk_score) <= ((select b.rank from bound b), (select b.score from bound b))
      and (p_after_id is null or s.learner_id > p_after_id
           or (s.risk_rank, s.risk_score) < ((select b.rank from bound b), (select b.score from bound b)))
      and (p_trainer_id is null or exists (
        select from public.directory_users t
        where t.id = s.learner_id and (t.trainer_ids = '{}' or t.trainer_ids @> array[p_trainer_id])
      ))
    order by s.risk_rank desc, s.risk_score desc, s.learner_id
    limit least(greatest(coalesce(p_limit, 50), 1), 500)
  )
  select coalesce(jsonb_agg(jsonb_build_object(
      'learnerId', p.learner_id,
      'displayName', coalesce((select u.display_name from public.directory_users u where u.id = p.learner_id), p.learner_id),
      'riskScore', p.risk_score,
      'riskLevel', p.risk_level,
      'topFactor', p.top_factor,
      'calculatedAt', p.calculated_at,
      'expiresAt', p.expires_at
    ) order by p.risk_rank desc, p.risk_score desc, p.learner_id), '[]'::jsonb)
  from page p
$$;

revoke all on function public.list_at_risk(text, text[], double precision, text, integer, text, smallint)
  from public, anon, authenticated, service_role;
grant execute on function public.list_at_risk(text, text[], double precision, text, integer, text, smallint)
  to authenticated, service_role;
