-- The org at-risk list orders by level (critical, high, medium, low), then risk score descending,
-- then learner id: levels are relative to the course week, so a critical learner may score below
-- a high one. The keyset over (rank, score, id) walks that order without gap or repeat, the page
-- is still cut from the ordered risk index (also under RLS), and the function keeps jit off.
-- Fixture: organization "ord" with seven learners (below); "bulk" with 6,000 for the plans.
begin;
select plan(29);

-- ---------------------------------------------------------------------------------------------
-- The generated rank and the index.
-- ---------------------------------------------------------------------------------------------
select col_type_is('public', 'analytics_snapshots', 'risk_rank', 'smallint', 'risk_rank is a smallint');
select is((select attgenerated from pg_attribute where attrelid = 'public.analytics_snapshots'::regclass and attname = 'risk_rank'),
          's'::"char", 'risk_rank is generated and stored');
select is(
  (select indexdef from pg_indexes where schemaname = 'public' and indexname = 'analytics_snapshots_org_risk_idx'),
  'CREATE INDEX analytics_snapshots_org_risk_idx ON public.analytics_snapshots USING btree (org_id, risk_rank DESC, risk_score DESC, learner_id) WHERE (kind = ''dropoff_risk''::text)',
  'the risk index orders by level rank, then score, then learner, over risk snapshots only');

insert into public.organizations (id, name) values ('ord', 'Ord'), ('bulk', 'Bulk');
insert into public.directory_users (id, org_id, display_name, roles, trainer_ids) values
  ('o1', 'ord', 'Late critical', '{learner}', '{}'),
  ('o2', 'ord', 'Late critical too', '{learner}', '{otr}'),
  ('o3', 'ord', 'Early high', '{learner}', '{}'),
  ('o4', 'ord', 'High', '{learner}', '{}'),
  ('o5', 'ord', 'Early high too', '{learner}', '{other}'),
  ('o6', 'ord', 'Medium', '{learner}', '{}'),
  ('o7', 'ord', 'Low', '{learner}', '{}');
-- Scores against levels as relative levels allow: the critical pair scores below the high ones,
-- the low learner above everyone.
insert into public.analytics_snapshots (learner_id, org_id, kind, computation_version, payload, calculated_at, expires_at)
select id, 'ord', kind, 'v1', payload::jsonb, '2026-01-05T10:00Z', '2026-01-05T14:00Z'
from (values
  ('o1', 'dropoff_risk', '{"riskScore": 0.3, "riskLevel": "critical", "factors": []}'),
  ('o2', 'dropoff_risk', '{"riskScore": 0.3, "riskLevel": "critical", "factors": []}'),
  ('o3', 'dropoff_risk', '{"riskScore": 0.4, "riskLevel": "high", "factors": []}'),
  ('o4', 'dropoff_risk', '{"riskScore": 0.25, "riskLevel": "high", "factors": []}'),
  ('o5', 'dropoff_risk', '{"riskScore": 0.4, "riskLevel": "high", "factors": []}'),
  ('o6', 'dropoff_risk', '{"riskScore": 0.45, "riskLevel": "medium", "factors": []}'),
  ('o7', 'dropoff_risk', '{"riskScore": 0.5, "riskLevel": "low", "factors": []}'),
  ('o1', 'velocity', '{"riskLevel": "critical"}')
) as v(id, kind, payload);

select is(
  (select array_agg(coalesce(risk_rank, -1) order by learner_id, kind) from public.analytics_snapshots
   where org_id = 'ord'),
  '{3,-1,3,2,2,2,1,0}'::integer[], 'critical 3, high 2, medium 1, low 0; another kind has none (-1 here)');

-- Learner ids of a JSON array answer, in order.
create function pg_temp.ids(p_rows jsonb) returns text[] language sql as $$
  select coalesce(array_agg(x ->> 'learnerId' order by n), '{}') from jsonb_array_elements(p_rows) with ordinality as r(x, n)
$$;
-- Every page of a list, following each page's last row as the next cursor (rank, score, id).
create function pg_temp.walk(p_org text, p_levels text[], p_limit integer, p_trainer text default null)
returns text[] language plpgsql as $$
declare
  seen text[] := '{}';
  page jsonb;
  last jsonb;
  after_rank smallint;
  after_score double precision;
  after_id text;
begin
  for pages in 1..20 loop
    page := public.list_at_risk(p_org, p_levels, after_score, after_id, p_limit, p_trainer, after_rank);
    seen := seen || pg_temp.ids(page);
    exit when jsonb_array_length(page) < p_limit;
    last := page -> -1;
    after_rank := array_position(array['low', 'medium', 'high', 'critical'], last ->> 'riskLevel') - 1;
    after_score := (last ->> 'riskScore')::double precision;
    after_id := last ->> 'learnerId';
  end loop;
  return seen;
end
$$;
grant execute on function pg_temp.ids(jsonb), pg_temp.walk(text, text[], integer, text) to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- Order and keyset (service role, and an org admin under RLS).
-- ---------------------------------------------------------------------------------------------
select tests.as_service();
select is(pg_temp.ids(public.list_at_risk('ord', '{low,medium,high,critical}', null, null, 50)),
          '{o1,o2,o3,o5,o4,o6,o7}'::text[], 'critical first though it scores lowest, then high by score, medium, low');
