import { beforeEach, describe, expect, it } from "vitest";
import { installShop, prisma, resetDatabase, rowCounts } from "../support/app";
import { sendWebhook } from "../support/webhooks";
import { cancelledPayload, orderPayload, refundPayload } from "../../dev/payloads/order-fixtures";
import { appendEntries } from "../../app/ledger/ledger.server";
import { releaseMaturedPoints, verifyBalanceCache } from "../../app/ledger/balances.server";
import { saveSettings } from "../../app/features/program/save-settings.server";
import { programSettingsSchema } from "../../app/domain/settings";
import { TEST_SHOP } from "../../dev/harness/test-env";

const CUSTOMER = 7001;
const customerGid = `gid://shopify/Customer/${CUSTOMER}`;

async function customer(gid = customerGid) {
  return prisma.customer.findFirstOrThrow({ where: { shopifyCustomerId: gid } });
}

async function entries(orderNumeric?: number) {
  return prisma.ledgerEntry.findMany({ where: orderNumeric ? { orderId: `gid://shopify/Order/${orderNumeric}` } : {}, orderBy: { createdAt: "asc" } });
}

async function setSettings(input: Record<string, unknown>) {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
  await prisma.$transaction((tx) => saveSettings(tx, shop.id, programSettingsSchema.parse(input), "staff:test"));
}

async function expectCacheConsistent() {
  expect(await verifyBalanceCache(prisma)).toEqual([]);
}

const order = (id: number, extra: Partial<Parameters<typeof orderPayload>[0]> = {}) =>
  orderPayload({
    id,
    customerId: CUSTOMER,
    lines: [
      { id: id * 10 + 1, price: "60.00" },
      { id: id * 10 + 2, price: "29.99" },
    ],
    shipping: "10.00",
    ...extra,
  });

