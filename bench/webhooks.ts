// Order webhooks (issue #3): signed orders/paid against the BUILT app at 1, 10 and 50 concurrent
// senders (closed loop: each sender waits for its answer) and at a fixed 1,000/s (open loop, as
// Shopify sends: docs/decisions/010), one process with its in-process worker (the embedded default), on SQLite and (when
// reachable) PostgreSQL, plus SQLite with the worker in its own process (`npm run worker`, the second
// core), with the Admin API fake behind the worker. Two figures per step: how fast
// Shopify gets its answer (the route stores the delivery: docs/decisions/007) and how fast points
// become visible (the applier). Same machinery as `npm run bench:load` (bench/load.ts).
//
// Two reference lines run step by step beside the app, so the figures read as ratios on whatever
// machine runs them: the stack's ceiling (server.mjs answering with no work, bench/reference/ceiling-build.mjs)
// and the template style (authenticate.webhook and Prisma writes inside the request, through express
// and Remix: bench/reference/template-webhook.ts), the latter once per database. BENCH_REFERENCES=off
// leaves them out.
//
// BENCH_PAYLOAD picks the bodies: unset, the test fixtures' small orders; "full" a real store's
// five-line order; "filtered" that order cut to shopify.app.toml's include_fields; "paired" full and
// filtered step by step in the same run (BENCH_ROUNDS times each, alternating), with their ratios and
// the inbox bytes each stores
// (docs/decisions/015-webhook-include-fields.md, bench-results/include-fields.md).
import { Pool } from "undici";
import { configLabel, deliveryBody, startTarget, stepsOf, type Config, type PayloadShape, type Target } from "./load";
import { startApp, table } from "./lib";
import { createTestDatabase, dropTestDatabase } from "../dev/harness/database";
import { testDatabaseUrl, testEnv } from "../dev/harness/test-env";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { webhookHeaders } from "../dev/shopify-requests";
import { createPrismaClient } from "../app/platform/db.server";

function payloadShapes(): PayloadShape[] | undefined {
  const wanted = process.env.BENCH_PAYLOAD;
  if (!wanted) return undefined;
  if (wanted === "paired") return ["full", "filtered"];
  if (wanted === "full" || wanted === "filtered" || wanted === "fixture") return [wanted];
  throw new Error(`BENCH_PAYLOAD=${wanted}: expected full, filtered, fixture or paired`);
}

const TOPICS = ["orders/paid", "orders/cancelled", "refunds/create"] as const;

/**
 * What the inbox keeps per delivery of each topic and shape: `deliveries` signed deliveries sent to the
 * built app with its worker off (so nothing is applied and every body stays stored), then measured in
 * its SQLite database: the stored body's bytes, and how much the database grew per delivery (row,
 * page and index overhead included).
 */
export async function inboxBytes(shapes: PayloadShape[], deliveries = 1000): Promise<Record<string, string | number>[]> {
  const url = testDatabaseUrl(`inbox_bytes_${Date.now()}`);
  if (!url.startsWith("file:")) return []; // the growth figure is SQLite's page count
  await createTestDatabase(url);
  const app = await startApp({ LOG_LEVEL: "error", WORKER_MODE: "off" }, { databaseUrl: url });
  const db = createPrismaClient(url);
  const pool = new Pool(app.url, { connections: 1 });
  const pages = async () => {
    const [count] = await db.$queryRawUnsafe<{ page_count: number | bigint }[]>("PRAGMA page_count");
    const [size] = await db.$queryRawUnsafe<{ page_size: number | bigint }[]>("PRAGMA page_size");
    return Number(count!.page_count) * Number(size!.page_size);
  };
  const rows: Record<string, string | number>[] = [];
  try {
    for (const topic of TOPICS) {
      for (const shape of shapes) {
        const before = await pages();
        for (let i = 1; i <= deliveries; i++) {
          const body = deliveryBody(topic, shape, 30_000_000 + i, 80_000 + (i % 300), 90_000_000 + i);
          const res = await pool.request({ method: "POST", path: `/webhooks/${topic}`, body, headers: webhookHeaders(topic, body, { webhookId: `${shape}-${topic}-${i}` }) });
          await res.body.dump();
          if (res.statusCode !== 200) throw new Error(`${topic} ${shape}: HTTP ${res.statusCode}`);
        }
        const growth = (await pages()) - before;
        const [stored] = await db.$queryRawUnsafe<{ bytes: number | bigint; n: number | bigint }[]>(
          `SELECT SUM(LENGTH(CAST("payload" AS BLOB))) AS bytes, COUNT(*) AS n FROM "WebhookDelivery" WHERE "webhookId" LIKE ? AND "outcome" = 'received'`,
          `${shape}-${topic}-%`,
        );
        rows.push({ topic, payload: shape, "stored deliveries": Number(stored!.n), "stored body bytes/delivery": Number(stored!.bytes) / Number(stored!.n), "database growth bytes/delivery": growth / deliveries });
      }
    }
  } finally {
    await pool.close();
    await db.$disconnect();
    await app.stop();
    await dropTestDatabase(url).catch(() => undefined);
  }
  return rows;
}

