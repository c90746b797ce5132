import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { type ReversedPoints, pointsStillHeld, reversalForCancel, reversalForRefund, reversalTarget } from "../../../app/domain/clawback";
import { type EarnRuleSnapshot, earnRuleSnapshotSchema, pointsForOrder } from "../../../app/domain/earning";
import { parseMoney, toDecimalString } from "../../../app/domain/money";
import type { OrderLine, RefundForReversal, RefundLine } from "../../../app/domain/order";
import { campaign, germanOrder, line, settingsWith, usOrder } from "./fixtures";

const NONE: ReversedPoints = { earn: 0, campaign_bonus: 0, welcome_bonus: 0 };

function refund(id: string, lines: RefundLine[], shippingLines?: RefundForReversal["shippingLines"]): RefundForReversal {
  return { refundId: id, createdAt: "2026-05-20T10:00:00Z", lines, ...(shippingLines ? { shippingLines } : {}) };
}

/** Applies refunds in the given order the way the ledger would, returning the points taken back per refund. */
function applyRefunds(snapshot: EarnRuleSnapshot, refunds: RefundForReversal[]) {
  let refundedBefore = "0";
  const reversed: ReversedPoints = { ...NONE };
  const steps: ReversedPoints[] = [];
  let fullyRefunded = false;
  for (const r of refunds) {
    const result = reversalForRefund({ snapshot, refund: r, refundedBefore, reversedBefore: { ...reversed } });
    const step: ReversedPoints = { ...NONE };
    for (const entry of result.entries) {
      expect(entry.kind).toBe("refund_reversal");
      expect(entry.points).toBeLessThan(0);
      step[entry.reverses] -= entry.points;
      reversed[entry.reverses] -= entry.points;
    }
    steps.push(step);
    refundedBefore = toDecimalString(parseMoney(refundedBefore) + parseMoney(result.refundedEligible));
    fullyRefunded = result.fullyRefunded;
  }
  return { steps, reversed, refundedBefore, fullyRefunded };
}

// The US order during a double-points campaign, as the customer's first order with a 100-point welcome bonus:
// earns 244 + 245 bonus + 100 welcome on a base of 244.98.
const doublePoints = campaign({ id: "spring-double", startsAt: "2026-05-01T00:00:00Z", endsAt: "2026-06-01T00:00:00Z" });
const earned = pointsForOrder({ order: usOrder(), settings: settingsWith({ welcomeBonusPoints: 100 }), campaigns: [doublePoints], isFirstOrder: true });
const snapshot = earned.ruleSnapshot;
const sunglasses: RefundLine = { lineItemId: "466157049", quantity: 1, subtotal: "89.99", totalTax: "7.20" };
const lounger: RefundLine = { lineItemId: "518995019", quantity: 1, subtotal: "154.99", totalTax: "12.40" };

describe("refunds in several steps", () => {
  it("starts from what the order earned", () => {
    expect(earned.entries.map((e) => [e.kind, e.points])).toEqual([
      ["earn", 244],
      ["campaign_bonus", 245],
      ["welcome_bonus", 100],
    ]);
  });

  it("returning the sunglasses takes back their share; the lounger takes the rest and the welcome bonus", () => {
    const { steps, reversed, fullyRefunded } = applyRefunds(snapshot, [refund("r1", [sunglasses]), refund("r2", [lounger])]);
    expect(steps).toEqual([
      { earn: 89, campaign_bonus: 89, welcome_bonus: 0 }, // 244 × 89.99 / 244.98 = 89.6, rounded down
      { earn: 155, campaign_bonus: 156, welcome_bonus: 100 },
    ]);
    expect(reversed).toEqual({ earn: 244, campaign_bonus: 245, welcome_bonus: 100 });
    expect(fullyRefunded).toBe(true);
  });

  it("the same refunds in the reverse order take back exactly the same total", () => {
    const { steps, reversed } = applyRefunds(snapshot, [refund("r2", [lounger]), refund("r1", [sunglasses])]);
    expect(steps[0]).toEqual({ earn: 154, campaign_bonus: 155, welcome_bonus: 0 });
    expect(reversed).toEqual({ earn: 244, campaign_bonus: 245, welcome_bonus: 100 });
  });

  it("three T-shirts returned one at a time, then the mug, add up to the 81 points earned", () => {
    const order = usOrder({
      lines: [line({ lineItemId: "11", quantity: 3, unitPrice: "25.00", discountTotal: "7.50", taxTotal: "5.40" }), line({ lineItemId: "12", unitPrice: "14.00", taxTotal: "1.12" })],
    });
    const { ruleSnapshot } = pointsForOrder({ order, settings: settingsWith(), campaigns: [], isFirstOrder: false });
    expect(ruleSnapshot).toMatchObject({ base: "81.5", earnPoints: 81 });
    const shirt = (id: string) => refund(id, [{ lineItemId: "11", quantity: 1, subtotal: "22.50", totalTax: "1.80" }]);
    const { steps, reversed } = applyRefunds(ruleSnapshot, [shirt("a"), shirt("b"), shirt("c"), refund("d", [{ lineItemId: "12", quantity: 1, subtotal: "14.00", totalTax: "1.12" }])]);
    expect(steps.map((s) => s.earn)).toEqual([22, 22, 23, 14]);
    expect(reversed.earn).toBe(81);
  });

  it("a partial refund never touches the welcome bonus", () => {
    const { reversed, fullyRefunded } = applyRefunds(snapshot, [refund("r1", [sunglasses])]);
    expect(reversed.welcome_bonus).toBe(0);
    expect(fullyRefunded).toBe(false);
  });

  it("keeps the welcome bonus on a full refund when the merchant turned clawback off", () => {
    const kept = { ...snapshot, welcomeBonusClawback: false };
    expect(applyRefunds(kept, [refund("r1", [sunglasses, lounger])]).reversed).toEqual({ earn: 244, campaign_bonus: 245, welcome_bonus: 0 });
  });
});