describe("orders/paid earns points", () => {
  beforeEach(async () => {
    await resetDatabase();
    await installShop();
  });

  it("a fresh install earns 1 point per dollar of merchandise, shipping excluded, rounded down", async () => {
    const res = await sendWebhook("orders/paid", order(1001), { webhookId: "w-1", eventId: "e-1" });
    expect(res.status).toBe(200);
    expect(res).toMatchObject({ outcome: "applied" });
    const [earn] = await entries(1001);
    expect(earn).toMatchObject({
      points: 89,
      kind: "earn",
      status: "available",
      webhookId: "w-1",
      eventId: "e-1",
      actor: "webhook:orders/paid",
      settingsVersion: 0,
      idempotencyKey: "order:gid://shopify/Order/1001:earn",
    });
    expect(JSON.parse(earn!.ruleSnapshot!)).toMatchObject({ pointsPerUnit: "1", rounding: "down", base: "89.99", multiplier: "1" });
    const c = await customer();
    expect(c).toMatchObject({ balance: 89, pending: 0, lifetimeEarned: 89, email: "customer7001@example.com" });
    await expectCacheConsistent();
  });

  it("the same delivery twice, and the same order under a new webhook id, earn once", async () => {
    await sendWebhook("orders/paid", order(1002), { webhookId: "w-dup" });
    const again = await sendWebhook("orders/paid", order(1002), { webhookId: "w-dup" });
    expect(again.body).toMatchObject({ outcome: "duplicate" });
    const redelivered = await sendWebhook("orders/paid", order(1002), { webhookId: "w-other" });
    expect(redelivered.status).toBe(200);
    expect(redelivered).toMatchObject({ outcome: "skipped", reason: "order already processed" });
    expect(await entries(1002)).toHaveLength(1);
    expect((await customer()).balance).toBe(89);
  });

  it("concurrent deliveries of one order under different webhook ids earn once", async () => {
    const results = await Promise.all([1, 2, 3, 4].map((n) => sendWebhook("orders/paid", order(1003), { webhookId: `w-conc-${n}` })));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(await entries(1003)).toHaveLength(1);
    expect((await customer()).balance).toBe(89);
    await expectCacheConsistent();
  });

  it("guest orders earn nothing and are counted as skipped", async () => {
    const res = await sendWebhook("orders/paid", orderPayload({ id: 1004, customerId: null, lines: [{ id: 1, price: "50.00" }] }), { webhookId: "w-guest" });
    expect(res).toMatchObject({ outcome: "skipped", reason: "guest_order" });
    expect(await prisma.ledgerEntry.count()).toBe(0);
    expect(await prisma.webhookDelivery.findFirstOrThrow({ where: { webhookId: "w-guest" } })).toMatchObject({ outcome: "skipped", reason: "guest_order" });
  });

  it("settings decide the base: shipping and taxes toggles, rate 0.5 rounded to nearest; the entry names the settings version", async () => {
    await setSettings({ pointsPerUnit: "0.5", includeShipping: true, includeTaxes: true, rounding: "nearest" });
    // (60 + 29.99 + 6.00 tax) + (10 shipping + 1 tax) = 106.99 x 0.5 = 53.495 -> 53
    await sendWebhook(
      "orders/paid",
      orderPayload({
        id: 1005,
        customerId: CUSTOMER,
        lines: [
          { id: 1, price: "60.00", tax: "6.00" },
          { id: 2, price: "29.99" },
        ],
        shipping: "10.00",
        shippingTax: "1.00",
      }),
    );
    const [earn] = await entries(1005);
    expect(earn).toMatchObject({ points: 53, settingsVersion: 1 });
  });

  it("test orders, a paused program and excluded tags earn nothing, with the reason recorded", async () => {
    expect(await sendWebhook("orders/paid", order(1006, { test: true }))).toMatchObject({ outcome: "skipped", reason: "test_order" });
    await setSettings({ excludedOrderTags: ["wholesale"] });
    expect(await sendWebhook("orders/paid", order(1007, { tags: "Wholesale, vip" }))).toMatchObject({ outcome: "skipped", reason: "excluded_tag" });
    await setSettings({ enabled: false });
    expect(await sendWebhook("orders/paid", order(1008))).toMatchObject({ outcome: "skipped", reason: "program_paused" });
    expect(await prisma.ledgerEntry.count()).toBe(0);
    const records = await prisma.orderRecord.findMany({ orderBy: { orderId: "asc" } });
    expect(records.map((r) => r.earnOutcome)).toEqual(["skipped:test_order", "skipped:excluded_tag", "skipped:program_paused"]);
  });

  it("a signed but malformed orders/paid gets 422 and writes no entry", async () => {
    const bad = order(1009) as any;
    bad.line_items[0].price_set = { shop_money: { amount: "sixty" } };
    const before = await rowCounts();
    const res = await sendWebhook("orders/paid", bad, { webhookId: "w-bad" });
    expect(res.status).toBe(422);
    expect(res.body.reason).toMatch(/line_items\.0\.price_set/);
    const after = await rowCounts();
    expect({ ...after, deliveries: before.deliveries }).toEqual(before);
    expect(after.deliveries).toBe((before.deliveries ?? 0) + 1);
  });

  it("a forged orders/paid gets 401 and writes nothing", async () => {
    const before = await rowCounts();
    const res = await sendWebhook("orders/paid", order(1010), { secret: "forged" });
    expect(res.status).toBe(401);
    expect(await rowCounts()).toEqual(before);
  });
});

