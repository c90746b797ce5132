// Random order histories and the reference model the ledger must agree with (used by the property
// test and the crash test): 1 point per whole dollar rounded down; refunds take back
// floor(earned x refunded / base); a cancellation takes back everything.
import fc from "fast-check";
import { cancelledPayload, orderPayload, refundPayload } from "../../dev/payloads/order-fixtures";

export interface OrderCase {
  customer: number;
  linesCents: number[];
  refunds: { line: number; cents: number }[]; // each refund returns part of one line
  cancelled: boolean;
}

export const orderCase = fc.record({
  customer: fc.integer({ min: 1, max: 3 }),
  linesCents: fc.array(fc.integer({ min: 1, max: 20_000 }), { minLength: 1, maxLength: 3 }),
  refunds: fc.array(fc.record({ line: fc.nat(), cents: fc.integer({ min: 1, max: 20_000 }) }), { maxLength: 3 }),
  cancelled: fc.boolean(),
});

export const toAmount = (cents: number) => (cents / 100).toFixed(2);

/** The reference: 1 point per whole dollar (rounded down); refunds take back floor(earned × refunded / base). */
export function expectedPoints(o: OrderCase): number {
  if (o.cancelled) return 0;
  const baseCents = o.linesCents.reduce((a, b) => a + b, 0);
  const earned = Math.floor(baseCents / 100);
  const remaining = [...o.linesCents];
  let refundedCents = 0;
  for (const r of o.refunds) {
    const i = r.line % o.linesCents.length;
    const cents = Math.min(r.cents, remaining[i]!);
    remaining[i]! -= cents;
    refundedCents += cents;
  }
  const takenBack = refundedCents >= baseCents ? earned : Math.floor((earned * refundedCents) / baseCents);
  return earned - takenBack;
}

export interface Delivery {
  topic: "orders/paid" | "orders/cancelled" | "refunds/create";
  payload: unknown;
  eventKey: string;
}

export function deliveriesFor(o: OrderCase, orderId: number): Delivery[] {
  const lines = o.linesCents.map((cents, i) => ({ id: orderId * 10 + i, price: toAmount(cents) }));
  const spec = { id: orderId, customerId: 9000 + o.customer, lines, processedAt: "2026-11-20T10:00:00Z" };
  const out: Delivery[] = [{ topic: "orders/paid", payload: orderPayload(spec), eventKey: `paid-${orderId}` }];
  const remaining = [...o.linesCents];
  o.refunds.forEach((r, k) => {
    const i = r.line % o.linesCents.length;
    const cents = Math.min(r.cents, remaining[i]!);
    remaining[i]! -= cents;
    if (cents === 0) return;
    out.push({
      topic: "refunds/create",
      payload: refundPayload({ id: orderId * 100 + k, orderId, createdAt: `2026-11-21T1${k}:00:00Z`, lines: [{ lineItemId: orderId * 10 + i, subtotal: toAmount(cents) }] }),
      eventKey: `refund-${orderId}-${k}`,
    });
  });
  if (o.cancelled) out.push({ topic: "orders/cancelled", payload: cancelledPayload(spec), eventKey: `cancel-${orderId}` });
  return out;
}
