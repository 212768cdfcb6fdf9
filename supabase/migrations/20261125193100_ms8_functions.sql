-- Every write that must be atomic, and every read the API makes, as one function each. Both
-- data-access adapters (SQL through postgres.js or PGlite, and supabase-js over PostgREST's /rpc)
-- call exactly these, so the rules live in one place. All are `security invoker`: reads run under
-- the caller's row-level security; writes need the service role's grants. Arguments and answers
-- are JSON with the API's camelCase names.

-- ---------------------------------------------------------------------------------------------
-- Directory mirror
-- ---------------------------------------------------------------------------------------------
create function public.upsert_directory_users(p_users jsonb) returns jsonb
language plpgsql security invoker
set search_path = ''
as $$
declare
  v_count integer;
begin
  insert into public.organizations (id, name)
  select distinct on (u."orgId") u."orgId", coalesce(u."orgName", u."orgId")
  from jsonb_to_recordset(p_users) as u("orgId" text, "orgName" text)
  order by u."orgId"
  on conflict (id) do nothing;

  -- Unchanged users are skipped before the upsert, so they take no row lock (every batch of events
  -- mirrors its learners); the rest go in id order so concurrent batches cannot deadlock.
  insert into public.directory_users as d (id, org_id, display_name, roles, time_zone, synced_at)
  select u.id, u.org_id, u.display_name, u.roles, u.time_zone, now()
  from (
    select distinct on (x."userId") x."userId" as id, x."orgId" as org_id,
           coalesce(x."displayName", x."userId") as display_name, coalesce(x.roles, '{learner}') as roles,
           coalesce(x."timeZone", 'UTC') as time_zone
    from jsonb_to_recordset(p_users) as x("userId" text, "orgId" text, "displayName" text, roles text[], "timeZone" text)
    order by x."userId"
  ) u
  where not exists (
    select from public.directory_users k
    where k.id = u.id and (k.org_id, k.display_name, k.roles, k.time_zone) = (u.org_id, u.display_name, u.roles, u.time_zone)
  )
  order by u.id
  on conflict (id) do update
    set org_id = excluded.org_id, display_name = excluded.display_name, roles = excluded.roles,
        time_zone = excluded.time_zone, synced_at = excluded.synced_at
    where (d.org_id, d.display_name, d.roles, d.time_zone)
      is distinct from (excluded.org_id, excluded.display_name, excluded.roles, excluded.time_zone);
  get diagnostics v_count = row_count;
  return jsonb_build_object('changed', v_count);
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Event ingestion: one event with its point awards, all or nothing, idempotent by event id.
-- ---------------------------------------------------------------------------------------------
create function public.ingest_event(p_event jsonb, p_awards jsonb, p_rules_version text) returns jsonb
language plpgsql security invoker
set search_path = ''
as $$
declare
  v_event_id uuid := (p_event ->> 'eventId')::uuid;
  v_learner_id text := p_event ->> 'learnerId';
  v_org_id text;
  v_occurred_at timestamptz := (p_event ->> 'occurredAt')::timestamptz;
  v_count integer;
  v_points integer;
begin
  select org_id into v_org_id from public.directory_users where id = v_learner_id;
  if not found then
    raise exception 'unknown learner %', v_learner_id using errcode = 'MS801';
  end if;
  if v_org_id is distinct from p_event ->> 'orgId' then
    raise exception 'learner % is not in organization %', v_learner_id, p_event ->> 'orgId' using errcode = 'MS802';
  end if;

  insert into public.activity_events (event_id, learner_id, org_id, type, occurred_at, data, source)
  values (v_event_id, v_learner_id, v_org_id, p_event ->> 'type', v_occurred_at,
          coalesce(p_event -> 'data', '{}'), coalesce(p_event ->> 'source', 'api'))
  on conflict (event_id) do nothing;
  get diagnostics v_count = row_count;
  if v_count = 0 then
    return jsonb_build_object('eventId', v_event_id, 'status', 'duplicate', 'points', 0);
  end if;

  insert into public.points_ledger (learner_id, org_id, source_event_id, rule, points, rules_version, occurred_at)
  select v_learner_id, v_org_id, v_event_id, a.rule, a.points, p_rules_version, v_occurred_at
  from jsonb_to_recordset(coalesce(p_awards, '[]')) as a(rule text, points integer)
  on conflict (source_event_id, rule) do nothing;

  select coalesce(sum(points), 0) into v_points from public.points_ledger where source_event_id = v_event_id;
  return jsonb_build_object('eventId', v_event_id, 'status', 'accepted', 'points', v_points);
end
$$;

-- Many events in one call, each still all or nothing (a subtransaction per event): one round trip
-- per chunk instead of per event. Events go in event-id order, so concurrent chunks that share ids
-- take their locks in the same order (no deadlock). An unknown learner or a wrong organization
-- rejects that event only.
create function public.ingest_events(p_items jsonb, p_rules_version text) returns jsonb
language plpgsql security invoker
set search_path = ''
as $$
declare
  v_item jsonb;
  v_result jsonb;
  v_results jsonb := '[]'::jsonb;
begin
  for v_item in
    select i.value from jsonb_array_elements(p_items) as i(value) order by (i.value -> 'event' ->> 'eventId')::uuid
  loop
    begin
      v_result := public.ingest_event(v_item -> 'event', v_item -> 'awards', p_rules_version);
    exception when sqlstate 'MS801' or sqlstate 'MS802' then
      v_result := jsonb_build_object('eventId', v_item -> 'event' ->> 'eventId', 'status', 'rejected',
                                     'code', sqlstate, 'message', sqlerrm);
    end;
    v_results := v_results || jsonb_build_array(v_result);
  end loop;
  return v_results;
end
$$;

-- A learner's whole activity history with a version (its event count), read in one snapshot.
create function public.learner_history(p_learner_id text) returns jsonb
language sql stable security invoker
set search_path = ''
as $$
  select jsonb_build_object(
    'learnerId', u.id,
    'orgId', u.org_id,
    'timeZone', u.time_zone,
    'version', (select count(*) from public.activity_events e where e.learner_id = u.id),
    'events', coalesce((
      select jsonb_agg(jsonb_build_object('eventId', e.event_id, 'type', e.type, 'occurredAt', e.occurred_at, 'data', e.data)
                       order by e.occurred_at, e.event_id)
      from public.activity_events e where e.learner_id = u.id
    ), '[]'::jsonb)
  )
  from public.directory_users u
  where u.id = p_learner_id
$$;

-- Streak and badges computed (by the pure rules in edge/src/gamification) from history version
-- p_history_version. Refused as stale when events arrived since, so the caller recomputes; the
-- per-learner lock orders concurrent writers, and an earlier earned_at always wins, so late and
-- out-of-order events converge on the same state as in-order ones.
create function public.record_learner_progress(p_learner_id text, p_history_version bigint, p_progress jsonb) returns jsonb
language plpgsql security invoker
set search_path = ''
as $$
declare
  v_org_id text;
  v_version bigint;
  v_new_badges jsonb;
begin
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('ms8.learner_progress:' || p_learner_id, 0));
  select org_id into v_org_id from public.directory_users where id = p_learner_id;
  if not found then
    raise exception 'unknown learner %', p_learner_id using errcode = 'MS801';
  end if;
  select count(*) into v_version from public.activity_events where learner_id = p_learner_id;
  if v_version <> p_history_version then
    return jsonb_build_object('status', 'stale', 'version', v_version);
  end if;

  insert into public.learner_streaks as s
    (learner_id, org_id, time_zone, current_run_days, current_run_end, longest_streak, active_days, points,
     history_version, updated_at)
  values (p_learner_id, v_org_id, p_progress ->> 'timeZone', (p_progress ->> 'currentRunDays')::integer,
          (p_progress ->> 'currentRunEnd')::date, (p_progress ->> 'longestStreak')::integer,
          (p_progress ->> 'activeDays')::integer,
          (select coalesce(sum(l.points), 0) from public.points_ledger l where l.learner_id = p_learner_id),
          p_history_version, now())
  on conflict (learner_id) do update
    set org_id = excluded.org_id, time_zone = excluded.time_zone, current_run_days = excluded.current_run_days,
        current_run_end = excluded.current_run_end, longest_streak = excluded.longest_streak,
        active_days = excluded.active_days, points = excluded.points, history_version = excluded.history_version,
        updated_at = excluded.updated_at
    where s.history_version <= excluded.history_version;

  with awarded as (
    insert into public.badges_awarded as b (learner_id, org_id, badge_id, earned_at, source_event_id)
    select p_learner_id, v_org_id, x."badgeId", x."earnedAt", x."sourceEventId"
    from jsonb_to_recordset(coalesce(p_progress -> 'badges', '[]')) as x("badgeId" text, "earnedAt" timestamptz, "sourceEventId" uuid)
    order by x."badgeId"
    on conflict (learner_id, badge_id) do update
      set earned_at = excluded.earned_at, source_event_id = excluded.source_event_id
      where excluded.earned_at < b.earned_at
    returning b.badge_id, (xmax = 0) as inserted
  )
  select coalesce(jsonb_agg(badge_id order by badge_id) filter (where inserted), '[]') into v_new_badges from awarded;

  return jsonb_build_object('status', 'recorded', 'version', v_version, 'newBadges', v_new_badges);