select is(pg_temp.ids(public.list_at_risk('ord', '{high,critical}', null, null, 50)),
          '{o1,o2,o3,o5,o4}'::text[], 'high and critical only, by level then score');
select is(pg_temp.walk('ord', '{low,medium,high,critical}', 1), '{o1,o2,o3,o5,o4,o6,o7}'::text[],
          'pages of one walk the whole order');
select is(pg_temp.walk('ord', '{low,medium,high,critical}', 2), '{o1,o2,o3,o5,o4,o6,o7}'::text[],
          'pages of two walk the whole order');
select is(pg_temp.walk('ord', '{medium,high,critical}', 3), '{o1,o2,o3,o5,o4,o6}'::text[],
          'pages of three from medium walk the order');
select is(pg_temp.ids(public.list_at_risk('ord', '{low,medium,high,critical}', 0.3, 'o2', 2, null, 3::smallint)),
          '{o3,o5}'::text[], 'after the last critical come the high learners, though they score higher');
select is(pg_temp.ids(public.list_at_risk('ord', '{low,medium,high,critical}', 0.4, 'o3', 2, null, 2::smallint)),
          '{o5,o4}'::text[], 'a tie on level and score continues after the cursor''s learner id');
select is(pg_temp.ids(public.list_at_risk('ord', '{low,medium,high,critical}', 0.25, 'o4', 50, null, 2::smallint)),
          '{o6,o7}'::text[], 'after the last high learner: medium, then low, though both score higher');
-- Callers of the old positional form (no rank): the cursor learner's current level is used.
select is(pg_temp.ids(public.list_at_risk('ord', '{low,medium,high,critical}', 0.3::numeric, 'o2', 2)),
          '{o3,o5}'::text[], 'a cursor without a rank takes its learner''s current level');
select is(pg_temp.ids(public.list_at_risk('ord', '{low,medium,high,critical}', 0.3, 'o2', 50, 'otr', 3::smallint)),
          '{o3,o4,o6,o7}'::text[], 'a trainer''s page skips learners they do not train (o5) after the cursor');
select is(pg_temp.walk('ord', '{low,medium,high,critical}', 1, 'otr'), '{o1,o2,o3,o4,o6,o7}'::text[],
          'a trainer''s pages of one walk their learners in order');

select tests.as_user('oad', 'ord', '{org_admin}');
select is(pg_temp.walk('ord', '{low,medium,high,critical}', 2), '{o1,o2,o3,o5,o4,o6,o7}'::text[],
          'under RLS an org admin''s pages of two walk the same order');
select tests.as_user('oad', 'bulk', '{org_admin}');
select is(pg_temp.ids(public.list_at_risk('ord', '{low,medium,high,critical}', null, null, 50)), '{}'::text[],
          'another organization''s admin lists nothing');

-- ---------------------------------------------------------------------------------------------
-- Plans: the function's own body, prepared with generic parameters as a SQL function is planned.
-- The page must come from the risk index in order (no sort), with the (rank, score) bound as an
-- index condition, also beneath the row-level security policy.
-- ---------------------------------------------------------------------------------------------
select tests.as_owner();
insert into public.directory_users (id, org_id, display_name, roles)
select format('b%s', g), 'bulk', format('Learner %s', g), '{learner}' from generate_series(1, 6000) g;
insert into public.analytics_snapshots (learner_id, org_id, kind, computation_version, payload, calculated_at, expires_at)
select format('b%s', g), 'bulk', 'dropoff_risk', 'v1',
       jsonb_build_object('riskScore', (g % 997) / 1000.0, 'riskLevel', (array['low', 'medium', 'high', 'critical'])[1 + g % 4],
                          'factors', '[]'::jsonb),
       '2026-01-05T10:00Z', '2026-01-05T14:00Z'
from generate_series(1, 6000) g;
analyze public.analytics_snapshots;
analyze public.directory_users;

-- The "CTE page" part of the body's plan for the given arguments (an SQL literal list).
create function pg_temp.page_plan(p_args text) returns jsonb language plpgsql as $$
declare
  body text;
  plan jsonb;
  path text := current_setting('search_path');
begin
  select prosrc into body from pg_proc where oid = 'public.list_at_risk(text, text[], double precision, text, integer, text, smallint)'::regprocedure;
  body := regexp_replace(body, '\mp_org_id\M', '$1', 'g');
  body := regexp_replace(body, '\mp_levels\M', '$2', 'g');
  body := regexp_replace(body, '\mp_after_score\M', '$3', 'g');
  body := regexp_replace(body, '\mp_after_id\M', '$4', 'g');
  body := regexp_replace(body, '\mp_limit\M', '$5', 'g');
  body := regexp_replace(body, '\mp_trainer_id\M', '$6', 'g');
  body := regexp_replace(body, '\mp_after_rank\M', '$7', 'g');
  perform set_config('search_path', '', true);
  perform set_config('plan_cache_mode', 'force_generic_plan', true);
  execute 'prepare at_risk_body(text, text[], double precision, text, integer, text, smallint) as ' || body;
  execute 'explain (format json) execute at_risk_body(' || p_args || ')' into plan;
  deallocate at_risk_body;
  perform set_config('search_path', path, true);
  perform set_config('plan_cache_mode', 'auto', true);
  return jsonb_path_query_first(plan, '$.** ? (@."Subplan Name" == "CTE page")');
