-- Trainers see the learners they train, not their whole organization.
--
-- The BFF lets a trainer open a learner of their organization only when the Directory lists them
-- as a trainer of one of the learner's courses, or when the learner's courses list no trainer at
-- all (edge/src/http/access.ts, learnerAccess). The organization lists and the row-level security
-- gave every trainer the whole organization, so a trainer saw names and risk scores of learners
-- they could not open. This migration stores who trains whom with the learner and applies the same
-- rule to the lists, the summary and the policies; an org admin still sees everyone.

-- ---------------------------------------------------------------------------------------------
-- The learner's trainers: the trainers assigned to any of the learner's courses (the Directory's
-- course assignments), as the BFF computes them when it loads a learner's profile. Empty means
-- no trainer is listed, and then every trainer of the organization may read the learner.
-- ---------------------------------------------------------------------------------------------
alter table public.directory_users
  add column trainer_ids text[] not null default '{}' check (array_position(trainer_ids, null) is null);

-- The lists and policies ask "does trainer_ids contain this trainer" (@>) or "is it empty".
create index directory_users_trainer_ids_idx on public.directory_users using gin (trainer_ids);


-- ---------------------------------------------------------------------------------------------
-- The Directory mirror with the learner's trainers. "trainerIds" absent means this writer does not
-- know the learner's courses: the stored list is kept (read in this statement; the BFF's writers,
-- ingestion and the insights recompute, always send it). Kept sorted and unique, so the same
-- trainers in another order are no change and take no row lock.
-- ---------------------------------------------------------------------------------------------
create or replace function public.upsert_directory_users(p_users jsonb) returns jsonb
language plpgsql security invoker
set search_path = ''
as $$
declare
  v_count integer;
begin
  insert into public.organizations (id, name)
  select distinct on (u."orgId") u."orgId", coalesce(u."orgName", u."orgId")
  from jsonb_to_recordset(p_users) as u("orgId" text, "orgName" text)
  order by u."orgId"
  on conflict (id) do nothing;

  -- Unchanged users are skipped before the upsert, so they take no row lock (every batch of events
  -- mirrors its learners); the rest go in id order so concurrent batches cannot deadlock.
  insert into public.directory_users as d (id, org_id, display_name, roles, time_zone, trainer_ids, synced_at)
  select u.id, u.org_id, u.display_name, u.roles, u.time_zone, u.trainer_ids, now()
  from (
    select distinct on (x."userId") x."userId" as id, x."orgId" as org_id,
           coalesce(x."displayName", x."userId") as display_name, coalesce(x.roles, '{learner}') as roles,
           coalesce(x."timeZone", 'UTC') as time_zone,
           case
             when x."trainerIds" is null
               then coalesce((select k.trainer_ids from public.directory_users k where k.id = x."userId"), '{}')
             else coalesce((select array_agg(distinct t order by t) from unnest(x."trainerIds") as t), '{}')
           end as trainer_ids
    from jsonb_to_recordset(p_users)
      as x("userId" text, "orgId" text, "displayName" text, roles text[], "timeZone" text, "trainerIds" text[])
    order by x."userId"
  ) u
  where not exists (
    select from public.directory_users k
    where k.id = u.id
      and (k.org_id, k.display_name, k.roles, k.time_zone, k.trainer_ids)
        = (u.org_id, u.display_name, u.roles, u.time_zone, u.trainer_ids)
  )
  order by u.id
  on conflict (id) do update
    set org_id = excluded.org_id, display_name = excluded.display_name, roles = excluded.roles,
        time_zone = excluded.time_zone, trainer_ids = excluded.trainer_ids, synced_at = excluded.synced_at
    where (d.org_id, d.display_name, d.roles, d.time_zone, d.trainer_ids)
      is distinct from (excluded.org_id, excluded.display_name, excluded.roles, excluded.time_zone, excluded.trainer_ids);
  get diagnostics v_count = row_count;
  return jsonb_build_object('changed', v_count);
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Organization views with an optional trainer: p_trainer_id null is the whole organization (org
-- admins); set, only the learners that trainer may open: trainer_ids contains them or is empty.
-- The filter sits before the limit, so keyset pages stay exact. Replaced rather than overloaded
-- (PostgREST resolves a function by name); the new argument defaults to null, so callers of the
-- old signature still get the whole organization.
-- ---------------------------------------------------------------------------------------------
drop function public.list_learners(text, text, text, integer);
create function public.list_learners(p_org_id text, p_after_name text, p_after_id text, p_limit integer,
                                     p_trainer_id text default null) returns jsonb