/** bench/route-cpu.ts in a child process on a fresh database: CPU per delivery of the route and the applier. */
export async function routeCpu(shapes: PayloadShape[]): Promise<Record<string, string | number>[]> {
  const url = testDatabaseUrl(`route_cpu_${Date.now()}`);
  await createTestDatabase(url);
  try {
    const out = execFileSync(process.execPath, ["--import", "tsx", "bench/route-cpu.ts"], {
      cwd: path.resolve(import.meta.dirname, ".."),
      env: { ...process.env, ...testEnv(url), LOG_LEVEL: "error", BENCH_CPU_SHAPES: shapes.join(",") },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    return JSON.parse(out.trim().split("\n").at(-1)!);
  } finally {
    await dropTestDatabase(url).catch(() => undefined);
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** filtered ÷ full per step: the median over the rounds of each round's ratio (a round ran both back to back). */
function ratios(rows: Record<string, string | number>[]): Record<string, string | number>[] {
  const keys = ["answered/s", "p50 ms", "p99 ms", "visible p50 ms", "visible p99 ms"];
  const steps = new Map<string, { config: string; senders: string | number; pairs: [Record<string, string | number>, Record<string, string | number>][] }>();
  for (const full of rows.filter((r) => r.payload === "full")) {
    const filtered = rows.find((r) => r.payload === "filtered" && r.config === full.config && r.senders === full.senders && r.round === full.round);
    if (!filtered) continue;
    const key = `${full.config}|${full.senders}`;
    if (!steps.has(key)) steps.set(key, { config: String(full.config), senders: full.senders!, pairs: [] });
    steps.get(key)!.pairs.push([full, filtered]);
  }
  return [...steps.values()].map(({ config, senders, pairs }) => ({
    config,
    senders,
    rounds: pairs.length,
    ...Object.fromEntries(keys.map((k) => [`${k} filtered ÷ full`, median(pairs.map(([f, g]) => Number(g[k]) / Number(f[k]))).toFixed(2)])),
  }));
}

type Row = Record<string, string | number>;

/** One app configuration's rows, and those of the reference lines measured beside it, step by step. */
interface Run {
  config: Config;
  rows: Row[];
  ceiling: Row[];
  template: Row[];
}

/** Each app row beside the ceiling's and the template's rows of the same step (same senders, payload and round), measured next to it. */
function referenceRatios(runs: Run[]): Row[] {
  const sameStep = (a: Row, b: Row) => a.senders === b.senders && a.payload === b.payload && a.round === b.round;
  const n = (v: string | number | undefined) => (v === undefined ? "–" : Number(v).toLocaleString("en-US", { maximumFractionDigits: Number(v) < 100 ? 1 : 0 }));
  const ratio = (a: Row, b: Row | undefined, key: string) => (b ? (Number(a[key]) / Number(b[key])).toFixed(2) : "–");
  return runs.flatMap((run) =>
    run.rows.map((row) => {
      const top = run.ceiling.find((c) => sameStep(row, c));
      const template = run.template.find((t) => sameStep(row, t));
      return {
        config: row.config!,
        senders: row.senders!,
        ...(row.payload ? { payload: row.payload, round: row.round! } : {}),
        "answered/s app / ceiling / template": `${n(row["answered/s"])} / ${n(top?.["answered/s"])} / ${n(template?.["answered/s"])}`,
        "answered/s app ÷ ceiling": ratio(row, top, "answered/s"),
        "answered/s app ÷ template": ratio(row, template, "answered/s"),
        "p99 ms app / ceiling / template": `${n(row["p99 ms"])} / ${n(top?.["p99 ms"])} / ${n(template?.["p99 ms"])}`,
        "p99 app ÷ ceiling": ratio(row, top, "p99 ms"),
        "p99 app ÷ template": ratio(row, template, "p99 ms"),
      };
    }),
  );
}

const CONFIGS: Config[] = [
  { name: "sqlite-1x0", database: "sqlite", web: 1, workers: 0 },
  { name: "sqlite-1x1", database: "sqlite", web: 1, workers: 1 },
  { name: "pg-1x0", database: "postgresql", web: 1, workers: 0 },
];

export async function benchWebhooks(options: { seconds: number; postgresUrl: string | null }): Promise<{ rows: Row[]; references: Row[]; beside: Row[]; ratios: Row[]; bytes: Row[]; cpu: Row[] }> {
  // BENCH_WEBHOOK_CONFIGS=sqlite-1x1,... picks configurations (all by default).
  const wanted = process.env.BENCH_WEBHOOK_CONFIGS?.split(",");
  const configs = CONFIGS.filter((c) => (!wanted || wanted.includes(c.name)) && (c.database === "sqlite" || options.postgresUrl));
  // BENCH_REFERENCES=off: the app's configurations only, without the two reference lines.
  const withReferences = process.env.BENCH_REFERENCES !== "off" && configs.length > 0;
  const shapes = payloadShapes();
  // BENCH_ROUNDS: how many times each step runs per shape (paired runs: the ratios are medians over rounds).
  const rounds = Number(process.env.BENCH_ROUNDS ?? (shapes && shapes.length > 1 ? 3 : 1));
  const steps = stepsOf({ senders: [1, 10, 50], rates: [1000], shapes, rounds });
  const start = (config: Config) => startTarget(config, config.database === "postgresql" ? options.postgresUrl : null, { ordersPaidOnly: true, seconds: options.seconds, shapes });

  // The reference lines run step by step beside the app, each step against the app, the ceiling and
  // the template back to back (who goes first rotates), so that all three meet the same machine and
  // their ratios hold even when other work on it comes and goes. The ceiling does no database work:
  // one serves every configuration.
  const runs: Run[] = [];
  const ceilingTarget = withReferences ? await start({ name: "ceiling", database: "sqlite", web: 1, workers: 0, reference: "ceiling" }) : null;
  try {
    for (const config of configs) {
      const run: Run = { config, rows: [], ceiling: [], template: [] };
      const appTarget = await start(config);
      let templateTarget: Target | null = null;
      try {
        templateTarget = withReferences ? await start({ name: `template-${config.database}`, database: config.database, web: 1, workers: 0, reference: "template" }) : null;
        for (const [i, step] of steps.entries()) {
          const targets = [appTarget, ceilingTarget, templateTarget].filter((t): t is Target => t !== null);
          for (const target of [...targets.slice(i % targets.length), ...targets.slice(0, i % targets.length)]) {
            const row = await target.measure(step);
            console.log(JSON.stringify(row));
            if (target === appTarget) run.rows.push(row);
            else (target === ceilingTarget ? run.ceiling : run.template).push({ ...row, beside: configLabel(config) });
          }
        }
        runs.push(run);
      } finally {
        await templateTarget?.close();
        await appTarget.close();
      }
    }
  } finally {
    await ceilingTarget?.close();
  }
  const rows = runs.flatMap((r) => r.rows);
  const references = runs.flatMap((r) => [...r.ceiling, ...r.template]);
  const beside = withReferences ? referenceRatios(runs) : [];
  console.log("\n" + table(rows));
  if (references.length) console.log("\n" + table(references) + "\n\n" + table(beside));
  const paired = ratios(rows);
  if (paired.length) console.log("\n" + table(paired));
  const bytes = shapes && shapes.some((s) => s !== "fixture") ? await inboxBytes(shapes) : [];
  if (bytes.length) console.log("\n" + table(bytes));
  const cpu = shapes && shapes.some((s) => s !== "fixture") ? await routeCpu(shapes) : [];
  if (cpu.length) console.log("\n" + table(cpu));
  return { rows, references, beside, ratios: paired, bytes, cpu };
}
