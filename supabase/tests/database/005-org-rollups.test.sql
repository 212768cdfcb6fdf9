-- org_rollups: the per-organization totals behind org_summary. Who reads them, that nobody
-- writes them directly, and that the triggers keep them equal to a recount after every kind
-- of write (insert, upsert, update, delete; through the write functions and by hand).
begin;
select plan(23);
select tests.create_fixture();

-- The totals as a recount from the rows would give them (run as owner, so nothing is hidden).
create function pg_temp.recount(p_org text) returns jsonb language sql as $$
  select jsonb_build_object(
    'learners', (select count(*) from public.directory_users where org_id = p_org and 'learner' = any (roles)),
    'risk', (select count(*) from public.analytics_snapshots where org_id = p_org and kind = 'dropoff_risk'),
    'low', (select count(*) from public.analytics_snapshots where org_id = p_org and risk_level = 'low'),
    'medium', (select count(*) from public.analytics_snapshots where org_id = p_org and risk_level = 'medium'),
    'high', (select count(*) from public.analytics_snapshots where org_id = p_org and risk_level = 'high'),
    'critical', (select count(*) from public.analytics_snapshots where org_id = p_org and risk_level = 'critical'),
    'scoreSum', (select coalesce(sum(risk_score::numeric), 0) from public.analytics_snapshots where org_id = p_org and kind = 'dropoff_risk'),
    'points', (select coalesce(sum(points), 0) from public.learner_streaks where org_id = p_org),
    'badges', (select count(*) from public.badges_awarded where org_id = p_org))
$$;
create function pg_temp.rollup(p_org text) returns jsonb language sql as $$
  select jsonb_build_object('learners', learner_count, 'risk', risk_snapshots, 'low', risk_low, 'medium', risk_medium,
                            'high', risk_high, 'critical', risk_critical, 'scoreSum', risk_score_sum,
                            'points', total_points, 'badges', badges_awarded)
  from public.org_rollups where org_id = p_org
$$;

select is(pg_temp.rollup('acme'), pg_temp.recount('acme'), 'the fixture''s inserts are counted (acme)');
select is(pg_temp.rollup('globex'), pg_temp.recount('globex'), 'the fixture''s inserts are counted (globex)');

-- Reads: the organization's admins and the service role; nobody else.
select tests.as_anon();
select throws_ok('select count(*) from public.org_rollups', '42501', null, 'anon cannot read org_rollups');
select tests.as_user('l1', 'acme', '{learner}');
select is(tests.visible_rows('org_rollups'), 0::bigint, 'a learner reads no rollup (not even their organization''s)');
select tests.as_user('tr', 'acme', '{trainer}');
select is(tests.visible_rows('org_rollups'), 0::bigint, 'a trainer reads no rollup (their summary covers their learners only)');
select tests.as_user('ad', 'acme', '{org_admin}');
select is((select array_agg(org_id) from public.org_rollups), array['acme'], 'an org admin reads their organization''s rollup only');
select tests.as_user('gad', 'globex', '{org_admin}');
select is(tests.visible_rows('org_rollups', 'acme'), 0::bigint, 'the admin of another organization reads no acme rollup');
select tests.as_service();
select is(tests.visible_rows('org_rollups', 'acme'), 1::bigint, 'the service role reads every rollup');

-- Writes: nobody writes directly, the service role included (only the triggers do).
select tests.as_user('ad', 'acme', '{org_admin}');
select throws_ok($$update public.org_rollups set learner_count = 0$$, '42501', null, 'an org admin cannot update a rollup');
select throws_ok($$insert into public.org_rollups (org_id) values ('acme')$$, '42501', null, 'an org admin cannot insert a rollup');
select tests.as_service();
select throws_ok($$update public.org_rollups set learner_count = 0$$, '42501', null, 'the service role cannot update a rollup');
select throws_ok($$delete from public.org_rollups$$, '42501', null, 'the service role cannot delete a rollup');
select throws_ok($$select ms8_private.rebuild_org_rollups(null)$$, '42501', null, 'the service role cannot call the rebuild');

