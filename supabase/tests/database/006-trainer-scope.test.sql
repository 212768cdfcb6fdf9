-- Trainers read the learners they train: trainer_ids contains them, or is empty (no trainer
-- listed for the learner's courses). Org admins read the whole organization; another organization
-- reads nothing. The same rule for row-level security (authenticated) and for the service role's
-- trainer-scoped lists and summary (p_trainer_id), which the BFF uses.
-- Fixture (000 + below): acme learners l1 (trained by tr), l2 (trained by tr2), l3 (no trainer);
-- trainers tr and tr2, admin ad; globex admin gad.
begin;
select plan(44);
select tests.create_fixture();

-- ---------------------------------------------------------------------------------------------
-- Writing trainer_ids through upsert_directory_users (the service role's only way in).
-- ---------------------------------------------------------------------------------------------
select tests.as_service();
select is(
  public.upsert_directory_users('[
    {"userId":"l1","orgId":"acme","displayName":"Ada","roles":["learner"],"timeZone":"Europe/Berlin","trainerIds":["tr","tr"]},
    {"userId":"l2","orgId":"acme","displayName":"Ben","roles":["learner"],"timeZone":"America/New_York","trainerIds":["tr2"]},
    {"userId":"l3","orgId":"acme","displayName":"Cleo","roles":["learner"],"timeZone":"UTC","trainerIds":[]},
    {"userId":"tr2","orgId":"acme","displayName":"Tia","roles":["trainer"],"timeZone":"UTC"}
  ]') ->> 'changed', '4', 'two learners get trainers, a new learner and a new trainer are mirrored');
select is((select trainer_ids from public.directory_users where id = 'l1'), '{tr}'::text[], 'trainer ids are stored once each');
select is((select trainer_ids from public.directory_users where id = 'l3'), '{}'::text[], 'a learner whose courses list no trainer has none');
-- Mirrored by a writer that does not know the courses: unknown (null), which no trainer may read
-- (20261126001000_trainer_ids_unknown.sql), until the BFF records the learner's trainers.
select is(
  public.upsert_directory_users('[{"userId":"i1","orgId":"initech","displayName":"Ivo","roles":["learner"],"timeZone":"UTC"}]') ->> 'changed',
  '1', 'a learner of another organization is mirrored without trainer ids');
select is((select trainer_ids from public.directory_users where id = 'i1'), null::text[], '... and their trainers are unknown, not none');
select is(
  public.upsert_directory_users('[{"userId":"l1","orgId":"acme","displayName":"Ada","roles":["learner"],"timeZone":"Europe/Berlin","trainerIds":["tr"]}]') ->> 'changed',
  '0', 'the same trainers again change nothing');
select is(
  public.upsert_directory_users('[{"userId":"l2","orgId":"acme","displayName":"Ben","roles":["learner"],"timeZone":"America/New_York","trainerIds":["tr2","tr"]}]') ->> 'changed',
  '1', 'another trainer for l2 is a change');
select is((select trainer_ids from public.directory_users where id = 'l2'), '{tr,tr2}'::text[], 'trainer ids are kept sorted');
select is(
  public.upsert_directory_users('[{"userId":"l2","orgId":"acme","displayName":"Ben","roles":["learner"],"timeZone":"America/New_York","trainerIds":["tr2"]}]') ->> 'changed',
  '1', 'a trainer leaving l2''s courses is a change');
select is(
  public.upsert_directory_users('[{"userId":"l1","orgId":"acme","displayName":"Ada L.","roles":["learner"],"timeZone":"Europe/Berlin"}]') ->> 'changed',
  '1', 'a writer that does not know the courses may still rename the learner');
select is((select trainer_ids from public.directory_users where id = 'l1'), '{tr}'::text[], '... and the stored trainer ids are kept');
select throws_ok(
  $$select public.upsert_directory_users('[{"userId":"l3","orgId":"acme","trainerIds":["tr",null]}]')$$,
  '23514', null, 'a null trainer id is refused');
select public.write_snapshot('{"learnerId":"l3","orgId":"acme","kind":"dropoff_risk","computationVersion":"v1","payload":{"riskScore":0.4,"riskLevel":"medium","factors":[]},"calculatedAt":"2026-01-05T09:00Z","expiresAt":"2026-01-05T14:00Z"}');

-- Learner ids of a function's JSON array answer, in order.
create function pg_temp.ids(p_rows jsonb) returns text[] language sql as $$
  select coalesce(array_agg(x ->> 'learnerId' order by n), '{}') from jsonb_array_elements(p_rows) with ordinality as r(x, n)
$$;
grant execute on function pg_temp.ids(jsonb) to authenticated, service_role;
create function pg_temp.visible_learners() returns text[] language sql as $$
  select coalesce(array_agg(id order by id), '{}') from public.directory_users where 'learner' = any (roles)
$$;
grant execute on function pg_temp.visible_learners() to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- Row-level security.
-- ---------------------------------------------------------------------------------------------
select tests.as_user('tr', 'acme', '{trainer}');
select is(pg_temp.visible_learners(), '{l1,l3}'::text[], 'trainer tr reads the learner they train and the one nobody trains');
select is(tests.visible_rows(t), n, format('trainer tr reads %s of their learners only', t))
from (values ('analytics_snapshots', 2::bigint), ('ai_results', 1), ('ai_usage', 1), ('activity_events', 1),
             ('points_ledger', 1), ('learner_streaks', 1), ('badges_awarded', 1)) as v(t, n);
select is(public.read_snapshot('l2', 'dropoff_risk'), null, 'trainer tr cannot read the risk of l2, whom tr2 trains');
select is(public.gamification_state('l2'), null, 'trainer tr cannot read the gamification state of l2');
select is(pg_temp.ids(public.list_learners('acme', null, null, 50)), '{l1,l3}'::text[], 'trainer tr lists l1 and l3');
select is(pg_temp.ids(public.list_at_risk('acme', '{low,medium,high,critical}', null, null, 50)), '{l1,l3}'::text[],
          'trainer tr''s at-risk list holds l1 and l3, critical first');
select is(public.org_summary('acme', '2026-01-08T00:00Z') ->> 'learnerCount', '2', 'trainer tr''s summary counts their two learners');

select tests.as_user('tr2', 'acme', '{trainer}');
select is(pg_temp.visible_learners(), '{l2,l3}'::text[], 'trainer tr2 reads l2 and l3');
select is(pg_temp.ids(public.list_learners('acme', null, null, 50)), '{l2,l3}'::text[], 'trainer tr2 lists l2 and l3');

select tests.as_user('ad', 'acme', '{org_admin}');
select is(pg_temp.visible_learners(), '{l1,l2,l3}'::text[], 'the org admin reads every learner');
select is(tests.visible_rows('analytics_snapshots'), 3::bigint, 'the org admin reads every risk snapshot');
select is(public.org_summary('acme', '2026-01-08T00:00Z') ->> 'learnerCount', '3', 'the org admin''s summary counts everyone');
select tests.as_user('tr', 'acme', '{trainer,org_admin}');
select is(pg_temp.visible_learners(), '{l1,l2,l3}'::text[], 'a trainer who is also org admin reads every learner');

select tests.as_user('gad', 'globex', '{org_admin}');
select is(tests.visible_rows('directory_users', 'acme'), 0::bigint, 'another organization''s admin reads no acme user');
select tests.as_user('tr', 'globex', '{trainer}');
select is(pg_temp.ids(public.list_learners('acme', null, null, 50)), '{}'::text[],
          'a trainer id of acme under another organization''s claims lists nothing of acme');

-- ---------------------------------------------------------------------------------------------
-- The service role with p_trainer_id (the BFF's lists after it authorized a trainer).
-- ---------------------------------------------------------------------------------------------
select tests.as_service();
select is(pg_temp.ids(public.list_learners('acme', null, null, 50, 'tr')), '{l1,l3}'::text[], 'scoped to tr: l1 and l3');
select is(pg_temp.ids(public.list_learners('acme', 'Ada L.', 'l1', 50, 'tr')), '{l3}'::text[], 'the keyset page after l1 skips l2');
select is(pg_temp.ids(public.list_learners('acme', null, null, 50)), '{l1,l2,l3}'::text[], 'no trainer: the whole organization');
select is(pg_temp.ids(public.list_at_risk('acme', '{low,medium,high,critical}', null, null, 50, 'tr')), '{l1,l3}'::text[],
          'scoped at-risk list for tr');
select is(pg_temp.ids(public.list_at_risk('acme', '{low,medium,high,critical}', 0.8, 'l1', 1, 'tr')), '{l3}'::text[],
          'the at-risk page after l1 for tr is l3 (l2, in between, is skipped)');
select is(pg_temp.ids(public.list_at_risk('acme', '{low,medium,high,critical}', null, null, 50, 'tr2')), '{l3,l2}'::text[],
          'scoped at-risk list for tr2');
select is(pg_temp.ids(public.list_learners('acme', null, null, 50, 'trainer-of-nothing')), '{l3}'::text[],
          'a trainer who trains nobody sees only the learner nobody trains');
select set_config('tests.tr_summary', public.org_summary('acme', '2026-01-08T00:00Z', 'tr')::text, true) is not null as kept;
select is(current_setting('tests.tr_summary')::jsonb - 'orgId',
          '{"learnerCount": 2, "atRiskCount": 1, "byRiskLevel": {"low": 0, "medium": 1, "high": 0, "critical": 1},
            "averageRiskScore": 0.6, "calculatedAt": "2026-01-05T09:00:00+00:00", "activeLearners7d": 1, "events7d": 1,
            "totalPoints": 0, "badgesAwarded": 1}'::jsonb,
          'the summary scoped to tr counts l1 and l3 only');
select is((public.org_summary('acme', '2026-01-08T00:00Z') ->> 'learnerCount')::int, 3, 'unscoped, the summary counts everyone');
select tests.as_user('tr', 'acme', '{trainer}');
select is(public.org_summary('acme', '2026-01-08T00:00Z'), current_setting('tests.tr_summary')::jsonb,
          'trainer tr under RLS gets the same summary as the service role scoped to tr');

-- The organization reads never JIT-compile (their generic plans under RLS would, for ~1 s).
select tests.as_owner();
select is(
  (select count(*) from pg_proc
   where proname in ('list_learners', 'list_at_risk', 'org_summary') and pronamespace = 'public'::regnamespace
     and 'jit=off' = any (proconfig)),
  3::bigint, 'list_learners, list_at_risk and org_summary run with jit off');

select * from finish();
rollback;
