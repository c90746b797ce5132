// Fixed-point decimals for money and rates. Shopify sends shop money as decimal strings with the
// currency's own number of decimals (JPY 0, USD 2, KWD 3); rates and multipliers are decimal
// strings with up to 4 decimals. Everything is held as a bigint count of 1/10000 so sums and
// comparisons are exact; products of an amount and rates are kept as exact fractions until the
// single rounding to whole points. No floats touch money.

/** A decimal held as an integer count of ten-thousandths (1.5 is 15000n). */
export type Fixed = bigint;

/** An exact, not-yet-rounded value: numerator / denominator, denominator > 0. */
export interface ExactValue {
  numerator: bigint;
  denominator: bigint;
}

export type RoundingMode = "down" | "nearest";

export const FIXED_DECIMALS = 4;
export const FIXED_ONE: Fixed = 10_000n;
export const FIXED_ZERO: Fixed = 0n;

export class DecimalFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DecimalFormatError";
  }
}

const DECIMAL_PATTERN = /^(-)?(\d+)(?:\.(\d+))?$/;

export interface ParseDecimalOptions {
  /** Used in error messages, e.g. "line_items[0].price". */
  label?: string;
  allowNegative?: boolean;
  maxDecimals?: number;
}

/**
 * Parses "19.99", "1000", "12.345", "0.5" into ten-thousandths. Rejects anything else (floats'
 * exponent notation, thousands separators, blanks, ".5") with a message that names the value.
 */
export function parseDecimal(text: string, options: ParseDecimalOptions = {}): Fixed {
  const { label = "amount", allowNegative = false, maxDecimals = FIXED_DECIMALS } = options;
  if (typeof text !== "string") {
    throw new DecimalFormatError(`${label} must be a decimal string like "19.99", got ${typeof text}`);
  }
  const match = DECIMAL_PATTERN.exec(text);
  if (!match) {
    throw new DecimalFormatError(`${label} must be a decimal number like "19.99", got "${text}"`);
  }
  const [, sign, whole = "0", fraction = ""] = match;
  if (sign && !allowNegative) {
    throw new DecimalFormatError(`${label} must not be negative, got "${text}"`);
  }
  if (fraction.length > Math.min(maxDecimals, FIXED_DECIMALS)) {
    throw new DecimalFormatError(`${label} has more than ${Math.min(maxDecimals, FIXED_DECIMALS)} decimal places: "${text}"`);
  }
  const magnitude = BigInt(whole) * FIXED_ONE + BigInt(fraction.padEnd(FIXED_DECIMALS, "0"));
  return sign ? -magnitude : magnitude;
}

/** True when `text` is a decimal string parseDecimal accepts with these options. */
export function isDecimalString(text: unknown, options: ParseDecimalOptions = {}): text is string {
  if (typeof text !== "string") return false;
  try {
    parseDecimal(text, options);
    return true;
  } catch {
    return false;
  }
}

/** Shop money: never negative in the payload fields this app reads. */
export function parseMoney(text: string, label = "amount"): Fixed {
  return parseDecimal(text, { label });
}

/** A rate or multiplier ("1", "0.5", "1.5"): at most 4 decimals, not negative. */
export function parseRate(text: string, label = "rate"): Fixed {
  return parseDecimal(text, { label });
}

/** Canonical decimal string with trailing zeros trimmed: 15000n → "1.5", 10000000n → "1000". */
export function toDecimalString(value: Fixed): string {
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const whole = magnitude / FIXED_ONE;
  const fraction = (magnitude % FIXED_ONE).toString().padStart(FIXED_DECIMALS, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/**
 * Formats with exactly `decimals` places (the currency's minor units: 0 for JPY, 2 for USD, 3 for
 * KWD), rounding half away from zero when the value has more precision than that.
 */
export function formatMoney(value: Fixed, decimals = 2): string {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > FIXED_DECIMALS) {
    throw new RangeError(`decimals must be an integer from 0 to ${FIXED_DECIMALS}`);
  }
  const step = 10n ** BigInt(FIXED_DECIMALS - decimals);
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const units = (magnitude + step / 2n) / step; // half away from zero; step is 1 when decimals = 4
  const scale = 10n ** BigInt(decimals);
  const whole = units / scale;
  const fraction = decimals > 0 ? `.${(units % scale).toString().padStart(decimals, "0")}` : "";
  return `${negative && units !== 0n ? "-" : ""}${whole}${fraction}`;
}

export function addFixed(a: Fixed, b: Fixed): Fixed {
  return a + b;
}

export function subFixed(a: Fixed, b: Fixed): Fixed {
  return a - b;
}

export function sumFixed(values: Iterable<Fixed>): Fixed {
  let total = 0n;
  for (const value of values) total += value;
  return total;
}

/** -1, 0 or 1, like a sort comparator. */
export function compareFixed(a: Fixed, b: Fixed): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function minFixed(a: Fixed, b: Fixed): Fixed {
  return a < b ? a : b;
}

export function maxFixed(a: Fixed, b: Fixed): Fixed {
  return a > b ? a : b;
}

/** Multiplies by an integer count (a line's quantity). */
export function multiplyByQuantity(amount: Fixed, quantity: number): Fixed {
  if (!Number.isSafeInteger(quantity) || quantity < 0) {
    throw new RangeError(`quantity must be a non-negative integer, got ${quantity}`);
  }
  return amount * BigInt(quantity);
}

/** amount × rate₁ × rate₂ …, kept exact (no intermediate rounding). */
export function multiplyByRates(amount: Fixed, ...rates: Fixed[]): ExactValue {
  let numerator = amount;
  let denominator = FIXED_ONE;
  for (const rate of rates) {
    numerator *= rate;
    denominator *= FIXED_ONE;
  }
  return { numerator, denominator };
}

/** amount × rate rounded back to ten-thousandths (half away from zero), for money results. */
export function multiplyByRate(amount: Fixed, rate: Fixed | string): Fixed {
  const rateFixed = typeof rate === "string" ? parseRate(rate) : rate;
  return divideRounded(amount * rateFixed, FIXED_ONE, "nearest");
}

/** The exact fraction a Fixed value stands for. */
export function exactOf(value: Fixed): ExactValue {
  return { numerator: value, denominator: FIXED_ONE };
}

/**
 * numerator / denominator rounded to an integer. "down" truncates toward zero, "nearest" rounds
 * half away from zero (2.5 → 3), the rule shoppers expect; values are non-negative in practice.
 */
export function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  if (denominator === 0n) throw new RangeError("division by zero");
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  let quotient = magnitude / denominator;
  if (mode === "nearest" && (magnitude % denominator) * 2n >= denominator) quotient += 1n;
  return negative ? -quotient : quotient;
}

/** Rounds a Fixed or exact value to whole points. */
export function roundPoints(value: Fixed | ExactValue, mode: RoundingMode): number {
  const exact = typeof value === "bigint" ? exactOf(value) : value;
  const points = divideRounded(exact.numerator, exact.denominator, mode);
  if (points > BigInt(Number.MAX_SAFE_INTEGER) || points < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError("points value is too large");
  }
  return Number(points);
}

/** round(points × part / whole): a share of integer points, used to scale reversals. */
export function proportionalPoints(points: number, part: Fixed, whole: Fixed, mode: RoundingMode): number {
  if (whole <= 0n) throw new RangeError("whole must be positive");
  return roundPoints({ numerator: BigInt(points) * part, denominator: whole }, mode);
}
