// Program settings as the merchant edits them in the admin and as stored (JSON) per shop.
// Every field has a default so a fresh install (`parse({})`) and settings stored by an older
// version of the app (missing newer fields) both parse to a complete object. Messages are shown
// next to the form fields, so they speak to a merchant, not a developer.
import { z } from "zod";
import { FIXED_ZERO, isDecimalString, parseDecimal } from "./money";

const DECIMAL_HINT = "Enter a number like 1 or 0.5";

/** Trims text input from forms; other values pass through to be rejected with a type message. */
const trimmed = (value: unknown) => (typeof value === "string" ? value.trim() : value);

/** Form posts send "" for a cleared optional field; treat that as "no value". */
const blankToNull = (value: unknown) => {
  const text = trimmed(value);
  return text === "" ? null : text;
};

function decimalString(options: { maxDecimals: number; positive: boolean; fieldName: string }) {
  return z.preprocess(
    trimmed,
    z.string({ required_error: `${options.fieldName} is required`, invalid_type_error: DECIMAL_HINT }).superRefine((text, ctx) => {
      const match = /^(-)?\d+(?:\.(\d+))?$/.exec(text);
      if (!match) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${DECIMAL_HINT} (no currency symbols or commas)` });
        return;
      }
      if (match[1]) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${options.fieldName} can't be negative` });
        return;
      }
      if ((match[2] ?? "").length > options.maxDecimals) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `Use at most ${options.maxDecimals} decimal places` });
        return;
      }
      if (options.positive && parseDecimal(text) <= FIXED_ZERO) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${options.fieldName} must be greater than 0` });
      }
    }),
  );
}

/** "123" stays "123"; "gid://shopify/Product/123" becomes "123". */
export function normaliseProductId(raw: string): string | null {
  const text = raw.trim();
  const gid = /^gid:\/\/shopify\/Product\/(\d+)$/.exec(text);
  if (gid) return gid[1] ?? null;
  return /^\d+$/.test(text) ? text : null;
}

const productIdList = z.array(z.string({ invalid_type_error: "Product IDs must be text" })).transform((ids, ctx) => {
  const normalised: string[] = [];
  for (const [index, id] of ids.entries()) {
    const numeric = normaliseProductId(id);
    if (numeric === null) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [index],
        message: `"${id}" is not a product ID (use a number like 632910392 or gid://shopify/Product/632910392)`,
      });
      continue;
    }
    if (!normalised.includes(numeric)) normalised.push(numeric);
  }
  return normalised;
});

const orderTagList = z.array(z.string({ invalid_type_error: "Tags must be text" })).transform((tags) => {
  // Tags are compared case-insensitively; keep the merchant's spelling, drop blanks and repeats.
  const kept: string[] = [];
  for (const tag of tags.map((t) => t.trim())) {
    if (tag !== "" && !kept.some((k) => k.toLowerCase() === tag.toLowerCase())) kept.push(tag);
  }
  return kept;
});

function integerIn(fieldName: string, min: number, max: number) {
  return z.preprocess(
    (value) => (typeof value === "string" && value.trim() !== "" ? Number(value.trim()) : value),
    z
      .number({ required_error: `${fieldName} is required`, invalid_type_error: `${fieldName} must be a whole number` })
      .int(`${fieldName} must be a whole number`)
      .min(min, `${fieldName} must be at least ${min}`)
      .max(max, `${fieldName} must be at most ${max}`),
  );
}

const optionalMoney = (fieldName: string) => z.preprocess(blankToNull, decimalString({ maxDecimals: 4, positive: false, fieldName }).nullable());

