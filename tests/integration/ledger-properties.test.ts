// Property: whatever Shopify does with deliveries (duplicates, reorders, refunds before the order is
// paid, cancellations in between), the ledger ends where a simple reference model says, no event is
// applied twice, and every cached balance equals the sum of its entries.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { installShop, prisma, resetDatabase } from "../support/app";
import { recordDelivery } from "../../app/webhooks/receive.server";
import type { WebhookMeta } from "../../app/platform/webhook-handler";
import { applyStoredWebhooks } from "../support/webhooks";
import { ordersCancelled, ordersPaid, refundsCreate } from "../../app/features/orders/webhooks.server";
import { verifyBalanceCache } from "../../app/ledger/balances.server";
import { deliveriesFor, expectedPoints, orderCase } from "../support/order-scenarios";
import { TEST_SHOP } from "../../dev/harness/test-env";

const handlers = { "orders/paid": ordersPaid, "orders/cancelled": ordersCancelled, "refunds/create": refundsCreate } as const;

describe("ledger invariants under random deliveries", () => {
  it("final balances match the reference model; no event applies twice; cache = sum of entries", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(orderCase, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { minLength: 30, maxLength: 30 }), // shuffle keys
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 30, maxLength: 30 }), // copies of each delivery
        async (orders, shuffle, copies) => {
          await resetDatabase();
          await installShop();
          const deliveries = orders.flatMap((o, i) => deliveriesFor(o, 100 + i));
          // Every delivery 1-3 times (same webhook id for some copies, a new one for others), in random order.
          const sent = deliveries.flatMap((d, i) => Array.from({ length: copies[i % copies.length]! }, (_, c) => ({ ...d, webhookId: c % 2 === 0 ? `${d.eventKey}` : `${d.eventKey}-retry${c}` })));
          const order = sent.map((d, i) => ({ d, key: shuffle[i % shuffle.length]! * 1000 + i })).sort((a, b) => a.key - b.key);
          for (const { d } of order) {
            const meta: WebhookMeta = { shop: TEST_SHOP, topic: d.topic, webhookId: d.webhookId, eventId: d.eventKey };
            expect(handlers[d.topic].schema.safeParse(d.payload).success).toBe(true);
            await recordDelivery(prisma, meta, JSON.stringify(d.payload));
            await applyStoredWebhooks();
          }
          const expected = new Map<number, number>();
          orders.forEach((o) => expected.set(o.customer, (expected.get(o.customer) ?? 0) + expectedPoints(o)));
          for (const [customer, points] of expected) {
            const row = await prisma.customer.findFirst({ where: { shopifyCustomerId: `gid://shopify/Customer/${9000 + customer}` } });
            expect(row?.balance ?? 0).toBe(points);
          }
          expect(await verifyBalanceCache(prisma)).toEqual([]);
          const keys = await prisma.ledgerEntry.groupBy({ by: ["idempotencyKey"], _count: { _all: true } });
          expect(keys.every((k) => k._count._all === 1)).toBe(true);
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 25), endOnFailure: true },
    );
  }, 240_000);
});
