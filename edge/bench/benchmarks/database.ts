/**
 * 5. Database at scale: one organization of 100,000 learners with a year of activity in the real
 * PostgreSQL server, generated in SQL; the at-risk list (50 rows, keyset) and the org summary,
 * called through the migrations' own functions as the API calls them, at p50/p95, with plans.
 */
import postgres from "postgres";
import { startDatabase } from "../lib/postgres.ts";
import { table } from "../lib/report.ts";
import { getAnswer } from "../lib/scenario.ts";
import { BENCH_SECRETS, startBff, startSimulator } from "../lib/stack.ts";
import { fmt, summarize } from "../lib/stats.ts";
import { userToken } from "../lib/tokens.ts";
import type { BenchContext, Benchmark, Goal } from "../lib/types.ts";

export const ORG = "org-scale";
export const LEARNERS = 100_000;
/** Events per learner per year on average: a few lessons a week, logins, assessments, labs. */
export const EVENTS_PER_LEARNER = 30;

const EVENT_TYPES = [
  "lesson_completed",
  "lesson_completed",
  "lesson_completed",
  "login",
  "login",
  "assessment_passed",
  "assessment_failed",
  "devlab_session",
  "course_completed",
];

/** The data, as set-based SQL (generate_series), so loading takes seconds, not minutes. */
function generationSteps(learners: number, eventsPerLearner: number): [string, string][] {
  const types = `array[${EVENT_TYPES.map((t) => `'${t}'`).join(", ")}]`;
  return [
    ["organization", `insert into public.organizations (id, name) values ('${ORG}', 'Scale Test Organization')`],
    [
      "directory_users",
      `insert into public.directory_users (id, org_id, display_name, roles, time_zone)
       select format('lrn-%s', lpad(i::text, 6, '0')), '${ORG}', format('Learner %s', lpad(i::text, 6, '0')),
              '{learner}', (array['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'UTC'])[1 + i % 4]
       from generate_series(1, ${learners}) as i`,
    ],
    [
      "analytics_snapshots (dropoff_risk)",
      `insert into public.analytics_snapshots (learner_id, org_id, kind, computation_version, payload, calculated_at, expires_at)
       select r.id, '${ORG}', 'dropoff_risk', 'risk-bench',
              jsonb_build_object(
                'learnerId', r.id, 'riskScore', r.score,
                -- Levels are relative to the course week (docs/risk-model.md), so they do not follow
                -- the score alone: a spread of 0.6-1.4 per learner stands in for the week.
                'riskLevel', case when r.score * r.spread >= 0.75 then 'critical' when r.score * r.spread >= 0.5 then 'high'
                                  when r.score * r.spread >= 0.25 then 'medium' else 'low' end,
                'factors', jsonb_build_array(
                  jsonb_build_object('name', (array['inactivity', 'missed_deadlines', 'falling_scores', 'pace_gap'])[1 + (r.n % 4)],
                                     'weight', 0.6, 'reason', 'generated for the scale benchmark'),
                  jsonb_build_object('name', 'pace_gap', 'weight', 0.4, 'reason', 'generated for the scale benchmark')),
                'recommendedActions', jsonb_build_object('learner', jsonb_build_array('Plan two short sessions this week'),
                                                         'trainer', jsonb_build_array('Check in with the learner'))),
              now() - interval '1 hour', now() + interval '3 hours'
       from (select id, row_number() over () as n, round(power(random(), 2)::numeric, 4) as score,
                    0.6 + (row_number() over () % 5) * 0.2 as spread
             from public.directory_users where org_id = '${ORG}') as r`,
    ],
    [
      "analytics_snapshots (velocity)",
      `insert into public.analytics_snapshots (learner_id, org_id, kind, computation_version, payload, calculated_at, expires_at)
       select id, '${ORG}', 'velocity', 'velocity-bench',
              jsonb_build_object('learnerId', id, 'currentPace', round((random() * 8)::numeric, 2), 'targetPace', 4,
                                 'weekly', (select jsonb_agg(jsonb_build_object('week', w, 'units', (random() * 8)::int)) from generate_series(1, 12) w)),
              now() - interval '1 hour', now() + interval '3 hours'
       from public.directory_users where org_id = '${ORG}'`,
    ],
    [
      "activity_events (a year)",
      `insert into public.activity_events (event_id, learner_id, org_id, type, occurred_at, data, source, received_at)
       select ('00000000-0000-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid,
              format('lrn-%s', lpad((1 + floor(random() * ${learners}))::text, 6, '0')), '${ORG}',
              (${types})[1 + floor(random() * ${EVENT_TYPES.length})::int],
              now() - interval '365 days' + (g::double precision / ${learners * eventsPerLearner}) * interval '365 days' - random() * interval '1 hour',
              '{}', 'api', now()
       from generate_series(1, ${learners * eventsPerLearner}) as g`,
    ],
    [
      "points_ledger",
      `insert into public.points_ledger (learner_id, org_id, source_event_id, rule, points, rules_version, occurred_at)
       select learner_id, org_id, event_id, type,
              case type when 'lesson_completed' then 10 when 'assessment_passed' then 25 when 'course_completed' then 100
                        when 'devlab_session' then 15 else 0 end,
              'bench', occurred_at
       from public.activity_events where org_id = '${ORG}' and type not in ('login', 'assessment_failed')`,
    ],
    [
      "learner_streaks",
      `insert into public.learner_streaks (learner_id, org_id, time_zone, current_run_days, current_run_end, longest_streak, active_days, history_version)
       select id, org_id, time_zone, (random() * 10)::int, current_date - (random() * 20)::int, 10 + (random() * 30)::int,
              (random() * 200)::int, ${eventsPerLearner}
       from public.directory_users where org_id = '${ORG}'`,
    ],
    [
      "badges_awarded",
      `insert into public.badges_awarded (learner_id, org_id, badge_id, earned_at)
       select u.id, u.org_id, b.badge, now() - random() * interval '300 days'
       from public.directory_users u
       cross join (values ('first_course'), ('streak_7'), ('perfect_score')) as b(badge)
       where u.org_id = '${ORG}' and random() < 0.5`,
    ],
    // The load skips triggers (replica role), so the organization's summary totals (kept by
    // triggers once the org-rollups migration is in) are rebuilt once, as that migration does.
    [
      "org rollups",
      `do $$ begin
         if to_regprocedure('ms8_private.rebuild_org_rollups(text)') is not null then
           perform ms8_private.rebuild_org_rollups('${ORG}');
         end if;
       end $$`,
    ],
    ["vacuum analyze", "vacuum analyze"],
  ];
}

