// Shopify Flow: `flowTriggerReceive`, answered as Shopify documents it. The handle must be one of the
// app's trigger extensions (read from extensions/*/shopify.extension.toml, type "flow_trigger", as
// Shopify knows them once deployed), and the payload must carry exactly the trigger's declared fields
// (reference fields as `<object>_id` numeric ids, custom fields under their key, with their type's
// JSON type) and stay under 50 KB; anything else is a `userErrors` answer and starts nothing. The
// mutation's cost and throttling are the executor's, as for every mutation. Accepted triggers are
// recorded per shop: tests and the demo list them.
// https://shopify.dev/docs/apps/build/flow/triggers/reference
// https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/flowTriggerReceive
// The refusal messages are the fake's own words (Shopify's are not documented).
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "smol-toml";
import { asRecord, type ResolverGroup } from "./support";
import type { FakeStore } from "../store";

/** Flow's trigger payload limit. */
export const FLOW_TRIGGER_PAYLOAD_LIMIT_BYTES = 50_000;

export interface FakeFlowTriggerField {
  type: string;
  key?: string;
}

export interface FakeFlowTrigger {
  handle: string;
  name: string;
  fields: FakeFlowTriggerField[];
}

const REFERENCE_TYPES = ["customer_reference", "order_reference", "product_reference", "company_reference", "company_contact_reference"];

/** The repository's extensions/ folder (found from this file, like dev/admin-schema.ts finds node_modules). */
export function defaultExtensionsDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "extensions");
}

/** The app's Flow trigger extensions, as their tomls declare them. */
export function readFlowTriggerExtensions(extensionsDir = defaultExtensionsDir()): FakeFlowTrigger[] {
  if (!existsSync(extensionsDir)) return [];
  const triggers: FakeFlowTrigger[] = [];
  for (const dir of readdirSync(extensionsDir)) {
    const file = path.join(extensionsDir, dir, "shopify.extension.toml");
    if (!existsSync(file)) continue;
    const toml = parse(readFileSync(file, "utf8")) as { extensions?: Array<Record<string, unknown>>; settings?: { fields?: Array<Record<string, unknown>> } };
    const extension = toml.extensions?.[0];
    if (extension?.type !== "flow_trigger") continue;
    triggers.push({
      handle: String(extension.handle),
      name: String(extension.name),
      fields: (toml.settings?.fields ?? []).map((f) => ({ type: String(f.type), ...(typeof f.key === "string" ? { key: f.key } : {}) })),
    });
  }
  return triggers;
}

function payloadKey(field: FakeFlowTriggerField): string {
  return REFERENCE_TYPES.includes(field.type) ? `${field.type.replace(/_reference$/, "")}_id` : (field.key ?? "");
}

function valueProblem(field: FakeFlowTriggerField, value: unknown): string | null {
  switch (field.type) {
    case "number_decimal":
      return typeof value === "number" && Number.isFinite(value) ? null : "must be a number";
    case "boolean":
      return typeof value === "boolean" ? null : "must be true or false";
    case "single_line_text_field":
      return typeof value === "string" && !/[\r\n]/.test(value) ? null : "must be a single line of text";
    case "email":
      return typeof value === "string" && /^[^@\s]+@[^@\s]+$/.test(value) ? null : "must be an email address";
    case "url":
      return typeof value === "string" && /^https?:\/\//.test(value) ? null : "must be a URL";
    default:
      if (REFERENCE_TYPES.includes(field.type)) return Number.isSafeInteger(value) && (value as number) > 0 ? null : "must be a numeric id";
      return `has a field type (${field.type}) triggers cannot declare`;
  }
}

/** Why Flow would refuse this payload for this trigger, or null. */
export function flowPayloadProblems(trigger: FakeFlowTrigger, payload: unknown): string[] {
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) return ["payload must be a JSON object"];
  const size = Buffer.byteLength(JSON.stringify(payload));
  if (size > FLOW_TRIGGER_PAYLOAD_LIMIT_BYTES) return [`payload is ${size} bytes, over the ${FLOW_TRIGGER_PAYLOAD_LIMIT_BYTES}-byte limit`];
  const given = payload as Record<string, unknown>;
  const problems: string[] = [];
  const declared = new Map(trigger.fields.map((f) => [payloadKey(f), f]));
  for (const key of Object.keys(given)) if (!declared.has(key)) problems.push(`"${key}" is not a field of ${trigger.handle}`);
  for (const [key, field] of declared) {
    if (!(key in given)) problems.push(`"${key}" is missing`);
    else {
      const problem = valueProblem(field, given[key]);
      if (problem) problems.push(`"${key}" ${problem}`);
    }
  }
  return problems;
}

export function flowResolvers(store: FakeStore, triggers: () => FakeFlowTrigger[]): ResolverGroup {
  return {
    mutation: {
      flowTriggerReceive: (args, ctx) => {
        const errors = (field: string, message: string) => ({ userErrors: [{ field: [field], message }] });
        if (args.body !== undefined && args.body !== null) ctx.deprecations.push("Mutation.flowTriggerReceive(body:) is deprecated");
        const handle = typeof args.handle === "string" ? args.handle : null;
        if (!handle) return errors("handle", "Handle can't be blank");
        const trigger = triggers().find((t) => t.handle === handle);
        if (!trigger) return errors("handle", `No Flow trigger with handle "${handle}" in this app`);
        const problems = flowPayloadProblems(trigger, args.payload);
        if (problems.length > 0) return { userErrors: problems.map((message) => ({ field: ["payload"], message })) };
        ctx.shop.flowTriggerDeliveries.push({ seq: ctx.shop.flowTriggerDeliveries.length + 1, handle, payload: structuredClone(asRecord(args.payload)), receivedAt: store.iso() });
        return { userErrors: [] };
      },
    },
  };
}
