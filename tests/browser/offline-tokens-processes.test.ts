// Expiring offline tokens across processes, on PostgreSQL: two web processes (each with its inline
// worker) and two `npm run worker` processes run 1,000 code jobs for two shops while Shopify's access
// tokens expire every 3 seconds. Along the way a refresh answer is lost, and the process holding a
// shop's refresh lease is killed with -9 after Shopify carried the refresh out but before the answer
// arrived. When the dust settles: every code exists in Shopify exactly once, no job failed or waits
// for re-authorisation, and the refresh calls number about one per expiry per shop, never one per job.
//
// Runs whenever the local PostgreSQL is reachable (and must, in CI).
import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createShopifyAdminFake, startShopifyAdminFakeServer } from "../../dev/shopify-admin-fake";
import { createTestDatabase, dropTestDatabase, LOCAL_POSTGRES_URL, postgresReachable } from "../../dev/harness/database";
import { fakeShopTokens, offlineSession, offlineSessionRow, TEST_SCOPES } from "../../dev/shopify-requests";
import { testEnv } from "../../dev/harness/test-env";
import { startApp, type RunningApp } from "../../dev/harness/app-server";
import { spawnWorker } from "../../dev/harness/worker-process";
import { createPrismaClient, type Db } from "../../app/platform/db.server";
import { appendEntries } from "../../app/ledger/ledger.server";
import { redeemReward } from "../../app/features/codes/codes.server";

const root = path.resolve(import.meta.dirname, "../..");
const TOKEN_LIFETIME_MS = 3_000;
const MARGIN_SECONDS = 1;
const SHOPS = ["tokens-alpha.myshopify.com", "tokens-bravo.myshopify.com"];
const CUSTOMERS_PER_SHOP = 125;
const REDEMPTIONS_PER_CUSTOMER = 4; // 2 shops x 125 x 4 = 1,000 code jobs

const children: ChildProcess[] = [];
const apps: RunningApp[] = [];
afterAll(async () => {
  children.forEach((c) => c.kill("SIGKILL"));
  await Promise.all(apps.map((a) => a.crash().catch(() => undefined)));
});

const workerOutputs: Array<() => string> = [];
const workerOutput = () => workerOutputs.map((o) => o()).join("\n");
function startWorker(env: Record<string, string>): ChildProcess {
  const { child, output } = spawnWorker(root, env);
  workerOutputs.push(output);
  children.push(child);
  return child;
}

async function seedShop(db: Db, domain: string, index: number) {
  const shop = await db.shop.create({ data: { domain } });
  const reward = await db.reward.create({ data: { shopId: shop.id, name: "$5 off", pointsCost: 100, discountType: "fixed_amount", value: "5.00" } });
  const customers = await Promise.all(Array.from({ length: CUSTOMERS_PER_SHOP }, (_, i) => db.customer.create({ data: { shopId: shop.id, shopifyCustomerId: `gid://shopify/Customer/${(index + 1) * 100_000 + i}` } })));
  await db.$transaction((tx) =>
    appendEntries(
      tx,
      customers.map((c) => ({ shopId: shop.id, customerId: c.id, points: 100 * REDEMPTIONS_PER_CUSTOMER, kind: "manual" as const, availableAt: new Date(), idempotencyKey: `seed:${c.id}`, actor: "staff:test" })),
    ),
  );
  return { shop, reward, customers };
}