-- The write functions keep the totals exact: a new learner, a level change, an upsert that
-- loses to a fresher snapshot (no change), points and badges recorded.
select public.upsert_directory_users('[{"userId":"l3","orgId":"acme","displayName":"Cleo"},{"userId":"tr2","orgId":"acme","displayName":"Tia","roles":["trainer"]}]');
select public.write_snapshot('{"learnerId":"l2","orgId":"acme","kind":"dropoff_risk","computationVersion":"v2","payload":{"riskScore":0.65,"riskLevel":"high","factors":[]},"calculatedAt":"2026-01-05T11:00Z","expiresAt":"2026-01-05T15:00Z"}');
select public.write_snapshot('{"learnerId":"l2","orgId":"acme","kind":"dropoff_risk","computationVersion":"v2","payload":{"riskScore":0.1,"riskLevel":"low","factors":[]},"calculatedAt":"2026-01-05T10:30Z","expiresAt":"2026-01-05T15:00Z"}');
select public.write_snapshot('{"learnerId":"l3","orgId":"acme","kind":"dropoff_risk","computationVersion":"v2","payload":{"riskScore":0.3,"riskLevel":"medium","factors":[]},"calculatedAt":"2026-01-05T11:00Z","expiresAt":"2026-01-05T15:00Z"}');
select public.write_snapshot('{"learnerId":"l3","orgId":"acme","kind":"velocity","computationVersion":"v2","payload":{"riskScore":0.9},"calculatedAt":"2026-01-05T11:00Z","expiresAt":"2026-01-05T15:00Z"}');
select public.ingest_event('{"eventId":"20000000-0000-4000-8000-000000000001","learnerId":"l3","orgId":"acme","type":"lesson_completed","occurredAt":"2026-01-06T09:00Z"}',
                           '[{"rule":"lesson_completed","points":10},{"rule":"first_steps","points":5}]', 'test');
select public.record_learner_progress('l3', 1, '{"timeZone":"UTC","currentRunDays":1,"currentRunEnd":"2026-01-06","longestStreak":1,"activeDays":1,"badges":[{"badgeId":"first_steps","earnedAt":"2026-01-06T09:00Z"}]}');
select public.record_learner_progress('l1', 1, '{"timeZone":"Europe/Berlin","currentRunDays":1,"currentRunEnd":"2026-01-05","longestStreak":1,"activeDays":1,"badges":[]}');
select tests.as_owner();
select is(pg_temp.rollup('acme'), pg_temp.recount('acme'), 'after the write functions the totals equal a recount');
select is((pg_temp.rollup('acme') ->> 'learners')::int, 3, 'a trainer is not counted as a learner');
select is((pg_temp.rollup('acme') ->> 'high')::int, 1, 'a level change moves the learner between levels');

-- Changes by hand: a role change, a learner moved between organizations, deletions.
update public.directory_users set roles = '{learner,trainer}' where id = 'tr2';
update public.analytics_snapshots set org_id = 'globex' where learner_id = 'l3' and kind = 'dropoff_risk';
delete from public.badges_awarded where learner_id = 'l1';
delete from public.analytics_snapshots where learner_id = 'l1';
select is(pg_temp.rollup('acme'), pg_temp.recount('acme'), 'after updates and deletes by hand: acme equals a recount');
select is(pg_temp.rollup('globex'), pg_temp.recount('globex'), 'after updates and deletes by hand: globex equals a recount');

-- The summary reads the rollup for staff and the service role, and for a learner still counts only
-- what the learner can see (as before the rollup existed).
select tests.as_service();
select is(public.org_summary('acme', '2026-01-08T00:00Z') -> 'byRiskLevel', '{"low": 0, "medium": 0, "high": 1, "critical": 0}'::jsonb,
          'the service role''s summary counts every level');
select is((public.org_summary('acme', '2026-01-08T00:00Z') ->> 'learnerCount')::int, 4, 'the service role''s summary counts every learner');
select set_config('tests.service_summary', public.org_summary('acme', '2026-01-08T00:00Z')::text, true) is not null as kept;
select tests.as_user('ad', 'acme', '{org_admin}');
select is(public.org_summary('acme', '2026-01-08T00:00Z'), current_setting('tests.service_summary')::jsonb,
          'an org admin''s summary is the service role''s');
select tests.as_user('l1', 'acme', '{learner}');
select is((public.org_summary('acme', '2026-01-08T00:00Z') ->> 'learnerCount')::int, 1, 'a learner''s summary counts only themselves');
select tests.as_user('gad', 'globex', '{org_admin}');
select is((public.org_summary('acme', '2026-01-08T00:00Z') ->> 'learnerCount')::int, 0, 'another organization''s admin gets an empty summary');

select * from finish();
rollback;
