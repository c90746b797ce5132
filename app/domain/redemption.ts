// Spending points on rewards: the checks before a redemption, what the shopper can afford, when a
// reward code is valid, and the code itself.
import { z } from "zod";
import { isDecimalString, parseDecimal } from "./money";
import { addCalendarDays, startOfZonedDay, zonedDateOf } from "./time";

export type RewardDiscountType = "fixed_amount" | "percentage" | "free_shipping";

export interface RewardOption {
  id: string;
  name: string;
  pointsCost: number;
  discountType: RewardDiscountType;
  /** Amount off (shop money) or percent; ignored for free shipping. */
  value: string;
  minSubtotal: string | null;
  /** The code is valid until the end of the shop's local day this many days after issue. */
  validityDays: number;
  active: boolean;
}

export const rewardOptionSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().trim().min(1, "Give the reward a name").max(100, "Keep the name under 100 characters"),
    pointsCost: z.number({ invalid_type_error: "Points cost must be a whole number" }).int("Points cost must be a whole number").min(1, "Points cost must be at least 1"),
    discountType: z.enum(["fixed_amount", "percentage", "free_shipping"], {
      errorMap: () => ({ message: "Choose an amount off, a percentage off or free shipping" }),
    }),
    value: z.string().trim(),
    minSubtotal: z
      .string()
      .trim()
      .nullable()
      .refine((text) => text === null || text === "" || isDecimalString(text), "Enter an amount like 50 or 49.99"),
    validityDays: z
      .number({ invalid_type_error: "Validity must be a whole number of days" })
      .int("Validity must be a whole number of days")
      .min(1, "Validity must be at least 1 day")
      .max(365, "Validity can be at most 365 days"),
    active: z.boolean(),
  })
  .superRefine((reward, ctx) => {
    if (reward.discountType === "free_shipping") return;
    if (!isDecimalString(reward.value) || parseDecimal(reward.value) <= 0n) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["value"], message: "Enter a discount greater than 0" });
      return;
    }
    if (reward.discountType === "percentage" && parseDecimal(reward.value) > parseDecimal("100")) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["value"], message: "A percentage discount can be at most 100" });
    }
  })
  .transform((reward) => ({ ...reward, minSubtotal: reward.minSubtotal === "" ? null : reward.minSubtotal }));

export type RedemptionCheck = { ok: true } | { ok: false; reason: "in_debt" | "insufficient_points" | "reward_inactive"; message: string };

function pointsLabel(points: number): string {
  return `${points.toLocaleString("en-US")} ${points === 1 ? "point" : "points"}`;
}

/**
 * Whether a customer may redeem a reward now. A negative balance (points clawed back after being
 * spent) blocks every redemption until earned back, so refunds can't be used to get rewards free.
 */
export function checkRedemption({ balance, reward }: { balance: number; reward: RewardOption }): RedemptionCheck {
  if (!reward.active) {
    return { ok: false, reason: "reward_inactive", message: "This reward isn't available right now." };
  }
  if (balance < 0) {
    return {
      ok: false,
      reason: "in_debt",
      message: `Your balance is ${pointsLabel(balance)} after a refund, so rewards are paused until you earn ${pointsLabel(-balance)} back.`,
    };
  }
  if (balance < reward.pointsCost) {
    return {
      ok: false,
      reason: "insufficient_points",
      message: `You need ${pointsLabel(reward.pointsCost - balance)} more for ${reward.name}.`,
    };
  }
  return { ok: true };
}

