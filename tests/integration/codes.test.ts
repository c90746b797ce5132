import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { installShop, prisma, resetDatabase } from "../support/app";
import { sendWebhook } from "../support/webhooks";
import { orderPayload } from "../../dev/payloads/order-fixtures";
import { installAdminFake } from "../support/admin-fake";
import { drainJobs } from "../support/jobs";
import { JOB_HANDLERS } from "../../app/jobs/handlers.server";
import { appJobContext } from "../../app/worker/app-context.server";
import { runWorkerOnce } from "../../app/worker/worker.server";
import { claimJobs } from "../../app/outbox/outbox.server";
import { saveSettings } from "../../app/features/program/save-settings.server";
import { appendEntries } from "../../app/ledger/ledger.server";
import { verifyBalanceCache } from "../../app/ledger/balances.server";
import { expireCodes, redeemReward, EXPIRY_GRACE_MS } from "../../app/features/codes/codes.server";
import { programSettingsSchema } from "../../app/domain/settings";
import type { ShopifyAdminFake } from "../../dev/shopify-admin-fake";
import { TEST_SHOP } from "../../dev/harness/test-env";

let fake: ShopifyAdminFake;
let uninstall: () => void;
let shopId: string;

async function memberWith(points: number, numeric = 9100) {
  const c = await prisma.customer.create({ data: { shopId, shopifyCustomerId: `gid://shopify/Customer/${numeric}`, email: `m${numeric}@example.com` } });
  fake.seedCustomer(TEST_SHOP, { id: c.shopifyCustomerId, numberOfOrders: 1 });
  if (points !== 0)
    await prisma.$transaction((tx) => appendEntries(tx, [{ shopId, customerId: c.id, points, kind: "manual", availableAt: new Date(), idempotencyKey: `seed:${c.id}`, actor: "staff:test", reason: "seed" }]));
  return c;
}

async function reward(data: Partial<{ name: string; pointsCost: number; discountType: string; value: string; validityDays: number; active: boolean }> = {}) {
  return prisma.reward.create({ data: { shopId, name: "$5 off", pointsCost: 500, discountType: "fixed_amount", value: "5.00", validityDays: 30, ...data } });
}

beforeEach(async () => {
  await resetDatabase();
  shopId = (await installShop()).id;
  ({ fake, uninstall } = installAdminFake());
});
afterEach(() => uninstall());