describe("double-points campaigns", () => {
  beforeEach(async () => {
    await resetDatabase();
    await installShop();
  });

  async function campaign(data: { name: string; multiplier: string; startsAt: string; endsAt: string; promoCode?: string }) {
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    return prisma.campaign.create({ data: { shopId: shop.id, ...data, startsAt: new Date(data.startsAt), endsAt: new Date(data.endsAt) } });
  }

  it("a late webhook for an order placed inside a window that has since closed still earns the campaign bonus", async () => {
    const c = await campaign({ name: "Black Friday", multiplier: "2", startsAt: "2026-11-20T00:00:00Z", endsAt: "2026-11-21T00:00:00Z" });
    // The order was processed inside the window; the webhook arrives days later (now is past the end).
    await sendWebhook("orders/paid", order(2001, { processedAt: "2026-11-20T23:59:59Z" }));
    const es = await entries(2001);
    expect(es.map((e) => [e.kind, e.points, e.campaignId])).toEqual([
      ["earn", 89, null],
      ["campaign_bonus", 90, c.id],
    ]);
    expect((await customer()).balance).toBe(179);
  });

  it("an order at the end instant is outside the window; the highest of overlapping multipliers wins by default", async () => {
    await campaign({ name: "Day", multiplier: "2", startsAt: "2026-11-20T00:00:00Z", endsAt: "2026-11-21T00:00:00Z" });
    const triple = await campaign({ name: "Hour", multiplier: "3", startsAt: "2026-11-20T12:00:00Z", endsAt: "2026-11-20T13:00:00Z" });
    await sendWebhook("orders/paid", order(2002, { processedAt: "2026-11-21T00:00:00Z" }));
    expect((await entries(2002)).map((e) => e.kind)).toEqual(["earn"]);
    await sendWebhook("orders/paid", order(2003, { processedAt: "2026-11-20T12:30:00Z" }));
    const bonus = (await entries(2003)).find((e) => e.kind === "campaign_bonus");
    expect(bonus).toMatchObject({ points: Math.floor(89.99 * 3) - 89, campaignId: triple.id });
  });

  it("with the multiply policy overlapping multipliers multiply, and the snapshot lists both campaigns", async () => {
    await setSettings({ campaignStacking: "multiply" });
    const a = await campaign({ name: "A", multiplier: "2", startsAt: "2026-11-20T00:00:00Z", endsAt: "2026-11-21T00:00:00Z" });
    const b = await campaign({ name: "B", multiplier: "1.5", startsAt: "2026-11-20T00:00:00Z", endsAt: "2026-11-21T00:00:00Z" });
    await sendWebhook("orders/paid", order(2004));
    const bonus = (await entries(2004)).find((e) => e.kind === "campaign_bonus")!;
    expect(bonus.points).toBe(Math.floor(89.99 * 3) - 89);
    expect(JSON.parse(bonus.ruleSnapshot!).campaignIds.sort()).toEqual([a.id, b.id].sort());
  });

  it("a promo-code campaign multiplies only orders that used the code", async () => {
    await campaign({ name: "Promo", multiplier: "2", startsAt: "2026-11-01T00:00:00Z", endsAt: "2026-12-01T00:00:00Z", promoCode: "SAVE20" });
    await sendWebhook("orders/paid", order(2005));
    await sendWebhook("orders/paid", order(2006, { discountCodes: ["save20"] }));
    expect((await entries(2005)).map((e) => e.kind)).toEqual(["earn"]);
    expect((await entries(2006)).map((e) => e.kind)).toEqual(["earn", "campaign_bonus"]);
  });
});

