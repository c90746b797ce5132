import { describe, expect, it } from "vitest";
import { activeCodeView, activeCodeViews, type HeldCode } from "../../../app/domain/shopper-codes";

const NOW = new Date("2026-12-05T12:00:00.000Z");
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);
const DAY = 86_400_000;

function held(overrides: Partial<HeldCode> & { code: string }): HeldCode {
  return {
    source: "redemption",
    status: "issued",
    startsAt: at(-DAY),
    endsAt: at(10 * DAY),
    terms: { title: "$10 off", discountType: "fixed_amount", value: "10.00", minSubtotal: null },
    ...overrides,
  };
}

const codesOf = (codes: HeldCode[], now = NOW) => activeCodeViews(codes, now).map((c) => c.code);

describe("activeCodeViews: the codes a shopper can still use", () => {
  it("lists issued, started, unended codes with what each gives and how long it has left", () => {
    const welcome = held({
      code: "WELCOME-ABCD2345",
      source: "welcome",
      endsAt: new Date("2027-01-04T23:59:59.999Z"),
      terms: { title: "Thank you for your first order", discountType: "percentage", value: "15", minSubtotal: "50.00" },
    });
    expect(activeCodeViews([welcome], NOW)).toEqual([
      {
        code: "WELCOME-ABCD2345",
        source: "welcome",
        title: "Thank you for your first order",
        discountType: "percentage",
        value: "15",
        minSubtotal: "50.00",
        endsAt: "2027-01-04T23:59:59.999Z",
        secondsLeft: 30 * 86_400 + 11 * 3600 + 59 * 60 + 59,
      },
    ]);
  });

  it("drops used, expired, failed and still-being-created codes", () => {
    const codes = ["used", "expired", "failed", "creating", "issued"].map((status) => held({ code: `C-${status}`, status }));
    expect(codesOf(codes)).toEqual(["C-issued"]);
  });

  it("drops a code whose end has passed even before the expiry task marks it expired", () => {
    expect(codesOf([held({ code: "LATE", endsAt: at(-1) })])).toEqual([]);
  });

  it("at exactly endsAt the code is gone; a millisecond before it is still listed, with 0 seconds left", () => {
    const code = held({ code: "EDGE", endsAt: at(0) });
    expect(codesOf([code])).toEqual([]);
    expect(activeCodeViews([code], at(-1))).toMatchObject([{ code: "EDGE", secondsLeft: 0 }]);
    expect(activeCodeViews([code], at(-1000))).toMatchObject([{ code: "EDGE", secondsLeft: 1 }]);
  });

  it("at exactly startsAt the code is listed; a millisecond before it is not yet", () => {
    const code = held({ code: "SOON", startsAt: at(0) });
    expect(codesOf([code])).toEqual(["SOON"]);
    expect(codesOf([code], at(-1))).toEqual([]);
  });

  it("lists the soonest ending first, and codes ending together in one order whatever the input order", () => {
    const codes = [held({ code: "LATER", endsAt: at(20 * DAY) }), held({ code: "b-SAME", endsAt: at(3 * DAY) }), held({ code: "FIRST", endsAt: at(DAY) }), held({ code: "B-SAME", endsAt: at(3 * DAY) })];
    expect(codesOf(codes)).toEqual(["FIRST", "B-SAME", "b-SAME", "LATER"]);
    expect(codesOf([...codes].reverse())).toEqual(["FIRST", "B-SAME", "b-SAME", "LATER"]);
  });

  it("free shipping has no amount; a minimum of zero is no minimum", () => {
    const [shipping, zeroMinimum] = activeCodeViews(
      [
        held({ code: "SHIP", endsAt: at(DAY), terms: { title: "Free shipping", discountType: "free_shipping", value: "100", minSubtotal: "0.00" } }),
        held({ code: "TEN", endsAt: at(2 * DAY), terms: { title: "$10 off", discountType: "fixed_amount", value: "10.00", minSubtotal: "0" } }),
      ],
      NOW,
    );
    expect(shipping).toMatchObject({ discountType: "free_shipping", value: "0", minSubtotal: null });
    expect(zeroMinimum).toMatchObject({ discountType: "fixed_amount", value: "10.00", minSubtotal: null });
  });

  it("does not change or keep the rows it was given", () => {
    const codes = [held({ code: "B", endsAt: at(2 * DAY) }), held({ code: "A", endsAt: at(DAY) })];
    const before = structuredClone(codes);
    activeCodeViews(codes, NOW);
    expect(codes).toEqual(before);
  });

  it("activeCodeView describes a code whatever its status, never with negative time left", () => {
    expect(activeCodeView(held({ code: "NEW", status: "creating", endsAt: at(90_500) }), NOW)).toMatchObject({ code: "NEW", secondsLeft: 90 });
    expect(activeCodeView(held({ code: "OLD", status: "issued", endsAt: at(-DAY) }), NOW).secondsLeft).toBe(0);
  });
});
