// Shopify Flow trigger throughput under the Admin API fake's rate limit: N ledger events (one staff
// adjustment each, N customers), each queueing one "Loyalty points balance changed" job in its
// transaction, then the app's worker (runWorkerOnce with the shared per-shop pacer, flow_trigger jobs
// only) sends them with flowTriggerReceive to the fake, in-process, on a fresh SQLite database.
// Two buckets: Shopify's standard one (2,000 points, 100/s restored) and a larger one (20,000, 1,000/s,
// the demo's). A mutation costs 10 points in the fake. Figures: triggers/s from the first claim to the
// last completion, THROTTLED answers, and whether each event reached the fake exactly once.
import { randomUUID } from "node:crypto";
import { createTestDatabase, dropTestDatabase } from "../dev/harness/database";
import { testDatabaseUrl, testEnv, TEST_SHOP } from "../dev/harness/test-env";
import { offlineSession, offlineSessionRow } from "../dev/shopify-requests";
import { createShopifyAdminFake } from "../dev/shopify-admin-fake";

export interface FlowBenchRow extends Record<string, string | number> {
  bucket: string;
  events: number;
  "queue s": string;
  "send s": string;
  "triggers/s": string;
  throttled: number;
  delivered: number;
  "exactly once": string;
}

async function runOne(databaseUrl: string, events: number, bucket: { maximumAvailable: number; restoreRate: number }): Promise<FlowBenchRow> {
  // Imported after the environment is set: the app reads it when its modules load.
  const { createPrismaClient } = await import("../app/platform/db.server");
  const { appendEntries } = await import("../app/ledger/ledger.server");
  const { JOB_HANDLERS } = await import("../app/jobs/handlers.server");
  const { runWorkerOnce, ShopPacer } = await import("../app/worker/worker.server");
  // The Remix adapter sets the Admin clients' fetch when it loads: install the fake after it.
  const { appJobContext } = await import("../app/worker/app-context.server");
  const db = createPrismaClient(databaseUrl);
  const fake = createShopifyAdminFake();
  const session = offlineSession();
  fake.addShop(TEST_SHOP, { accessToken: session.accessToken!, refreshToken: session.refreshToken!, accessTokenExpiresAt: session.expires!.getTime(), bucket });
  const uninstall = fake.install();
  try {
    // The app's own client stays bound to this database for the process: start each run empty.
    await db.$transaction([db.shop.deleteMany(), db.session.deleteMany()]);
    await db.session.create({ data: offlineSessionRow(session) });
    const shop = await db.shop.create({ data: { domain: TEST_SHOP } });
    await db.flowTriggerState.create({ data: { shopId: shop.id, handle: "loyalty-balance-changed", enabled: true, callbackAt: new Date() } });
    const queueStart = performance.now();
    for (let i = 0; i < events; i++) {
      const customer = await db.customer.create({ data: { shopId: shop.id, shopifyCustomerId: `gid://shopify/Customer/${100_000 + i}` } });
      await db.$transaction((tx) => appendEntries(tx, [{ shopId: shop.id, customerId: customer.id, points: 10, kind: "manual", availableAt: new Date(), idempotencyKey: `bench:${i}`, actor: "bench", reason: "bench" }]));
    }
    const queueSeconds = (performance.now() - queueStart) / 1000;

    const jobContext = appJobContext();
    const pacer = new ShopPacer(db);
    const handlers = { flow_trigger: JOB_HANDLERS.flow_trigger };
    const sendStart = performance.now();
    for (;;) {
      const ran = await runWorkerOnce(jobContext, handlers, { pacer, batchSize: 10 });
      if (ran > 0) continue;
      const next = await db.outboxJob.findFirst({ where: { kind: "flow_trigger", status: { in: ["queued", "running"] } }, orderBy: { runAfter: "asc" } });
      if (!next) break;
      await new Promise((r) => setTimeout(r, Math.max(5, Math.min(1_000, next.runAfter.getTime() - Date.now()))));
    }
    const sendSeconds = (performance.now() - sendStart) / 1000;
    const deliveries = fake.flowTriggerDeliveries(TEST_SHOP);
    const customers = new Set(deliveries.map((d) => d.payload.customer_id));
    const failed = await db.outboxJob.count({ where: { kind: "flow_trigger", status: "failed" } });
    await db.$disconnect();
    return {
      bucket: `${bucket.maximumAvailable} pts, ${bucket.restoreRate}/s`,
      events,
      "queue s": queueSeconds.toFixed(1),
      "send s": sendSeconds.toFixed(1),
      "triggers/s": (deliveries.length / sendSeconds).toFixed(1),
      throttled: fake.requests.filter((r) => r.outcome === "throttled").length,
      delivered: deliveries.length,
      "exactly once": deliveries.length === events && customers.size === events && failed === 0 ? "yes" : `no (${failed} failed)`,
    };
  } finally {
    uninstall();
  }
}

export async function benchFlow(events = Number(process.env.BENCH_FLOW_EVENTS ?? 1_000)): Promise<FlowBenchRow[]> {
  const databaseUrl = testDatabaseUrl(`flow-bench-${randomUUID().slice(0, 8)}`);
  await createTestDatabase(databaseUrl);
  Object.assign(process.env, testEnv(databaseUrl));
  const rows: FlowBenchRow[] = [];
  try {
    for (const bucket of [
      { maximumAvailable: 2_000, restoreRate: 100 },
      { maximumAvailable: 20_000, restoreRate: 1_000 },
    ]) {
      const row = await runOne(databaseUrl, events, bucket);
      console.log(row);
      rows.push(row);
    }
  } finally {
    await dropTestDatabase(databaseUrl);
  }
  return rows;
}
