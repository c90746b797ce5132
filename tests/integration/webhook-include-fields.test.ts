// The order webhooks end to end with the bodies Shopify sends under shopify.app.toml's include_fields
// (docs/decisions/015-webhook-include-fields.md): signed over the cut body (the HMAC covers what is
// sent), stored in the inbox as received, applied to the same ledger as the full payloads give.
import { beforeEach, describe, expect, it } from "vitest";
import { installShop, prisma, resetDatabase } from "../support/app";
import { applyStoredWebhooks, sendWebhook, type Topic } from "../support/webhooks";
import { filterToIncludeFields, includeFieldsOf } from "../../dev/payloads/include-fields";
import { realisticOrderCancelled, realisticOrderPaid, realisticRefund } from "../../dev/payloads/realistic-payloads";
import { verifyBalanceCache } from "../../app/ledger/balances.server";

type Shape = "full" | "filtered";
const body = (topic: Topic, payload: unknown, shape: Shape) => (shape === "full" ? payload : filterToIncludeFields(payload, includeFieldsOf(topic)!));

/** Paid, a refund of two of its five lines, then cancelled: what the ledger holds for that order and its customer. */
async function orderLife(shape: Shape, orderId: number, customerId: number) {
  const order = realisticOrderPaid({ id: orderId, customerId });
  const answers = [
    await sendWebhook("orders/paid", body("orders/paid", order, shape)),
    await sendWebhook("refunds/create", body("refunds/create", realisticRefund({ id: orderId + 1, order }), shape)),
    await sendWebhook("orders/cancelled", body("orders/cancelled", realisticOrderCancelled({ id: orderId, customerId }), shape)),
  ];
  const entries = await prisma.ledgerEntry.findMany({ where: { orderId: `gid://shopify/Order/${orderId}` }, orderBy: { createdAt: "asc" } });
  const customer = await prisma.customer.findFirstOrThrow({ where: { shopifyCustomerId: `gid://shopify/Customer/${customerId}` } });
  const record = await prisma.orderRecord.findFirstOrThrow({ where: { orderId: `gid://shopify/Order/${orderId}` } });
  return {
    answers: answers.map((a) => [a.status, a.outcome, a.reason]),
    // Keys name the order and refund: compared with the ids taken out.
    entries: entries
      .map((e) => ({ kind: e.kind, points: e.points, reverses: e.reverses, key: e.idempotencyKey.replaceAll(String(orderId + 1), "<refund>").replaceAll(String(orderId), "<order>") }))
      .sort((a, b) => a.key.localeCompare(b.key)),
    customer: { balance: customer.balance, pending: customer.pending, lifetimeEarned: customer.lifetimeEarned, email: customer.email, firstName: customer.firstName, lastName: customer.lastName },
    order: {
      orderName: record.orderName?.replace(String(orderId), "<order>"),
      totalPrice: record.totalPrice,
      refundedEligible: record.refundedEligible,
      cancelled: record.cancelledAt !== null,
      discountCodes: record.discountCodes,
    },
  };
}

describe("order webhooks cut to include_fields", () => {
  beforeEach(async () => {
    await resetDatabase();
    await installShop();
  });

  it("earn, refund and cancel give the same points, keys, member and order as the full payloads", async () => {
    const full = await orderLife("full", 20_000_100, 80_100);
    const filtered = await orderLife("filtered", 20_000_200, 80_200);
    expect(filtered).toEqual({ ...full, customer: { ...full.customer, email: "customer80200@example.com" } });
    // Not a comparison of two empty ledgers: the order earned, the refund and the cancel took back.
    expect(full.answers).toEqual([
      [200, "applied", null],
      [200, "applied", null],
      [200, "applied", null],
    ]);
    expect(full.entries.map((e) => e.kind).sort()).toEqual(["cancel_reversal", "earn", "refund_reversal"]);
    expect(full.entries.find((e) => e.kind === "earn")!.points).toBeGreaterThan(400);
    expect(full.customer.balance).toBe(0);
    expect(full.order).toMatchObject({ discountCodes: '["WELCOME10"]', cancelled: true });
    expect(await verifyBalanceCache(prisma)).toEqual([]);
  });

  it("the inbox stores the cut body as Shopify signed it, without addresses, phones or the browser", async () => {
    const payload = body("orders/paid", realisticOrderPaid({ id: 20_000_300, customerId: 80_300 }), "filtered");
    const sent = await sendWebhook("orders/paid", payload, { webhookId: "cut-1", apply: false });
    expect(sent).toMatchObject({ status: 200, outcome: "received" });
    const stored = await prisma.webhookDelivery.findFirstOrThrow({ where: { webhookId: "cut-1" } });
    expect(stored.payload).toBe(JSON.stringify(payload));
    expect(Buffer.byteLength(stored.payload!)).toBeLessThan(Buffer.byteLength(JSON.stringify(realisticOrderPaid({ id: 20_000_300, customerId: 80_300 }))) / 2);
    for (const absent of ["address1", "+15025550147", "203.0.113.42", "Mozilla"]) expect(stored.payload).not.toContain(absent);
    await applyStoredWebhooks();
    expect(await prisma.webhookDelivery.findFirstOrThrow({ where: { webhookId: "cut-1" } })).toMatchObject({ outcome: "applied", payload: null });
  });
});
