// `npm run bench:load`: the production shape under load. Signed orders/paid, refunds/create and
// orders/cancelled webhooks at rising concurrency against: SQLite with one process (the embedded
// default: the worker inside the web process) and with a worker process beside it, and PostgreSQL
// with 1, 2 and 4 web processes (`npm start`) and 1 and 2 worker processes (`npm run worker`). The
// Admin API is the stateful fake over HTTP with Shopify's leaky bucket (BENCH_BUCKET_RESTORE
// points/s, default 200). Per step: webhooks answered/s and p50/p99 answer time; points visible (stored delivery -> applied) p50/p99 and the
// apply rate; the outbox drain rate (jobs done/s) against the bucket. Results: bench-results/load.md
// (its generated section).
// BENCH_SECONDS (default 3) per step; BENCH_LOAD_CONFIGS=sqlite-1x0,pg-1x1,... to pick configurations.
//
// Each orders/paid queues a metafield job per customer, due at the end of its 10 s sync window
// (METAFIELD_SYNC_WINDOW_MS, app/ledger): when a window ends inside a step, up to one job per customer
// falls due at once and the worker (in the web process) and the Admin fake (in this process, beside the
// senders) run it during the load, which costs a short 1-sender step about a third of its answers
// (bench-results/issue-15-before-after.md). So a step's figure would depend on where in the window it
// happened to start. Each step of the app therefore starts at the same point of the window (BENCH_ALIGN=off:
// as soon as the previous one settled), the warm-up's jobs are run before the first step, and
// "Admin calls in load" says how many jobs still ran during the load.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createShopifyAdminFake, startShopifyAdminFakeServer } from "../dev/shopify-admin-fake";
import { createTestDatabase, dropTestDatabase, LOCAL_POSTGRES_URL, postgresReachable } from "../dev/harness/database";
import { testDatabaseUrl, testEnv, TEST_SHOP } from "../dev/harness/test-env";
import { fakeShopTokens, offlineSession, offlineSessionRow, webhookHeaders } from "../dev/shopify-requests";
import { cancelledPayload, orderPayload, refundPayload } from "../dev/payloads/order-fixtures";
import { realisticOrderCancelled, realisticOrderPaid, realisticRefund } from "../dev/payloads/realistic-payloads";
import { filterToIncludeFields, includeFieldsOf } from "../dev/payloads/include-fields";
import { createPrismaClient, type Db } from "../app/platform/db.server";
import { percentile, runHeader, runLoad, runRate, startApp, table, writeResultsPage, type RunningApp } from "./lib";
import { WORKER_PROCESS_ARGS } from "../dev/harness/worker-process";
import { METAFIELD_SYNC_WINDOW_MS } from "../app/ledger/ledger.server";

