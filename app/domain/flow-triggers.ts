// The Shopify Flow triggers the app sends, declared once each: the handle and fields of its extension
// (extensions/flow-*/shopify.extension.toml must say the same; tests/unit/domain/flow-triggers.test.ts
// compares them) and, derived from the fields, the zod schema of the payload `flowTriggerReceive`
// carries. A new trigger (tier changed, points expiring, win-back offer) is one more declaration here,
// its toml, and a call of its builder where the event happens (docs/decisions/021-shopify-flow.md).
//
// Shopify's rules, from the trigger reference (https://shopify.dev/docs/apps/build/flow/triggers/reference)
// and Shopify CLI 3.92.1's own validation of trigger extensions (flow_trigger specification):
// - handle: at most 30 characters, letters, digits and hyphens; cannot change once deployed;
// - field types a trigger may declare: boolean, email, single_line_text_field, url, number_decimal
//   (number_integer is for actions only), and the references customer, order, product, company and
//   company_contact; a reference field has no key and travels as `<object>_id` (customer_reference ->
//   `customer_id`, the numeric id);
// - a custom field's key: letters and spaces only; it is the payload's key as written.
import { z } from "zod";

export type FlowTriggerFieldType = "customer_reference" | "order_reference" | "single_line_text_field" | "number_decimal" | "boolean" | "email" | "url";

export interface FlowTriggerField {
  type: FlowTriggerFieldType;
  /** The payload key (custom fields only: letters and spaces). */
  key?: string;
  description: string;
}

export interface FlowTriggerDeclaration {
  handle: string;
  /** The merchant-facing name in Flow's editor ("object acted on + past tense verb", sentence case). */
  title: string;
  description: string;
  /** For the admin page: the event that sends it. */
  firesWhen: string;
  fields: readonly FlowTriggerField[];
}

/** The payload key a field travels under. */
export function payloadKeyOf(field: FlowTriggerField): string {
  if (field.type === "customer_reference") return "customer_id";
  if (field.type === "order_reference") return "order_id";
  if (!field.key) throw new Error(`a ${field.type} trigger field needs a key`);
  return field.key;
}

const referenceId = z.number().int().positive().safe();
const valueSchema: Record<FlowTriggerFieldType, z.ZodTypeAny> = {
  customer_reference: referenceId,
  order_reference: referenceId,
  // Flow's text fields are single line; the app keeps them short (the whole payload must stay under
  // Flow's 50 KB, see FLOW_TRIGGER_PAYLOAD_LIMIT_BYTES).
  single_line_text_field: z
    .string()
    .max(255)
    .refine((s) => !/[\r\n]/.test(s), "single line"),
  number_decimal: z.number().finite(),
  boolean: z.boolean(),
  email: z.string().email(),
  url: z.string().url(),
};

/** The payload a declaration accepts: every declared field, nothing else. */
export function payloadSchemaOf(declaration: FlowTriggerDeclaration) {
  return z.object(Object.fromEntries(declaration.fields.map((f) => [payloadKeyOf(f), valueSchema[f.type]]))).strict();
}

/** Flow refuses larger trigger payloads (trigger reference, "Mutation API reference"). */
export const FLOW_TRIGGER_PAYLOAD_LIMIT_BYTES = 50_000;

export const POINTS_EARNED = {
  handle: "loyalty-points-earned",
  title: "Loyalty points earned",
  description: "A customer earned loyalty points on an order (including the welcome bonus of a first order).",
  firesWhen: "Points for an order are added to the customer's account: when orders/paid is applied, and the welcome bonus once the first-order check confirms it.",
  fields: [
    { type: "customer_reference", description: "The customer who earned the points" },
    { type: "order_reference", description: "The order the points are for" },
    { type: "single_line_text_field", key: "Order name", description: "The order's name, for example #1001" },
    { type: "number_decimal", key: "Points", description: "Points earned by this event" },
    { type: "single_line_text_field", key: "Points status", description: "pending (not spendable yet) or available" },
    { type: "single_line_text_field", key: "Available on", description: "When pending points become spendable (ISO 8601); the event time when available" },
    { type: "number_decimal", key: "New balance", description: "Spendable points after this event" },
    { type: "number_decimal", key: "Pending points", description: "Points still pending after this event" },
    { type: "single_line_text_field", key: "Reason", description: "Why the points were given, for example Welcome bonus" },
  ],
} as const satisfies FlowTriggerDeclaration;

export const REWARD_CODE_ISSUED = {
  handle: "loyalty-reward-code-issued",
  title: "Loyalty reward code issued",
  description: "A discount code for one customer now exists in Shopify: the welcome thank-you code or a reward bought with points.",
  firesWhen: "The code has been created in Shopify (not before): usable at checkout from now on.",
  fields: [
    { type: "customer_reference", description: "The only customer who can use the code" },
    { type: "single_line_text_field", key: "Code", description: "The discount code to type at checkout" },
    { type: "single_line_text_field", key: "Reward", description: "What the code is, for example 10% off" },
    { type: "single_line_text_field", key: "Value", description: "The discount: a percentage, an amount in the shop's currency, or free shipping" },
    { type: "single_line_text_field", key: "Minimum subtotal", description: "The order subtotal the code needs, empty when none" },
    { type: "single_line_text_field", key: "Ends at", description: "When the code stops working (ISO 8601)" },
    { type: "single_line_text_field", key: "Source", description: "welcome (first-order thank-you) or redemption (bought with points)" },
    { type: "number_decimal", key: "Points spent", description: "Points the customer spent on it (0 for the welcome code)" },
  ],
} as const satisfies FlowTriggerDeclaration;