describe("refunds and cancellations take points back", () => {
  beforeEach(async () => {
    await resetDatabase();
    await installShop();
  });

  const lines = [
    { id: 31, price: "60.00" },
    { id: 32, price: "40.00" },
  ];

  it("partial refunds in several steps add up to exactly what was earned, and duplicates change nothing", async () => {
    await sendWebhook("orders/paid", orderPayload({ id: 3001, customerId: CUSTOMER, lines }));
    expect((await customer()).balance).toBe(100);
    await sendWebhook("refunds/create", refundPayload({ id: 1, orderId: 3001, createdAt: "2026-11-21T10:00:00Z", lines: [{ lineItemId: 31, subtotal: "33.33" }] }), { webhookId: "r-1" });
    expect((await customer()).balance).toBe(67);
    await sendWebhook("refunds/create", refundPayload({ id: 1, orderId: 3001, createdAt: "2026-11-21T10:00:00Z", lines: [{ lineItemId: 31, subtotal: "33.33" }] }), { webhookId: "r-1-again" });
    await sendWebhook("refunds/create", refundPayload({ id: 2, orderId: 3001, createdAt: "2026-11-21T11:00:00Z", lines: [{ lineItemId: 31, subtotal: "26.67" }] }));
    await sendWebhook("refunds/create", refundPayload({ id: 3, orderId: 3001, createdAt: "2026-11-21T12:00:00Z", lines: [{ lineItemId: 32, subtotal: "40.00" }] }));
    expect((await customer()).balance).toBe(0);
    const reversals = (await entries(3001)).filter((e) => e.kind === "refund_reversal");
    expect(reversals.reduce((s, e) => s + e.points, 0)).toBe(-100);
    expect(reversals.every((e) => e.reverses === "earn" && e.refundId?.startsWith("gid://shopify/Refund/"))).toBe(true);
    await expectCacheConsistent();
  });

  it("a refund that arrives before orders/paid is kept and applied when the order is paid", async () => {
    const early = await sendWebhook("refunds/create", refundPayload({ id: 11, orderId: 3002, lines: [{ lineItemId: 31, subtotal: "60.00" }] }));
    expect(early).toMatchObject({ outcome: "skipped", reason: "order not paid yet: kept until it is" });
    expect(await prisma.ledgerEntry.count()).toBe(0);
    await sendWebhook("orders/paid", orderPayload({ id: 3002, customerId: CUSTOMER, lines }));
    expect((await entries(3002)).map((e) => [e.kind, e.points])).toEqual([
      ["earn", 100],
      ["refund_reversal", -60],
    ]);
    expect((await customer()).balance).toBe(40);
  });

  it("a refund uses the rule recorded when the points were earned, not today's settings", async () => {
    await sendWebhook("orders/paid", orderPayload({ id: 3003, customerId: CUSTOMER, lines }));
    await setSettings({ pointsPerUnit: "10" });
    await sendWebhook("refunds/create", refundPayload({ id: 21, orderId: 3003, lines: [{ lineItemId: 32, subtotal: "40.00" }] }));
    expect((await customer()).balance).toBe(60);
  });

  it("cancellation after a partial refund takes back exactly the rest; a repeat takes nothing more", async () => {
    await sendWebhook("orders/paid", orderPayload({ id: 3004, customerId: CUSTOMER, lines }));
    await sendWebhook("refunds/create", refundPayload({ id: 31, orderId: 3004, lines: [{ lineItemId: 31, subtotal: "25.00" }] }));
    expect((await customer()).balance).toBe(75);
    await sendWebhook("orders/cancelled", cancelledPayload({ id: 3004, customerId: CUSTOMER, lines }), { webhookId: "c-1" });
    await sendWebhook("orders/cancelled", cancelledPayload({ id: 3004, customerId: CUSTOMER, lines }), { webhookId: "c-2" });
    expect((await customer()).balance).toBe(0);
    expect((await entries(3004)).filter((e) => e.kind === "cancel_reversal").map((e) => e.points)).toEqual([-75]);
    await expectCacheConsistent();
  });

  it("a cancellation that arrives before orders/paid nets the order to zero when it is paid", async () => {
    await sendWebhook("orders/cancelled", cancelledPayload({ id: 3005, customerId: CUSTOMER, lines }));
    await sendWebhook("orders/paid", orderPayload({ id: 3005, customerId: CUSTOMER, lines }));
    expect((await customer()).balance).toBe(0);
  });

  it("points already spent leave a visible debt after a refund; nothing clamps", async () => {
    await sendWebhook("orders/paid", orderPayload({ id: 3006, customerId: CUSTOMER, lines }));
    const c = await customer();
    await prisma.$transaction((tx) =>
      appendEntries(tx, [{ shopId: c.shopId, customerId: c.id, points: -80, kind: "redemption", availableAt: new Date(), idempotencyKey: "redemption:test-1", redemptionId: "test-1", actor: "shopper" }]),
    );
    await sendWebhook("orders/cancelled", cancelledPayload({ id: 3006, customerId: CUSTOMER, lines }));
    expect((await customer()).balance).toBe(-80);
    await expectCacheConsistent();
  });
});