language sql stable security invoker
set search_path = ''
as $$
  select coalesce(jsonb_agg(r.row order by r.display_name, r.id), '[]'::jsonb)
  from (
    select u.display_name, u.id, jsonb_build_object(
      'learnerId', u.id,
      'displayName', u.display_name,
      'timeZone', u.time_zone,
      'points', coalesce(p.points, 0),
      'riskScore', s.risk_score,
      'riskLevel', s.risk_level,
      'riskCalculatedAt', s.calculated_at
    ) as row
    from public.directory_users u
    left join public.analytics_snapshots s on s.learner_id = u.id and s.kind = 'dropoff_risk'
    left join public.learner_streaks p on p.learner_id = u.id
    where u.org_id = p_org_id
      and 'learner' = any (u.roles)
      and (p_trainer_id is null or u.trainer_ids = '{}' or u.trainer_ids @> array[p_trainer_id])
      and (p_after_id is null or (u.display_name, u.id) > (p_after_name, p_after_id))
    order by u.display_name, u.id
    limit least(greatest(coalesce(p_limit, 50), 1), 500)
  ) r
$$;

drop function public.list_at_risk(text, text[], double precision, text, integer);
create function public.list_at_risk(p_org_id text, p_levels text[], p_after_score double precision, p_after_id text,
                                    p_limit integer, p_trainer_id text default null)
returns jsonb
language sql stable security invoker
set search_path = ''
as $$
  -- The page is cut from the ordered risk index first (materialized, so the planner cannot start
  -- from the directory instead); names are looked up for those rows only. A trainer's page skips
  -- the learners they do not train on the way (one primary-key lookup per candidate).
  with page as materialized (
    select s.learner_id, s.risk_score, s.risk_level, s.payload -> 'factors' -> 0 ->> 'name' as top_factor,
           s.calculated_at, s.expires_at
    from public.analytics_snapshots s
    where s.org_id = p_org_id
      and s.kind = 'dropoff_risk'
      and s.risk_level = any (p_levels)
      -- Keyset: an index range from the cursor's score down, then the ties after its learner id.
      -- The bound is a sub-select (a plain parameter to the planner), so under RLS it stays leakproof
      -- and remains an index condition.
      and s.risk_score <= (select coalesce(p_after_score, 'Infinity'::double precision))
      and (p_after_id is null or s.risk_score < p_after_score or s.learner_id > p_after_id)
      and (p_trainer_id is null or exists (
        select from public.directory_users t
        where t.id = s.learner_id and (t.trainer_ids = '{}' or t.trainer_ids @> array[p_trainer_id])
      ))
    order by s.risk_score desc, s.learner_id
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
    ) order by p.risk_score desc, p.learner_id), '[]'::jsonb)
  from page p
$$;

-- The summary: an org admin's (or the service role's whole-organization) totals come from the
-- rollup row as before; a trainer's are counted on the fly over their learners, since a rollup per
-- trainer would have to follow every course assignment. Under RLS a trainer no longer sees the
-- rollup (policy below), so their summary is counted from the rows they may read: the same figures.
drop function public.org_summary(text, timestamptz);
create function public.org_summary(p_org_id text, p_now timestamptz, p_trainer_id text default null) returns jsonb
language sql stable security invoker
set search_path = ''
as $$
  with
  -- The trainer's learners (nothing is read without a trainer).
  scoped as materialized (
    select u.id from public.directory_users u
    where p_trainer_id is not null
      and u.org_id = p_org_id
      and (u.trainer_ids = '{}' or u.trainer_ids @> array[p_trainer_id])
  ),
  rollup as (
    select r.learner_count, r.risk_snapshots, r.risk_low, r.risk_medium, r.risk_high, r.risk_critical,
           case when r.risk_scored > 0 then round(r.risk_score_sum / r.risk_scored, 4) end as average,
           r.total_points, r.badges_awarded
    from public.org_rollups r
    where r.org_id = p_org_id and p_trainer_id is null
  ),
  -- Without a visible rollup row only; the guard sits at each scan, so with one nothing is read.
  counted as (
    select (select count(*) from public.directory_users u
            where u.org_id = p_org_id and 'learner' = any (u.roles) and not exists (select from rollup)
              and (p_trainer_id is null or u.id in (select id from scoped))) as learner_count,
           k.risk_snapshots, k.risk_low, k.risk_medium, k.risk_high, k.risk_critical, k.average,
           (select coalesce(sum(p.points), 0) from public.learner_streaks p
            where p.org_id = p_org_id and not exists (select from rollup)
              and (p_trainer_id is null or p.learner_id in (select id from scoped))) as total_points,
           (select count(*) from public.badges_awarded b
            where b.org_id = p_org_id and not exists (select from rollup)
              and (p_trainer_id is null or b.learner_id in (select id from scoped))) as badges_awarded
    from (
      select count(*) as risk_snapshots,
             count(*) filter (where s.risk_level = 'low') as risk_low,
             count(*) filter (where s.risk_level = 'medium') as risk_medium,
             count(*) filter (where s.risk_level = 'high') as risk_high,
             count(*) filter (where s.risk_level = 'critical') as risk_critical,
             round(avg(s.risk_score)::numeric, 4) as average
      from public.analytics_snapshots s
      where s.org_id = p_org_id and s.kind = 'dropoff_risk' and not exists (select from rollup)
        and (p_trainer_id is null or s.learner_id in (select id from scoped))
    ) k
  ),
  totals as (
    select * from rollup
    union all
    select * from counted where not exists (select from rollup)
  ),
  -- Grouped per learner (a hash table) rather than count(distinct), which sorts the ids by collation.
  recent as (
    select coalesce(sum(g.events), 0)::bigint as events, count(*) as learners
    from (
      select e.learner_id, count(*) as events
      from public.activity_events e
      where e.org_id = p_org_id and e.occurred_at > p_now - interval '7 days' and e.occurred_at <= p_now
        and (p_trainer_id is null or e.learner_id in (select id from scoped))
      group by e.learner_id
    ) g
  )
  select jsonb_build_object(
    'orgId', p_org_id,
    'learnerCount', t.learner_count,
    'atRiskCount', t.risk_high + t.risk_critical,
    'byRiskLevel', jsonb_build_object('low', t.risk_low, 'medium', t.risk_medium, 'high', t.risk_high, 'critical', t.risk_critical),
    'averageRiskScore', t.average,
    -- The oldest snapshot the risk figures were built from (the first entry of its index).
    'calculatedAt', (
      select min(s.calculated_at) from public.analytics_snapshots s
      where s.org_id = p_org_id and s.kind = 'dropoff_risk'
        and (p_trainer_id is null or s.learner_id in (select id from scoped))
    ),
    'activeLearners7d', recent.learners,
    'events7d', recent.events,
    'totalPoints', t.total_points,
    'badgesAwarded', t.badges_awarded
  )
  from totals t, recent
