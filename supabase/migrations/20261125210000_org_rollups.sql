-- The organization summary at scale. Counting 100,000 learners' rows on every call (directory,
-- risk snapshots, streak points, badges) took ~140 ms; instead the per-organization totals are
-- kept in `org_rollups`, updated in the same transaction as the rows they count, by statement
-- triggers on those tables. Triggers (not code in each write function) because every writer
-- must keep them exact: the write functions, the migrations' own fixtures and any repair by hand.
-- Statement-level, so a batch takes the organization's row once, after all of its row locks
-- (a row-level trigger would take it between row locks and could deadlock two batches).
--
-- What a counter cannot hold stays a query, on indexes that answer it without the heap:
--   * the oldest risk snapshot (a minimum does not survive updates): the first entry of an index;
--   * learners and events of the last 7 days (a sliding window): an index-only range scan.
--
-- Reading: only the service role and the organization's staff see its rollup row. Anyone else
-- (a learner, who sees only their own rows) gets the summary computed from the rows they can
-- see, exactly as before; so does an organization without a rollup row.

create table public.org_rollups (
  org_id text primary key references public.organizations (id) on delete cascade,
  -- directory_users with the learner role
  learner_count bigint not null default 0,
  -- analytics_snapshots of kind dropoff_risk: all of them, per level, and those with a score
  risk_snapshots bigint not null default 0,
  risk_low bigint not null default 0,
  risk_medium bigint not null default 0,
  risk_high bigint not null default 0,
  risk_critical bigint not null default 0,
  risk_scored bigint not null default 0,
  -- numeric: adding and removing scores leaves no floating-point residue. (No "not negative"
  -- checks: an upsert checks its proposed row, here a delta, before it finds the conflict.)
  risk_score_sum numeric not null default 0,
  -- learner_streaks.points and badges_awarded rows
  total_points bigint not null default 0,
  badges_awarded bigint not null default 0,
  updated_at timestamptz not null default now()
);

revoke all on table public.org_rollups from public, anon, authenticated, service_role;
grant select on table public.org_rollups to authenticated, service_role;
alter table public.org_rollups enable row level security;

-- Staff only: a learner's summary is of their own rows, which a whole-organization total is not.
-- org_id is the primary key (the index the policy reads).
create policy "staff read their organization's rollup" on public.org_rollups
  for select to authenticated
  using (
    org_id = (select auth.jwt() ->> 'org')
    and (select coalesce((auth.jwt() -> 'roles') ?| array['trainer', 'org_admin'], false))
  );

-- The summary's remaining queries, answered from indexes alone: the oldest risk snapshot
-- (first entry), and the last 7 days of events with their learners (index-only range scan; it
-- replaces the (org_id, occurred_at) index, which it serves as well).
create index analytics_snapshots_org_calculated_idx on public.analytics_snapshots (org_id, calculated_at)
  where kind = 'dropoff_risk';
create index activity_events_org_occurred_learner_idx on public.activity_events (org_id, occurred_at) include (learner_id);
drop index public.activity_events_org_occurred_idx;