describe("pending period", () => {
  beforeEach(async () => {
    await resetDatabase();
    await installShop();
  });

  it("points stay pending for the configured days, then a release run (safe to repeat, and to run concurrently) makes them available", async () => {
    await setSettings({ pendingDays: 14 });
    const processedAt = new Date(Date.now() - 2 * 86_400_000).toISOString();
    await sendWebhook("orders/paid", order(4001, { processedAt }));
    expect(await customer()).toMatchObject({ balance: 0, pending: 89 });
    // A refund while pending stays pending too, so both mature together.
    await sendWebhook("refunds/create", refundPayload({ id: 41, orderId: 4001, lines: [{ lineItemId: 40011, subtotal: "60.00" }] }));
    // 60 of 89.99 refunded: floor(89 x 60 / 89.99) = 59 taken back, 30 left.
    expect(await customer()).toMatchObject({ balance: 0, pending: 30 });
    expect(await releaseMaturedPoints(prisma, new Date())).toBe(0);
    const later = new Date(Date.now() + 13 * 86_400_000);
    const released = await Promise.all([releaseMaturedPoints(prisma, later), releaseMaturedPoints(prisma, later)]);
    expect(released[0]! + released[1]!).toBe(2);
    expect(await releaseMaturedPoints(prisma, later)).toBe(0);
    expect(await customer()).toMatchObject({ balance: 30, pending: 0 });
    await expectCacheConsistent();
  });
});

describe("compliance with customer data", () => {
  beforeEach(async () => {
    await resetDatabase();
    await installShop();
  });

  it("customers/redact removes the customer's personal data while the shop's totals stay right", async () => {
    await sendWebhook("orders/paid", order(5001));
    await sendWebhook("orders/paid", orderPayload({ id: 5002, customerId: 7002, lines: [{ id: 1, price: "10.00" }] }));
    const totalBefore = await prisma.ledgerEntry.aggregate({ _sum: { points: true } });
    const res = await sendWebhook("customers/redact", { shop_id: 1, shop_domain: TEST_SHOP, customer: { id: CUSTOMER, email: "customer7001@example.com", phone: null }, orders_to_redact: [5001] });
    expect(res.status).toBe(200);
    expect(await prisma.customer.count({ where: { email: "customer7001@example.com" } })).toBe(0);
    const redacted = await prisma.customer.findFirstOrThrow({ where: { redactedAt: { not: null } } });
    expect(redacted).toMatchObject({ email: null, firstName: null, lastName: null, balance: 89 });
    expect(await prisma.ledgerEntry.aggregate({ _sum: { points: true } })).toEqual(totalBefore);
    // A later order from the same Shopify customer starts a fresh member: the old identity is gone.
    expect(await prisma.customer.count({ where: { shopifyCustomerId: customerGid } })).toBe(0);
  });

  it("customers/data_request finds what is stored about the customer", async () => {
    await sendWebhook("orders/paid", order(5003));
    const res = await sendWebhook("customers/data_request", { shop_id: 1, shop_domain: TEST_SHOP, customer: { id: CUSTOMER, email: "x@example.com", phone: null }, orders_requested: [5003], data_request: { id: 1 } });
    expect(res).toMatchObject({ outcome: "applied" });
    const none = await sendWebhook("customers/data_request", { shop_id: 1, shop_domain: TEST_SHOP, customer: { id: 999, email: "y@example.com", phone: null }, orders_requested: [], data_request: { id: 2 } });
    expect(none).toMatchObject({ outcome: "skipped" });
  });
});