end
$$;

-- Everything the gamification read model needs for one learner (null when unknown or not visible).
create function public.gamification_state(p_learner_id text) returns jsonb
language sql stable security invoker
set search_path = ''
as $$
  select jsonb_build_object(
    'learnerId', u.id,
    'orgId', u.org_id,
    'timeZone', u.time_zone,
    'points', (select coalesce(sum(l.points), 0) from public.points_ledger l where l.learner_id = u.id),
    'streak', (
      select jsonb_build_object('currentRunDays', s.current_run_days, 'currentRunEnd', s.current_run_end,
                                'longestStreak', s.longest_streak, 'activeDays', s.active_days, 'timeZone', s.time_zone)
      from public.learner_streaks s where s.learner_id = u.id
    ),
    'badges', coalesce((
      select jsonb_agg(jsonb_build_object('badgeId', b.badge_id, 'earnedAt', b.earned_at) order by b.earned_at, b.badge_id)
      from public.badges_awarded b where b.learner_id = u.id
    ), '[]'::jsonb)
  )
  from public.directory_users u
  where u.id = p_learner_id
$$;

-- ---------------------------------------------------------------------------------------------
-- Analytics snapshots
-- ---------------------------------------------------------------------------------------------
create function public.write_snapshot(p_snapshot jsonb) returns jsonb
language plpgsql security invoker
set search_path = ''
as $$
declare
  v_learner_id text := p_snapshot ->> 'learnerId';
  v_org_id text := p_snapshot ->> 'orgId';
  v_known_org text;
  v_count integer;
