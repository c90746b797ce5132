// Taking points back when an order is refunded or cancelled, using the order's earn snapshot
// (never today's settings).
//
// Path independence: after refunds totalling x of an eligible base B, each kind of earned points
// P should be reversed down to target(x) = x >= B ? P : round(P × x / B). Each refund reverses
// target(before + now) − already reversed. target only grows with x and equals P at x = B, so
// refunds arriving in any order and any split add up to exactly P, never more.
import type { EarnEntryKind, EarnRuleSnapshot } from "./earning";
import { type Fixed, FIXED_ZERO, maxFixed, minFixed, parseMoney, proportionalPoints, toDecimalString } from "./money";
import { type RefundForReversal, amountWithTaxRule } from "./order";

export type ReversedPoints = Record<EarnEntryKind, number>;

export interface ReversalEntry<Kind extends "refund_reversal" | "cancel_reversal"> {
  kind: Kind;
  reverses: EarnEntryKind;
  /** Negative. */
  points: number;
}

export interface RefundReversal {
  /** Eligible amount this refund returned (decimal string); add it to refundedBefore for the next one. */
  refundedEligible: string;
  entries: ReversalEntry<"refund_reversal">[];
  /** Every eligible amount has now been refunded. */
  fullyRefunded: boolean;
}

export interface RefundReversalInput {
  snapshot: EarnRuleSnapshot;
  refund: RefundForReversal;
  /** Eligible amount already refunded by earlier refunds of this order (sum of their refundedEligible). */
  refundedBefore: string;
  /** Points already taken back per kind (positive numbers), by refunds or a cancel. */
  reversedBefore: ReversedPoints;
}

const KINDS: readonly EarnEntryKind[] = ["earn", "campaign_bonus", "welcome_bonus"];

function earnedPoints(snapshot: EarnRuleSnapshot): ReversedPoints {
  return { earn: snapshot.earnPoints, campaign_bonus: snapshot.bonusPoints, welcome_bonus: snapshot.welcomePoints };
}

/**
 * The eligible part of one refund: only lines that earned, read with the order's tax convention
 * (refund subtotals carry tax inside in taxes-included shops, like the order's prices), each line
 * capped at what it earned on. Shipping counts only if the order earned on shipping.
 */
export function eligibleRefundAmount(snapshot: EarnRuleSnapshot, refund: RefundForReversal): Fixed {
  const refundedPerLine = new Map<string, Fixed>();
  for (const line of refund.lines) {
    if (!(line.lineItemId in snapshot.lineAmounts)) continue; // excluded product, gift card, or unknown line
    const label = `refund ${refund.refundId} line ${line.lineItemId}`;
    const amount = amountWithTaxRule(parseMoney(line.subtotal, `${label} subtotal`), parseMoney(line.totalTax, `${label} totalTax`), snapshot.taxesIncluded, snapshot.includeTaxes);
    refundedPerLine.set(line.lineItemId, (refundedPerLine.get(line.lineItemId) ?? FIXED_ZERO) + maxFixed(FIXED_ZERO, amount));
  }
  let eligible = FIXED_ZERO;
  for (const [lineItemId, refunded] of refundedPerLine) {
    eligible += minFixed(refunded, parseMoney(snapshot.lineAmounts[lineItemId] ?? "0"));
  }
  if (snapshot.includeShipping) {
    let shipping = FIXED_ZERO;
    for (const line of refund.shippingLines ?? []) {
      const label = `refund ${refund.refundId} shipping`;
      const amount = amountWithTaxRule(parseMoney(line.subtotal, `${label} subtotal`), parseMoney(line.totalTax, `${label} totalTax`), snapshot.taxesIncluded, snapshot.includeTaxes);
      shipping += maxFixed(FIXED_ZERO, amount);
    }
    eligible += minFixed(shipping, parseMoney(snapshot.shippingAmount));
  }
  return eligible;
}

/** Points of each kind that should have been taken back once `refunded` of the base is refunded. */
export function reversalTarget(snapshot: EarnRuleSnapshot, refunded: Fixed): ReversedPoints {
  const base = parseMoney(snapshot.base);
  const fully = refunded >= base;
  const share = (points: number) => (fully ? points : proportionalPoints(points, refunded, base, snapshot.rounding));
  return {
    earn: share(snapshot.earnPoints),
    campaign_bonus: share(snapshot.bonusPoints),
    // The welcome bonus is for placing a first order, not per unit of money: all or nothing.
    welcome_bonus: fully && snapshot.welcomeBonusClawback ? snapshot.welcomePoints : 0,
  };
}

export function reversalForRefund({ snapshot, refund, refundedBefore, reversedBefore }: RefundReversalInput): RefundReversal {
  const refundedNow = eligibleRefundAmount(snapshot, refund);
  const refundedTotal = parseMoney(refundedBefore, "refundedBefore") + refundedNow;
  const target = reversalTarget(snapshot, refundedTotal);
  const entries: ReversalEntry<"refund_reversal">[] = [];
  for (const kind of KINDS) {
    // Never negative: a refund never gives points back, even if more was taken before (a cancel).
    const points = target[kind] - reversedBefore[kind];
    if (points > 0) entries.push({ kind: "refund_reversal", reverses: kind, points: -points });
  }
  return {
    refundedEligible: toDecimalString(refundedNow),
    entries,
    fullyRefunded: refundedTotal >= parseMoney(snapshot.base),
  };
}

/** A cancelled order takes back everything not yet taken back (the welcome bonus only if clawback is on). */
export function reversalForCancel({ snapshot, reversedBefore }: { snapshot: EarnRuleSnapshot; reversedBefore: ReversedPoints }): { entries: ReversalEntry<"cancel_reversal">[] } {
  const earned = earnedPoints(snapshot);
  if (!snapshot.welcomeBonusClawback) earned.welcome_bonus = 0;
  const entries: ReversalEntry<"cancel_reversal">[] = [];
  for (const kind of KINDS) {
    const points = earned[kind] - reversedBefore[kind];
    if (points > 0) entries.push({ kind: "cancel_reversal", reverses: kind, points: -points });
  }
  return { entries };
}

/** Points of each kind the customer still holds from this order. */
export function pointsStillHeld(snapshot: EarnRuleSnapshot, reversedBefore: ReversedPoints): ReversedPoints {
  const earned = earnedPoints(snapshot);
  return {
    earn: earned.earn - reversedBefore.earn,
    campaign_bonus: earned.campaign_bonus - reversedBefore.campaign_bonus,
    welcome_bonus: earned.welcome_bonus - reversedBefore.welcome_bonus,
  };
}
