-- Who reads what, per table and per role. Fixture: acme (learners l1, l2, trainer tr, admin ad)
-- and globex (learner gl, admin gad); every learner-owned table holds one row per learner.
begin;
select plan(63);
select tests.create_fixture();

-- anon: no rights at all.
select tests.as_anon();
select throws_ok(format('select count(*) from public.%I', t), '42501', null, format('anon cannot read %s', t))
from unnest(array['organizations', 'directory_users', 'analytics_snapshots', 'ai_results', 'ai_usage',
                  'activity_events', 'points_ledger', 'learner_streaks', 'badges_awarded']) as t;

-- A learner reads their own rows only.
select tests.as_user('l1', 'acme', '{learner}');
select is(tests.visible_rows(t), n, format('learner reads only their own %s', t))
from (values ('organizations', 1::bigint), ('directory_users', 1), ('analytics_snapshots', 1), ('ai_results', 1),
             ('ai_usage', 1), ('activity_events', 1), ('points_ledger', 1), ('learner_streaks', 1),
             ('badges_awarded', 1)) as v(t, n);
select is((select learner_id from public.points_ledger), 'l1', 'the ledger row a learner sees is their own');

-- A trainer reads their organization's rows.
select tests.as_user('tr', 'acme', '{trainer}');
select is(tests.visible_rows(t), n, format('trainer reads their organization''s %s', t))
from (values ('organizations', 1::bigint), ('directory_users', 4), ('analytics_snapshots', 2), ('ai_results', 2),
             ('ai_usage', 2), ('activity_events', 2), ('points_ledger', 2), ('learner_streaks', 2),
             ('badges_awarded', 2)) as v(t, n);

-- The org admin of another organization sees their own organization and none of acme.
select tests.as_user('gad', 'globex', '{org_admin}');
select is(tests.visible_rows(t, 'acme'), 0::bigint, format('admin of another organization reads no acme %s', t))
from unnest(array['organizations', 'directory_users', 'analytics_snapshots', 'ai_results', 'ai_usage',
                  'activity_events', 'points_ledger', 'learner_streaks', 'badges_awarded']) as t;
select is(tests.visible_rows(t), n, format('org admin reads their own organization''s %s', t))
from (values ('organizations', 1::bigint), ('directory_users', 2), ('analytics_snapshots', 1), ('ai_results', 1),
             ('ai_usage', 1), ('activity_events', 1), ('points_ledger', 1), ('learner_streaks', 1),
             ('badges_awarded', 1)) as v(t, n);

-- A learner whose token names another organization sees nothing of either.
select tests.as_user('l1', 'globex', '{learner}');
select is(tests.visible_rows('points_ledger'), 0::bigint, 'a learner claiming another organization reads no ledger rows');

-- No claims at all (a token without sub/org) sees nothing.
select set_config('request.jwt.claims', '{"role":"authenticated"}', true);
select is(tests.visible_rows('directory_users'), 0::bigint, 'authenticated without claims reads nothing');

-- The service role reads everything (organizations: the 2 of the fixture and the 3 of seed.sql).
select tests.as_service();
select is(tests.visible_rows(t), n, format('service role reads all of %s', t))
from (values ('organizations', 5::bigint), ('directory_users', 6), ('analytics_snapshots', 3), ('ai_results', 3),
             ('ai_usage', 3), ('activity_events', 3), ('points_ledger', 3), ('learner_streaks', 3),
             ('badges_awarded', 3)) as v(t, n);

-- The read functions obey the same rules (they are security invoker).
select tests.as_user('gad', 'globex', '{org_admin}');
select is(public.list_learners('acme', null, null, 50), '[]'::jsonb, 'another organization''s admin lists no acme learners');
select is(public.gamification_state('l1'), null, 'another organization''s admin gets no gamification state of an acme learner');
select tests.as_user('l2', 'acme', '{learner}');
select is(public.gamification_state('l1'), null, 'a learner gets no gamification state of a colleague');
select is((public.gamification_state('l2') ->> 'points')::int, 10, 'a learner gets their own gamification state');
select tests.as_user('tr', 'acme', '{trainer}');
select is(jsonb_array_length(public.list_learners('acme', null, null, 50)), 2, 'a trainer lists their organization''s learners');
select tests.as_anon();
select throws_ok($$select public.gamification_state('l1')$$, '42501', null, 'anon may not call read functions');

select * from finish();
rollback;