describe("welcome thank-you code", () => {
  beforeEach(async () => {
    await prisma.$transaction((tx) =>
      saveSettings(
        tx,
        shopId,
        programSettingsSchema.parse({ welcomeBonusPoints: 50, welcomeCode: { enabled: true, discountType: "percentage", value: "15", validityDays: 30, combinesWith: { shippingDiscounts: true } } }),
        "staff:test",
      ),
    );
  });

  it("a first order gets one single-use code bound to the customer, valid 30 days, however often the webhook comes", async () => {
    fake.seedCustomer(TEST_SHOP, { id: "gid://shopify/Customer/9001", numberOfOrders: 1 });
    for (const id of ["x", "y"]) await sendWebhook("orders/paid", orderPayload({ id: 7001, customerId: 9001, lines: [{ id: 1, price: "40.00" }], processedAt: "2026-11-20T15:00:00Z" }), { webhookId: id });
    await drainJobs();
    const codes = await prisma.issuedCode.findMany();
    expect(codes).toHaveLength(1);
    expect(codes[0]).toMatchObject({ source: "welcome", status: "issued", code: expect.stringMatching(/^WELCOME-[2-9A-HJ-NP-Z]{8}$/) });
    const inShopify = fake.findDiscountByCode(TEST_SHOP, codes[0]!.code)!;
    expect(inShopify).toBeDefined();
    expect(codes[0]!.shopifyDiscountId).toBe(inShopify.id);
    expect(inShopify).toMatchObject({ usageLimit: 1, appliesOncePerCustomer: true, customers: ["gid://shopify/Customer/9001"] });
    // 30 days from the order, to the end of that local day (shop in UTC here).
    expect(codes[0]!.endsAt.toISOString()).toBe("2026-12-20T23:59:59.999Z");
    expect(fake.discounts(TEST_SHOP)).toHaveLength(1);
  });

  it("a crash after Shopify created the code but before the app heard back does not create a second code", async () => {
    fake.seedCustomer(TEST_SHOP, { id: "gid://shopify/Customer/9002", numberOfOrders: 1 });
    await sendWebhook("orders/paid", orderPayload({ id: 7002, customerId: 9002, lines: [{ id: 1, price: "40.00" }] }));
    // Only the first-order check: it writes the code row and queues its creation.
    await runWorkerOnce(appJobContext(), { first_order_check: JOB_HANDLERS.first_order_check });
    fake.failAfterCommit(1); // Shopify creates the discount, then the answer is lost (502)
    // Only the code's creation: the customer's metafield sync, due once its 10 s window closes,
    // would otherwise take the injected fault in its place when the test runs across a window edge.
    await drainJobs(0, ["create_discount_code"]);
    expect(fake.discounts(TEST_SHOP)).toHaveLength(1);
    expect((await prisma.issuedCode.findFirstOrThrow()).status).toBe("creating");
    await drainJobs(60_000, ["create_discount_code"]); // retry finds the existing code
    expect(fake.discounts(TEST_SHOP)).toHaveLength(1);
    expect(await prisma.issuedCode.findFirstOrThrow()).toMatchObject({ status: "issued", shopifyDiscountId: fake.discounts(TEST_SHOP)[0]!.id });
  });

  it("a worker that dies holding a job (lease) is replaced once the lease expires; the code is still made once", async () => {
    fake.seedCustomer(TEST_SHOP, { id: "gid://shopify/Customer/9003", numberOfOrders: 1 });
    await sendWebhook("orders/paid", orderPayload({ id: 7003, customerId: 9003, lines: [{ id: 1, price: "40.00" }] }));
    const [claimed] = await claimJobs(prisma, { owner: "dead-worker", limit: 1, leaseMs: 30_000, kinds: ["first_order_check"] });
    expect(claimed).toBeDefined();
    await drainJobs(); // lease still held: nothing to do
    expect(await prisma.outboxJob.findFirstOrThrow({ where: { kind: "first_order_check" } })).toMatchObject({ status: "running", leaseOwner: "dead-worker" });
    await drainJobs(31_000);
    await drainJobs(31_000);
    expect(await prisma.outboxJob.count({ where: { status: { not: "done" }, kind: { in: ["first_order_check", "create_discount_code"] } } })).toBe(0);
    expect(fake.discounts(TEST_SHOP)).toHaveLength(1);
  });
});

describe("redeeming points for a reward", () => {
  it("debits the points and issues a single-use customer code; not enough points or a debt is refused clearly", async () => {
    const c = await memberWith(600);
    const r = await reward();
    const result = await redeemReward(prisma, { shopId, customerId: c.id, rewardId: r.id, actor: "shopper" });
    expect(result).toMatchObject({ ok: true, balance: 100 });
    await drainJobs();
    const code = await prisma.issuedCode.findFirstOrThrow();
    expect(code).toMatchObject({ source: "redemption", status: "issued", pointsSpent: 500 });
    expect(fake.findDiscountByCode(TEST_SHOP, code.code)).toMatchObject({ customers: [c.shopifyCustomerId], usageLimit: 1 });
    const again = await redeemReward(prisma, { shopId, customerId: c.id, rewardId: r.id, actor: "shopper" });
    expect(again).toMatchObject({ ok: false, reason: "insufficient_points", message: "You need 400 points more for $5 off." });

    const debtor = await memberWith(-20, 9101);
    const refused = await redeemReward(prisma, { shopId, customerId: debtor.id, rewardId: (await reward({ pointsCost: 1 })).id, actor: "shopper" });
    expect(refused).toMatchObject({ ok: false, reason: "in_debt" });
    expect(await verifyBalanceCache(prisma)).toEqual([]);
  });

  it("a hundred concurrent redemptions with points for ten: exactly ten succeed and the balance never goes below zero", async () => {
    const c = await memberWith(5000);
    const r = await reward();
    const results = await Promise.all(Array.from({ length: 100 }, () => redeemReward(prisma, { shopId, customerId: c.id, rewardId: r.id, actor: "shopper" })));
    expect(results.filter((x) => x.ok)).toHaveLength(10);
    expect(results.filter((x) => !x.ok).every((x) => !x.ok && x.reason === "insufficient_points")).toBe(true);
    // Every successful answer saw a non-negative balance after its debit.
    expect(results.filter((x) => x.ok).every((x) => x.ok && x.balance >= 0)).toBe(true);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).balance).toBe(0);
    expect(await prisma.issuedCode.count()).toBe(10);
    expect(await verifyBalanceCache(prisma)).toEqual([]);
  });

  it("a code Shopify will never accept fails visibly and gives the points back", async () => {
    const c = await memberWith(500);
    const r = await reward({ discountType: "percentage", value: "150" }); // > 100 %: rejected before any call
    await redeemReward(prisma, { shopId, customerId: c.id, rewardId: r.id, actor: "shopper" });
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).balance).toBe(0);
    await drainJobs();
    expect(await prisma.outboxJob.findFirstOrThrow({ where: { kind: "create_discount_code" } })).toMatchObject({ status: "failed", lastError: expect.stringMatching(/percent/i) });
    expect(await prisma.issuedCode.findFirstOrThrow()).toMatchObject({ status: "failed" });
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).balance).toBe(500);
    expect(await prisma.ledgerEntry.findFirst({ where: { kind: "redemption_return" } })).toMatchObject({ points: 500, actor: "system:codes" });
  });

  it("a 5xx while creating the code is retried and then succeeds", async () => {
    const c = await memberWith(500);
    await redeemReward(prisma, { shopId, customerId: c.id, rewardId: (await reward()).id, actor: "shopper" });
    fake.failNext(2, { status: 500 });
    await drainJobs();
    await drainJobs(60_000);
    await drainJobs(120_000);
    expect(await prisma.issuedCode.findFirstOrThrow()).toMatchObject({ status: "issued" });
    expect(fake.discounts(TEST_SHOP)).toHaveLength(1);
  });
});

