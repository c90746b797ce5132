import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { installShop, prisma, resetDatabase } from "../support/app";
import { sendWebhook } from "../support/webhooks";
import { cancelledPayload, orderPayload, refundPayload } from "../../dev/payloads/order-fixtures";
import { installAdminFake } from "../support/admin-fake";
import { drainJobs } from "../support/jobs";
import { saveSettings } from "../../app/features/program/save-settings.server";
import { verifyBalanceCache } from "../../app/ledger/balances.server";
import { programSettingsSchema } from "../../app/domain/settings";
import type { ShopifyAdminFake } from "../../dev/shopify-admin-fake";
import { TEST_SHOP } from "../../dev/harness/test-env";
import { PINNED_API_VERSION } from "../../app/shopify/api-version";

let fake: ShopifyAdminFake;
let uninstall: () => void;
const lines = [{ id: 1, price: "50.00" }];

async function balanceOf(numeric: number) {
  return (await prisma.customer.findFirstOrThrow({ where: { shopifyCustomerId: `gid://shopify/Customer/${numeric}` } })).balance;
}

describe("first-order welcome bonus", () => {
  beforeEach(async () => {
    await resetDatabase();
    const shop = await installShop();
    await prisma.$transaction((tx) => saveSettings(tx, shop.id, programSettingsSchema.parse({ welcomeBonusPoints: 100 }), "staff:test"));
    ({ fake, uninstall } = installAdminFake());
  });
  afterEach(() => uninstall());

  it("a new customer's first order earns the welcome bonus once, however many webhooks arrive", async () => {
    fake.seedCustomer(TEST_SHOP, { id: "gid://shopify/Customer/8001", numberOfOrders: 1 });
    for (const webhookId of ["a", "b", "c"]) await sendWebhook("orders/paid", orderPayload({ id: 6001, customerId: 8001, lines }), { webhookId });
    expect(await prisma.outboxJob.count({ where: { kind: "first_order_check" } })).toBe(1);
    await drainJobs();
    expect(await balanceOf(8001)).toBe(150);
    const welcome = await prisma.ledgerEntry.findMany({ where: { kind: "welcome_bonus" } });
    expect(welcome).toHaveLength(1);
    expect(welcome[0]).toMatchObject({ points: 100, orderId: "gid://shopify/Order/6001", actor: "system:first-order-check", settingsVersion: 1 });
    // The check asked Shopify once, with the shop's token, through the real Admin client.
    const checks = fake.requests.filter((r) => r.rootFields.includes("customer"));
    expect(checks).toHaveLength(1);
    expect(checks[0]!.headers["x-shopify-access-token"]).toBe("shpat_test_token");
    expect(checks[0]!.url).toBe(`https://${TEST_SHOP}/admin/api/${PINNED_API_VERSION}/graphql.json`);

    // A second order: no second check, no second bonus.
    fake.setCustomerOrderCount(TEST_SHOP, "gid://shopify/Customer/8001", 2);
    await sendWebhook("orders/paid", orderPayload({ id: 6002, customerId: 8001, lines, processedAt: "2026-11-21T10:00:00Z" }));
    await drainJobs();
    expect(await prisma.ledgerEntry.count({ where: { kind: "welcome_bonus" } })).toBe(1);
    expect(await balanceOf(8001)).toBe(200);
    expect(await verifyBalanceCache(prisma)).toEqual([]);
  });

  it("a customer who ordered before the app was installed gets no welcome bonus", async () => {
    fake.seedCustomer(TEST_SHOP, { id: "gid://shopify/Customer/8002", numberOfOrders: 7 });
    await sendWebhook("orders/paid", orderPayload({ id: 6003, customerId: 8002, lines }));
    await drainJobs();
    expect(await prisma.ledgerEntry.count({ where: { kind: "welcome_bonus" } })).toBe(0);
    expect(await balanceOf(8002)).toBe(50);
    expect(await prisma.outboxJob.findFirstOrThrow({ where: { kind: "first_order_check" } })).toMatchObject({ status: "done" });
  });

  it("a full refund of the first order takes the welcome bonus back; a partial one does not", async () => {
    fake.seedCustomer(TEST_SHOP, { id: "gid://shopify/Customer/8003", numberOfOrders: 1 });
    const twoLines = [
      { id: 1, price: "50.00" },
      { id: 2, price: "50.00" },
    ];
    await sendWebhook("orders/paid", orderPayload({ id: 6004, customerId: 8003, lines: twoLines }));
    await drainJobs();
    expect(await balanceOf(8003)).toBe(200);
    await sendWebhook("refunds/create", refundPayload({ id: 1, orderId: 6004, lines: [{ lineItemId: 1, subtotal: "50.00" }] }));
    expect(await balanceOf(8003)).toBe(150);
    await sendWebhook("refunds/create", refundPayload({ id: 2, orderId: 6004, createdAt: "2026-11-21T11:00:00Z", lines: [{ lineItemId: 2, subtotal: "50.00" }] }));
    expect(await balanceOf(8003)).toBe(0);
    const reversal = await prisma.ledgerEntry.findFirstOrThrow({ where: { kind: "refund_reversal", reverses: "welcome_bonus" } });
    expect(reversal.points).toBe(-100);
  });

  it("no welcome bonus for a first order that was cancelled before the check ran", async () => {
    fake.seedCustomer(TEST_SHOP, { id: "gid://shopify/Customer/8004", numberOfOrders: 1 });
    await sendWebhook("orders/paid", orderPayload({ id: 6005, customerId: 8004, lines }));
    await sendWebhook("orders/cancelled", cancelledPayload({ id: 6005, customerId: 8004, lines }));
    await drainJobs();
    expect(await prisma.ledgerEntry.count({ where: { kind: "welcome_bonus" } })).toBe(0);
    expect(await balanceOf(8004)).toBe(0);
  });

  it("Shopify failing (5xx) or throttling the check is retried until it succeeds", async () => {
    fake.seedCustomer(TEST_SHOP, { id: "gid://shopify/Customer/8005", numberOfOrders: 1 });
    await sendWebhook("orders/paid", orderPayload({ id: 6006, customerId: 8005, lines }));
    fake.failNext(1, { status: 503 });
    // Only the check: other jobs would take the injected faults in its place.
    await drainJobs(0, ["first_order_check"]);
    let job = await prisma.outboxJob.findFirstOrThrow({ where: { kind: "first_order_check" } });
    expect(job).toMatchObject({ status: "queued", attempts: 1, lastError: expect.stringContaining("503") });
    expect(job.runAfter.getTime()).toBeGreaterThan(Date.now());
    fake.throttleNext(1);
    await drainJobs(60_000, ["first_order_check"]);
    job = await prisma.outboxJob.findFirstOrThrow({ where: { kind: "first_order_check" } });
    expect(job).toMatchObject({ status: "queued", attempts: 2, lastError: expect.stringMatching(/thrott/i) });
    await drainJobs(180_000, ["first_order_check"]);
    expect(await prisma.outboxJob.findFirstOrThrow({ where: { kind: "first_order_check" } })).toMatchObject({ status: "done", attempts: 3 });
    expect(await balanceOf(8005)).toBe(150);
  });
});