end
$$;
grant execute on function pg_temp.page_plan(text) to authenticated, service_role;

create function pg_temp.scan_of(p_plan jsonb) returns jsonb language sql as $$
  select jsonb_path_query_first(p_plan, '$.** ? (@."Relation Name" == "analytics_snapshots" && @."Alias" == "s")')
$$;
create function pg_temp.sorts(p_plan jsonb) returns boolean language sql as $$
  select jsonb_path_exists(p_plan, '$.** ? (@."Node Type" == "Sort" || @."Node Type" == "Incremental Sort")')
$$;
grant execute on function pg_temp.scan_of(jsonb), pg_temp.sorts(jsonb) to authenticated, service_role;

select tests.as_service();
select set_config('tests.first', pg_temp.page_plan($$'bulk', '{low,medium,high,critical}', null, null, 51, null, null$$)::text, true) is not null as planned;
select set_config('tests.deep', pg_temp.page_plan($$'bulk', '{low,medium,high,critical}', 0.5, 'b2500', 51, null, 1$$)::text, true) is not null as planned;
select tests.as_user('bad', 'bulk', '{org_admin}');
select set_config('tests.rls', pg_temp.page_plan($$'bulk', '{low,medium,high,critical}', 0.5, 'b2500', 51, null, 1$$)::text, true) is not null as planned;

select tests.as_owner();
select is(pg_temp.scan_of(current_setting('tests.first')::jsonb) ->> 'Index Name', 'analytics_snapshots_org_risk_idx',
          'the first page is read from the risk index');
select ok(not pg_temp.sorts(current_setting('tests.first')::jsonb), '... in its order, without a sort');
select is(pg_temp.scan_of(current_setting('tests.deep')::jsonb) ->> 'Index Name', 'analytics_snapshots_org_risk_idx',
          'a deep page is read from the risk index');
select ok(not pg_temp.sorts(current_setting('tests.deep')::jsonb), '... in its order, without a sort');
select matches(pg_temp.scan_of(current_setting('tests.deep')::jsonb) ->> 'Index Cond', 'ROW\(risk_rank, risk_score\) <= ROW\(',
               '... starting at the cursor''s (rank, score): an index condition');
select is(pg_temp.scan_of(current_setting('tests.rls')::jsonb) ->> 'Index Name', 'analytics_snapshots_org_risk_idx',
          'under RLS (org admin) a deep page is read from the risk index');
select ok(not pg_temp.sorts(current_setting('tests.rls')::jsonb), '... in its order, without a sort');
select matches(pg_temp.scan_of(current_setting('tests.rls')::jsonb) ->> 'Index Cond', 'ROW\(risk_rank, risk_score\) <= ROW\(',
               '... the cursor bound stays an index condition beneath the policy (leakproof)');

-- The pages those plans serve: the deep page continues the order exactly.
select tests.as_service();
select is(
  pg_temp.ids(public.list_at_risk('bulk', '{low,medium,high,critical}', 0.5, 'b2500', 50, null, 1::smallint)),
  (select array_agg(learner_id order by risk_rank desc, risk_score desc, learner_id) from (
     select learner_id, risk_rank, risk_score from public.analytics_snapshots
     where org_id = 'bulk' and kind = 'dropoff_risk' and (risk_rank, risk_score) <= (1, 0.5)
       and ((risk_rank, risk_score) < (1, 0.5) or learner_id > 'b2500')
     order by risk_rank desc, risk_score desc, learner_id limit 50) k),
  'a deep page holds the next 50 learners in level, score, id order');

-- ---------------------------------------------------------------------------------------------
-- The function itself: one version (PostgREST resolves by name), jit off, invoker, grants.
-- ---------------------------------------------------------------------------------------------
select tests.as_owner();
select is((select count(*) from pg_proc where proname = 'list_at_risk' and pronamespace = 'public'::regnamespace),
          1::bigint, 'one list_at_risk');
select ok(
  (select 'jit=off' = any (proconfig) and 'search_path=""' = any (proconfig) and not prosecdef
   from pg_proc where oid = 'public.list_at_risk(text, text[], double precision, text, integer, text, smallint)'::regprocedure),
  'list_at_risk runs with jit off, an empty search_path, as the invoker');
select ok(
  has_function_privilege('authenticated', 'public.list_at_risk(text, text[], double precision, text, integer, text, smallint)', 'execute')
  and has_function_privilege('service_role', 'public.list_at_risk(text, text[], double precision, text, integer, text, smallint)', 'execute')
  and not has_function_privilege('anon', 'public.list_at_risk(text, text[], double precision, text, integer, text, smallint)', 'execute'),
  'authenticated and service_role may call it, anon may not');

select * from finish();
rollback;