function byCostThenId(a: RewardOption, b: RewardOption): number {
  return a.pointsCost - b.pointsCost || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Active rewards the balance covers, cheapest first (none while in debt). */
export function affordableRewards(balance: number, rewards: readonly RewardOption[]): RewardOption[] {
  if (balance < 0) return [];
  return rewards.filter((reward) => reward.active && reward.pointsCost <= balance).sort(byCostThenId);
}

/** "150 points to your next reward": the cheapest active reward not yet affordable. */
export function nextReward(balance: number, rewards: readonly RewardOption[]): { reward: RewardOption; pointsNeeded: number } | null {
  const next = rewards.filter((reward) => reward.active && reward.pointsCost > balance).sort(byCostThenId)[0];
  return next ? { reward: next, pointsNeeded: next.pointsCost - balance } : null;
}

/**
 * A code issued at `issuedAt` works from then until the end of the shop's local day
 * `validityDays` later (23:59:59.999 local). Computed as one millisecond before the next local
 * midnight, so it is right on days with 23 or 25 hours and where midnight itself is skipped.
 */
export function codeWindow({ issuedAt, validityDays, ianaTimeZone }: { issuedAt: Date; validityDays: number; ianaTimeZone: string }): { startsAt: Date; endsAt: Date } {
  if (!Number.isInteger(validityDays) || validityDays < 0) {
    throw new RangeError(`validityDays must be a whole number of days, got ${validityDays}`);
  }
  const issueDate = zonedDateOf(issuedAt, ianaTimeZone);
  const dayAfterLast = addCalendarDays(issueDate, validityDays + 1);
  return { startsAt: new Date(issuedAt.getTime()), endsAt: new Date(startOfZonedDay(dayAfterLast, ianaTimeZone).getTime() - 1) };
}

// 32 symbols without 0/O and 1/I, so a code read aloud or typed from a receipt can't be mistaken.
const CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const FNV_OFFSET_BASIS = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = (1n << 64n) - 1n;

/**
 * FNV-1a 64-bit over UTF-8. Not cryptographic: codes must be stable and well spread, not secret
 * (the seed is a server-side id, and Shopify enforces the code's use). Pure JS so this module
 * runs anywhere, with no node:crypto.
 */
export function fnv1a64(text: string): bigint {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * FNV_PRIME) & MASK_64;
  }
  return hash;
}

/**
 * MurmurHash3's 64-bit finaliser. FNV-1a alone barely changes the middle bits when only the last
 * character differs ("job-1" vs "job-2" gave codes sharing 5 symbols); this spreads every input
 * bit over the whole result.
 */
function avalanche64(hash: bigint): bigint {
  hash ^= hash >> 33n;
  hash = (hash * 0xff51afd7ed558ccdn) & MASK_64;
  hash ^= hash >> 33n;
  hash = (hash * 0xc4ceb9fe1a85ec53n) & MASK_64;
  hash ^= hash >> 33n;
  return hash;
}

/**
 * "WELCOME-7KQ3M9XA": prefix + dash + `length` symbols from a hash of the seed (a redemption or job
 * id), so a retried job creates the same code instead of a second one. 8 symbols = 40 bits; the
 * caller should still treat "code already exists" from Shopify for a different seed as a collision
 * and retry with a suffixed seed.
 */
export function deterministicCode({ prefix, seed, length = 8 }: { prefix: string; seed: string; length?: number }): string {
  const cleanPrefix = prefix.trim().toUpperCase().replace(/-+$/, ""); // "WELCOME-" and "welcome" both work
  if (!/^[A-Z0-9]+(?:-[A-Z0-9]+)*$|^$/.test(cleanPrefix) || cleanPrefix.length > 20) {
    throw new RangeError(`code prefix must be up to 20 letters, digits and dashes, got "${prefix}"`);
  }
  if (!Number.isInteger(length) || length < 4 || length > 12) {
    throw new RangeError("code length must be from 4 to 12 symbols");
  }
  if (seed === "") throw new RangeError("code seed must not be empty");
  let hash = avalanche64(fnv1a64(seed));
  let body = "";
  for (let i = 0; i < length; i++) {
    body += CODE_ALPHABET[Number(hash & 31n)];
    hash >>= 5n;
  }
  return cleanPrefix ? `${cleanPrefix}-${body}` : body;
}