-- ---------------------------------------------------------------------------------------------
-- Keeping the totals: each trigger turns the statement's transition rows into signed
-- contributions (+1 for a new row, -1 for an old one; an update is both), summed per organization
-- and added in organization order (no deadlock between statements touching several
-- organizations). A statement that changes no total takes no lock.
-- ---------------------------------------------------------------------------------------------
create function ms8_private.add_to_org_rollups(p_rows jsonb) returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.org_rollups as r (org_id, learner_count, risk_snapshots, risk_low, risk_medium, risk_high, risk_critical,
                                       risk_scored, risk_score_sum, total_points, badges_awarded)
  select d.org_id, d.learner_count, d.risk_snapshots, d.risk_low, d.risk_medium, d.risk_high, d.risk_critical,
         d.risk_scored, d.risk_score_sum, d.total_points, d.badges_awarded
  from (
    select x.org_id,
           coalesce(sum(x.sign * x.learner_count), 0) as learner_count,
           coalesce(sum(x.sign * x.risk_snapshots), 0) as risk_snapshots,
           coalesce(sum(x.sign * x.risk_low), 0) as risk_low,
           coalesce(sum(x.sign * x.risk_medium), 0) as risk_medium,
           coalesce(sum(x.sign * x.risk_high), 0) as risk_high,
           coalesce(sum(x.sign * x.risk_critical), 0) as risk_critical,
           coalesce(sum(x.sign * x.risk_scored), 0) as risk_scored,
           coalesce(sum(x.sign * x.risk_score_sum), 0) as risk_score_sum,
           coalesce(sum(x.sign * x.total_points), 0) as total_points,
           coalesce(sum(x.sign * x.badges_awarded), 0) as badges_awarded
    from jsonb_to_recordset(p_rows) as x(org_id text, sign integer, learner_count bigint, risk_snapshots bigint,
                                         risk_low bigint, risk_medium bigint, risk_high bigint, risk_critical bigint,
                                         risk_scored bigint, risk_score_sum numeric, total_points bigint, badges_awarded bigint)
    group by x.org_id
  ) d
  where (d.learner_count, d.risk_snapshots, d.risk_low, d.risk_medium, d.risk_high, d.risk_critical, d.risk_scored,
         d.risk_score_sum, d.total_points, d.badges_awarded) <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
  order by d.org_id
  on conflict (org_id) do update
    set learner_count = r.learner_count + excluded.learner_count,
        risk_snapshots = r.risk_snapshots + excluded.risk_snapshots,
        risk_low = r.risk_low + excluded.risk_low,
        risk_medium = r.risk_medium + excluded.risk_medium,
        risk_high = r.risk_high + excluded.risk_high,
        risk_critical = r.risk_critical + excluded.risk_critical,
        risk_scored = r.risk_scored + excluded.risk_scored,
        risk_score_sum = r.risk_score_sum + excluded.risk_score_sum,
        total_points = r.total_points + excluded.total_points,
        badges_awarded = r.badges_awarded + excluded.badges_awarded,
        updated_at = now()
$$;

-- The transition tables exist only for the events that define them (no old_rows on INSERT, no
-- new_rows on DELETE), so each is read in its own branch (PL/pgSQL plans a branch when it runs).
create function ms8_private.roll_up_directory_users() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_rows jsonb := '[]';
begin
  if tg_op in ('INSERT', 'UPDATE') then
    v_rows := v_rows || coalesce((select jsonb_agg(jsonb_build_object('org_id', n.org_id, 'sign', 1, 'learner_count', 1))
                                  from new_rows n where 'learner' = any (n.roles)), '[]');
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    v_rows := v_rows || coalesce((select jsonb_agg(jsonb_build_object('org_id', o.org_id, 'sign', -1, 'learner_count', 1))
                                  from old_rows o where 'learner' = any (o.roles)), '[]');
  end if;
  if v_rows <> '[]' then
    perform ms8_private.add_to_org_rollups(v_rows);
  end if;
  return null;
end
$$;

create function ms8_private.risk_contribution(p_org_id text, p_sign integer, p_level text, p_score double precision)
returns jsonb
language sql immutable
set search_path = ''
as $$
  select jsonb_build_object('org_id', p_org_id, 'sign', p_sign, 'risk_snapshots', 1,
                            'risk_low', (p_level = 'low')::integer, 'risk_medium', (p_level = 'medium')::integer,
                            'risk_high', (p_level = 'high')::integer, 'risk_critical', (p_level = 'critical')::integer,
                            'risk_scored', (p_score is not null)::integer, 'risk_score_sum', coalesce(p_score::numeric, 0))
$$;

create function ms8_private.roll_up_risk_snapshots() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_rows jsonb := '[]';
begin
  if tg_op in ('INSERT', 'UPDATE') then
    v_rows := v_rows || coalesce((select jsonb_agg(ms8_private.risk_contribution(n.org_id, 1, n.risk_level, n.risk_score))
                                  from new_rows n where n.kind = 'dropoff_risk'), '[]');
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    v_rows := v_rows || coalesce((select jsonb_agg(ms8_private.risk_contribution(o.org_id, -1, o.risk_level, o.risk_score))
                                  from old_rows o where o.kind = 'dropoff_risk'), '[]');
  end if;
  if v_rows <> '[]' then
    perform ms8_private.add_to_org_rollups(v_rows);
  end if;
  return null;
