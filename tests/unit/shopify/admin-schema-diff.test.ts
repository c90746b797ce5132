// scripts/admin-schema-diff.ts, the comparison recorded in docs/decisions/011-admin-api-2026-07.md:
// what changed between Admin versions in the part of the schema the app's documents touch.
import { describe, expect, it } from "vitest";
import { diffVersions, touchedCoordinates } from "../../../scripts/admin-schema-diff";
import { loadAdminSchema } from "../../../dev/admin-schema";

describe("admin-schema-diff", () => {
  it("reaches the selected fields, the arguments, the input types' fields and the enums' values", { timeout: 30_000 }, () => {
    const touched = touchedCoordinates(loadAdminSchema("2026-07"));
    expect([...touched.keys()]).toEqual(
      expect.arrayContaining([
        "Customer.numberOfOrders",
        "QueryRoot.customer(id:)",
        "DiscountCodeBasicInput.context",
        "DiscountContextInput @oneOf",
        "MetafieldStorefrontAccessInput.PUBLIC_READ",
        "DiscountErrorCode.TAKEN",
      ]),
    );
    expect(touched.get("DiscountContextInput @oneOf")?.type).toBe("true");
    expect(touched.get("DiscountCodeBasicInput.customerSelection")?.deprecated).toBe("Use `context` instead.");
  });

  it("2026-04 -> 2026-07: only additions (buyers by market, a discount error code, a metafield owner type)", { timeout: 30_000 }, () => {
    expect(diffVersions("2026-04", "2026-07")).toEqual([
      "+ DiscountContextInput.markets: DiscountMarketsInput",
      "+ DiscountErrorCode.DISCOUNT_NOT_COMPATIBLE_WITH_CONDITION_TYPES: enum value",
      "+ DiscountMarketsInput @oneOf: false",
      "+ DiscountMarketsInput.add: [ID!]",
      "+ DiscountMarketsInput.remove: [ID!]",
      "+ MetafieldOwnerType.TRANSFER: enum value",
    ]);
  });
});
