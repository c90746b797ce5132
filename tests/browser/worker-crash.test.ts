// Separate worker processes (`npm run worker`) share the outbox through the database. One is killed
// with -9 while holding jobs; the Admin API throttles and fails now and then. When the dust settles:
// every code exists in Shopify exactly once, no job is stuck, no entry is doubled.
import type { ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createShopifyAdminFake, startShopifyAdminFakeServer } from "../../dev/shopify-admin-fake";
import { createTestDatabase, dropTestDatabase } from "../../dev/harness/database";
import { testDatabaseUrl, testEnv, TEST_SHOP } from "../../dev/harness/test-env";
import { createPrismaClient } from "../../app/platform/db.server";
import { appendEntries } from "../../app/ledger/ledger.server";
import { verifyBalanceCache } from "../../app/ledger/balances.server";
import { redeemReward } from "../../app/features/codes/codes.server";
import { fakeShopTokens, offlineSession, offlineSessionRow } from "../../dev/shopify-requests";
import { spawnWorker } from "../../dev/harness/worker-process";

const root = path.resolve(import.meta.dirname, "../..");
const children: ChildProcess[] = [];
afterAll(() => children.forEach((c) => c.kill("SIGKILL")));

const outputs: Array<() => string> = [];
const stderr = () => outputs.map((o) => o()).join("\n");
function startWorker(env: Record<string, string>): ChildProcess {
  const { child, output } = spawnWorker(root, env);
  outputs.push(output);
  children.push(child);
  return child;
}

describe("worker processes under faults", () => {
  it("a worker killed with -9 mid-jobs, throttling and 5xx: each code is created exactly once and no job is stuck", async () => {
    const databaseUrl = testDatabaseUrl(`workers_${Date.now()}_${process.pid}`);
    await createTestDatabase(databaseUrl);
    const db = createPrismaClient(databaseUrl);
    const fake = createShopifyAdminFake({ bucket: { maximumAvailable: 200, restoreRate: 50 } });
    const session = offlineSession();
    fake.addShop(TEST_SHOP, fakeShopTokens(session));
    const server = await startShopifyAdminFakeServer(fake);
    try {
      await db.session.create({ data: offlineSessionRow(session) });
      const shop = await db.shop.create({ data: { domain: TEST_SHOP } });
      const reward = await db.reward.create({ data: { shopId: shop.id, name: "$5 off", pointsCost: 100, discountType: "fixed_amount", value: "5.00" } });
      const customers = await Promise.all(
        Array.from({ length: 12 }, async (_, i) => {
          const c = await db.customer.create({ data: { shopId: shop.id, shopifyCustomerId: `gid://shopify/Customer/${6000 + i}` } });
          fake.seedCustomer(TEST_SHOP, { id: c.shopifyCustomerId, numberOfOrders: 1 });
          await db.$transaction((tx) => appendEntries(tx, [{ shopId: shop.id, customerId: c.id, points: 500, kind: "manual", availableAt: new Date(), idempotencyKey: `seed:${c.id}`, actor: "staff:test" }]));
          return c;
        }),
      );
      // 60 redemptions -> 60 code jobs (+ metafield syncs), all queued before any worker runs.
      for (const c of customers) for (let k = 0; k < 5; k++) expect((await redeemReward(db, { shopId: shop.id, customerId: c.id, rewardId: reward.id, actor: "shopper" })).ok).toBe(true);

      fake.failNext(3, { status: 503 });
      fake.throttleNext(3);
      fake.failAfterCommit(2);
      const env = { ...testEnv(databaseUrl), WORKER_MODE: "off", NODE_ENV: "production", FAKE_ADMIN_URL: server.url, LOG_LEVEL: "error" };
      // The first worker's first calls hang (Shopify not answering), so it is killed while holding leases.
      fake.timeoutNext(2);
      const first = startWorker(env);
      let orphaned = 0;
      for (let i = 0; i < 400 && orphaned === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        orphaned = await db.outboxJob.count({ where: { status: "running", leaseOwner: `worker-${first.pid}` } });
      }
      // It gave the web processes the CPU first (WORKER_NICE, default 10).
      expect(os.getPriority(first.pid!)).toBe(10);
      first.kill("SIGKILL");
      expect(orphaned).toBeGreaterThan(0);
      fake.releaseHanging();
      // Its leases would expire after 60 s; expire them now instead of waiting.
      await db.outboxJob.updateMany({ where: { status: "running" }, data: { leaseUntil: new Date(Date.now() - 1000) } });
      startWorker(env);
      startWorker(env);

      const deadline = Date.now() + 90_000;
      for (;;) {
        const pending = await db.outboxJob.count({ where: { kind: "create_discount_code", status: { not: "done" } } });
        if (pending === 0 || Date.now() > deadline) break;
        // Throttled/failed jobs wait for their backoff; pull them forward so the test does not sleep.
        await db.outboxJob.updateMany({ where: { status: "queued" }, data: { runAfter: new Date() } });
        await new Promise((r) => setTimeout(r, 300));
      }
      const codes = await db.issuedCode.findMany();
      const jobs = await db.outboxJob.findMany({ where: { status: { not: "done" }, kind: "create_discount_code" }, select: { kind: true, status: true, attempts: true, lastError: true, leaseOwner: true } });
      expect(codes).toHaveLength(60);
      expect(
        codes.filter((c) => c.status !== "issued").map((c) => c.status),
        JSON.stringify(jobs.slice(0, 5)) + stderr().slice(-2000),
      ).toEqual([]);
      expect(await db.outboxJob.count({ where: { kind: "create_discount_code", status: { not: "done" } } })).toBe(0);
      const inShopify = fake
        .discounts(TEST_SHOP)
        .map((d) => d.code)
        .sort();
      expect(inShopify).toEqual(codes.map((c) => c.code).sort()); // each exactly once
      expect(await verifyBalanceCache(db)).toEqual([]);
      expect((await db.customer.findMany()).every((c) => c.balance === 0)).toBe(true);
    } finally {
      children.forEach((c) => c.kill("SIGKILL"));
      await db.$disconnect();
      await server.close();
      await dropTestDatabase(databaseUrl);
    }
  }, 150_000);
});