describe("code lifecycle", () => {
  it("an order that uses the code marks it used with the order and its revenue", async () => {
    const c = await memberWith(500, 9200);
    await redeemReward(prisma, { shopId, customerId: c.id, rewardId: (await reward()).id, actor: "shopper" });
    await drainJobs();
    const code = await prisma.issuedCode.findFirstOrThrow();
    await sendWebhook("orders/paid", orderPayload({ id: 7100, customerId: 9200, lines: [{ id: 1, price: "45.00", discount: "5.00" }], discountCodes: [code.code.toLowerCase()] }));
    expect(await prisma.issuedCode.findFirstOrThrow()).toMatchObject({ status: "used", usedByOrderId: "gid://shopify/Order/7100", usedRevenue: "40.00" });
  });

  it("an unused redemption code expires after its end (plus the late-webhook grace) and its points come back once", async () => {
    const c = await memberWith(500);
    await redeemReward(prisma, { shopId, customerId: c.id, rewardId: (await reward({ validityDays: 1 })).id, actor: "shopper" });
    await drainJobs();
    const code = await prisma.issuedCode.findFirstOrThrow();
    expect(await expireCodes(prisma, new Date(code.endsAt.getTime() + 1000))).toBe(0); // still in the grace period
    const later = new Date(code.endsAt.getTime() + EXPIRY_GRACE_MS + 1000);
    const runs = await Promise.all([expireCodes(prisma, later), expireCodes(prisma, later)]);
    expect(runs[0]! + runs[1]!).toBe(1);
    expect(await prisma.issuedCode.findFirstOrThrow()).toMatchObject({ status: "expired" });
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).balance).toBe(500);
  });

  it("when the merchant chose so, expired codes keep the points spent", async () => {
    await prisma.$transaction((tx) => saveSettings(tx, shopId, programSettingsSchema.parse({ expiredCodesReturnPoints: false }), "staff:test"));
    const c = await memberWith(500);
    await redeemReward(prisma, { shopId, customerId: c.id, rewardId: (await reward({ validityDays: 1 })).id, actor: "shopper" });
    await drainJobs();
    const code = await prisma.issuedCode.findFirstOrThrow();
    await expireCodes(prisma, new Date(code.endsAt.getTime() + EXPIRY_GRACE_MS + 1000));
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).balance).toBe(0);
  });

  it("a code's end is the end of the shop's local day, across a DST change", async () => {
    await prisma.shop.update({ where: { id: shopId }, data: { ianaTimezone: "America/New_York" } });
    const c = await memberWith(500);
    const result = await redeemReward(prisma, { shopId, customerId: c.id, rewardId: (await reward({ validityDays: 1 })).id, actor: "shopper", now: new Date("2026-03-07T17:00:00Z") });
    // Issued Saturday 7 March (EST); valid through Sunday 8 March, which ends at 00:00 EDT (04:00Z) on the 9th.
    expect(result.ok && result.code.endsAt.toISOString()).toBe("2026-03-09T03:59:59.999Z");
  });
});