export const welcomeCodeSettingsSchema = z
  .object({
    enabled: z.boolean().default(false),
    discountType: z
      .enum(["percentage", "fixed_amount"], {
        errorMap: () => ({ message: "Choose a percentage or a fixed amount off" }),
      })
      .default("percentage"),
    value: decimalString({ maxDecimals: 4, positive: true, fieldName: "Discount value" }).default("10"),
    validityDays: integerIn("Validity", 1, 365).default(30),
    minSubtotal: optionalMoney("Minimum subtotal").default(null),
    combinesWith: z
      .object({
        orderDiscounts: z.boolean().default(false),
        productDiscounts: z.boolean().default(false),
        shippingDiscounts: z.boolean().default(false),
      })
      .default({}),
  })
  .superRefine((code, ctx) => {
    if (code.discountType === "percentage" && isDecimalString(code.value) && parseDecimal(code.value) > parseDecimal("100")) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["value"], message: "A percentage discount can be at most 100" });
    }
  });

export const programSettingsSchema = z.object({
  /** false = program paused: nothing earns (redemptions are a separate concern). */
  enabled: z.boolean().default(true),
  /** Points per one unit of shop currency, e.g. "1" = 1 point per $1, "0.5" = 1 point per $2. */
  pointsPerUnit: decimalString({ maxDecimals: 4, positive: true, fieldName: "Points per unit" }).default("1"),
  includeShipping: z.boolean().default(false),
  includeTaxes: z.boolean().default(false),
  rounding: z.enum(["down", "nearest"], { errorMap: () => ({ message: "Choose rounding down or to the nearest point" }) }).default("down"),
  /** Numeric product ids (GIDs are accepted on input and normalised). */
  excludedProductIds: productIdList.default([]),
  /** Orders carrying any of these tags (case-insensitive) earn nothing. */
  excludedOrderTags: orderTagList.default([]),
  minOrderSubtotal: optionalMoney("Minimum order subtotal").default(null),
  testOrdersEarn: z.boolean().default(false),
  /** Days before earned points become spendable (held for the return window). */
  pendingDays: integerIn("Pending days", 0, 365).default(0),
  campaignStacking: z
    .enum(["highest", "multiply"], {
      errorMap: () => ({ message: "Choose how overlapping campaigns combine: highest or multiply" }),
    })
    .default("highest"),
  welcomeBonusPoints: integerIn("Welcome bonus", 0, 1_000_000).default(0),
  /** A full refund or cancel of the first order takes the welcome bonus back. */
  welcomeBonusClawback: z.boolean().default(true),
  welcomeCode: welcomeCodeSettingsSchema.default({}),
  /** Points spent on a reward code that expires unused are returned to the customer. */
  expiredCodesReturnPoints: z.boolean().default(true),
});

export type ProgramSettings = z.infer<typeof programSettingsSchema>;
/** What a form or stored JSON may supply: every field optional. */
export type ProgramSettingsInput = z.input<typeof programSettingsSchema>;
export type WelcomeCodeSettings = ProgramSettings["welcomeCode"];

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** The fresh-install settings; frozen because it is shared. */
export const DEFAULT_PROGRAM_SETTINGS: ProgramSettings = deepFreeze(programSettingsSchema.parse({}));

export class StoredSettingsError extends Error {
  constructor(
    message: string,
    readonly fieldErrors: Record<string, string>,
  ) {
    super(message);
    this.name = "StoredSettingsError";
  }
}

/** { "welcomeCode.value": "A percentage discount can be at most 100", … }: first message per field. */
export function settingsFieldErrors(error: z.ZodError): Record<string, string> {
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_form";
    fieldErrors[key] ??= issue.message;
  }
  return fieldErrors;
}

/**
 * Reads settings stored as JSON. Missing fields (stored by an older version) take their defaults;
 * unknown fields are dropped. A value that no longer validates is an error rather than a silent
 * reset, so a shop's earning rules never change without the merchant seeing it.
 */
export function parseStoredSettings(json: string): ProgramSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new StoredSettingsError("Stored program settings are not valid JSON", {});
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new StoredSettingsError("Stored program settings must be a JSON object", {});
  }
  const result = programSettingsSchema.safeParse(raw);
  if (!result.success) {
    const fieldErrors = settingsFieldErrors(result.error);
    const summary = Object.entries(fieldErrors)
      .map(([field, message]) => `${field}: ${message}`)
      .join("; ");
    throw new StoredSettingsError(`Stored program settings are invalid: ${summary}`, fieldErrors);
  }
  return result.data;
}