describe("what a refund counts", () => {
  it("refunding an excluded product or a gift card takes nothing back", () => {
    const { ruleSnapshot } = pointsForOrder({
      order: usOrder({ lines: [...usOrder().lines, line({ lineItemId: "99", unitPrice: "25.00", giftCard: true })] }),
      settings: settingsWith({ excludedProductIds: ["632910392"] }),
      campaigns: [],
      isFirstOrder: false,
    });
    const result = reversalForRefund({ snapshot: ruleSnapshot, refund: refund("r", [sunglasses, { lineItemId: "99", quantity: 1, subtotal: "25.00", totalTax: "0.00" }]), refundedBefore: "0", reversedBefore: NONE });
    expect(result).toEqual({ refundedEligible: "0", entries: [], fullyRefunded: false });
  });

  it("counts refunded tax only if the order earned on tax", () => {
    const withTax = pointsForOrder({ order: usOrder(), settings: settingsWith({ includeTaxes: true }), campaigns: [], isFirstOrder: false }).ruleSnapshot;
    expect(reversalForRefund({ snapshot: withTax, refund: refund("r", [sunglasses]), refundedBefore: "0", reversedBefore: NONE }).refundedEligible).toBe("97.19");
    expect(reversalForRefund({ snapshot, refund: refund("r", [sunglasses]), refundedBefore: "0", reversedBefore: NONE }).refundedEligible).toBe("89.99");
  });

  it("reads VAT-inclusive refund subtotals the way the order was read", () => {
    const vat = pointsForOrder({ order: germanOrder(), settings: settingsWith(), campaigns: [], isFirstOrder: false }).ruleSnapshot;
    expect(vat).toMatchObject({ base: "180", earnPoints: 180 });
    const oneOfTwo = refund("r", [{ lineItemId: "1001", quantity: 1, subtotal: "107.10", totalTax: "17.10" }]);
    const first = reversalForRefund({ snapshot: vat, refund: oneOfTwo, refundedBefore: "0", reversedBefore: NONE });
    expect(first).toEqual({ refundedEligible: "90", entries: [{ kind: "refund_reversal", reverses: "earn", points: -90 }], fullyRefunded: false });
    const second = reversalForRefund({ snapshot: vat, refund: oneOfTwo, refundedBefore: "90", reversedBefore: { ...NONE, earn: 90 } });
    expect(second.entries).toEqual([{ kind: "refund_reversal", reverses: "earn", points: -90 }]);
    expect(second.fullyRefunded).toBe(true);
  });

  it("caps a line's refund at what it earned on", () => {
    const over = reversalForRefund({ snapshot, refund: refund("r", [{ ...sunglasses, subtotal: "120.00" }]), refundedBefore: "0", reversedBefore: NONE });
    expect(over.refundedEligible).toBe("89.99");
  });

  it("counts a shipping refund only when shipping earned", () => {
    const withShipping = pointsForOrder({ order: usOrder(), settings: settingsWith({ includeShipping: true }), campaigns: [], isFirstOrder: false }).ruleSnapshot;
    expect(withShipping).toMatchObject({ base: "254.98", earnPoints: 254 });
    const items = applyRefunds(withShipping, [refund("r1", [sunglasses, lounger])]);
    expect(items).toMatchObject({ reversed: { earn: 244 }, fullyRefunded: false });
    const shipping = reversalForRefund({ snapshot: withShipping, refund: refund("r2", [], [{ subtotal: "10.00", totalTax: "0.80" }]), refundedBefore: items.refundedBefore, reversedBefore: items.reversed });
    expect(shipping).toMatchObject({ refundedEligible: "10", entries: [{ reverses: "earn", points: -10 }], fullyRefunded: true });
    expect(reversalForRefund({ snapshot, refund: refund("r3", [], [{ subtotal: "10.00", totalTax: "0.80" }]), refundedBefore: "0", reversedBefore: NONE }).refundedEligible).toBe("0");
  });

  it("reads a stored snapshot back intact and refuses a tampered one", () => {
    const stored = JSON.stringify(snapshot);
    expect(earnRuleSnapshotSchema.parse(JSON.parse(stored))).toEqual(snapshot);
    expect(earnRuleSnapshotSchema.safeParse({ ...snapshot, base: 244.98 }).success).toBe(false);
    expect(earnRuleSnapshotSchema.safeParse({ ...snapshot, version: 2 }).success).toBe(false);
  });

  it("uses the snapshot's rate even after the merchant changed the settings", () => {
    const atTwo = pointsForOrder({ order: usOrder(), settings: settingsWith({ pointsPerUnit: "2" }), campaigns: [], isFirstOrder: false }).ruleSnapshot;
    // Settings are now "1 point per dollar", but the order earned 489 at 2 per dollar.
    expect(applyRefunds(atTwo, [refund("r", [sunglasses, lounger])]).reversed.earn).toBe(489);
  });
});