/** The plan nodes that took longest (actual total time), from EXPLAIN ANALYZE text. */
export function slowestNodes(plan: string, k = 2): string[] {
  const nodes: { text: string; ms: number }[] = [];
  for (const line of plan.split("\n")) {
    const m = /^\s*(?:->\s+)?(.+?)\s+\(cost=[^)]*\)\s+\(actual time=[\d.]+\.\.([\d.]+) rows=(\d+) loops=(\d+)\)/.exec(
      line,
    );
    if (!m) continue;
    const text = m[1]!.trim();
    if (/^(Result|Aggregate|Limit)\b/.test(text)) continue;
    nodes.push({
      text: `${text} (${Number(m[2]) * Number(m[4])} ms, ${m[3]} rows × ${m[4]})`,
      ms: Number(m[2]) * Number(m[4]),
    });
  }
  return nodes
    .sort((a, b) => b.ms - a.ms)
    .slice(0, k)
    .map((n) => n.text.replace(/\s+/g, " "));
}

interface Query {
  name: string;
  call: (sql: postgres.Sql) => Promise<unknown>;
}

/**
 * Time each query `n` times on one connection, interleaved; a query that is slow stops earlier
 * (after `capMs` of its own time, with at least 20 samples) so the run stays bounded.
 */
async function timeQueries(sql: postgres.Sql, queries: Query[], n: number, capMs: number) {
  const out: Record<string, number[]> = {};
  const spent: Record<string, number> = {};
  for (const q of queries) {
    out[q.name] = [];
    spent[q.name] = 0;
  }
  for (const q of queries) await q.call(sql); // warm the cache and the plan
  for (let i = 0; i < n; i++) {
    for (const q of queries) {
      if (out[q.name]!.length >= 20 && spent[q.name]! > capMs) continue;
      const t0 = performance.now();
      await q.call(sql);
      const ms = performance.now() - t0;
      out[q.name]!.push(ms);
      spent[q.name]! += ms;
    }
  }
  return out;
}

