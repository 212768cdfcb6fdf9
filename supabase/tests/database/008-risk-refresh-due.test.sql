-- The refresh job's queue: claim_due_risk_snapshots claims the drop-off snapshots to recompute,
-- those of other formulas first, then the expired ones oldest first, each with a lease so no other
-- claim gets them until it ends; only for the service role; the expired ones are found through the
-- expiry index rather than by reading every snapshot.
begin;
select plan(23);

insert into public.organizations (id, name) values ('due', 'Due'), ('due2', 'Due too');
insert into public.directory_users (id, org_id, display_name, roles, trainer_ids) values
  ('d1', 'due', 'Expired first', '{learner}', '{}'),
  ('d2', 'due', 'Expired later', '{learner}', '{}'),
  ('d3', 'due2', 'Other formulas', '{learner}', '{}'),
  ('d4', 'due', 'Current', '{learner}', '{}'),
  ('d5', 'due', 'Expired at the same time', '{learner}', '{}');
insert into public.analytics_snapshots (learner_id, org_id, kind, computation_version, payload, calculated_at, expires_at)
values
  ('d1', 'due', 'dropoff_risk', 'v2', '{"riskScore": 0.2, "riskLevel": "low"}', '2026-01-05T05:00Z', '2026-01-05T09:00Z'),
  ('d2', 'due', 'dropoff_risk', 'v2', '{"riskScore": 0.2, "riskLevel": "low"}', '2026-01-05T07:00Z', '2026-01-05T11:00Z'),
  ('d5', 'due', 'dropoff_risk', 'v2', '{"riskScore": 0.2, "riskLevel": "low"}', '2026-01-05T07:00Z', '2026-01-05T11:00Z'),
  ('d3', 'due2', 'dropoff_risk', 'v1', '{"riskScore": 0.2, "riskLevel": "medium"}', '2026-01-05T10:00Z', '2026-01-05T14:00Z'),
  ('d4', 'due', 'dropoff_risk', 'v2', '{"riskScore": 0.2, "riskLevel": "low"}', '2026-01-05T10:00Z', '2026-01-05T14:00Z'),
  ('d4', 'due', 'velocity', 'v2', '{}', '2026-01-05T05:00Z', '2026-01-05T09:00Z');

create function pg_temp.ids(p_rows jsonb) returns text[] language sql as $$
  select coalesce(array_agg(x ->> 'learnerId' order by n), '{}') from jsonb_array_elements(p_rows) with ordinality as r(x, n)
$$;
grant execute on function pg_temp.ids(jsonb) to service_role;

select tests.as_service();
create function pg_temp.claim(p_now text, p_version text, p_limit integer, p_lease integer default 600,
                              p_retired text[] default '{v1}')
returns text[] language sql as $$
  select pg_temp.ids(public.claim_due_risk_snapshots(p_now::timestamptz, p_version, p_retired, p_limit, p_lease))
$$;
grant execute on function pg_temp.claim(text, text, integer, integer, text[]) to service_role;

-- An older instance (formulas v0, retiring nothing) beside the v2 rows: only what has expired.
select is(pg_temp.claim('2026-01-05T12:00Z', 'v0', 10, 600, '{}'), '{d1,d2,d5}'::text[],
          'formulas the caller does not retire are claimed only once expired (no ping-pong between versions)');
delete from public.risk_refresh_leases;

select is(pg_temp.claim('2026-01-05T12:00Z', 'v2', 10), '{d3,d1,d2,d5}'::text[],
          'retired formulas first (in any organization), then expired oldest first, ties by learner; current and other kinds left out');
select is((select array_agg(learner_id || '@' || to_char(leased_until at time zone 'UTC', 'HH24:MI') order by learner_id)
           from public.risk_refresh_leases),
          '{d1@12:10,d2@12:10,d3@12:10,d5@12:10}'::text[], 'each claimed learner is leased for p_lease_seconds');
select is(pg_temp.claim('2026-01-05T12:05Z', 'v2', 10), '{}'::text[], 'while the leases run, no claim gets them again');
select is(public.claim_due_risk_snapshots('2026-01-05T12:10Z', 'v2', '{v1}', 10, 600) -> 0,
          jsonb_build_object('learnerId', 'd3', 'orgId', 'due2', 'expiresAt', '2026-01-05T14:00:00+00:00'::timestamptz,
                             'currentVersion', false),
          'after the lease they are due again; each row names the learner, organization, expiry and whether the formulas are current');
select is(pg_temp.claim('2026-01-05T12:20Z', 'v2', 2), '{d3,d1}'::text[], 'at most p_limit rows, from the head');
select is(pg_temp.claim('2026-01-05T12:20Z', 'v2', 10), '{d2,d5}'::text[], 'the next claim gets the rest');
-- A recomputed learner is no longer due, whatever its lease.
update public.analytics_snapshots set calculated_at = '2026-01-05T12:25Z', expires_at = '2026-01-05T16:25Z'
where learner_id = 'd1' and kind = 'dropoff_risk';
select is(pg_temp.claim('2026-01-05T12:40Z', 'v2', 10), '{d3,d2,d5}'::text[], 'a recomputed snapshot leaves the queue');

delete from public.risk_refresh_leases;
select is(pg_temp.claim('2026-01-05T10:00Z', 'v2', 10), '{d3}'::text[],
          'expired means expires_at at or before p_now (d1 now expires at 16:25)');
delete from public.risk_refresh_leases;
select is(pg_temp.claim('2026-01-05T17:00Z', 'v1', 10, 600, '{v2}'), '{d2,d5,d3,d4,d1}'::text[],
          'all expired by 17:00: oldest first whatever their formulas');
