-- The write functions: idempotent ingestion, awards keyed by (event, rule), stale progress refused,
-- earliest badge wins, fresher snapshots win, keyset pagination.
begin;
select plan(24);
select tests.create_fixture();
select tests.as_service();

select is(
  public.ingest_event('{"eventId":"10000000-0000-4000-8000-000000000001","learnerId":"l1","orgId":"acme","type":"assessment_passed","occurredAt":"2026-01-06T09:00Z","data":{"score":100}}',
                      '[{"rule":"assessment_passed","points":50},{"rule":"perfect_score","points":25}]', 'test') ->> 'status',
  'accepted', 'a new event is accepted');
select is(
  public.ingest_event('{"eventId":"10000000-0000-4000-8000-000000000001","learnerId":"l1","orgId":"acme","type":"assessment_passed","occurredAt":"2026-01-06T09:00Z","data":{"score":100}}',
                      '[{"rule":"assessment_passed","points":50},{"rule":"perfect_score","points":25}]', 'test') ->> 'status',
  'duplicate', 'the same event id again is a duplicate');
select is((select sum(points)::int from public.points_ledger where learner_id = 'l1'), 85, 'points counted once: 10 + 50 + 25');
select is((select count(*)::int from public.points_ledger where source_event_id = '10000000-0000-4000-8000-000000000001'), 2,
          'one ledger row per rule of the event');
select is((select points from public.points_ledger where rule = 'perfect_score'), 25, 'the point value is copied into the row');

select throws_ok(
  $$select public.ingest_event('{"eventId":"10000000-0000-4000-8000-000000000002","learnerId":"nobody","orgId":"acme","type":"login","occurredAt":"2026-01-06T09:00Z"}', '[]', 'test')$$,
  'MS801', null, 'an unknown learner is refused');
select throws_ok(
  $$select public.ingest_event('{"eventId":"10000000-0000-4000-8000-000000000002","learnerId":"l1","orgId":"globex","type":"login","occurredAt":"2026-01-06T09:00Z"}', '[]', 'test')$$,
  'MS802', null, 'a learner outside the stated organization is refused');
select throws_ok(
  $$select public.ingest_event('{"eventId":"10000000-0000-4000-8000-000000000003","learnerId":"l1","orgId":"acme","type":"login","occurredAt":"2026-01-06T09:00Z"}', '[{"rule":"bad","points":-5}]', 'test')$$,
  '23514', null, 'a negative award is refused');
select is((select count(*)::int from public.activity_events where event_id = '10000000-0000-4000-8000-000000000003'), 0,
          'a refused award leaves no event behind (all or nothing)');

-- Many at once: each event on its own, a refused one does not undo the others.
select is(
  (select jsonb_agg(r ->> 'status' order by r ->> 'eventId') from jsonb_array_elements(public.ingest_events(
    '[{"event":{"eventId":"10000000-0000-4000-8000-000000000005","learnerId":"l2","orgId":"acme","type":"login","occurredAt":"2026-01-06T09:00Z"},"awards":[]},
      {"event":{"eventId":"10000000-0000-4000-8000-000000000001","learnerId":"l1","orgId":"acme","type":"assessment_passed","occurredAt":"2026-01-06T09:00Z"},"awards":[]},
      {"event":{"eventId":"10000000-0000-4000-8000-000000000004","learnerId":"l1","orgId":"globex","type":"login","occurredAt":"2026-01-06T09:00Z"},"awards":[]}]',
    'test')) r),
  '["duplicate", "rejected", "accepted"]'::jsonb, 'a chunk answers accepted, duplicate and rejected per event');
select is((select count(*)::int from public.activity_events where event_id = '10000000-0000-4000-8000-000000000005'), 1,
          'the good event of a chunk with a refused one is stored');

-- History and progress.
select is((public.learner_history('l1') ->> 'version')::int, 2, 'history version counts the learner''s events');
select is(jsonb_array_length(public.learner_history('l1') -> 'events'), 2, 'history lists every event');
select is(
  public.record_learner_progress('l1', 1, '{"timeZone":"Europe/Berlin","currentRunDays":2,"currentRunEnd":"2026-01-06","longestStreak":2,"activeDays":2,"badges":[]}') ->> 'status',
  'stale', 'progress computed from an old history version is refused');
select is(
  public.record_learner_progress('l1', 2, '{"timeZone":"Europe/Berlin","currentRunDays":2,"currentRunEnd":"2026-01-06","longestStreak":2,"activeDays":2,"badges":[{"badgeId":"perfect_score","earnedAt":"2026-01-06T09:00Z","sourceEventId":"10000000-0000-4000-8000-000000000001"}]}') -> 'newBadges',
  '["perfect_score"]'::jsonb, 'current progress is recorded and names the new badge');
select is((select longest_streak from public.learner_streaks where learner_id = 'l1'), 2, 'the streak row is updated');
select is(
  public.record_learner_progress('l1', 2, '{"timeZone":"Europe/Berlin","currentRunDays":2,"currentRunEnd":"2026-01-06","longestStreak":2,"activeDays":2,"badges":[{"badgeId":"first_steps","earnedAt":"2026-01-01T09:00Z"},{"badgeId":"perfect_score","earnedAt":"2026-01-07T09:00Z"}]}') -> 'newBadges',
  '[]'::jsonb, 'badges already held are not new');
select is((select earned_at from public.badges_awarded where learner_id = 'l1' and badge_id = 'first_steps'), '2026-01-01T09:00Z'::timestamptz,
          'an earlier qualifying moment moves earned_at back (late events)');
select is((select earned_at from public.badges_awarded where learner_id = 'l1' and badge_id = 'perfect_score'), '2026-01-06T09:00Z'::timestamptz,
          'a later qualifying moment never moves earned_at forward');

-- Snapshots: a late, older computation never replaces a fresher one.
select is(public.write_snapshot('{"learnerId":"l2","orgId":"acme","kind":"dropoff_risk","computationVersion":"v2","payload":{"riskScore":0.9,"riskLevel":"critical","factors":[]},"calculatedAt":"2026-01-05T09:00Z","expiresAt":"2026-01-05T13:00Z"}') -> 'written',
          'false'::jsonb, 'an older snapshot is not written over a newer one');
select is(public.write_snapshot('{"learnerId":"l2","orgId":"acme","kind":"dropoff_risk","computationVersion":"v2","payload":{"riskScore":0.9,"riskLevel":"critical","factors":[]},"calculatedAt":"2026-01-05T11:00Z","expiresAt":"2026-01-05T15:00Z"}') -> 'written',
          'true'::jsonb, 'a newer snapshot replaces the old one');

-- Keyset pagination: l1 (Ada) then l2 (Ben); at-risk by score descending.
select is(public.list_learners('acme', 'Ada', 'l1', 50) -> 0 ->> 'learnerId', 'l2', 'the page after Ada starts at Ben');
select is((select jsonb_agg(x ->> 'learnerId') from jsonb_array_elements(public.list_at_risk('acme', '{high,critical}', null, null, 10)) x),
          '["l2", "l1"]'::jsonb, 'at-risk learners come most at risk first');
select is(public.list_at_risk('acme', '{high,critical}', 0.9, 'l2', 10) -> 0 ->> 'learnerId', 'l1', 'the at-risk page after (0.9, l2) starts at l1');

select * from finish();
rollback;