const root = path.resolve(import.meta.dirname, "..");
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const alignSteps = process.env.BENCH_ALIGN !== "off";
/** Where in the metafield sync window each step starts: just after a window ends, so a step of up to 9 s meets no window end. */
const STEP_START_IN_WINDOW_MS = 500;
const untilStepStart = () => new Promise((resolve) => setTimeout(resolve, (STEP_START_IN_WINDOW_MS - (Date.now() % METAFIELD_SYNC_WINDOW_MS) + METAFIELD_SYNC_WINDOW_MS) % METAFIELD_SYNC_WINDOW_MS));
const restoreRate = Number(process.env.BENCH_BUCKET_RESTORE ?? 200); // points/s: Shopify Advanced plan (standard 100, Plus 1000)
const CUSTOMERS = 300;
// BENCH_PROFILE=<dir>: the app and worker processes write V8 CPU profiles there (open in Chrome DevTools).
const profileArgs = process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE)}`] : [];

export interface Config {
  name: string;
  database: "sqlite" | "postgresql";
  web: number;
  /** 0: the worker runs inside the web process (WORKER_MODE=inline). */
  workers: number;
  /**
   * A reference line instead of the app (bench/webhooks.ts): "ceiling", server.mjs answering every
   * delivery with no work (bench/reference/ceiling-build.mjs); "template", the orders/paid route
   * Shopify's app template would lead to (bench/reference/template-build.mjs). No worker runs.
   */
  reference?: "ceiling" | "template";
}

/** The module server.mjs serves for a reference line (run with tsx: the template's action is TypeScript). */
const REFERENCE_BUILDS = { ceiling: "bench/reference/ceiling-build.mjs", template: "bench/reference/template-build.mjs" } as const;

/** A configuration's name in the result tables. */
export function configLabel(config: Config): string {
  const database = config.database === "sqlite" ? "SQLite" : "PostgreSQL";
  if (config.reference === "ceiling") return "stack ceiling (server.mjs, no work)";
  if (config.reference === "template") return `template style (authenticate.webhook + Prisma), ${database}`;
  return `${database} ${config.web} web × ${config.workers === 0 ? "inline worker" : `${config.workers} worker${config.workers > 1 ? "s" : ""}`}`;
}

const ALL: Config[] = [
  { name: "sqlite-1x0", database: "sqlite", web: 1, workers: 0 },
  { name: "sqlite-1x1", database: "sqlite", web: 1, workers: 1 },
  { name: "pg-1x1", database: "postgresql", web: 1, workers: 1 },
  { name: "pg-1x2", database: "postgresql", web: 1, workers: 2 },
  { name: "pg-2x1", database: "postgresql", web: 2, workers: 1 },
  { name: "pg-2x2", database: "postgresql", web: 2, workers: 2 },
  { name: "pg-4x1", database: "postgresql", web: 4, workers: 1 },
  { name: "pg-4x2", database: "postgresql", web: 4, workers: 2 },
];

/**
 * How a delivery's body is built: "fixture" the small two-line orders of the test fixtures; "full" a
 * real store's five-line order (dev/payloads/realistic-payloads.ts); "filtered" that order cut down
 * to the subscription's include_fields in shopify.app.toml, as Shopify would send it
 * (docs/decisions/015-webhook-include-fields.md).
 */
export type PayloadShape = "fixture" | "full" | "filtered";

/** The body of one delivery of `topic` in `shape`. */
export function deliveryBody(topic: "orders/paid" | "refunds/create" | "orders/cancelled", shape: PayloadShape, orderId: number, customerId: number, refundId: number): string {
  if (shape === "fixture") {
    const spec = {
      id: orderId,
      customerId,
      lines: [
        { id: orderId * 10 + 1, price: "60.00" },
        { id: orderId * 10 + 2, price: "19.99" },
      ],
      shipping: "5.00",
    };
    const payload =
      topic === "orders/paid" ? orderPayload(spec) : topic === "refunds/create" ? refundPayload({ id: refundId, orderId, lines: [{ lineItemId: orderId * 10 + 1, subtotal: "20.00" }] }) : cancelledPayload(spec);
    return JSON.stringify(payload);
  }
  const spec = { id: orderId, customerId };
  const full = topic === "orders/paid" ? realisticOrderPaid(spec) : topic === "refunds/create" ? realisticRefund({ id: refundId, order: realisticOrderPaid(spec), lines: 2 }) : realisticOrderCancelled(spec);
  return JSON.stringify(shape === "full" ? full : filterToIncludeFields(full, includeFieldsOf(topic) ?? []));
}

/**
 * A stream of signed deliveries: 70 % orders/paid of new orders, 20 % partial refunds and 10 % cancels
 * of orders paid earlier. Each call builds the next delivery in the shape `shape()` names then.
 */
function deliveryStream(urls: () => string[], ordersPaidOnly: boolean, shape: () => PayloadShape = () => "fixture") {
  let n = 0;
  const base = 20_000_000 + Math.floor(Math.random() * 1e6) * 1000;
  return () => {
    const i = ++n;
    const url = urls()[i % urls().length]!;
    const kind = ordersPaidOnly ? 0 : i % 10;
    const orderNo = kind < 7 ? i : Math.max(1, i - 40 - (i % 7));
    const orderId = base + orderNo;
    const topic = kind < 7 ? "orders/paid" : kind < 9 ? "refunds/create" : "orders/cancelled";
    const body = deliveryBody(topic, shape(), orderId, 80_000 + (orderNo % CUSTOMERS), base + i + 500_000_000);
    return { url: `${url}/webhooks/${topic}`, init: { method: "POST", body, headers: webhookHeaders(topic, body, { webhookId: `load-${base}-${i}` }) } };
  };
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

function startWorkerProcess(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [...profileArgs, ...WORKER_PROCESS_ARGS], {
    cwd: root,
    env: { ...process.env, ...env } as NodeJS.ProcessEnv,
    stdio: ["ignore", "ignore", "inherit"],
  });
}

/** One measured step: closed loop (`senders`) or open loop (`rate` per second), in one payload shape. */
export type Step = ({ senders: number } | { rate: number }) & { shape: PayloadShape; round: number };

export interface StepOptions {
  senders?: number[];
  rates?: number[];
  /**
   * `shapes`: each step `rounds` times (default 1) per payload shape, the order alternating (AB BA AB...)
   * so that both shapes meet the same machine; rows gain "payload" and "round" columns.
   */
  shapes?: PayloadShape[];
  rounds?: number;
}

/** The steps in the order they run: closed-loop ones (N senders, each waiting for its answer), then open-loop ones (a fixed rate). */
export function stepsOf(options: StepOptions): Step[] {
  const shapes = options.shapes ?? ["fixture"];
  const loadSteps = [...(options.senders ?? [10, 50]).map((senders) => ({ senders })), ...(options.rates ?? []).map((rate) => ({ rate }))];
  const rounds = Array.from({ length: options.rounds ?? 1 }, (_, r) => r + 1);
  return loadSteps.flatMap((step) => rounds.flatMap((round) => (round % 2 === 1 ? shapes : [...shapes].reverse()).map((shape) => ({ ...step, shape, round }))));
}

/** A configuration up and warmed up: its web (and worker) processes on a fresh database, its Admin API fake. */
export interface Target {
  config: Config;
  /** Runs one step against it and waits until it has settled (inbox applied, outbox drained); its row. */
  measure: (step: Step) => Promise<Record<string, string | number>>;
  close: () => Promise<void>;
}

export async function startTarget(config: Config, postgresUrl: string | null, options: { ordersPaidOnly?: boolean; seconds?: number; shapes?: PayloadShape[] } = {}): Promise<Target> {
  const fake = createShopifyAdminFake({ bucket: { maximumAvailable: 1000, restoreRate } });
  const session = offlineSession();
  fake.addShop(TEST_SHOP, fakeShopTokens(session));
  for (let c = 0; c < CUSTOMERS; c++) fake.seedCustomer(TEST_SHOP, { id: `gid://shopify/Customer/${80_000 + c}`, numberOfOrders: 1 });
  const fakeServer = await startShopifyAdminFakeServer(fake);

  const previous = process.env.TEST_POSTGRES_URL;
  if (config.database === "postgresql") process.env.TEST_POSTGRES_URL = postgresUrl!;
  else delete process.env.TEST_POSTGRES_URL;
  const databaseUrl = testDatabaseUrl(`load_${config.name.replace("-", "_")}_${Date.now()}`);
  if (previous) process.env.TEST_POSTGRES_URL = previous;
  else delete process.env.TEST_POSTGRES_URL;
  await createTestDatabase(databaseUrl);
  const db: Db = createPrismaClient(databaseUrl);
  await db.session.create({ data: offlineSessionRow(session) });

  const env = {
    // BENCH_APP_LOG_LEVEL=info: the web processes write their access lines, as in production (docs/decisions/012).
    LOG_LEVEL: process.env.BENCH_APP_LOG_LEVEL ?? "error",
    WORKER_MODE: config.workers === 0 && !config.reference ? "inline" : "off",
    FAKE_ADMIN_URL: fakeServer.url,
    DATABASE_POOL_SIZE: "10",
    APP_NODE_ARGS: [...profileArgs, "--import tsx --import ./dev/preload-admin-fake-server.mjs"].join(" "),
  };
  const apps: RunningApp[] = [];
  const workers: ChildProcess[] = [];
  const close = async () => {
    workers.forEach((w) => w.kill(profileArgs.length ? "SIGTERM" : "SIGKILL")); // SIGTERM lets a profile be written
    for (const app of apps) await app.stop();
    await db.$disconnect();
    await dropTestDatabase(databaseUrl).catch(() => undefined);
    await fakeServer.close();
  };
  const shapes = options.shapes ?? ["fixture"];
  let shape: PayloadShape = shapes[0]!;
  const make = deliveryStream(
    () => apps.map((a) => a.url),
    options.ordersPaidOnly ?? false,
    () => shape,
  );
  const previousArgs = process.env.APP_NODE_ARGS;
  try {
    process.env.APP_NODE_ARGS = env.APP_NODE_ARGS;
    const build = config.reference ? REFERENCE_BUILDS[config.reference] : undefined;
    for (let w = 0; w < config.web; w++) apps.push(await startApp(env, { databaseUrl, build }));
    const workerEnv = { ...testEnv(databaseUrl), ...env, NODE_ENV: "production" };
    for (let w = 0; w < config.workers; w++) workers.push(startWorkerProcess(workerEnv));
    for (const s of shapes) {
      shape = s;
      await runLoad(make, 4, 1); // warm-up
    }
    await waitUntil(async () => (await db.webhookDelivery.count({ where: { outcome: "received" } })) === 0, 120_000);
    // The warm-up's metafield jobs would fall due at the end of their window, during the first step:
    // run them now.
    await db.outboxJob.updateMany({ where: { status: "queued" }, data: { runAfter: new Date() } });
    await waitUntil(async () => (await db.outboxJob.count({ where: { status: { in: ["queued", "running"] } } })) === 0, 300_000);
  } catch (error) {
    await close();
    throw error;
  } finally {
    if (previousArgs === undefined) delete process.env.APP_NODE_ARGS;
    else process.env.APP_NODE_ARGS = previousArgs;
  }

  const measure = async (step: Step): Promise<Record<string, string | number>> => {
    shape = step.shape;
    if (alignSteps && !config.reference) await untilStepStart();
    const since = new Date();
    const jobsBefore = await db.outboxJob.count({ where: { status: "done" } });
    const callsBefore = fake.requests.length;
    const load = "rate" in step ? await runRate(make, step.rate, options.seconds ?? seconds) : await runLoad(make, step.senders, options.seconds ?? seconds);
    const callsInLoad = fake.requests.length - callsBefore;
    const stepColumns = {
      config: configLabel(config),
      senders: "rate" in step ? `${step.rate}/s offered` : step.senders,
      ...(options.shapes ? { payload: step.shape, round: step.round } : {}),
      "answered/s": load.perSecond,
      "p50 ms": load.p50,
      "p99 ms": load.p99,
      errors: load.errors,
    };
    if (config.reference) {
      // No inbox and no outbox: the template writes its points before answering, the ceiling writes nothing.
      const written = await db.ledgerEntry.count({ where: { createdAt: { gte: since } } });
      return { ...stepColumns, "answered 200": load.requests - load.errors, "ledger entries written": written };
    }
    const applied = await waitUntil(async () => (await db.webhookDelivery.count({ where: { outcome: "received" } })) === 0, 300_000);
    const deliveries = await db.webhookDelivery.findMany({ where: { receivedAt: { gte: since }, appliedAt: { not: null } }, select: { receivedAt: true, appliedAt: true } });
    const firstReceived = Math.min(...deliveries.map((d) => d.receivedAt.getTime()));
    const lags = deliveries.map((d) => d.appliedAt!.getTime() - d.receivedAt.getTime()).sort((a, b) => a - b);
    const lastApplied = Math.max(...deliveries.map((d) => d.appliedAt!.getTime()));
    const drained = await waitUntil(async () => (await db.outboxJob.count({ where: { status: { in: ["queued", "running"] } } })) === 0, 300_000);
    const drainEnd = Date.now();
    const jobsDone = (await db.outboxJob.count({ where: { status: "done" } })) - jobsBefore;
    const calls = fake.requests.slice(callsBefore);
    const throttled = calls.filter((r) => String((r as { outcome?: string }).outcome).includes("throttl")).length;
    return {
      ...stepColumns,
      "applied/s": deliveries.length / ((lastApplied - firstReceived) / 1000),
      "visible p50 ms": percentile(lags, 50),
      "visible p99 ms": percentile(lags, 99),
      "jobs done": jobsDone,
      "jobs/s": jobsDone / ((drainEnd - since.getTime()) / 1000),
      "Admin calls": calls.length,
      "Admin calls in load": callsInLoad,
      throttled,
      settled: applied && drained ? "yes" : "NO",
    };
  };
  return { config, measure, close };
}