delete from public.risk_refresh_leases;
select is(jsonb_array_length(public.claim_due_risk_snapshots('2026-01-05T12:00Z', 'v2', '{v1}', 0, 600)), 1,
          'a limit below 1 still claims one row');
delete from public.risk_refresh_leases;
select is(jsonb_array_length(public.claim_due_risk_snapshots('2026-01-05T12:00Z', 'v2', '{v1}', null, null)), 3,
          'no limit: the default (100)');
select is((select max(leased_until) from public.risk_refresh_leases), '2026-01-05T12:10Z'::timestamptz,
          'no lease length: ten minutes');
delete from public.risk_refresh_leases;
delete from public.analytics_snapshots where learner_id = 'd3';
select is(public.claim_due_risk_snapshots('2026-01-05T04:00Z', 'v2', '{v1}', 10, 600), '[]'::jsonb, 'nothing due: an empty array');

-- The expired half is read through the expiry index, in its order (no sort over every snapshot).
select tests.as_owner();
select has_index('public', 'analytics_snapshots', 'analytics_snapshots_risk_expiry_idx', 'the expiry index exists');
insert into public.organizations (id, name) values ('due-bulk', 'Bulk');
insert into public.directory_users (id, org_id, display_name, roles)
select 'db' || g, 'due-bulk', 'Bulk ' || g, '{learner}' from generate_series(1, 5000) g;
insert into public.analytics_snapshots (learner_id, org_id, kind, computation_version, payload, calculated_at, expires_at)
select 'db' || g, 'due-bulk', 'dropoff_risk', 'v2', '{"riskScore": 0.1, "riskLevel": "low"}',
       '2026-01-04T00:00Z'::timestamptz + g * interval '1 minute',
       '2026-01-04T04:00Z'::timestamptz + g * interval '1 minute'
from generate_series(1, 5000) g;
analyze public.analytics_snapshots;
-- The function's own body, prepared with generic parameters as a SQL function is planned.
create function pg_temp.due_plan() returns text language plpgsql as $$
declare
  body text;
  plan text := '';
  line text;
  path text := current_setting('search_path');
begin
  select prosrc into body from pg_proc where oid = 'public.claim_due_risk_snapshots(timestamptz, text, text[], integer, integer)'::regprocedure;
  body := regexp_replace(body, '\mp_now\M', '$1', 'g');
  body := regexp_replace(body, '\mp_version\M', '$2', 'g');
  body := regexp_replace(body, '\mp_retired_versions\M', '$3', 'g');
  body := regexp_replace(body, '\mp_limit\M', '$4', 'g');
  body := regexp_replace(body, '\mp_lease_seconds\M', '$5', 'g');
  perform set_config('search_path', '', true);
  perform set_config('plan_cache_mode', 'force_generic_plan', true);
  execute 'prepare due_body(timestamptz, text, text[], integer, integer) as ' || body;
  for line in execute 'explain execute due_body(''2026-01-05T12:00Z'', ''v2'', ''{v1}'', 100, 600)' loop
    plan := plan || line || E'\n';
  end loop;
  deallocate due_body;
  perform set_config('search_path', path, true);
  return plan;
end
$$;
select ok(pg_temp.due_plan() ~ 'Index Scan using analytics_snapshots_risk_expiry_idx',
          'the expired rows are read through the expiry index, in expiry order');

select ok(
  (select not prosecdef and 'search_path=""' = any (proconfig)
   from pg_proc where oid = 'public.claim_due_risk_snapshots(timestamptz, text, text[], integer, integer)'::regprocedure),
  'claim_due_risk_snapshots runs as the invoker with an empty search_path');
select ok(
  has_function_privilege('service_role', 'public.claim_due_risk_snapshots(timestamptz, text, text[], integer, integer)', 'execute')
  and not has_function_privilege('authenticated', 'public.claim_due_risk_snapshots(timestamptz, text, text[], integer, integer)', 'execute')
  and not has_function_privilege('anon', 'public.claim_due_risk_snapshots(timestamptz, text, text[], integer, integer)', 'execute'),
  'only the service role may call it: it reads across organizations');
select ok(
  (select relrowsecurity from pg_class where oid = 'public.risk_refresh_leases'::regclass)
  and not has_table_privilege('authenticated', 'public.risk_refresh_leases', 'select')
  and not has_table_privilege('anon', 'public.risk_refresh_leases', 'select'),
  'the leases are the service role''s alone: row-level security on, no grant to anon or authenticated');

-- A learner who left: out of the org views, the ledger untouched, the rollup counts adjusted.
select tests.as_service();
select is(public.mark_learner_departed('d2'), '{"snapshots": 1, "wasLearner": true, "leases": 0}'::jsonb,
          'mark_learner_departed removes the snapshots and the learner role');
select is((select roles from public.directory_users where id = 'd2'), '{}'::text[], 'the mirror no longer lists them as a learner');
select is((select learner_count from public.org_rollups where org_id = 'due'), 3::bigint,
          'the organization rollup counts one learner fewer (d1, d4, d5 remain)');
select tests.as_owner();
select ok(
  has_function_privilege('service_role', 'public.mark_learner_departed(text)', 'execute')
  and not has_function_privilege('authenticated', 'public.mark_learner_departed(text)', 'execute')
  and not has_function_privilege('anon', 'public.mark_learner_departed(text)', 'execute'),
  'only the service role may mark a learner departed');

select * from finish();
rollback;
