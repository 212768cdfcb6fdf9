-- Test helpers kept for the whole run (pg_prove runs files in name order; the later files use
-- these): switching the caller the way PostgREST does, and one fixture of two organizations.
-- On a Supabase stack (`supabase test db`) pgTAP is installed here; scripts/pgtap.mjs already did.
create extension if not exists pgtap with schema extensions;

begin;
select plan(1);

create schema if not exists tests;
grant usage on schema tests to anon, authenticated, service_role;

-- Act as PostgREST does for a request: a local role plus the JWT claims of the caller.
create or replace function tests.as_anon() returns void language sql as $$
  select set_config('role', 'anon', true), set_config('request.jwt.claims', '{"role":"anon"}', true);
$$;
create or replace function tests.as_user(p_sub text, p_org text, p_roles text[]) returns void language sql as $$
  select set_config('role', 'authenticated', true),
         set_config('request.jwt.claims',
                    jsonb_build_object('role', 'authenticated', 'sub', p_sub, 'org', p_org, 'roles', to_jsonb(p_roles))::text,
                    true);
$$;
create or replace function tests.as_service() returns void language sql as $$
  select set_config('role', 'service_role', true), set_config('request.jwt.claims', '{"role":"service_role"}', true);
$$;
create or replace function tests.as_owner() returns void language sql as $$
  select set_config('role', 'none', true), set_config('request.jwt.claims', '', true);
$$;

-- Rows of a table the current caller can see (runs with the caller's rights).
create or replace function tests.visible_rows(p_table text, p_org text default null) returns bigint
language plpgsql as $$
declare
  n bigint;
begin
  if p_org is null then
    execute format('select count(*) from public.%I', p_table) into n;
  elsif p_table = 'organizations' then
    execute format('select count(*) from public.%I where id = $1', p_table) into n using p_org;
  else
    execute format('select count(*) from public.%I where org_id = $1', p_table) into n using p_org;
  end if;
  return n;
end
$$;

-- Two organizations. acme: learners l1 and l2, trainer tr, admin ad. globex: learner gl, admin gad.
-- Every learner-owned table gets one row for l1, l2 and gl.
create or replace function tests.create_fixture() returns void language plpgsql as $$
begin
  insert into public.organizations (id, name) values ('acme', 'Acme'), ('globex', 'Globex');
  insert into public.directory_users (id, org_id, display_name, roles, time_zone) values
    ('l1', 'acme', 'Ada', '{learner}', 'Europe/Berlin'),
    ('l2', 'acme', 'Ben', '{learner}', 'America/New_York'),
    ('tr', 'acme', 'Tess', '{trainer}', 'UTC'),
    ('ad', 'acme', 'Alma', '{org_admin}', 'UTC'),
    ('gl', 'globex', 'Gus', '{learner}', 'Asia/Tokyo'),
    ('gad', 'globex', 'Gina', '{org_admin}', 'UTC');
  insert into public.activity_events (event_id, learner_id, org_id, type, occurred_at, data) values
    ('00000000-0000-4000-8000-000000000001', 'l1', 'acme', 'lesson_completed', '2026-01-05T10:00Z', '{}'),
    ('00000000-0000-4000-8000-000000000002', 'l2', 'acme', 'lesson_completed', '2026-01-05T10:00Z', '{}'),
    ('00000000-0000-4000-8000-000000000003', 'gl', 'globex', 'lesson_completed', '2026-01-05T10:00Z', '{}');
  insert into public.points_ledger (learner_id, org_id, source_event_id, rule, points, rules_version, occurred_at) values
    ('l1', 'acme', '00000000-0000-4000-8000-000000000001', 'lesson_completed', 10, 'test', '2026-01-05T10:00Z'),
    ('l2', 'acme', '00000000-0000-4000-8000-000000000002', 'lesson_completed', 10, 'test', '2026-01-05T10:00Z'),
    ('gl', 'globex', '00000000-0000-4000-8000-000000000003', 'lesson_completed', 10, 'test', '2026-01-05T10:00Z');
  insert into public.learner_streaks (learner_id, org_id, time_zone, current_run_days, current_run_end, longest_streak, active_days, history_version)
  values ('l1', 'acme', 'Europe/Berlin', 1, '2026-01-05', 1, 1, 1),
         ('l2', 'acme', 'America/New_York', 1, '2026-01-05', 1, 1, 1),
         ('gl', 'globex', 'Asia/Tokyo', 1, '2026-01-05', 1, 1, 1);
  insert into public.badges_awarded (learner_id, org_id, badge_id, earned_at) values
    ('l1', 'acme', 'first_steps', '2026-01-05T10:00Z'),
    ('l2', 'acme', 'first_steps', '2026-01-05T10:00Z'),
    ('gl', 'globex', 'first_steps', '2026-01-05T10:00Z');
  insert into public.analytics_snapshots (learner_id, org_id, kind, computation_version, payload, calculated_at, expires_at) values
    ('l1', 'acme', 'dropoff_risk', 'v1', '{"riskScore": 0.8, "riskLevel": "critical", "factors": [{"name": "inactivity"}]}', '2026-01-05T10:00Z', '2026-01-05T14:00Z'),
    ('l2', 'acme', 'dropoff_risk', 'v1', '{"riskScore": 0.2, "riskLevel": "low", "factors": []}', '2026-01-05T10:00Z', '2026-01-05T14:00Z'),
    ('gl', 'globex', 'dropoff_risk', 'v1', '{"riskScore": 0.5, "riskLevel": "high", "factors": []}', '2026-01-05T10:00Z', '2026-01-05T14:00Z');
  insert into public.ai_results (learner_id, org_id, kind, input_hash, model, ai_source, payload, expires_at) values
    ('l1', 'acme', 'recommendations', 'h1', 'gemini-test', 'gemini', '{}', '2026-01-06T10:00Z'),
    ('l2', 'acme', 'recommendations', 'h2', 'gemini-test', 'fallback', '{}', '2026-01-06T10:00Z'),
    ('gl', 'globex', 'recommendations', 'h3', 'gemini-test', 'gemini', '{}', '2026-01-06T10:00Z');
  insert into public.ai_usage (org_id, learner_id, kind, model, input_tokens, output_tokens, outcome) values
    ('acme', 'l1', 'recommendations', 'gemini-test', 100, 50, 'ok'),
    ('acme', 'l2', 'recommendations', 'gemini-test', 100, 50, 'ok'),
    ('globex', 'gl', 'recommendations', 'gemini-test', 100, 50, 'ok');
end
$$;

select has_function('tests', 'create_fixture', 'test helpers are installed');
select * from finish();
commit;