describe("cancellations", () => {
  it("a cancel after a partial refund takes back exactly the rest", () => {
    const afterSunglasses = applyRefunds(snapshot, [refund("r1", [sunglasses])]).reversed;
    expect(reversalForCancel({ snapshot, reversedBefore: afterSunglasses }).entries).toEqual([
      { kind: "cancel_reversal", reverses: "earn", points: -155 },
      { kind: "cancel_reversal", reverses: "campaign_bonus", points: -156 },
      { kind: "cancel_reversal", reverses: "welcome_bonus", points: -100 },
    ]);
  });

  it("a cancel keeps the welcome bonus when clawback is off, and has nothing to take twice", () => {
    expect(reversalForCancel({ snapshot: { ...snapshot, welcomeBonusClawback: false }, reversedBefore: NONE }).entries.map((e) => e.reverses)).toEqual(["earn", "campaign_bonus"]);
    expect(reversalForCancel({ snapshot, reversedBefore: { earn: 244, campaign_bonus: 245, welcome_bonus: 100 } }).entries).toEqual([]);
  });

  it("a refund arriving after the cancel takes nothing more", () => {
    const all = { earn: 244, campaign_bonus: 245, welcome_bonus: 100 };
    expect(reversalForRefund({ snapshot, refund: refund("late", [sunglasses]), refundedBefore: "0", reversedBefore: all }).entries).toEqual([]);
  });
});

