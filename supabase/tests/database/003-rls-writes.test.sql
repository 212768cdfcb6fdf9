-- Writes: only the service role writes, and the points ledger is append-only for everyone.
begin;
select plan(139);
select tests.create_fixture();

create temp table write_case (tbl text, op text, stmt text) on commit drop;
grant select on write_case to public;
insert into write_case values
  ('organizations', 'insert', $$insert into public.organizations (id, name) values ('x', 'X')$$),
  ('organizations', 'update', $$update public.organizations set name = 'X' where id = 'acme'$$),
  ('organizations', 'delete', $$delete from public.organizations where id = 'acme'$$),
  ('directory_users', 'insert', $$insert into public.directory_users (id, org_id, display_name) values ('x', 'acme', 'X')$$),
  ('directory_users', 'update', $$update public.directory_users set display_name = 'X' where id = 'l1'$$),
  ('directory_users', 'delete', $$delete from public.directory_users where id = 'l1'$$),
  ('analytics_snapshots', 'insert', $$insert into public.analytics_snapshots (learner_id, org_id, kind, computation_version, payload, calculated_at, expires_at) values ('l1', 'acme', 'velocity', 'v1', '{}', now(), now())$$),
  ('analytics_snapshots', 'update', $$update public.analytics_snapshots set payload = '{}' where learner_id = 'l1'$$),
  ('analytics_snapshots', 'delete', $$delete from public.analytics_snapshots where learner_id = 'l1'$$),
  ('ai_results', 'insert', $$insert into public.ai_results (learner_id, org_id, kind, input_hash, model, ai_source, payload, expires_at) values ('l1', 'acme', 'recommendations', 'x', 'm', 'gemini', '{}', now())$$),
  ('ai_results', 'update', $$update public.ai_results set payload = '{}' where learner_id = 'l1'$$),
  ('ai_results', 'delete', $$delete from public.ai_results where learner_id = 'l1'$$),
  ('ai_usage', 'insert', $$insert into public.ai_usage (org_id, learner_id, kind, model, outcome) values ('acme', 'l1', 'k', 'm', 'ok')$$),
  ('ai_usage', 'update', $$update public.ai_usage set input_tokens = 0 where learner_id = 'l1'$$),
  ('ai_usage', 'delete', $$delete from public.ai_usage where learner_id = 'l1'$$),
  ('activity_events', 'insert', $$insert into public.activity_events (event_id, learner_id, org_id, type, occurred_at) values ('00000000-0000-4000-8000-0000000000ff', 'l1', 'acme', 'login', now())$$),
  ('activity_events', 'update', $$update public.activity_events set data = '{"x":1}' where learner_id = 'l1'$$),
  ('activity_events', 'delete', $$delete from public.activity_events where learner_id = 'l1'$$),
  ('points_ledger', 'insert', $$insert into public.points_ledger (learner_id, org_id, source_event_id, rule, points, rules_version, occurred_at) values ('l1', 'acme', '00000000-0000-4000-8000-000000000001', 'bonus', 5, 'test', now())$$),
  ('points_ledger', 'update', $$update public.points_ledger set points = 1000 where learner_id = 'l1'$$),
  ('points_ledger', 'delete', $$delete from public.points_ledger where learner_id = 'l1'$$),
  ('learner_streaks', 'insert', $$insert into public.learner_streaks (learner_id, org_id, time_zone, current_run_days, longest_streak, active_days, history_version) values ('tr', 'acme', 'UTC', 0, 0, 0, 0)$$),
  ('learner_streaks', 'update', $$update public.learner_streaks set longest_streak = 99 where learner_id = 'l1'$$),
  ('learner_streaks', 'delete', $$delete from public.learner_streaks where learner_id = 'l1'$$),
  ('badges_awarded', 'insert', $$insert into public.badges_awarded (learner_id, org_id, badge_id, earned_at) values ('l1', 'acme', 'streak_30', now())$$),
  ('badges_awarded', 'update', $$update public.badges_awarded set earned_at = now() where learner_id = 'l1'$$),
  ('badges_awarded', 'delete', $$delete from public.badges_awarded where learner_id = 'l1'$$);

-- anon, a learner (on their own rows), a trainer and another organization's admin: all refused.
select tests.as_anon();
select throws_ok(stmt, '42501', null, format('anon cannot %s %s', op, tbl)) from write_case order by tbl, op;
select tests.as_user('l1', 'acme', '{learner}');
select throws_ok(stmt, '42501', null, format('learner cannot %s %s', op, tbl)) from write_case order by tbl, op;
select tests.as_user('tr', 'acme', '{trainer}');
select throws_ok(stmt, '42501', null, format('trainer cannot %s %s', op, tbl)) from write_case order by tbl, op;
select tests.as_user('gad', 'globex', '{org_admin}');
select throws_ok(stmt, '42501', null, format('another organization''s admin cannot %s %s', op, tbl)) from write_case order by tbl, op;

-- The service role: inserts and updates everywhere, deletes only cached results; never rewrites
-- the ledger or the event history.
select tests.as_service();
select lives_ok(stmt, format('service role may %s %s', op, tbl))
from write_case
where op in ('insert', 'update') and tbl not in ('points_ledger', 'activity_events', 'ai_usage')
   or op = 'delete' and tbl in ('analytics_snapshots', 'ai_results')
   or op = 'insert'
order by tbl, op;
select throws_ok(stmt, '42501', null, format('service role cannot %s %s', op, tbl))
from write_case
where op in ('update', 'delete') and tbl in ('points_ledger', 'activity_events', 'ai_usage')
   or op = 'delete' and tbl in ('organizations', 'directory_users', 'learner_streaks', 'badges_awarded')
order by tbl, op;

-- Append-only holds even for the owner, who bypasses grants and RLS.
select tests.as_owner();
select throws_ok($$update public.points_ledger set points = 1000$$, '42501',
                 'points_ledger is append-only (UPDATE refused)', 'the table owner cannot rewrite the ledger');
select throws_ok($$delete from public.points_ledger$$, '42501',
                 'points_ledger is append-only (DELETE refused)', 'the table owner cannot delete from the ledger');

-- Write functions: service role only.
select tests.as_user('ad', 'acme', '{org_admin}');
select throws_ok(
  $$select public.ingest_event('{"eventId":"00000000-0000-4000-8000-0000000000aa","learnerId":"l1","orgId":"acme","type":"login","occurredAt":"2026-01-05T10:00Z"}', '[]', 'test')$$,
  '42501', null, 'an org admin cannot ingest events');
select throws_ok($$select public.write_snapshot('{}')$$, '42501', null, 'an org admin cannot write snapshots');

select * from finish();
rollback;
