-- Learners nobody has heard from: the refresh job checks one organization's roster per run.
-- claim_due_roster_check hands out the organization due (never finished first, then finished
-- longest ago, past the interval), with a lease; finish_roster_check ends a check as complete,
-- more or failed; learners_without_risk_snapshot names the listed learners the store lacks.
-- The service role only.
begin;
select plan(15);

insert into public.organizations (id, name) values ('ros-a', 'Roster A'), ('ros-b', 'Roster B');
insert into public.directory_users (id, org_id, display_name, roles, trainer_ids) values
  ('ra1', 'ros-a', 'Stored', '{learner}', '{}'),
  ('ra2', 'ros-a', 'Mirrored, no snapshot', '{learner}', '{}');
insert into public.analytics_snapshots (learner_id, org_id, kind, computation_version, payload, calculated_at, expires_at)
values
  ('ra1', 'ros-a', 'dropoff_risk', 'v2', '{"riskScore": 0.2, "riskLevel": "low"}', '2026-01-05T05:00Z', '2026-01-05T09:00Z'),
  ('ra2', 'ros-a', 'velocity', 'v2', '{}', '2026-01-05T05:00Z', '2026-01-05T09:00Z');

create function pg_temp.claim(p_now text, p_org_ids text[] default '{}') returns text language sql as $$
  select public.claim_due_roster_check(p_now::timestamptz, 3600, 600, p_org_ids) ->> 'orgId'
$$;
grant execute on function pg_temp.claim(text, text[]) to service_role;

-- The seed's organizations were checked (in the future, so never due here): only this test's are.
insert into public.org_roster_checks (org_id, checked_at) select id, '2100-01-01' from public.organizations;
delete from public.org_roster_checks where org_id in ('ros-a', 'ros-b');

select tests.as_service();
select is(pg_temp.claim('2026-01-05T10:00Z', '{ros-dir, "not an id!"}'), 'ros-a',
          'never checked: claimed in organization order, store and Directory alike');
select is(pg_temp.claim('2026-01-05T10:00Z'), 'ros-b', 'the next claim gets the next organization');
select is(pg_temp.claim('2026-01-05T10:00Z'), 'ros-dir', 'an organization only the Directory lists is checked too');
select is(pg_temp.claim('2026-01-05T10:00Z'), null, 'all leased: none is due');
select is((select count(*) from public.org_roster_checks where org_id = 'not an id!'), 0::bigint,
          'an organization id that could not be one is not taken in');
select is((select leased_until from public.org_roster_checks where org_id = 'ros-a'), '2026-01-05T10:10Z'::timestamptz,
          'a claim leases the check for p_lease_seconds');

select is(public.finish_roster_check('ros-a', '2026-01-05T10:01Z', 'complete'), '{"found": true}'::jsonb,
          'finish_roster_check says it found the check');
do $$ begin
  perform public.finish_roster_check('ros-b', '2026-01-05T10:01Z', 'more');
  perform public.finish_roster_check('ros-dir', '2026-01-05T10:01Z', 'failed');
end $$;
select is(pg_temp.claim('2026-01-05T10:02Z'), 'ros-b', '"more": the lease ends at once and the next run goes on');
select is(pg_temp.claim('2026-01-05T10:11Z'), null, '"failed": the check pauses half an hour; "complete": for the interval (ros-b is leased)');
select is(pg_temp.claim('2026-01-05T10:32Z'), 'ros-b', 'never finished goes before ...');
select is(pg_temp.claim('2026-01-05T10:32Z'), 'ros-dir', '... and after the pause a failed check is retried');
do $$ begin
  perform public.finish_roster_check('ros-b', '2026-01-05T10:33Z', 'complete');
  perform public.finish_roster_check('ros-dir', '2026-01-05T10:33Z', 'complete');
end $$;
select is(pg_temp.claim('2026-01-05T11:01Z'), 'ros-a', 'a complete check is due again an interval later');

select is(public.learners_without_risk_snapshot('{ra9,ra1,ra2}'), '["ra9", "ra2"]'::jsonb,
          'listed learners without a drop-off snapshot, in the roster''s order (another kind does not count)');
select throws_ok($$ select public.finish_roster_check('ros-a', now(), 'done') $$, '22023', null,
                 'an outcome other than complete, more or failed is refused');

select tests.as_owner();
select ok(
  has_function_privilege('service_role', 'public.claim_due_roster_check(timestamptz, integer, integer, text[])', 'execute')
  and not has_function_privilege('authenticated', 'public.claim_due_roster_check(timestamptz, integer, integer, text[])', 'execute')
  and not has_function_privilege('anon', 'public.finish_roster_check(text, timestamptz, text)', 'execute')
  and not has_function_privilege('authenticated', 'public.learners_without_risk_snapshot(text[])', 'execute')
  and not has_table_privilege('authenticated', 'public.org_roster_checks', 'select'),
  'roster checks are the service role''s alone: they read across organizations');

select * from finish();
rollback;