describe("property: refunds in any split and any order add up to what was earned", () => {
  const cents = (units: bigint, decimals: number) => toDecimalString(units * 10n ** BigInt(4 - decimals));

  /** Splits `total` into `parts` non-negative pieces using generated cut points. */
  function split(total: bigint, cuts: bigint[]): bigint[] {
    const points = cuts.map((c) => (total === 0n ? 0n : c % (total + 1n))).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const pieces: bigint[] = [];
    let previous = 0n;
    for (const point of points) {
      pieces.push(point - previous);
      previous = point;
    }
    pieces.push(total - previous);
    return pieces;
  }

  it("never reverses more than earned, ends at exactly the earned points, and matches the path-free target", () => {
    fc.assert(
      fc.property(
        fc.record({
          decimals: fc.constantFrom(0, 2, 3),
          taxesIncluded: fc.boolean(),
          includeTaxes: fc.boolean(),
          rounding: fc.constantFrom("down" as const, "nearest" as const),
          pointsPerUnit: fc.constantFrom("1", "0.5", "2", "1.25", "0.01", "3.3333", "10"),
          multiplier: fc.option(fc.constantFrom("2", "1.5", "3", "1.25"), { nil: null }),
          welcomeBonusPoints: fc.integer({ min: 0, max: 500 }),
          welcomeBonusClawback: fc.boolean(),
          lines: fc.array(
            fc.record({
              unitMinor: fc.bigInt({ min: 1n, max: 500_000n }),
              quantity: fc.integer({ min: 1, max: 5 }),
              discountPermille: fc.integer({ min: 0, max: 1000 }),
              taxPermille: fc.integer({ min: 0, max: 250 }),
              excluded: fc.boolean(),
            }),
            { minLength: 1, maxLength: 5 },
          ),
          cancelAfter: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }),
        }),
        fc.gen(),
        (spec, g) => {
          const lines: OrderLine[] = [];
          const netByLine = new Map<string, bigint>();
          const taxByLine = new Map<string, bigint>();
          spec.lines.forEach((l, index) => {
            const gross = l.unitMinor * BigInt(l.quantity);
            const discount = (gross * BigInt(l.discountPermille)) / 1000n;
            const afterDiscount = gross - discount;
            // Tax is a share of the charged amount; in taxes-included shops it sits inside it.
            const tax = (afterDiscount * BigInt(l.taxPermille)) / 1000n;
            const id = `line-${index}`;
            lines.push(
              line({
                lineItemId: id,
                productId: l.excluded ? "666" : `${100 + index}`,
                quantity: l.quantity,
                unitPrice: cents(l.unitMinor, spec.decimals),
                discountTotal: cents(discount, spec.decimals),
                taxTotal: cents(tax, spec.decimals),
              }),
            );
            netByLine.set(id, spec.taxesIncluded ? afterDiscount - tax : afterDiscount);
            taxByLine.set(id, tax);
          });
          const settings = settingsWith({
            pointsPerUnit: spec.pointsPerUnit,
            rounding: spec.rounding,
            includeTaxes: spec.includeTaxes,
            excludedProductIds: ["666"],
            welcomeBonusPoints: spec.welcomeBonusPoints,
            welcomeBonusClawback: spec.welcomeBonusClawback,
          });
          const campaigns = spec.multiplier ? [campaign({ id: "c", multiplier: spec.multiplier })] : [];
          const result = pointsForOrder({ order: usOrder({ lines, shippingLines: [] }), settings, campaigns, isFirstOrder: true });
          if (result.outcome !== "earned") return; // every line excluded or fully discounted
          const snap = result.ruleSnapshot;
          const earnedPoints: ReversedPoints = { earn: snap.earnPoints, campaign_bonus: snap.bonusPoints, welcome_bonus: snap.welcomePoints };
          const expectedFinal: ReversedPoints = { ...earnedPoints, welcome_bonus: snap.welcomeBonusClawback ? snap.welcomePoints : 0 };

          // Refund every line (eligible or not) in random pieces; shuffle all pieces across refunds.
          const pieces: RefundLine[] = [];
          for (const l of lines) {
            const count = g(fc.integer, { min: 1, max: 4 });
            const netPieces = split(netByLine.get(l.lineItemId) ?? 0n, g(fc.array, fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: count - 1, maxLength: count - 1 }));
            const taxPieces = split(taxByLine.get(l.lineItemId) ?? 0n, g(fc.array, fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: count - 1, maxLength: count - 1 }));
            netPieces.forEach((net, i) => {
              const tax = taxPieces[i] ?? 0n;
              pieces.push({ lineItemId: l.lineItemId, quantity: 1, subtotal: cents(spec.taxesIncluded ? net + tax : net, spec.decimals), totalTax: cents(tax, spec.decimals) });
            });
          }
          const order = g(fc.shuffledSubarray, pieces, { minLength: pieces.length, maxLength: pieces.length });
          const refunds: RefundForReversal[] = [];
          for (let i = 0; i < order.length;) {
            const size = g(fc.integer, { min: 1, max: 3 });
            refunds.push(refund(`r${i}`, order.slice(i, i + size)));
            i += size;
          }

          let refundedBefore = "0";
          const reversed: ReversedPoints = { ...NONE };
          let cancelled = false;
          for (const [index, r] of refunds.entries()) {
            if (spec.cancelAfter !== null && index === spec.cancelAfter) {
              for (const entry of reversalForCancel({ snapshot: snap, reversedBefore: { ...reversed } }).entries) reversed[entry.reverses] -= entry.points;
              expect(reversed).toEqual(expectedFinal);
              cancelled = true;
            }
            const step = reversalForRefund({ snapshot: snap, refund: r, refundedBefore, reversedBefore: { ...reversed } });
            for (const entry of step.entries) {
              expect(entry.points).toBeLessThan(0);
              reversed[entry.reverses] -= entry.points;
            }
            refundedBefore = toDecimalString(parseMoney(refundedBefore) + parseMoney(step.refundedEligible));
            if (!cancelled) expect(reversed).toEqual(reversalTarget(snap, parseMoney(refundedBefore)));
            const held = pointsStillHeld(snap, reversed);
            for (const kind of ["earn", "campaign_bonus", "welcome_bonus"] as const) {
              expect(reversed[kind]).toBeLessThanOrEqual(earnedPoints[kind]);
              expect(held[kind]).toBeGreaterThanOrEqual(0);
              expect(held[kind] + reversed[kind]).toBe(earnedPoints[kind]);
            }
          }
          expect(refundedBefore).toBe(snap.base);
          expect(reversed).toEqual(expectedFinal);
        },
      ),
      { numRuns: 300 },
    );
  }, 30_000); // generous: CI machines are small and shared
});
