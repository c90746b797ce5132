// What Shopify sends when a subscription lists `include_fields` (shopify.app.toml), for tests and the
// bench. Semantics as documented (https://shopify.dev/docs/apps/build/webhooks/customize/modify-payloads,
// https://shopify.dev/docs/apps/build/webhooks/delivery-structure): "only the specified fields will be
// included"; a period names a field inside a nested object ("customer.id") and, where the parent is
// an array, that field of each element ("variants.price" on the products topics). A path that names
// a field keeps its whole value; a field the resource lacks is simply absent.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";

const root = path.resolve(import.meta.dirname, "../..");

/** The `include_fields` of the subscription to `topic` in shopify.app.toml (null: the full payload). */
export function includeFieldsOf(topic: string): string[] | null {
  const config = parse(readFileSync(path.join(root, "shopify.app.toml"), "utf8")) as { webhooks: { subscriptions: { topics?: string[]; include_fields?: string[] }[] } };
  const subscription = config.webhooks.subscriptions.find((s) => s.topics?.includes(topic));
  if (!subscription) throw new Error(`shopify.app.toml has no subscription to ${topic}`);
  return subscription.include_fields ?? null;
}

/** `payload` as Shopify would deliver it to a subscription with these `include_fields`. */
export function filterToIncludeFields(payload: unknown, includeFields: string[]): unknown {
  // Per first segment: null keeps the whole value, else the rest of each path below it.
  const below = new Map<string, string[] | null>();
  for (const field of includeFields) {
    const [head, ...rest] = field.split(".");
    if (rest.length === 0) below.set(head!, null);
    else if (below.get(head!) !== null) below.set(head!, [...(below.get(head!) ?? []), rest.join(".")]);
  }
  const pick = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(pick);
    // A nested path under null (a guest order's `customer`) or a scalar: the value as it is.
    if (value === null || typeof value !== "object") return value;
    const source = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [head, rest] of below) {
      if (!(head in source)) continue;
      out[head] = rest === null ? source[head] : filterToIncludeFields(source[head], rest);
    }
    return out;
  };
  return pick(payload);
}
