import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DecimalFormatError, compareFixed, formatMoney, multiplyByRate, multiplyByRates, parseDecimal, parseMoney, proportionalPoints, roundPoints, sumFixed, toDecimalString } from "../../../app/domain/money";

describe("money parsing", () => {
  it("reads shop money in every currency's precision exactly", () => {
    expect(parseMoney("19.99")).toBe(199_900n);
    expect(parseMoney("1000")).toBe(10_000_000n); // JPY has no decimals
    expect(parseMoney("12.345")).toBe(123_450n); // KWD has three
    expect(parseMoney("0.00")).toBe(0n);
  });

  it("adds cents without float drift: 0.10 + 0.20 is exactly 0.30", () => {
    expect(toDecimalString(sumFixed([parseMoney("0.10"), parseMoney("0.20")]))).toBe("0.3");
    expect(compareFixed(parseMoney("0.10") + parseMoney("0.20"), parseMoney("0.30"))).toBe(0);
  });

  it.each(["", " 19.99", "19,99", "1,000.00", "$19.99", "1e3", ".5", "5.", "NaN", "12.34567", "--1", "+1"])("rejects the malformed amount %j with a message naming it", (text) => {
    expect(() => parseMoney(text, "line_items[0].price")).toThrow(DecimalFormatError);
    expect(() => parseMoney(text, "line_items[0].price")).toThrow(/line_items\[0\]\.price/);
  });

  it("rejects negative money unless asked to allow it", () => {
    expect(() => parseMoney("-5.00")).toThrow(/must not be negative/);
    expect(parseDecimal("-5.5", { allowNegative: true })).toBe(-55_000n);
  });

  it("rejects non-string input (a float that slipped through a payload mapper)", () => {
    expect(() => parseMoney(19.99 as unknown as string)).toThrow(/decimal string/);
  });
});

describe("money formatting", () => {
  it("formats with the currency's minor units", () => {
    expect(formatMoney(parseMoney("19.9"), 2)).toBe("19.90");
    expect(formatMoney(parseMoney("1000"), 0)).toBe("1000");
    expect(formatMoney(parseMoney("12.345"), 3)).toBe("12.345");
    expect(formatMoney(parseMoney("2.005"), 2)).toBe("2.01"); // half away from zero
    expect(formatMoney(parseDecimal("-2.005", { allowNegative: true }), 2)).toBe("-2.01");
  });

  it("canonical strings drop trailing zeros and round-trip", () => {
    expect(toDecimalString(parseMoney("10.50"))).toBe("10.5");
    expect(toDecimalString(parseMoney("1000"))).toBe("1000");
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), (units) => {
        expect(parseMoney(toDecimalString(units))).toBe(units);
      }),
    );
  });
});

describe("rates and rounding to points", () => {
  it("rounds down or to the nearest point, half up", () => {
    expect(roundPoints(parseMoney("24.50"), "down")).toBe(24);
    expect(roundPoints(parseMoney("24.50"), "nearest")).toBe(25);
    expect(roundPoints(parseMoney("24.49"), "nearest")).toBe(24);
    expect(roundPoints(parseMoney("24.99"), "down")).toBe(24);
  });

  it("keeps amount × rate × multiplier exact until the single rounding", () => {
    // 33.33 × 0.3 × 1.5 = 14.99850 exactly: floor 14, nearest 15
    const exact = multiplyByRates(parseMoney("33.33"), parseDecimal("0.3"), parseDecimal("1.5"));
    expect(roundPoints(exact, "down")).toBe(14);
    expect(roundPoints(exact, "nearest")).toBe(15);
  });

  it("multiplies money by a rate back to money", () => {
    expect(toDecimalString(multiplyByRate(parseMoney("19.99"), "0.5"))).toBe("9.995");
    expect(toDecimalString(multiplyByRate(parseMoney("0.0003"), "0.5"))).toBe("0.0002"); // 0.00015 rounds half up
  });

  it("scales points proportionally for partial refunds", () => {
    expect(proportionalPoints(245, parseMoney("89.99"), parseMoney("244.98"), "down")).toBe(89);
    expect(proportionalPoints(245, parseMoney("89.99"), parseMoney("244.98"), "nearest")).toBe(90);
    expect(() => proportionalPoints(10, 1n, 0n, "down")).toThrow();
  });
});