/** The inner plans of a function call, via auto_explain (nested statements) sent back as notices. */
async function plansOf(url: string, setup: string[], call: (sql: postgres.Sql) => Promise<unknown>) {
  const notices: string[] = [];
  const sql = postgres(url, { max: 1, prepare: false, onnotice: (n) => notices.push(n.message ?? String(n)) });
  try {
    await sql.unsafe("load 'auto_explain'");
    await sql.unsafe(
      "set auto_explain.log_min_duration = 0; set auto_explain.log_analyze = on; set auto_explain.log_buffers = on; set auto_explain.log_nested_statements = on; set auto_explain.log_timing = on; set auto_explain.log_level = notice; set client_min_messages = notice",
    );
    for (const s of setup) await sql.unsafe(s);
    notices.length = 0;
    await call(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
  // Nested statements first (the function body), the outer `select fn(...)` last.
  return notices.filter((n) => n.includes("Query Text")).join("\n\n");
}

export const database: Benchmark = {
  name: "database",
  title: "5. Database at scale: 100,000 learners, a year of events",
  budgetSec: 150,
  async run(ctx: BenchContext) {
    const learners = ctx.quick ? 10_000 : LEARNERS;
    // The BFF migrates the empty database at start (as in production); the data comes after.
    const db = await startDatabase(ctx, { applySchema: false });
    const simulator = await startSimulator(ctx);
    const bff = await startBff(ctx, { upstreamEnv: simulator.env, databaseUrl: db.url });
    try {
      const steps: { step: string; seconds: number; rows: number }[] = [];
      await db.sql.unsafe("set session_replication_role = replica"); // bulk load: skip FK triggers, data is consistent by construction
      const loader = postgres(db.url, { max: 1, prepare: false, onnotice: () => {} });
      await loader.unsafe("set session_replication_role = replica; set maintenance_work_mem = '512MB'");
      // Bulk-load practice: the big tables' secondary indexes are dropped and rebuilt after the
      // load (a sorted build instead of millions of random inserts); the schema ends identical.
      const deferred = await loader<{ indexdef: string; indexname: string }[]>`
        select i.indexname, i.indexdef from pg_indexes i
        where i.schemaname = 'public' and i.tablename in ('activity_events', 'points_ledger')
          and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`;
      for (const index of deferred) await loader.unsafe(`drop index public.${index.indexname}`);
      const steps_ = generationSteps(learners, EVENTS_PER_LEARNER);
      const vacuum = steps_.pop()!;
      steps_.push(["rebuild secondary indexes", deferred.map((i) => `${i.indexdef};`).join("\n")], vacuum);
      for (const [step, statement] of steps_) {
        const t0 = performance.now();
        const result = await loader.unsafe(statement);
        const seconds = (performance.now() - t0) / 1000;
        steps.push({ step, seconds, rows: result.count ?? 0 });
        ctx.say(`  ${step}: ${result.count ?? 0} rows in ${seconds.toFixed(1)} s`);
      }
      await loader.end({ timeout: 5 });
      const [sizes] = await db.sql<{ events: string; ledger: string; db: string }[]>`
        select (select count(*) from public.activity_events)::text as events,
               (select count(*) from public.points_ledger)::text as ledger,
               pg_size_pretty(pg_database_size(current_database())) as db`;

      // A cursor deep in the list: the row at position ~40 % of all learners, in the list's order
      // (level, then chance of leaving, then id).
      const [deep] = await db.sql<{ risk_rank: number; risk_score: string; learner_id: string }[]>`
        select risk_rank, risk_score::text, learner_id from public.analytics_snapshots
        where org_id = ${ORG} and kind = 'dropoff_risk'
        order by risk_rank desc, risk_score desc, learner_id offset ${Math.floor(learners * 0.4)} limit 1`;
      const allLevels = ["low", "medium", "high", "critical"];
      const queries: Query[] = [
        {
          name: "at-risk, first page (50, all levels)",
          call: (sql) => sql`select public.list_at_risk(${ORG}, ${allLevels}::text[], null, null, 50) as page`,
        },
        {
          name: "at-risk, first page (50, high+critical)",
          call: (sql) =>
            sql`select public.list_at_risk(${ORG}, ${["high", "critical"]}::text[], null, null, 50) as page`,
        },
        {
          name: "at-risk, deep page (keyset cursor at 40 %)",
          call: (sql) =>
            sql`select public.list_at_risk(${ORG}, ${allLevels}::text[], ${deep!.risk_score}::numeric, ${deep!.learner_id}, 50, null, ${deep!.risk_rank}::smallint) as page`,
        },
        { name: "org summary", call: (sql) => sql`select public.org_summary(${ORG}, now()) as summary` },
      ];
      const n = ctx.quick ? 20 : 100;
      const claims = JSON.stringify({ sub: "usr-scale-admin", org: ORG, roles: ["org_admin"] });
      const asService = postgres(db.url, { max: 1, prepare: false, onnotice: () => {} });
      await asService.unsafe("set role service_role");
      const serviceTimes = await timeQueries(asService, queries, n, 8000);
      await asService.end({ timeout: 5 });
      // The same calls under row-level security, as supabase-js / PostgREST would make them.
      const asUser = postgres(db.url, { max: 1, prepare: false, onnotice: () => {} });
      await asUser.unsafe(`set role authenticated; select set_config('request.jwt.claims', '${claims}', false)`);
      const rlsTimes = await timeQueries(asUser, queries, n, 8000);
      await asUser.end({ timeout: 5 });

      // Check the first page really is 50 rows and the keyset continues where it left off.
      type AtRiskItem = { learnerId: string; riskScore: number; riskLevel: string };
      const rank = (r: AtRiskItem) => allLevels.indexOf(r.riskLevel);
      const [first] = await db.sql<{ page: AtRiskItem[] }[]>`
        select public.list_at_risk(${ORG}, ${allLevels}::text[], null, null, 50) as page`;
      const last = first!.page.at(-1)!;
      const [second] = await db.sql<{ page: AtRiskItem[] }[]>`
        select public.list_at_risk(${ORG}, ${allLevels}::text[], ${last.riskScore}::numeric, ${last.learnerId}, 50, null, ${rank(last)}::smallint) as page`;
      // Page 2 starts at or after page 1's last row in (level, score) order.
      const next = second!.page[0]!;
      const keysetOk =
        first!.page.length === 50 &&
        second!.page.length === 50 &&
        !second!.page.some((r) => first!.page.some((f) => f.learnerId === r.learnerId)) &&
        (rank(next) < rank(last) || (rank(next) === rank(last) && next.riskScore <= last.riskScore));

      const asServiceSetup = ["set role service_role"];
      // The same pages through the API: GET /api/v1/orgs/{orgId}/at-risk and /summary with an org
      // admin's token (first page, then the page its nextCursor points to).
      const adminAuth = {
        authorization: `Bearer ${userToken({ sub: "usr-scale-admin", org: ORG, roles: ["org_admin"] }, BENCH_SECRETS.JWT_SECRET, 3600)}`,
      };
      const firstPage = await getAnswer(`${bff.url}/api/v1/orgs/${ORG}/at-risk?minLevel=low&limit=50`, adminAuth);
      const nextCursor =
        firstPage.status === 200 ? (JSON.parse(firstPage.body) as { nextCursor?: string | null }).nextCursor : null;
      const httpCalls: { name: string; url: string }[] = [
        {
          name: "GET /orgs/{orgId}/at-risk?minLevel=low&limit=50 (first page)",
          url: `${bff.url}/api/v1/orgs/${ORG}/at-risk?minLevel=low&limit=50`,
        },
        ...(nextCursor
          ? [
              {
                name: "GET /orgs/{orgId}/at-risk (page 2 by nextCursor)",
                url: `${bff.url}/api/v1/orgs/${ORG}/at-risk?minLevel=low&limit=50&cursor=${encodeURIComponent(nextCursor)}`,
              },
            ]
          : []),
        { name: "GET /orgs/{orgId}/summary", url: `${bff.url}/api/v1/orgs/${ORG}/summary` },
      ];
      const httpTimes: Record<string, number[]> = {};
      const httpStatus: Record<string, string> = {};
      for (const call of httpCalls) {
        const warm = await getAnswer(call.url, adminAuth);
        httpStatus[call.name] = `${warm.status}`;
        if (warm.status !== 200) continue;
        const times: number[] = [];
        let spent = 0;
        for (let i = 0; i < (ctx.quick ? 10 : 40) && (times.length < 20 || spent < 8000); i++) {
          const answer = await getAnswer(call.url, adminAuth);
          times.push(answer.ms);
          spent += answer.ms;
        }
        httpTimes[call.name] = times;
      }

      // Plans of every query in both roles: shown in the report and read for the reasons of misses.
      const rlsSetup = [`set role authenticated`, `select set_config('request.jwt.claims', '${claims}', false)`];
      const plans: [string, string][] = [];
      const planOf: Record<string, string> = {};
      for (const q of queries) {
        for (const [who, setup] of [
          ["service role", asServiceSetup],
          ["RLS, org admin", rlsSetup],
        ] as const) {
          const plan = await plansOf(db.url, setup, q.call);
          planOf[`${q.name}|${who}`] = plan;
          plans.push([`${q.name} (${who})`, plan]);
        }
      }
      const why = (name: string, who: string) => {
        const plan = planOf[`${name}|${who}`] ?? "";
        const inner = /duration: ([\d.]+) ms/.exec(plan)?.[1];
        const slow = slowestNodes(plan);
        return `EXPLAIN ANALYZE of the inner query: ${inner ?? "?"} ms${slow.length ? `, slowest nodes ${slow.join("; ")}` : ""}${inner && Number(inner) < 25 ? "; the plan is fast, so the p95 reflects waiting for the shared CPU" : ""}`;
      };

      const rows = (times: Record<string, number[]>, who: string) =>
        Object.entries(times).map(([name, samples]) => {
          const s = summarize(samples);
          return [name, who, s.n, fmt(s.p50, 2), fmt(s.p95, 2), fmt(s.max, 2)];
        });
      const p95 = (times: Record<string, number[]>, name: string) => summarize(times[name]!).p95;
      const goals: Goal[] = queries.flatMap((q) => [
        {
          label: `${q.name}, p95 (service role)`,
          reason: why(q.name, "service role"),
          target: "< 50 ms",
          figure: `${fmt(p95(serviceTimes, q.name), 1)} ms`,
          met: p95(serviceTimes, q.name) < 50,
        },
        {
          label: `${q.name}, p95 (RLS, org admin)`,
          reason: why(q.name, "RLS, org admin"),
          target: "< 50 ms",
          figure: `${fmt(p95(rlsTimes, q.name), 1)} ms`,
          met: p95(rlsTimes, q.name) < 50,
        },
      ]);
      for (const [name, times] of Object.entries(httpTimes)) {
        const p = summarize(times).p95;
        const sqlName = name.includes("summary") ? "org summary" : queries[0]!.name;
        const reason = `the same SQL function's p95 in this run: ${fmt(p95(serviceTimes, sqlName), 1)} ms as service role; the API's p50 is ${fmt(summarize(times).p50, 1)} ms, so the rest is the BFF and waiting for the shared CPU`;
        goals.push({ label: `API ${name}, p95`, target: "< 50 ms", figure: `${fmt(p, 1)} ms`, met: p < 50, reason });
      }
      goals.push({
        label: "keyset: page 2 continues page 1 without overlap",
        target: "yes",
        figure: keysetOk ? "yes" : "no",
        met: keysetOk,
      });

      const markdown = [
        `PostgreSQL ${db.serverVersion} (scripts/postgres-server.mjs: fsync off, as for tests), compat/auth.sql and every file of supabase/migrations applied by the BFF's own start-up migration. One organization of ${fmt(learners)} learners; data generated with set-based SQL (FK triggers skipped during the load with \`session_replication_role = replica\`, the data being consistent by construction; the secondary indexes of activity_events and points_ledger dropped during the load and rebuilt from their own definitions after it; event ids time-ordered like UUIDv7, events spread evenly over the year), then \`vacuum analyze\`. Database size ${sizes!.db}: ${fmt(Number(sizes!.events))} activity events over 365 days (${EVENTS_PER_LEARNER} per learner on average), ${fmt(Number(sizes!.ledger))} ledger rows, a drop-off risk and a velocity snapshot per learner.`,
        "",
        table(
          ["Load step", "rows", "seconds"],
          steps.map((s) => [s.step, fmt(s.rows), fmt(s.seconds, 1)]),
        ),
        "",
        `Each query is the migrations' own function, as the API calls it (postgres.js, no prepared statements as on Supabase's transaction pooler), up to ${n} calls each on one connection, interleaved, after a warm-up (a query stops early after 8 s of its own time, with at least 20 samples), client-side time (round trip included). Once as \`service_role\` (the SQL adapter's path) and once as \`authenticated\` with an org admin's claims (row-level security, the supabase-js path).`,
        "",
        table(
          ["Query", "as", "samples", "p50 ms", "p95 ms", "max ms"],
          [...rows(serviceTimes, "service_role"), ...rows(rlsTimes, "authenticated (RLS)")],
        ),
        "",
        "Through the API (the BFF on Node against this database, an org admin's token, one request at a time, client-side time; up to 40 requests each, time-boxed like the queries):",
        "",
        table(
          ["Request", "status", "samples", "p50 ms", "p95 ms", "max ms"],
          httpCalls.map((c) => {
            const t = summarize(httpTimes[c.name] ?? []);
            return [c.name, httpStatus[c.name] ?? "", t.n, fmt(t.p50, 2), fmt(t.p95, 2), fmt(t.max, 2)];
          }),
        ),
        "",
        `Keyset check: first page ${first!.page.length} rows, the next page from its last row's (riskScore, learnerId) ${second!.page.length} rows, no overlap: ${keysetOk ? "yes" : "**no**"}.`,
        "",
        "### Query plans (EXPLAIN ANALYZE via auto_explain with nested statements: each function's inner query first, then the outer call)",
        "",
        ...plans.flatMap(([name, plan]) => [`#### ${name}`, "", "```", plan.trim() || "(no plan captured)", "```", ""]),
      ].join("\n");
      return { goals, markdown, raw: { learners, steps, serviceTimes, rlsTimes, sizes } };
    } finally {
      await bff.stop();
      await simulator.program.stop();
      await db.stop();
    }
  },
};