describe("expiring offline tokens, several processes", async () => {
  const reachable = await postgresReachable(LOCAL_POSTGRES_URL);
  it.runIf(reachable || process.env.CI)(
    "1,000 jobs on 2 web + 2 worker processes with 3 s tokens, a lost refresh answer and a kill -9 mid-refresh: each code once, no job failed, one refresh per expiry",
    async () => {
      const databaseUrl = Object.assign(new URL(LOCAL_POSTGRES_URL), { pathname: `/loyalty_test_tokens_${Date.now()}_${process.pid}` }).toString();
      await createTestDatabase(databaseUrl);
      const db = createPrismaClient(databaseUrl);
      const fake = createShopifyAdminFake({ bucket: { maximumAvailable: 1_000_000, restoreRate: 100_000 }, oauth: { accessTokenLifetimeMs: TOKEN_LIFETIME_MS } });
      const server = await startShopifyAdminFakeServer(fake);
      const previousNodeArgs = process.env.APP_NODE_ARGS;
      const t0 = Date.now();
      if (process.env.TOKENS_TRACE) process.stderr.write("[tokens] start\n");
      try {
        const seeded = [];
        for (const [i, domain] of SHOPS.entries()) {
          const session = offlineSession(domain, { expiresInMs: TOKEN_LIFETIME_MS, accessToken: `shpat_start_${i}`, refreshToken: `shprt_start_${i}` });
          fake.addShop(domain, { ...fakeShopTokens(session), scopes: TEST_SCOPES.split(",") });
          await db.session.create({ data: offlineSessionRow(session) });
          const s = await seedShop(db, domain, i);
          for (const c of s.customers) fake.seedCustomer(domain, { id: c.shopifyCustomerId, numberOfOrders: 1 });
          seeded.push(s);
        }
        // Redemptions queue the code jobs before any process runs (a few at a time: the pool has 10 connections).
        for (const { shop, reward, customers } of seeded) {
          for (let k = 0; k < REDEMPTIONS_PER_CUSTOMER; k++) {
            for (let i = 0; i < customers.length; i += 8) {
              await Promise.all(customers.slice(i, i + 8).map(async (c) => expect((await redeemReward(db, { shopId: shop.id, customerId: c.id, rewardId: reward.id, actor: "shopper" })).ok).toBe(true)));
            }
          }
        }
        expect(await db.outboxJob.count({ where: { kind: "create_discount_code" } })).toBe(1000);
        const phase = (what: string) => process.env.TOKENS_TRACE && process.stderr.write(`[tokens] ${what} after ${Date.now() - t0} ms; ${fake.oauth.calls.length} token calls\n`);
        phase("seeded");

        const env = { ...testEnv(databaseUrl), NODE_ENV: "production", FAKE_ADMIN_URL: server.url, OFFLINE_TOKEN_REFRESH_MARGIN_SECONDS: String(MARGIN_SECONDS), LOG_LEVEL: "error" };
        process.env.APP_NODE_ARGS = "--import tsx --import ./dev/preload-admin-fake-server.mjs";
        const startedAt = Date.now();
        apps.push(await startApp({ ...env, WORKER_MODE: "inline" }, { databaseUrl }));
        apps.push(await startApp({ ...env, WORKER_MODE: "inline" }, { databaseUrl }));
        const workers = [startWorker({ ...env, WORKER_MODE: "off" }), startWorker({ ...env, WORKER_MODE: "off" })];
        const done = () => db.outboxJob.count({ where: { kind: "create_discount_code", status: "done" } });
        const waitFor = async (what: string, check: () => Promise<boolean> | boolean, ms = 60_000) => {
          const until = Date.now() + ms;
          while (!(await check())) {
            if (Date.now() > until) throw new Error(`timed out waiting for ${what}; ${await done()} codes done\n${workerOutput().slice(-2000)}`);
            await new Promise((r) => setTimeout(r, 50));
          }
        };

        // A refresh whose answer is lost: retried with the stored refresh token.
        phase("processes started");
        await waitFor("the first codes", async () => (await done()) > 100);
        phase("100 codes");
        fake.oauth.loseNextAnswers(1);
        await waitFor("the lost answer", () => fake.oauth.calls.some((c) => c.lost));

        // kill -9 the process that holds a shop's refresh lease while Shopify's answer is on its way.
        phase("lost answer");
        fake.oauth.holdNextAnswers(1);
        await waitFor("a held refresh", () => fake.oauth.heldCount > 0);
        const leased = await db.shop.findFirstOrThrow({ where: { adminTokenLeaseOwner: { not: null } } });
        const pid = Number(leased.adminTokenLeaseOwner!.split("-").at(-2));
        const killedWorker = workers.find((w) => w.pid === pid);
        const killedApp = apps.find((a) => a.pid() === pid);
        expect(killedWorker ?? killedApp, `lease owner ${leased.adminTokenLeaseOwner}`).toBeDefined();
        if (killedWorker) {
          killedWorker.kill("SIGKILL");
          startWorker({ ...env, WORKER_MODE: "off" });
        } else {
          await killedApp!.crash();
        }
        fake.oauth.releaseHeld();
        // Its leases would expire by themselves (token lease 25 s, job leases 60 s); expire them now.
        await db.shop.updateMany({ where: { adminTokenLeaseOwner: leased.adminTokenLeaseOwner }, data: { adminTokenLeaseUntil: new Date(Date.now() - 1000) } });
        await db.outboxJob.updateMany({ where: { status: "running", leaseOwner: { startsWith: `worker-${pid}` } }, data: { leaseUntil: new Date(Date.now() - 1000) } });
        if (killedApp) await killedApp.restart();
        phase(`killed ${killedWorker ? "a worker" : "a web process"}`);

        await waitFor(
          "every code job",
          async () => {
            // Jobs retried after the lost answer wait for their backoff; pull them forward so the test does not sleep.
            // (A write conflict with a worker's claim is fine: the next round pulls them.)
            await db.outboxJob.updateMany({ where: { status: "queued", kind: "create_discount_code" }, data: { runAfter: new Date() } }).catch(() => undefined);
            return (await done()) === 1000;
          },
          120_000,
        );
        const elapsedMs = Date.now() - startedAt;

        const codes = await db.issuedCode.findMany();
        expect(codes).toHaveLength(1000);
        expect(codes.filter((c) => c.status !== "issued")).toEqual([]);
        for (const domain of SHOPS) {
          const shopRow = await db.shop.findUniqueOrThrow({ where: { domain } });
          const mine = codes
            .filter((c) => c.shopId === shopRow.id)
            .map((c) => c.code)
            .sort();
          expect(
            fake
              .discounts(domain)
              .map((d) => d.code)
              .sort(),
          ).toEqual(mine); // each exactly once
          expect(shopRow.adminAuthLostAt).toBeNull();
        }
        expect(await db.outboxJob.count({ where: { status: { in: ["failed", "needs_reauth"] } } })).toBe(0);
        expect(fake.oauth.calls.filter((c) => c.status !== 200)).toEqual([]); // never refused: the rotation held

        // About one refresh per expiry per shop: a token is renewed once it has less than the margin left,
        // so at most every (lifetime - margin) per shop, plus the lost and the killed ones; never one per job.
        const refreshes = fake.oauth.refreshCount();
        const expiries = Math.ceil(elapsedMs / (TOKEN_LIFETIME_MS - MARGIN_SECONDS * 1000)) * SHOPS.length;
        console.log(`offline tokens: ${refreshes} refreshes for ${SHOPS.length} shops in ${elapsedMs} ms (expiry bound ${expiries}), ${fake.oauth.calls.length} token calls, 1000 jobs`);
        expect(refreshes).toBeGreaterThanOrEqual(SHOPS.length);
        expect(refreshes).toBeLessThanOrEqual(expiries + 4);
        expect(refreshes).toBeLessThan(1000 / 10);
      } finally {
        if (previousNodeArgs === undefined) delete process.env.APP_NODE_ARGS;
        else process.env.APP_NODE_ARGS = previousNodeArgs;
        children.forEach((c) => c.kill("SIGKILL"));
        await Promise.all(apps.splice(0).map((a) => a.crash().catch(() => undefined)));
        await db.$disconnect();
        await server.close();
        await dropTestDatabase(databaseUrl);
      }
    },
    240_000,
  );
});