export const BALANCE_CHANGED = {
  handle: "loyalty-balance-changed",
  title: "Loyalty points balance changed",
  description: "Points were added to or taken from a customer's account, for any reason.",
  firesWhen:
    "Any ledger event for the customer: points earned, taken back after a refund or cancellation, redeemed, returned, adjusted by staff. Not for an adjustment made by a Flow workflow (it would loop), nor when pending points mature.",
  fields: [
    { type: "customer_reference", description: "The customer whose points changed" },
    { type: "number_decimal", key: "Change", description: "Points added (positive) or taken (negative) by this event, pending ones included" },
    { type: "number_decimal", key: "New balance", description: "Spendable points after this event (negative: a debt)" },
    { type: "number_decimal", key: "Pending points", description: "Points still pending after this event" },
    { type: "single_line_text_field", key: "Reason", description: "Why, in the merchant's words, for example Taken back after a refund" },
  ],
} as const satisfies FlowTriggerDeclaration;

export const FLOW_TRIGGERS = [POINTS_EARNED, REWARD_CODE_ISSUED, BALANCE_CHANGED] as const satisfies readonly FlowTriggerDeclaration[];

export type FlowTriggerHandle = (typeof FLOW_TRIGGERS)[number]["handle"];

export function flowTriggerByHandle(handle: string): FlowTriggerDeclaration | undefined {
  return (FLOW_TRIGGERS as readonly FlowTriggerDeclaration[]).find((t) => t.handle === handle);
}

/** gid://shopify/Customer/123 -> 123 (reference fields carry the numeric id). */
export function numericIdOf(gid: string): number {
  const match = /^gid:\/\/shopify\/[A-Za-z]+\/(\d+)$/.exec(gid);
  const id = match ? Number(match[1]) : Number.NaN;
  if (!Number.isSafeInteger(id) || id <= 0) throw new Error(`${gid} is not a Shopify GID with a numeric id`);
  return id;
}

/** A text value Flow accepts: one line, at most 255 characters. */
export function flowText(value: string | null | undefined): string {
  return (value ?? "").replace(/[\r\n]+/g, " ").slice(0, 255);
}

// ---------------------------------------------------------------------------------------------
// Payload builders: plain facts in, the payload of the declaration out (checked by its schema).
// ---------------------------------------------------------------------------------------------

export type FlowTriggerPayload = Record<string, string | number | boolean>;

export interface PointsEarnedFacts {
  customerGid: string;
  orderGid: string;
  orderName: string | null;
  points: number;
  pending: boolean;
  availableAt: Date;
  newBalance: number;
  newPending: number;
  reason: string;
}

export function pointsEarnedPayload(facts: PointsEarnedFacts): FlowTriggerPayload {
  return payloadSchemaOf(POINTS_EARNED).parse({
    customer_id: numericIdOf(facts.customerGid),
    order_id: numericIdOf(facts.orderGid),
    "Order name": flowText(facts.orderName),
    Points: facts.points,
    "Points status": facts.pending ? "pending" : "available",
    "Available on": facts.availableAt.toISOString(),
    "New balance": facts.newBalance,
    "Pending points": facts.newPending,
    Reason: flowText(facts.reason),
  });
}

export interface BalanceChangedFacts {
  customerGid: string;
  change: number;
  newBalance: number;
  newPending: number;
  reason: string;
}

export function balanceChangedPayload(facts: BalanceChangedFacts): FlowTriggerPayload {
  return payloadSchemaOf(BALANCE_CHANGED).parse({
    customer_id: numericIdOf(facts.customerGid),
    Change: facts.change,
    "New balance": facts.newBalance,
    "Pending points": facts.newPending,
    Reason: flowText(facts.reason),
  });
}

export interface RewardCodeIssuedFacts {
  customerGid: string;
  code: string;
  reward: string;
  discountType: "percentage" | "fixed_amount" | "free_shipping";
  value: string;
  minSubtotal: string | null;
  endsAt: Date;
  source: "welcome" | "redemption";
  pointsSpent: number;
}

/** "15% off", "5.00 off", "Free shipping": the discount in words a message can use as is. */
export function discountValueText(discountType: RewardCodeIssuedFacts["discountType"], value: string): string {
  if (discountType === "percentage") return `${value}% off`;
  if (discountType === "fixed_amount") return `${value} off`;
  return "Free shipping";
}

export function rewardCodeIssuedPayload(facts: RewardCodeIssuedFacts): FlowTriggerPayload {
  return payloadSchemaOf(REWARD_CODE_ISSUED).parse({
    customer_id: numericIdOf(facts.customerGid),
    Code: facts.code,
    Reward: flowText(facts.reward),
    Value: discountValueText(facts.discountType, facts.value),
    "Minimum subtotal": facts.minSubtotal ?? "",
    "Ends at": facts.endsAt.toISOString(),
    Source: facts.source,
    "Points spent": facts.pointsSpent,
  });
}
