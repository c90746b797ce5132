// The order payload schema's ids: Shopify's JSON carries them as numbers, older tools and replays as
// digit strings; both must give the same order key, and anything else is refused with its path.
import { describe, expect, it } from "vitest";
import { orderPayload, refundPayload } from "../../../app/shopify/order-payloads";
import { orderPayload as orderFixture, refundPayload as refundFixture } from "../../../dev/payloads/order-fixtures";

const order = orderFixture({ id: 820982911946154500, customerId: 115310627314723950, lines: [{ id: 466157049, price: "199.00" }] });

describe("order payload ids", () => {
  it("numeric and digit-string ids parse to the same strings", () => {
    const asNumbers = orderPayload.parse(order);
    const asStrings = orderPayload.parse({
      ...order,
      id: String(order.id),
      customer: { ...order.customer, id: String(order.customer!.id) },
      line_items: (order.line_items as { id: number }[]).map((l) => ({ ...l, id: String(l.id) })),
    });
    expect(asNumbers.id).toBe(String(order.id));
    expect(asStrings.id).toBe(asNumbers.id);
    expect(asStrings.customer?.id).toBe(asNumbers.customer?.id);
    expect(asStrings.line_items.map((l) => l.id)).toEqual(asNumbers.line_items.map((l) => l.id));
    const refund = refundFixture({ id: 509562969, orderId: 450789469, lines: [{ lineItemId: 466157049, subtotal: "10.00" }] });
    expect(refundPayload.parse(refund).order_id).toBe("450789469");
  });

  it("a negative, fractional or non-numeric id is refused, naming where", () => {
    for (const bad of [-5, 1.5, "12a", ""]) {
      const result = orderPayload.safeParse({ ...order, id: bad });
      expect(result.success).toBe(false);
      expect(result.error!.issues.map((i) => i.path.join("."))).toContain("id");
    }
  });
});