/** Every step against one configuration; its rows. */
export async function runConfig(config: Config, postgresUrl: string | null, options: StepOptions & { ordersPaidOnly?: boolean; seconds?: number } = {}): Promise<Record<string, string | number>[]> {
  const target = await startTarget(config, postgresUrl, options);
  const rows: Record<string, string | number>[] = [];
  try {
    for (const step of stepsOf(options)) {
      const row = await target.measure(step);
      rows.push(row);
      console.log(JSON.stringify(row));
    }
  } finally {
    await target.close();
  }
  return rows;
}

// Run as `tsx bench/load.ts` (npm run bench:load); imported by bench/webhooks.ts for runConfig.
if (process.argv[1]?.endsWith("load.ts")) {
  const pgUrl = process.env.BENCH_POSTGRES_URL ?? LOCAL_POSTGRES_URL;
  const postgresUrl = (await postgresReachable(pgUrl)) ? pgUrl : null;
  const wanted = process.env.BENCH_LOAD_CONFIGS?.split(",");
  const configs = ALL.filter((c) => (!wanted || wanted.includes(c.name)) && (c.database === "sqlite" || postgresUrl));
  if (!postgresUrl) console.warn(`PostgreSQL at ${pgUrl} not reachable: SQLite only`);

  const rows: Record<string, string | number>[] = [];
  for (const config of configs) {
    console.log(`\n== ${config.name}`);
    rows.push(...(await runConfig(config, postgresUrl)));
  }
  const ratio = (web: number, senders: number, key: string) => {
    const one = rows.find((r) => r.config === `PostgreSQL ${web} web × 1 worker` && r.senders === senders);
    const two = rows.find((r) => r.config === `PostgreSQL ${web} web × 2 workers` && r.senders === senders);
    return one && two ? (Number(two[key]) / Number(one[key])).toFixed(2) : "n/a";
  };
  const ratios = [1, 2, 4].flatMap((web) =>
    [10, 50].map((senders) => ({
      "web processes": web,
      senders,
      "applied/s 2 workers ÷ 1": ratio(web, senders, "applied/s"),
      "jobs/s 2 workers ÷ 1": ratio(web, senders, "jobs/s"),
      "answered/s 2 workers ÷ 1": ratio(web, senders, "answered/s"),
    })),
  );
  const text = [
    runHeader("npm run bench:load", { buildsItself: true, detail: `${seconds} s per step; Admin API fake bucket 1000 points, restoring ${restoreRate}/s` }),
    "",
    `Mix: 70 % orders/paid, 20 % refunds/create, 10 % orders/cancelled, ${CUSTOMERS} customers. "visible": from the stored delivery to its points applied. "jobs/s": outbox jobs done from the step's start until the outbox was empty.\n`,
    table(rows),
    `\n## PostgreSQL, 2 workers vs 1 (same run)\n`,
    table(ratios),
  ].join("\n");
  const page = writeResultsPage("load.md", "Load benchmark", text);
  console.log("\n" + text + `\nwritten to ${page}`);
  process.exit(0);
}
