-- MS8's own tables: the Directory mirror, cached analytics, AI results and usage, and the
-- gamification data MS8 is the source of truth for (events, points ledger, streaks, badges).
--
-- Access model (row-level security on every table):
--   * anon: nothing.
--   * authenticated, claims {sub, org, roles}: a learner reads their own rows; a trainer or an
--     org admin reads every row of their organization; nobody reads another organization's rows.
--   * service_role (the BFF after it has authorized the caller): reads all and is the only writer,
--     through the functions of the next migration.
-- Policies read the caller from `auth.jwt()`: MS8's user ids are the Directory's text ids, not
-- Supabase Auth uuids, so `auth.uid()` (which casts `sub` to uuid) cannot be used. `(select ...)`
-- keeps the per-statement caching Supabase recommends for `auth.uid()`.

-- ---------------------------------------------------------------------------------------------
-- Organizations and the Directory mirror
-- ---------------------------------------------------------------------------------------------
create table public.organizations (
  id text primary key check (id ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$'),
  name text not null,
  created_at timestamptz not null default now()
);

create table public.directory_users (
  id text primary key check (id ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$'),
  org_id text not null references public.organizations (id),
  display_name text not null,
  roles text[] not null default '{learner}' check (roles <@ array['learner', 'trainer', 'org_admin']),
  time_zone text not null default 'UTC',
  synced_at timestamptz not null default now()
);
create index directory_users_org_name_idx on public.directory_users (org_id, display_name, id);

-- ---------------------------------------------------------------------------------------------
-- Cached analytics (velocity, dropoff_risk, forecast, gamification, ...): one current snapshot
-- per learner and kind; the stale fallback when upstreams fail.
-- ---------------------------------------------------------------------------------------------
create table public.analytics_snapshots (
  learner_id text not null references public.directory_users (id) on delete cascade,
  org_id text not null references public.organizations (id),
  kind text not null check (kind ~ '^[a-z][a-z0-9_]{0,39}$'),
  computation_version text not null,
  payload jsonb not null,
  calculated_at timestamptz not null,
  expires_at timestamptz not null check (expires_at >= calculated_at),
  -- The org at-risk list sorts and filters on these; generated so they can never disagree with payload.
  -- double precision, not numeric: its comparisons are leakproof, so under RLS the keyset bound is
  -- still an index condition (a non-leakproof one must wait for the policy's filter).
  risk_score double precision generated always as (
    case when kind = 'dropoff_risk' then (payload ->> 'riskScore')::double precision end
  ) stored,
  risk_level text generated always as (
    case when kind = 'dropoff_risk' then payload ->> 'riskLevel' end
  ) stored,
  primary key (learner_id, kind)
);
create index analytics_snapshots_org_learner_idx on public.analytics_snapshots (org_id, learner_id);
create index analytics_snapshots_org_risk_idx on public.analytics_snapshots (org_id, risk_score desc, learner_id)
  where kind = 'dropoff_risk';

-- ---------------------------------------------------------------------------------------------
-- AI results (recommendations, commentary) keyed by what they were computed from, and AI usage.
-- ---------------------------------------------------------------------------------------------
create table public.ai_results (
  learner_id text not null references public.directory_users (id) on delete cascade,
  org_id text not null references public.organizations (id),
  kind text not null check (kind ~ '^[a-z][a-z0-9_]{0,39}$'),
  input_hash text not null,
  model text not null,
  ai_source text not null default 'gemini' check (ai_source in ('gemini', 'fallback')),
  payload jsonb not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  primary key (learner_id, kind, input_hash)
);
create index ai_results_org_learner_idx on public.ai_results (org_id, learner_id);

create table public.ai_usage (
  id bigint generated always as identity primary key,
  org_id text not null references public.organizations (id),
  learner_id text references public.directory_users (id) on delete set null,
  kind text not null,
  model text not null,
  input_tokens integer not null default 0 check (input_tokens >= 0),
  output_tokens integer not null default 0 check (output_tokens >= 0),
  latency_ms integer check (latency_ms >= 0),
  estimated_cost_usd numeric(14, 6) not null default 0 check (estimated_cost_usd >= 0),
  outcome text not null check (outcome in ('ok', 'error', 'timeout', 'invalid_output', 'rate_limited', 'budget_exceeded')),
  created_at timestamptz not null default now()
);
create index ai_usage_org_created_idx on public.ai_usage (org_id, created_at);
create index ai_usage_learner_idx on public.ai_usage (learner_id);

-- ---------------------------------------------------------------------------------------------
-- Gamification: accepted activity events, the append-only points ledger, streaks, badges.
-- ---------------------------------------------------------------------------------------------
create table public.activity_events (
  event_id uuid primary key,
  learner_id text not null references public.directory_users (id),
  org_id text not null references public.organizations (id),
  type text not null check (
    type in ('lesson_completed', 'assessment_passed', 'assessment_failed', 'course_completed', 'devlab_session', 'login')
  ),
  occurred_at timestamptz not null,
  data jsonb not null default '{}' check (jsonb_typeof(data) = 'object'),
  source text not null default 'api' check (source in ('api', 'xapi')),
  received_at timestamptz not null default now()
);
create index activity_events_learner_occurred_idx on public.activity_events (learner_id, occurred_at);
create index activity_events_org_occurred_idx on public.activity_events (org_id, occurred_at);

-- One row per award: the pair (source event, rule) is unique, so replays never double-count, and
-- the point value is copied at award time so later rule changes never rewrite history.
create table public.points_ledger (
  id bigint generated always as identity primary key,
  learner_id text not null references public.directory_users (id),
  org_id text not null references public.organizations (id),
  source_event_id uuid not null references public.activity_events (event_id),
  rule text not null,
  points integer not null check (points >= 0),
  rules_version text not null,
  occurred_at timestamptz not null,
  awarded_at timestamptz not null default now(),
  unique (source_event_id, rule)
);
create index points_ledger_learner_idx on public.points_ledger (learner_id);
create index points_ledger_org_learner_idx on public.points_ledger (org_id, learner_id);

create table public.learner_streaks (
  learner_id text primary key references public.directory_users (id),
  org_id text not null references public.organizations (id),
  time_zone text not null,
  -- The latest run of consecutive active days (local calendar days) and the day it ended on;
  -- the read model turns it into the current streak relative to "today" in time_zone.
  current_run_days integer not null check (current_run_days >= 0),
  current_run_end date,
  longest_streak integer not null check (longest_streak >= 0),
  active_days integer not null check (active_days >= 0),
  -- The ledger's sum for this learner at history_version, so org lists and summaries need not
  -- sum the ledger (gamification_state still reads the ledger itself).
  points integer not null default 0 check (points >= 0),
  -- Number of the learner's events the figures were computed from: an older computation never
  -- overwrites a newer one (see record_learner_progress).
  history_version bigint not null check (history_version >= 0),
  updated_at timestamptz not null default now()
);
create index learner_streaks_org_learner_idx on public.learner_streaks (org_id, learner_id) include (points);

create table public.badges_awarded (
  learner_id text not null references public.directory_users (id),
  org_id text not null references public.organizations (id),
  badge_id text not null check (badge_id ~ '^[a-z][a-z0-9_]{0,39}$'),
  earned_at timestamptz not null,
  source_event_id uuid references public.activity_events (event_id),
  awarded_at timestamptz not null default now(),
  primary key (learner_id, badge_id)
);
create index badges_awarded_org_learner_idx on public.badges_awarded (org_id, learner_id);

-- The ledger is append-only for everyone, owner included: corrections are new rows.
create schema if not exists ms8_private;
revoke all on schema ms8_private from public;

create function ms8_private.refuse_ledger_change() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'points_ledger is append-only (% refused)', tg_op using errcode = '42501';
end
$$;
revoke all on function ms8_private.refuse_ledger_change() from public;

create trigger points_ledger_append_only
  before update or delete on public.points_ledger
  for each row execute function ms8_private.refuse_ledger_change();
create trigger points_ledger_no_truncate
  before truncate on public.points_ledger
  for each statement execute function ms8_private.refuse_ledger_change();

-- ---------------------------------------------------------------------------------------------
-- Grants: revoke the defaults (Supabase grants anon and authenticated everything in public),
-- then grant back reads to authenticated (rows filtered by the policies below) and what the
-- service role's write functions need.
-- ---------------------------------------------------------------------------------------------
do $$
declare
  t text;
begin
  foreach t in array array[
    'organizations', 'directory_users', 'analytics_snapshots', 'ai_results', 'ai_usage',
    'activity_events', 'points_ledger', 'learner_streaks', 'badges_awarded'
  ] loop
    execute format('revoke all on table public.%I from public, anon, authenticated, service_role', t);
    execute format('grant select on table public.%I to authenticated, service_role', t);
    execute format('alter table public.%I enable row level security', t);
  end loop;
end
$$;

grant insert, update on public.organizations, public.directory_users to service_role;
grant insert, update, delete on public.analytics_snapshots, public.ai_results to service_role;
grant insert on public.ai_usage, public.activity_events, public.points_ledger to service_role;
grant insert, update on public.learner_streaks, public.badges_awarded to service_role;

-- ---------------------------------------------------------------------------------------------
-- Policies: reads only; writes have no policy for authenticated, so they are denied twice over
-- (no grant, no policy). service_role bypasses RLS. The staff check is one boolean per statement
-- (an InitPlan): the planner then estimates "staff or own row" as half the organization instead
-- of almost nothing, and keeps the ordered index scans of the org lists under RLS.
-- ---------------------------------------------------------------------------------------------
create policy "members read their own organization" on public.organizations
  for select to authenticated
  using (id = (select auth.jwt() ->> 'org'));

create policy "learners read themselves, staff read their organization" on public.directory_users
  for select to authenticated
  using (
    org_id = (select auth.jwt() ->> 'org')
    and ((select coalesce((auth.jwt() -> 'roles') ?| array['trainer', 'org_admin'], false)) or id = (select auth.jwt() ->> 'sub'))
  );

do $$
declare
  t text;
begin
  foreach t in array array[
    'analytics_snapshots', 'ai_results', 'ai_usage', 'activity_events', 'points_ledger', 'learner_streaks', 'badges_awarded'
  ] loop
    execute format($p$
      create policy "learners read their own rows, staff read their organization's" on public.%I
        for select to authenticated
        using (
          org_id = (select auth.jwt() ->> 'org')
          and ((select coalesce((auth.jwt() -> 'roles') ?| array['trainer', 'org_admin'], false))
               or learner_id = (select auth.jwt() ->> 'sub'))
        )
    $p$, t);
  end loop;
end
$$;
