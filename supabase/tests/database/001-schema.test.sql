-- The shape every migration must keep: RLS on every table, no rights for anon, policies only
-- for authenticated, an index on every column a policy reads, functions with a fixed search_path.
begin;
select plan(39);

select tables_are('public', array[
  'organizations', 'directory_users', 'analytics_snapshots', 'ai_results', 'ai_usage',
  'activity_events', 'points_ledger', 'learner_streaks', 'badges_awarded', 'org_rollups',
  'risk_refresh_leases', 'org_roster_checks'
], 'MS8 owns exactly these tables');

select ok(c.relrowsecurity, format('row-level security is enabled on %s', c.relname))
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where n.nspname = 'public' and c.relkind = 'r'
order by c.relname;

select is(
  (select count(*) from information_schema.role_table_grants where table_schema = 'public' and grantee in ('anon', 'PUBLIC')),
  0::bigint, 'anon and PUBLIC hold no table rights');

select is(
  (select array_agg(distinct privilege_type::text order by privilege_type::text) from information_schema.role_table_grants
   where table_schema = 'public' and grantee = 'authenticated'),
  array['SELECT'], 'authenticated may only SELECT (rows then filtered by policies)');

select is(
  (select count(*) from pg_policies where schemaname = 'public' and roles <> '{authenticated}'),
  0::bigint, 'every policy is for authenticated');

select is(
  (select count(*) from pg_policies where schemaname = 'public' and cmd <> 'SELECT'),
  0::bigint, 'no policy lets a user write');

-- Policies read org_id and learner_id (id on the mirror): each table has an index led by them.
select ok(
  exists (
    select from pg_index i join pg_class c on c.oid = i.indrelid
    join pg_attribute a on a.attrelid = c.oid and a.attnum = i.indkey[0]
    where c.relname = t.tbl and a.attname = t.col and c.relnamespace = 'public'::regnamespace
  ),
  format('an index on %s leads with %s (read by its policy)', t.tbl, t.col)
)
from (values
  ('organizations', 'id'), ('directory_users', 'id'), ('directory_users', 'org_id'),
  ('analytics_snapshots', 'learner_id'), ('analytics_snapshots', 'org_id'),
  ('ai_results', 'learner_id'), ('ai_results', 'org_id'),
  ('ai_usage', 'learner_id'), ('ai_usage', 'org_id'),
  ('activity_events', 'learner_id'), ('activity_events', 'org_id'),
  ('points_ledger', 'learner_id'), ('points_ledger', 'org_id'),
  ('learner_streaks', 'learner_id'), ('learner_streaks', 'org_id'),
  ('badges_awarded', 'learner_id'), ('badges_awarded', 'org_id'),
  ('org_rollups', 'org_id')
) as t(tbl, col);

select is(
  (select count(*) from pg_proc p where p.pronamespace in ('public'::regnamespace, 'ms8_private'::regnamespace)
     and not coalesce(p.proconfig @> array['search_path=""'], false)),
  0::bigint, 'every MS8 function pins search_path to empty');

select is(
  (select count(*) from pg_proc p where p.pronamespace = 'public'::regnamespace and p.prosecdef),
  0::bigint, 'no security definer function lives in the exposed schema');

select is(
  (select count(*) from pg_proc p where p.pronamespace = 'public'::regnamespace
     and has_function_privilege('anon', p.oid, 'execute')),
  0::bigint, 'anon may execute no MS8 function');

select ok(
  not has_function_privilege('authenticated', 'public.ingest_event(jsonb, jsonb, text)', 'execute')
  and not has_function_privilege('authenticated', 'public.record_learner_progress(text, bigint, jsonb)', 'execute')
  and not has_function_privilege('authenticated', 'public.write_snapshot(jsonb)', 'execute'),
  'users may execute no write function');

select * from finish();
rollback;