begin
  -- A snapshot may be written before the learner was mirrored: keep the mirror's keys whole.
  insert into public.organizations (id, name) values (v_org_id, v_org_id) on conflict (id) do nothing;
  insert into public.directory_users (id, org_id, display_name) values (v_learner_id, v_org_id, v_learner_id)
  on conflict (id) do nothing;
  select org_id into v_known_org from public.directory_users where id = v_learner_id;
  if v_known_org is distinct from v_org_id then
    raise exception 'learner % is not in organization %', v_learner_id, v_org_id using errcode = 'MS802';
  end if;

  insert into public.analytics_snapshots as s (learner_id, org_id, kind, computation_version, payload, calculated_at, expires_at)
  values (v_learner_id, v_org_id, p_snapshot ->> 'kind', p_snapshot ->> 'computationVersion', p_snapshot -> 'payload',
          (p_snapshot ->> 'calculatedAt')::timestamptz, (p_snapshot ->> 'expiresAt')::timestamptz)
  on conflict (learner_id, kind) do update
    set org_id = excluded.org_id, computation_version = excluded.computation_version, payload = excluded.payload,
        calculated_at = excluded.calculated_at, expires_at = excluded.expires_at
    -- A slow computation finishing late never replaces a fresher one.
    where excluded.calculated_at >= s.calculated_at;
  get diagnostics v_count = row_count;
  return jsonb_build_object('written', v_count = 1);
