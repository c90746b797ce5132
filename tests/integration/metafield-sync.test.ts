import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { installShop, prisma, resetDatabase } from "../support/app";
import { sendWebhook } from "../support/webhooks";
import { orderPayload, refundPayload } from "../../dev/payloads/order-fixtures";
import { installAdminFake } from "../support/admin-fake";
import { drainJobs } from "../support/jobs";
import { appendEntries } from "../../app/ledger/ledger.server";
import type { ShopifyAdminFake } from "../../dev/shopify-admin-fake";
import { TEST_SHOP } from "../../dev/harness/test-env";

let fake: ShopifyAdminFake;
let uninstall: () => void;
const gid = "gid://shopify/Customer/3131";

beforeEach(async () => {
  await resetDatabase();
  await installShop();
  ({ fake, uninstall } = installAdminFake());
  fake.seedCustomer(TEST_SHOP, { id: gid, numberOfOrders: 3 });
});
afterEach(() => uninstall());

describe("the storefront's balance metafield", () => {
  it("a burst of ledger changes for one customer produces one metafield write holding the final balance", async () => {
    await sendWebhook("orders/paid", orderPayload({ id: 8101, customerId: 3131, lines: [{ id: 1, price: "30.00" }] }));
    await sendWebhook("orders/paid", orderPayload({ id: 8102, customerId: 3131, lines: [{ id: 2, price: "20.00" }] }));
    await sendWebhook("refunds/create", refundPayload({ id: 81, orderId: 8101, lines: [{ lineItemId: 1, subtotal: "10.00" }] }));
    expect(await drainJobs()).toBe(0); // the window is still open: nothing written yet
    await drainJobs(20_000);
    const writes = fake.requests.filter((r) => r.rootFields.includes("metafieldsSet"));
    expect(writes).toHaveLength(1);
    const metafield = fake.getMetafield(TEST_SHOP, gid, "$app:loyalty", "points");
    expect(JSON.parse(metafield!.value)).toMatchObject({ balance: 40, pending: 0 });
    expect((await prisma.customer.findFirstOrThrow()).balance).toBe(40);
  });

  it("a failed write is retried, and a later change is written too", async () => {
    await sendWebhook("orders/paid", orderPayload({ id: 8103, customerId: 3131, lines: [{ id: 1, price: "30.00" }] }));
    fake.failNext(1, { status: 502 });
    await drainJobs(20_000);
    expect(fake.getMetafield(TEST_SHOP, gid, "$app:loyalty", "points")).toBeUndefined();
    await drainJobs(80_000);
    expect(JSON.parse(fake.getMetafield(TEST_SHOP, gid, "$app:loyalty", "points")!.value)).toMatchObject({ balance: 30 });
    // A change in a later window (the clock moved on) is written by that window's job.
    const c = await prisma.customer.findFirstOrThrow();
    await prisma.$transaction((tx) =>
      appendEntries(tx, [{ shopId: c.shopId, customerId: c.id, points: 12, kind: "manual", availableAt: new Date(), idempotencyKey: "later", actor: "staff:test" }], new Date(Date.now() + 30_000)),
    );
    await drainJobs(45_000);
    expect(JSON.parse(fake.getMetafield(TEST_SHOP, gid, "$app:loyalty", "points")!.value)).toMatchObject({ balance: 42 });
  });
});