end
$$;

create function ms8_private.roll_up_learner_points() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_rows jsonb := '[]';
begin
  if tg_op in ('INSERT', 'UPDATE') then
    v_rows := v_rows || coalesce((select jsonb_agg(jsonb_build_object('org_id', n.org_id, 'sign', 1, 'total_points', n.points))
                                  from new_rows n), '[]');
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    v_rows := v_rows || coalesce((select jsonb_agg(jsonb_build_object('org_id', o.org_id, 'sign', -1, 'total_points', o.points))
                                  from old_rows o), '[]');
  end if;
  if v_rows <> '[]' then
    perform ms8_private.add_to_org_rollups(v_rows);
  end if;
  return null;
end
$$;

create function ms8_private.roll_up_badges() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_rows jsonb := '[]';
begin
  if tg_op in ('INSERT', 'UPDATE') then
    v_rows := v_rows || coalesce((select jsonb_agg(jsonb_build_object('org_id', n.org_id, 'sign', 1, 'badges_awarded', 1))
                                  from new_rows n), '[]');
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    v_rows := v_rows || coalesce((select jsonb_agg(jsonb_build_object('org_id', o.org_id, 'sign', -1, 'badges_awarded', 1))
                                  from old_rows o), '[]');
  end if;
  if v_rows <> '[]' then
    perform ms8_private.add_to_org_rollups(v_rows);
  end if;
  return null;
end
$$;

-- One trigger per event: a trigger with transition tables fires on one event only.
do $$
declare
  t record;
