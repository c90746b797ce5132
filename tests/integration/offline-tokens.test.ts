// Expiring offline tokens as background jobs live with them (app/shopify/offline-token.server.ts):
// renewed before they expire, once per shop however many callers and processes ask, a lost answer
// retried with the stored refresh token, a revoked grant parking the shop's jobs until the merchant
// opens the app, and legacy non-expiring tokens migrated. Against the Admin fake's token endpoint,
// which rotates refresh tokens as Shopify does.
import { afterEach, describe, expect, it } from "vitest";
import { shopifyApi } from "@shopify/shopify-api";
import { PINNED_API_VERSION } from "../../app/shopify/api-version";
import { installShop, prisma, resetDatabase } from "../support/app";
import { drainJobs } from "../support/jobs";
import { createShopifyAdminFake, type ShopifyAdminFake } from "../../dev/shopify-admin-fake";
import { adminRequest, fakeShopTokens, legacyOfflineSession, offlineSession, TEST_SCOPES } from "../../dev/shopify-requests";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL, TEST_SHOP } from "../../dev/harness/test-env";
import { claimJobs, enqueueJob, parkJobForReauthorization } from "../../app/outbox/outbox.server";
import { HttpResponseError } from "@shopify/shopify-api";
import { authenticate, offlineTokens, sessionStorage } from "../../app/shopify.server";
import { createOfflineTokens, ReauthorizationRequired } from "../../app/shopify/offline-token.server";
import { AdminTransientError } from "../../app/shopify/admin-errors";

let fake: ShopifyAdminFake;
let uninstall: () => void;
const SCOPES = TEST_SCOPES.split(",");

/** A shop installed with `session` stored, the fake knowing the same tokens, and `n` customers. */
async function setUp(session = offlineSession(), customers = 3) {
  await resetDatabase();
  fake = createShopifyAdminFake();
  fake.addShop(TEST_SHOP, { ...fakeShopTokens(session), scopes: SCOPES });
  uninstall = fake.install();
  const shop = await installShop();
  await sessionStorage.storeSession(session);
  const ids: string[] = [];
  for (let i = 0; i < customers; i++) {
    const gid = `gid://shopify/Customer/${7100 + i}`;
    fake.seedCustomer(TEST_SHOP, { id: gid });
    ids.push((await prisma.customer.create({ data: { shopId: shop.id, shopifyCustomerId: gid, balance: 10 * (i + 1) } })).id);
  }
  return { shop, customerIds: ids };
}

async function queueMetafieldSyncs(shopId: string, customerIds: string[], tag = "t") {
  await prisma.$transaction(async (tx) => {
    for (const customerId of customerIds) await enqueueJob(tx, { shopId, kind: "sync_customer_metafield", payload: { customerId }, dedupeKey: `${tag}:${customerId}` });
  });
}

const storedSession = () => prisma.session.findUniqueOrThrow({ where: { id: `offline_${TEST_SHOP}` } });
const jobStatuses = async () => (await prisma.outboxJob.findMany({ orderBy: { createdAt: "asc" } })).map((j) => j.status);
const written = (gid: string) => fake.getMetafield(TEST_SHOP, gid, "$app:loyalty", "points");

/** A second "process": its own token renewer (its own lease owner) on the same database. */
function otherProcessTokens(auth?: Parameters<typeof createOfflineTokens>[0]["auth"]) {
  const api = shopifyApi({ apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET, apiVersion: PINNED_API_VERSION, scopes: SCOPES, hostName: new URL(TEST_APP_URL).host, isEmbeddedApp: true, logger: { level: 0 } });
  return createOfflineTokens({
    db: prisma,
    auth: auth ?? api.auth,
    loadSession: (id) => sessionStorage.loadSession(id),
    offlineSessionId: (shop) => api.session.getOfflineId(shop),
    refreshMarginMs: 600_000,
  });
}

afterEach(() => uninstall?.());

