// A web process killed with -9 in the middle of a burst of webhooks loses nothing and doubles
// nothing: Shopify redelivers whatever was not answered 200 (here: everything, shuffled, twice), and
// the ledger ends where the reference model says. Runs on SQLite, and on PostgreSQL when reachable.
import { afterEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import { webhookHeaders } from "../../dev/shopify-requests";
import { LOCAL_POSTGRES_URL, postgresReachable } from "../../dev/harness/database";
import { startApp, type RunningApp } from "../../dev/harness/app-server";
import { deliveriesFor, expectedPoints, orderCase, type Delivery } from "../support/order-scenarios";
import { createPrismaClient } from "../../app/platform/db.server";
import { verifyBalanceCache } from "../../app/ledger/balances.server";

let app: RunningApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

async function send(url: string, d: Delivery & { webhookId: string }): Promise<number> {
  const body = JSON.stringify(d.payload);
  try {
    const res = await fetch(`${url}/webhooks/${d.topic}`, {
      method: "POST",
      body,
      headers: webhookHeaders(d.topic, body, { webhookId: d.webhookId, eventId: d.eventKey }),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0; // connection cut by the crash
  }
}

async function crashScenario(env: Record<string, string>) {
  const orders = fc.sample(orderCase, { numRuns: 60, seed: 42 });
  const deliveries = orders.flatMap((o, i) => deliveriesFor(o, 500 + i)).map((d) => ({ ...d, webhookId: d.eventKey }));
  const previous = process.env.TEST_POSTGRES_URL;
  if (env.TEST_POSTGRES_URL) process.env.TEST_POSTGRES_URL = env.TEST_POSTGRES_URL;
  else delete process.env.TEST_POSTGRES_URL;
  try {
    app = await startApp({ WORKER_MODE: "inline", LOG_LEVEL: "error" }); // the embedded default: the applier runs in the killed process too
  } finally {
    if (previous) process.env.TEST_POSTGRES_URL = previous;
    else delete process.env.TEST_POSTGRES_URL;
  }
  const running = app;
  // A burst with 8 senders; the process is killed after about a third has been answered.
  let answered = 0;
  const crashes: Promise<void>[] = []; // the one crash, started by whichever sender gets there first
  const queue = [...deliveries];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let d = queue.shift(); d; d = queue.shift()) {
        if ((await send(running.url, d)) === 200) answered += 1;
        if (crashes.length === 0 && answered >= deliveries.length / 3) crashes.push(running.crash());
      }
    }),
  );
  await Promise.all(crashes);
  expect(answered).toBeLessThan(deliveries.length);
  await running.restart();
  // Shopify retries: every delivery again (duplicates of answered ones included), in another order, twice.
  const redeliveries = [...deliveries, ...deliveries].sort((a, b) => (a.eventKey < b.eventKey ? 1 : -1));
  for (let i = 0; i < redeliveries.length; i += 8) {
    const statuses = await Promise.all(redeliveries.slice(i, i + 8).map((d) => send(running.url, d)));
    expect(statuses.every((s) => s === 200)).toBe(true);
  }
  const db = createPrismaClient(running.databaseUrl);
  try {
    // The routes answered once each delivery was stored; the in-process applier applies them.
    const deadline = Date.now() + 60_000;
    while ((await db.webhookDelivery.count({ where: { outcome: { in: ["received", "failed"] } } })) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await db.webhookDelivery.groupBy({ by: ["outcome"], _count: { _all: true } })).not.toContainEqual(expect.objectContaining({ outcome: expect.stringMatching(/received|failed|rejected/) }));
    const expected = new Map<number, number>();
    orders.forEach((o) => expected.set(o.customer, (expected.get(o.customer) ?? 0) + expectedPoints(o)));
    for (const [customer, points] of expected) {
      const row = await db.customer.findFirst({ where: { shopifyCustomerId: `gid://shopify/Customer/${9000 + customer}` } });
      expect(row?.balance ?? 0, `customer ${customer}`).toBe(points);
    }
    expect(await verifyBalanceCache(db)).toEqual([]);
    const keys = await db.ledgerEntry.groupBy({ by: ["idempotencyKey"], _count: { _all: true } });
    expect(keys.every((k) => k._count._all === 1)).toBe(true);
  } finally {
    await db.$disconnect();
  }
}

describe("crash of a web process in the middle of a webhook burst", () => {
  it("on SQLite: nothing lost, nothing doubled after restart and redelivery", async () => {
    await crashScenario({});
  }, 120_000);

  it("on PostgreSQL: nothing lost, nothing doubled after restart and redelivery", async (ctx) => {
    const url = process.env.TEST_POSTGRES_URL ?? LOCAL_POSTGRES_URL;
    if (!(await postgresReachable(url))) ctx.skip();
    await crashScenario({ TEST_POSTGRES_URL: url });
  }, 120_000);
});