begin
  for t in select * from (values ('directory_users', 'roll_up_directory_users'), ('analytics_snapshots', 'roll_up_risk_snapshots'),
                                 ('learner_streaks', 'roll_up_learner_points'), ('badges_awarded', 'roll_up_badges')) as x(tbl, fn)
  loop
    execute format('create trigger %I after insert on public.%I referencing new table as new_rows
                    for each statement execute function ms8_private.%I()', t.tbl || '_rollup_insert', t.tbl, t.fn);
    execute format('create trigger %I after update on public.%I referencing old table as old_rows new table as new_rows
                    for each statement execute function ms8_private.%I()', t.tbl || '_rollup_update', t.tbl, t.fn);
    execute format('create trigger %I after delete on public.%I referencing old table as old_rows
                    for each statement execute function ms8_private.%I()', t.tbl || '_rollup_delete', t.tbl, t.fn);
  end loop;
end
$$;

-- Recomputes one organization's totals (or all, given null) from the rows: the backfill below,
-- and after a bulk load that skipped triggers (session_replication_role = replica).
create function ms8_private.rebuild_org_rollups(p_org_id text) returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.org_rollups as r (org_id, learner_count, risk_snapshots, risk_low, risk_medium, risk_high, risk_critical,
                                       risk_scored, risk_score_sum, total_points, badges_awarded)
  select o.id,
         (select count(*) from public.directory_users u where u.org_id = o.id and 'learner' = any (u.roles)),
         s.total, s.low, s.medium, s.high, s.critical, s.scored, s.score_sum,
         (select coalesce(sum(p.points), 0) from public.learner_streaks p where p.org_id = o.id),
         (select count(*) from public.badges_awarded b where b.org_id = o.id)
  from public.organizations o
  cross join lateral (
    select count(*) as total,
           count(*) filter (where a.risk_level = 'low') as low,
           count(*) filter (where a.risk_level = 'medium') as medium,
           count(*) filter (where a.risk_level = 'high') as high,
           count(*) filter (where a.risk_level = 'critical') as critical,
           count(a.risk_score) as scored,
           coalesce(sum(a.risk_score::numeric), 0) as score_sum
    from public.analytics_snapshots a where a.org_id = o.id and a.kind = 'dropoff_risk'
  ) s
  where p_org_id is null or o.id = p_org_id
  order by o.id
  on conflict (org_id) do update
    set learner_count = excluded.learner_count, risk_snapshots = excluded.risk_snapshots, risk_low = excluded.risk_low,
        risk_medium = excluded.risk_medium, risk_high = excluded.risk_high, risk_critical = excluded.risk_critical,
        risk_scored = excluded.risk_scored, risk_score_sum = excluded.risk_score_sum,
        total_points = excluded.total_points, badges_awarded = excluded.badges_awarded, updated_at = now()
$$;

revoke all on function
  ms8_private.add_to_org_rollups(jsonb), ms8_private.roll_up_directory_users(), ms8_private.risk_contribution(text, integer, text, double precision),
  ms8_private.roll_up_risk_snapshots(), ms8_private.roll_up_learner_points(), ms8_private.roll_up_badges(),
  ms8_private.rebuild_org_rollups(text)
from public;

select ms8_private.rebuild_org_rollups(null);

-- ---------------------------------------------------------------------------------------------
-- The summary: totals from the rollup row when the caller may see it (service role, or staff of
-- the organization); otherwise, as before, from the rows the caller can see.
-- ---------------------------------------------------------------------------------------------
create or replace function public.org_summary(p_org_id text, p_now timestamptz) returns jsonb
language sql stable security invoker
set search_path = ''
as $$
  with rollup as (
    select r.learner_count, r.risk_snapshots, r.risk_low, r.risk_medium, r.risk_high, r.risk_critical,
           case when r.risk_scored > 0 then round(r.risk_score_sum / r.risk_scored, 4) end as average,
           r.total_points, r.badges_awarded
    from public.org_rollups r
    where r.org_id = p_org_id
  ),
  -- Without a visible rollup row only; the guard sits at each scan, so with one nothing is read.
  counted as (
    select (select count(*) from public.directory_users u
            where u.org_id = p_org_id and 'learner' = any (u.roles) and not exists (select from rollup)) as learner_count,
           k.risk_snapshots, k.risk_low, k.risk_medium, k.risk_high, k.risk_critical, k.average,
           (select coalesce(sum(p.points), 0) from public.learner_streaks p
            where p.org_id = p_org_id and not exists (select from rollup)) as total_points,
           (select count(*) from public.badges_awarded b
            where b.org_id = p_org_id and not exists (select from rollup)) as badges_awarded
    from (
      select count(*) as risk_snapshots,
             count(*) filter (where s.risk_level = 'low') as risk_low,
             count(*) filter (where s.risk_level = 'medium') as risk_medium,
             count(*) filter (where s.risk_level = 'high') as risk_high,
             count(*) filter (where s.risk_level = 'critical') as risk_critical,
             round(avg(s.risk_score)::numeric, 4) as average
      from public.analytics_snapshots s
      where s.org_id = p_org_id and s.kind = 'dropoff_risk' and not exists (select from rollup)
    ) k
  ),
  totals as (
    select * from rollup
    union all
    select * from counted where not exists (select from rollup)
  ),
  -- Grouped per learner (a hash table) rather than count(distinct), which sorts the ids by collation.
  recent as (
    select coalesce(sum(g.events), 0)::bigint as events, count(*) as learners
    from (
      select e.learner_id, count(*) as events
      from public.activity_events e
      where e.org_id = p_org_id and e.occurred_at > p_now - interval '7 days' and e.occurred_at <= p_now
      group by e.learner_id
    ) g
  )
  select jsonb_build_object(
    'orgId', p_org_id,
    'learnerCount', t.learner_count,
    'atRiskCount', t.risk_high + t.risk_critical,
    'byRiskLevel', jsonb_build_object('low', t.risk_low, 'medium', t.risk_medium, 'high', t.risk_high, 'critical', t.risk_critical),
    'averageRiskScore', t.average,
    -- The oldest snapshot the risk figures were built from (the first entry of its index).
    'calculatedAt', (
      select min(s.calculated_at) from public.analytics_snapshots s where s.org_id = p_org_id and s.kind = 'dropoff_risk'
    ),
    'activeLearners7d', recent.learners,
    'events7d', recent.events,
    'totalPoints', t.total_points,
    'badgesAwarded', t.badges_awarded
  )
  from totals t, recent
$$;