describe("expiring offline tokens for background jobs", () => {
  it("a token within the margin is refreshed once before the jobs' calls, and the new pair is stored", async () => {
    const { shop, customerIds } = await setUp(offlineSession(TEST_SHOP, { expiresInMs: 120_000 }));
    const before = await storedSession();
    await queueMetafieldSyncs(shop.id, customerIds);
    await drainJobs();
    expect(await jobStatuses()).toEqual(["done", "done", "done"]);
    expect(fake.oauth.refreshCount(TEST_SHOP)).toBe(1);
    const after = await storedSession();
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.expires!.getTime()).toBeGreaterThan(Date.now() + 3_500_000);
    // Every call after the refresh used the new token; the old one is refused now.
    expect(fake.oauth.currentAccessTokens(TEST_SHOP)).toEqual([after.accessToken]);
    expect(written("gid://shopify/Customer/7100")).toBeDefined();
  });

  it("a fresh token is not refreshed at all", async () => {
    const { shop, customerIds } = await setUp();
    await queueMetafieldSyncs(shop.id, customerIds);
    await drainJobs();
    expect(fake.oauth.calls).toEqual([]);
  });

  it("many callers in two processes at once: one refresh, everyone gets the stored pair", async () => {
    await setUp(offlineSession(TEST_SHOP, { expiresInMs: 60_000 }), 0);
    const other = otherProcessTokens();
    const sessions = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? other : offlineTokens).validSession(TEST_SHOP)));
    expect(fake.oauth.refreshCount(TEST_SHOP)).toBe(1);
    const stored = await storedSession();
    expect(new Set(sessions.map((s) => s.accessToken))).toEqual(new Set([stored.accessToken]));
    expect((await prisma.shop.findFirstOrThrow()).adminTokenLeaseOwner).toBeNull();
  });

  it("a lost refresh answer: the job is retried with the stored refresh token, which Shopify still accepts", async () => {
    const { shop, customerIds } = await setUp(offlineSession(TEST_SHOP, { expiresInMs: 60_000 }), 1);
    const before = await storedSession();
    fake.oauth.loseNextAnswers(1);
    await queueMetafieldSyncs(shop.id, customerIds);
    await drainJobs();
    const [job] = await prisma.outboxJob.findMany();
    expect(job!.status).toBe("queued"); // retried later, not failed
    expect(job!.lastError).toMatch(/offline token refresh failed/);
    expect((await storedSession()).refreshToken).toBe(before.refreshToken); // nothing half-stored
    await drainJobs(10 * 60_000);
    expect((await prisma.outboxJob.findFirstOrThrow()).status).toBe("done");
    expect(fake.oauth.calls.map((c) => [c.status, c.lost ?? false])).toEqual([
      [200, true],
      [200, false],
    ]);
    expect(written("gid://shopify/Customer/7100")).toBeDefined();
  });

  it("a 401 on a token another process already replaced: the caller reloads the stored pair, no second refresh", async () => {
    await setUp(offlineSession(TEST_SHOP), 0);
    const mine = await offlineTokens.validSession(TEST_SHOP);
    // Another process is told its (same) token was refused and renews it; Shopify retires the old one.
    await otherProcessTokens().validSession(TEST_SHOP, { rejectedAccessToken: mine.accessToken });
    expect(fake.oauth.refreshCount()).toBe(1);
    const again = await offlineTokens.validSession(TEST_SHOP, { rejectedAccessToken: mine.accessToken });
    expect(again.accessToken).toBe((await storedSession()).accessToken);
    expect(fake.oauth.refreshCount()).toBe(1);
  });

  it("a revoked grant parks the shop's jobs (not failed, no attempt spent) until the merchant opens the app, then they run", async () => {
    const { shop, customerIds } = await setUp(offlineSession(TEST_SHOP, { expiresInMs: 60_000 }), 3);
    fake.oauth.revoke(TEST_SHOP);
    await queueMetafieldSyncs(shop.id, customerIds);
    await drainJobs();
    const parked = await prisma.outboxJob.findMany();
    expect(parked.map((j) => [j.status, j.attempts])).toEqual([
      ["needs_reauth", 0],
      ["needs_reauth", 0],
      ["needs_reauth", 0],
    ]);
    expect(fake.oauth.calls.map((c) => c.error)).toEqual(["invalid_grant"]); // asked once, not per job
    const marked = await prisma.shop.findFirstOrThrow();
    expect(marked.adminAuthLostAt).not.toBeNull();
    expect(marked.adminAuthLostReason).toMatch(/invalid_grant/);
    // Later rounds do not ask Shopify again.
    await queueMetafieldSyncs(shop.id, customerIds.slice(0, 1), "later");
    await drainJobs(60_000);
    expect(fake.oauth.calls).toHaveLength(1);
    expect(fake.requests.filter((r) => r.outcome !== "oauth")).toHaveLength(0);

    // The merchant opens the app: shopify-app-remix sees no usable token, exchanges the session token
    // for a new pair (expiring), stores it and runs afterAuth, which resumes the parked jobs.
    await authenticate.admin(await adminRequest("/app?embedded=1"));
    const restored = await storedSession();
    expect(restored.accessToken).toMatch(/^shpat_/);
    expect(restored.refreshToken).toMatch(/^shprt_/);
    expect((await prisma.shop.findFirstOrThrow()).adminAuthLostAt).toBeNull();
    expect(new Set(await jobStatuses())).toEqual(new Set(["queued"]));
    await drainJobs();
    expect((await prisma.outboxJob.findMany({ where: { kind: "sync_customer_metafield" } })).map((j) => j.status)).toEqual(["done", "done", "done", "done"]);
    for (const id of customerIds) {
      const c = await prisma.customer.findUniqueOrThrow({ where: { id } });
      expect(JSON.parse(written(c.shopifyCustomerId)!.value)).toMatchObject({ balance: c.balance });
    }
  });

  it("a grant revoked while the stored token still looks fresh: the 401, then invalid_grant, park the jobs (none failed)", async () => {
    const { shop, customerIds } = await setUp(offlineSession(), 2);
    fake.oauth.revoke(TEST_SHOP);
    await queueMetafieldSyncs(shop.id, customerIds);
    await drainJobs();
    expect((await prisma.outboxJob.findMany()).map((j) => [j.status, j.attempts])).toEqual([
      ["needs_reauth", 0],
      ["needs_reauth", 0],
    ]);
    expect(fake.oauth.calls.map((c) => c.error)).toEqual(["invalid_grant"]);
    expect((await storedSession()).accessToken).toBe(""); // the next admin load exchanges a new pair
  });

  it("a legacy token after 2027-01-01: refused and not migratable, so jobs wait; the merchant opening the app brings them back", async () => {
    await resetDatabase();
    fake = createShopifyAdminFake({ oauth: { legacyTokensRejectedFrom: Date.now() - 1000 } });
    const legacy = legacyOfflineSession();
    fake.addShop(TEST_SHOP, { ...fakeShopTokens(legacy), scopes: SCOPES });
    uninstall = fake.install();
    const shop = await installShop();
    await sessionStorage.storeSession(legacy);
    fake.seedCustomer(TEST_SHOP, { id: "gid://shopify/Customer/7200" });
    const customer = await prisma.customer.create({ data: { shopId: shop.id, shopifyCustomerId: "gid://shopify/Customer/7200", balance: 5 } });
    await queueMetafieldSyncs(shop.id, [customer.id]);
    await drainJobs();
    expect(await jobStatuses()).toEqual(["needs_reauth"]);
    expect(fake.oauth.calls.map((c) => [c.grantType, c.error])).toEqual([["migration", "invalid_grant"]]);
    await authenticate.admin(await adminRequest("/app?embedded=1"));
    expect((await storedSession()).refreshToken).toMatch(/^shprt_/);
    await drainJobs();
    expect((await prisma.outboxJob.findFirstOrThrow({ where: { kind: "sync_customer_metafield" } })).status).toBe("done");
    expect(JSON.parse(written("gid://shopify/Customer/7200")!.value)).toMatchObject({ balance: 5 });
  });

  it("access restored while a job was still running: the job is queued again, not parked with nothing to wake it", async () => {
    const { shop, customerIds } = await setUp(offlineSession(), 1);
    await queueMetafieldSyncs(shop.id, customerIds);
    const [job] = await claimJobs(prisma, { owner: "w1", limit: 1, leaseMs: 60_000 });
    // The worker saw ReauthorizationRequired, but the merchant's token exchange cleared the mark first.
    await parkJobForReauthorization(prisma, job!, "ReauthorizationRequired: invalid_grant");
    expect(await prisma.outboxJob.findFirstOrThrow()).toMatchObject({ status: "queued", attempts: 0 });
    // Still marked: parked.
    await prisma.shop.updateMany({ data: { adminAuthLostAt: new Date() } });
    const [again] = await claimJobs(prisma, { owner: "w2", limit: 1, leaseMs: 60_000 });
    await parkJobForReauthorization(prisma, again!, "ReauthorizationRequired: invalid_grant");
    expect(await prisma.outboxJob.findFirstOrThrow()).toMatchObject({ status: "needs_reauth", attempts: 0 });
  });

  it("invalid_grant racing the merchant's token exchange: the pair the exchange stored wins, the shop is not marked", async () => {
    await setUp(offlineSession(TEST_SHOP, { expiresInMs: 60_000 }), 0);
    const exchanged = offlineSession(TEST_SHOP, { accessToken: "shpat_from_exchange", refreshToken: "shprt_from_exchange" });
    const refusingAfterExchange = {
      async refreshToken(): Promise<never> {
        await sessionStorage.storeSession(exchanged); // the merchant opened the app meanwhile
        throw new HttpResponseError({ message: "refused", code: 400, statusText: "Bad Request", body: { error: "invalid_grant" } });
      },
      migrateToExpiringToken: () => Promise.reject(new Error("not used")),
    };
    const session = await otherProcessTokens(refusingAfterExchange).validSession(TEST_SHOP);
    expect(session.accessToken).toBe("shpat_from_exchange");
    expect((await prisma.shop.findFirstOrThrow()).adminAuthLostAt).toBeNull();
  });

  it("a session whose shop was never set up: refused at once, not after waiting for a lease nobody can take", async () => {
    await setUp(offlineSession(TEST_SHOP, { expiresInMs: 60_000 }), 0);
    await prisma.shop.deleteMany();
    const started = Date.now();
    await expect(offlineTokens.validSession(TEST_SHOP)).rejects.toBeInstanceOf(ReauthorizationRequired);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await offlineTokens.renewDue()).toBe(0);
  });

  it("a shop with no offline session: jobs wait for installation instead of failing", async () => {
    const { shop, customerIds } = await setUp(offlineSession(), 1);
    await prisma.session.deleteMany();
    await queueMetafieldSyncs(shop.id, customerIds);
    await drainJobs();
    expect(await jobStatuses()).toEqual(["needs_reauth"]);
  });

  it("a legacy non-expiring token is migrated by the scheduled sweep; a lost migration answer is retried with the original token", async () => {
    const legacy = legacyOfflineSession();
    await setUp(legacy, 0);
    fake.oauth.loseNextAnswers(1);
    expect(await offlineTokens.renewDue()).toBe(0); // the answer was lost: nothing stored, nothing broken
    expect((await storedSession()).accessToken).toBe(legacy.accessToken);
    expect(await offlineTokens.renewDue()).toBe(1);
    const migrated = await storedSession();
    expect(migrated.expires).not.toBeNull();
    expect(migrated.refreshToken).toMatch(/^shprt_/);
    // Shopify answered the retry with the pair it issued the first time, and the legacy token is dead.
    expect(fake.oauth.calls.map((c) => [c.grantType, c.status])).toEqual([
      ["migration", 200],
      ["migration", 200],
    ]);
    expect(fake.oauth.currentAccessTokens(TEST_SHOP)).toEqual([migrated.accessToken]);
    expect(await offlineTokens.renewDue()).toBe(0); // nothing left to do
  });

  it("the token endpoint unreachable: a transient error, the stored pair untouched, no shop marked", async () => {
    await setUp(offlineSession(TEST_SHOP, { expiresInMs: 60_000 }), 0);
    const before = await storedSession();
    fake.failNext(1, { status: 503 });
    await expect(offlineTokens.validSession(TEST_SHOP)).rejects.toBeInstanceOf(AdminTransientError);
    expect(await storedSession()).toEqual(before);
    expect((await prisma.shop.findFirstOrThrow()).adminAuthLostAt).toBeNull();
    await expect(offlineTokens.validSession(TEST_SHOP)).resolves.toMatchObject({ shop: TEST_SHOP });
  });

  it("refuses to hand out a token for a shop marked as needing re-authorisation", async () => {
    await setUp(offlineSession(), 0);
    await prisma.shop.updateMany({ data: { adminAuthLostAt: new Date(), adminAuthLostReason: "invalid_grant" } });
    await expect(offlineTokens.validSession(TEST_SHOP)).rejects.toBeInstanceOf(ReauthorizationRequired);
  });
});