end
$$;

create function public.read_snapshot(p_learner_id text, p_kind text) returns jsonb
language sql stable security invoker
set search_path = ''
as $$
  select jsonb_build_object('learnerId', s.learner_id, 'orgId', s.org_id, 'kind', s.kind,
                            'computationVersion', s.computation_version, 'payload', s.payload,
                            'calculatedAt', s.calculated_at, 'expiresAt', s.expires_at)
  from public.analytics_snapshots s
  where s.learner_id = p_learner_id and s.kind = p_kind
$$;

-- ---------------------------------------------------------------------------------------------
-- Organization views (keyset pagination: the caller passes the last row's sort key)
-- ---------------------------------------------------------------------------------------------
create function public.list_learners(p_org_id text, p_after_name text, p_after_id text, p_limit integer) returns jsonb
language sql stable security invoker
set search_path = ''
as $$
  select coalesce(jsonb_agg(r.row order by r.display_name, r.id), '[]'::jsonb)
  from (
    select u.display_name, u.id, jsonb_build_object(
      'learnerId', u.id,
      'displayName', u.display_name,
      'timeZone', u.time_zone,
      'points', coalesce(p.points, 0),
      'riskScore', s.risk_score,
      'riskLevel', s.risk_level,
      'riskCalculatedAt', s.calculated_at
    ) as row
    from public.directory_users u
    left join public.analytics_snapshots s on s.learner_id = u.id and s.kind = 'dropoff_risk'
    left join public.learner_streaks p on p.learner_id = u.id
    where u.org_id = p_org_id
      and 'learner' = any (u.roles)
      and (p_after_id is null or (u.display_name, u.id) > (p_after_name, p_after_id))
    order by u.display_name, u.id
    limit least(greatest(coalesce(p_limit, 50), 1), 500)
  ) r
$$;

create function public.list_at_risk(p_org_id text, p_levels text[], p_after_score double precision, p_after_id text, p_limit integer)
returns jsonb
language sql stable security invoker
set search_path = ''
as $$
  -- The page is cut from the ordered risk index first (materialized, so the planner cannot start
  -- from the directory instead); names are looked up for those rows only.
  with page as materialized (
    select s.learner_id, s.risk_score, s.risk_level, s.payload -> 'factors' -> 0 ->> 'name' as top_factor,
           s.calculated_at, s.expires_at
    from public.analytics_snapshots s
    where s.org_id = p_org_id
      and s.kind = 'dropoff_risk'
      and s.risk_level = any (p_levels)
      -- Keyset: an index range from the cursor's score down, then the ties after its learner id.
      -- The bound is a sub-select (a plain parameter to the planner), so under RLS it stays leakproof
      -- and remains an index condition.
      and s.risk_score <= (select coalesce(p_after_score, 'Infinity'::double precision))
      and (p_after_id is null or s.risk_score < p_after_score or s.learner_id > p_after_id)
    order by s.risk_score desc, s.learner_id
    limit least(greatest(coalesce(p_limit, 50), 1), 500)
  )
  select coalesce(jsonb_agg(jsonb_build_object(
      'learnerId', p.learner_id,
      'displayName', coalesce((select u.display_name from public.directory_users u where u.id = p.learner_id), p.learner_id),
      'riskScore', p.risk_score,
      'riskLevel', p.risk_level,
      'topFactor', p.top_factor,
      'calculatedAt', p.calculated_at,
      'expiresAt', p.expires_at
    ) order by p.risk_score desc, p.learner_id), '[]'::jsonb)
  from page p
$$;

create function public.org_summary(p_org_id text, p_now timestamptz) returns jsonb
language sql stable security invoker
set search_path = ''
as $$
  select jsonb_build_object(
    'orgId', p_org_id,
    'learnerCount', (select count(*) from public.directory_users u where u.org_id = p_org_id and 'learner' = any (u.roles)),
    'atRiskCount', risk.at_risk,
    'byRiskLevel', jsonb_build_object('low', risk.low, 'medium', risk.medium, 'high', risk.high, 'critical', risk.critical),
    'averageRiskScore', risk.average,
    -- The oldest snapshot the risk figures were built from.
    'calculatedAt', risk.oldest,
    'activeLearners7d', (
      select count(distinct e.learner_id) from public.activity_events e
      where e.org_id = p_org_id and e.occurred_at > p_now - interval '7 days' and e.occurred_at <= p_now
    ),
    'events7d', (
      select count(*) from public.activity_events e
      where e.org_id = p_org_id and e.occurred_at > p_now - interval '7 days' and e.occurred_at <= p_now
    ),
    'totalPoints', (select coalesce(sum(p.points), 0) from public.learner_streaks p where p.org_id = p_org_id),
    'badgesAwarded', (select count(*) from public.badges_awarded b where b.org_id = p_org_id)
  )
  from (
    select count(*) filter (where s.risk_level in ('high', 'critical')) as at_risk,
           count(*) filter (where s.risk_level = 'low') as low,
           count(*) filter (where s.risk_level = 'medium') as medium,
           count(*) filter (where s.risk_level = 'high') as high,
           count(*) filter (where s.risk_level = 'critical') as critical,
           round(avg(s.risk_score)::numeric, 4) as average,
           min(s.calculated_at) as oldest
    from public.analytics_snapshots s
    where s.org_id = p_org_id and s.kind = 'dropoff_risk'
  ) risk
$$;

-- ---------------------------------------------------------------------------------------------
-- AI results and usage (for the AI features)
-- ---------------------------------------------------------------------------------------------
create function public.write_ai_result(p_result jsonb) returns jsonb
language plpgsql security invoker
set search_path = ''
as $$
declare
  v_learner_id text := p_result ->> 'learnerId';
  v_org_id text := p_result ->> 'orgId';
begin
  insert into public.organizations (id, name) values (v_org_id, v_org_id) on conflict (id) do nothing;
  insert into public.directory_users (id, org_id, display_name) values (v_learner_id, v_org_id, v_learner_id)
  on conflict (id) do nothing;
  if (select org_id from public.directory_users where id = v_learner_id) is distinct from v_org_id then
    raise exception 'learner % is not in organization %', v_learner_id, v_org_id using errcode = 'MS802';
  end if;
  insert into public.ai_results as r (learner_id, org_id, kind, input_hash, model, ai_source, payload, created_at, expires_at)
  values (v_learner_id, v_org_id, p_result ->> 'kind', p_result ->> 'inputHash', p_result ->> 'model',
          p_result ->> 'aiSource', p_result -> 'payload', coalesce((p_result ->> 'createdAt')::timestamptz, now()),
          (p_result ->> 'expiresAt')::timestamptz)
  on conflict (learner_id, kind, input_hash) do update
    set org_id = excluded.org_id, model = excluded.model, ai_source = excluded.ai_source, payload = excluded.payload,
        created_at = excluded.created_at, expires_at = excluded.expires_at;
  return jsonb_build_object('written', true);
end
$$;

create function public.read_ai_result(p_learner_id text, p_kind text, p_input_hash text) returns jsonb
language sql stable security invoker
set search_path = ''
as $$
  select jsonb_build_object('learnerId', r.learner_id, 'orgId', r.org_id, 'kind', r.kind, 'inputHash', r.input_hash,
                            'model', r.model, 'aiSource', r.ai_source, 'payload', r.payload,
                            'createdAt', r.created_at, 'expiresAt', r.expires_at)
  from public.ai_results r
  where r.learner_id = p_learner_id and r.kind = p_kind and r.input_hash = p_input_hash
$$;

create function public.record_ai_usage(p_usage jsonb) returns jsonb
language plpgsql security invoker
set search_path = ''
as $$
declare
  v_org_id text := p_usage ->> 'orgId';
  v_id bigint;
begin
  insert into public.organizations (id, name) values (v_org_id, v_org_id) on conflict (id) do nothing;
  insert into public.ai_usage (org_id, learner_id, kind, model, input_tokens, output_tokens, latency_ms, estimated_cost_usd, outcome, created_at)
  values (v_org_id,
          (select u.id from public.directory_users u where u.id = p_usage ->> 'learnerId'),
          p_usage ->> 'kind', p_usage ->> 'model',
          coalesce((p_usage ->> 'inputTokens')::integer, 0), coalesce((p_usage ->> 'outputTokens')::integer, 0),
          (p_usage ->> 'latencyMs')::integer, coalesce((p_usage ->> 'estimatedCostUsd')::numeric, 0), p_usage ->> 'outcome',
          coalesce((p_usage ->> 'createdAt')::timestamptz, now()))
  returning id into v_id;
  return jsonb_build_object('id', v_id);
end
$$;

-- Daily totals (UTC days) from p_from to p_to inclusive, days with any use only.
create function public.ai_usage_by_day(p_org_id text, p_from date, p_to date) returns jsonb
language sql stable security invoker
set search_path = ''
as $$
  select coalesce(jsonb_agg(d.row order by d.day), '[]'::jsonb)
  from (
    select (a.created_at at time zone 'UTC')::date as day, jsonb_build_object(
      'day', (a.created_at at time zone 'UTC')::date,
      'calls', count(*),
      'failedCalls', count(*) filter (where a.outcome <> 'ok'),
      'tokensIn', coalesce(sum(a.input_tokens), 0),
      'tokensOut', coalesce(sum(a.output_tokens), 0),
      'estimatedCostUsd', coalesce(sum(a.estimated_cost_usd), 0)
    ) as row
    from public.ai_usage a
    where a.org_id = p_org_id
      and a.created_at >= p_from::timestamp at time zone 'UTC'
      and a.created_at < (p_to + 1)::timestamp at time zone 'UTC'
    group by 1
  ) d
$$;

-- For /health: proves a round trip through the same path as every other call.
create function public.store_health() returns jsonb
language sql stable security invoker
set search_path = ''
as $$
  select jsonb_build_object('ok', true, 'at', now())
$$;

-- ---------------------------------------------------------------------------------------------
-- Execute rights: reads for authenticated (then filtered by RLS) and the service role; writes
-- for the service role only. Nothing for anon.
-- ---------------------------------------------------------------------------------------------
revoke all on function
  public.upsert_directory_users(jsonb), public.ingest_event(jsonb, jsonb, text), public.ingest_events(jsonb, text),
  public.learner_history(text), public.record_learner_progress(text, bigint, jsonb), public.gamification_state(text),
  public.write_snapshot(jsonb),
  public.read_snapshot(text, text), public.list_learners(text, text, text, integer),
  public.list_at_risk(text, text[], double precision, text, integer), public.org_summary(text, timestamptz),
  public.write_ai_result(jsonb), public.read_ai_result(text, text, text), public.record_ai_usage(jsonb),
  public.ai_usage_by_day(text, date, date), public.store_health()
from public, anon, authenticated, service_role;

grant execute on function
  public.gamification_state(text), public.read_snapshot(text, text), public.list_learners(text, text, text, integer),
  public.list_at_risk(text, text[], double precision, text, integer), public.org_summary(text, timestamptz),
  public.read_ai_result(text, text, text), public.ai_usage_by_day(text, date, date)
to authenticated, service_role;

grant execute on function
  public.upsert_directory_users(jsonb), public.ingest_event(jsonb, jsonb, text), public.ingest_events(jsonb, text),
  public.learner_history(text),
  public.record_learner_progress(text, bigint, jsonb), public.write_snapshot(jsonb), public.write_ai_result(jsonb),
  public.record_ai_usage(jsonb), public.store_health()
to service_role;