$$;

revoke all on function
  public.list_learners(text, text, text, integer, text),
  public.list_at_risk(text, text[], double precision, text, integer, text),
  public.org_summary(text, timestamptz, text)
from public, anon, authenticated, service_role;
grant execute on function
  public.list_learners(text, text, text, integer, text),
  public.list_at_risk(text, text[], double precision, text, integer, text),
  public.org_summary(text, timestamptz, text)
to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- Row-level security: the same rule for `authenticated`. An org admin reads the organization, a
-- learner their own rows, a trainer the rows of learners whose trainer_ids contain them or are
-- empty. The role checks stay one boolean per statement (InitPlans), as before.
-- ---------------------------------------------------------------------------------------------
drop policy "learners read themselves, staff read their organization" on public.directory_users;
create policy "read self, the learners one trains, or all as org admin" on public.directory_users
  for select to authenticated
  using (
    org_id = (select auth.jwt() ->> 'org')
    and (
      (select coalesce((auth.jwt() -> 'roles') ? 'org_admin', false))
      or id = (select auth.jwt() ->> 'sub')
      or ((select coalesce((auth.jwt() -> 'roles') ? 'trainer', false))
          and (trainer_ids = '{}' or trainer_ids @> array[(select auth.jwt() ->> 'sub')]))
    )
  );

do $$
declare
  t text;
begin
  foreach t in array array[
    'analytics_snapshots', 'ai_results', 'ai_usage', 'activity_events', 'points_ledger', 'learner_streaks', 'badges_awarded'
  ] loop
    execute format('drop policy "learners read their own rows, staff read their organization''s" on public.%I', t);
    -- The learner's trainers are read from the Directory mirror (its primary key).
    execute format($p$
      create policy "read own rows, trained learners' rows, or all as org admin" on public.%1$I
        for select to authenticated
        using (
          org_id = (select auth.jwt() ->> 'org')
          and (
            (select coalesce((auth.jwt() -> 'roles') ? 'org_admin', false))
            or learner_id = (select auth.jwt() ->> 'sub')
            or ((select coalesce((auth.jwt() -> 'roles') ? 'trainer', false))
                and exists (
                  select from public.directory_users u
                  where u.id = %1$I.learner_id
                    and (u.trainer_ids = '{}' or u.trainer_ids @> array[(select auth.jwt() ->> 'sub')])
                ))
          )
        )
    $p$, t);
  end loop;
end
$$;

-- The rollup is a whole-organization total: org admins only (a trainer's summary is counted).
drop policy "staff read their organization's rollup" on public.org_rollups;
create policy "org admins read their organization's rollup" on public.org_rollups
  for select to authenticated
  using (
    org_id = (select auth.jwt() ->> 'org')
    and (select coalesce((auth.jwt() -> 'roles') ? 'org_admin', false))
  );
