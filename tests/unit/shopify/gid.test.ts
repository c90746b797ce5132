import { describe, expect, it } from "vitest";
import { gidNumber } from "~/shopify/gid";

describe("gidNumber", () => {
  it("is the numeric id at the end of a GID", () => {
    expect(gidNumber("gid://shopify/Order/450789469")).toBe("450789469");
    expect(gidNumber("gid://shopify/Customer/115310627314723954")).toBe("115310627314723954");
  });

  it("is null when there is no GID or no numeric id", () => {
    expect(gidNumber(null)).toBeNull();
    expect(gidNumber(undefined)).toBeNull();
    expect(gidNumber("")).toBeNull();
    expect(gidNumber("redacted:abc")).toBeNull();
    expect(gidNumber("gid://shopify/Order/")).toBeNull();
  });
});
