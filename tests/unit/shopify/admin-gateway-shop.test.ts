// getShopInfo, getAppInstallationId and setProgramMetafield (the app-data metafield the theme app
// extension reads as `app.metafields.loyalty.program`) against the stateful Admin fake.
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { AdminCallOptions, AdminGraphql } from "~/shopify/admin-client.server";
import { AdminInvalidInputError, AdminPermanentError, AdminThrottledError, AdminTransientError, AdminUserError, type AdminQueryCost } from "~/shopify/admin-errors";
import { PROGRAM_METAFIELD, getAppInstallationId, setProgramMetafield, type ProgramMetafieldValue } from "~/shopify/program-metafield.server";
import { getShopInfo } from "~/shopify/shop.server";
import { createManualClock, createShopifyAdminFake, type ManualClock, type ShopifyAdminFake } from "../../../dev/shopify-admin-fake";
import { rejection } from "../../support/rejection";

const SHOP = "loyal-shop.myshopify.com";
const TOKEN = "shpat_fake_offline_token";

let clock: ManualClock;
let fake: ShopifyAdminFake;
let client: AdminGraphql;
let installationId: string;

function programValue(overrides: Partial<ProgramMetafieldValue> = {}): ProgramMetafieldValue {
  return {
    enabled: true,
    programName: "Café Rewards",
    pointsPerUnit: "1.5",
    rounding: "down",
    currencyCode: "EUR",
    campaign: { name: "Double points week", multiplier: "2", endsAt: "2025-11-30T23:00:00.000Z" },
    rewards: [
      { id: "rw_1", name: "5 € off", pointsCost: 500, discountType: "fixed_amount", value: "5.00" },
      { id: "rw_2", name: "10 % off", pointsCost: 900, discountType: "percentage", value: "10" },
      { id: "rw_3", name: "Free shipping", pointsCost: 300, discountType: "free_shipping", value: "0" },
    ],
    updatedAt: "2025-11-02T10:00:00.000Z",
    ...overrides,
  };
}

beforeEach(() => {
  clock = createManualClock();
  fake = createShopifyAdminFake({ now: clock.now });
  fake.addShop(SHOP, { accessToken: TOKEN, currencyCode: "EUR", ianaTimezone: "Europe/Paris", name: "Loyal Shop" });
  client = fake.client(SHOP);
  installationId = fake.appInstallationId(SHOP);
});

describe("getShopInfo", () => {
  it("returns name, ianaTimezone and currencyCode", async () => {
    const onCost = vi.fn<(cost: AdminQueryCost, operation: string) => void>();
    expect(await getShopInfo(client, { onCost })).toEqual({ name: "Loyal Shop", ianaTimezone: "Europe/Paris", currencyCode: "EUR" });
    expect(fake.requests[0]).toMatchObject({ operationName: "LoyaltyShopInfo", rootFields: ["shop"], deprecations: [] });
    expect(onCost).toHaveBeenCalledWith(expect.objectContaining({ requestedQueryCost: 1 }), "LoyaltyShopInfo");
  });

  it("uses the fake's defaults when the shop was added without them", async () => {
    fake.addShop("plain.myshopify.com", { accessToken: TOKEN });
    expect(await getShopInfo(fake.client("plain.myshopify.com"))).toEqual({
      name: "plain",
      ianaTimezone: "America/New_York",
      currencyCode: "USD",
    });
  });

  it("needs no access scope", async () => {
    fake.addShop("noscopes.myshopify.com", { accessToken: TOKEN, scopes: [] });
    await expect(getShopInfo(fake.client("noscopes.myshopify.com"))).resolves.toMatchObject({ currencyCode: "USD" });
  });

  it("an answer without a usable shop is a permanent error", async () => {
    const weird: AdminGraphql = async () => new Response(JSON.stringify({ data: { shop: { name: "x", ianaTimezone: "", currencyCode: "EUR" } } }));
    const error = await rejection(getShopInfo(weird));
    expect(error).toBeInstanceOf(AdminPermanentError);
    expect(error).toMatchObject({ operation: "LoyaltyShopInfo", retryable: false });
  });
});

describe("getAppInstallationId", () => {
  it("returns the currentAppInstallation GID, stable across calls and distinct per shop", async () => {
    const id = await getAppInstallationId(client);
    expect(id).toMatch(/^gid:\/\/shopify\/AppInstallation\/\d+$/);
    expect(id).toBe(installationId);
    expect(await getAppInstallationId(client)).toBe(id);
    expect(fake.requests[0]).toMatchObject({ operationName: "LoyaltyCurrentAppInstallation", rootFields: ["currentAppInstallation"] });

    fake.addShop("other.myshopify.com", { accessToken: TOKEN, scopes: [] });
    const other = await getAppInstallationId(fake.client("other.myshopify.com"));
    expect(other).not.toBe(id);
    // Derived from the domain, not from the order shops were added in.
    const again = createShopifyAdminFake({ now: clock.now });
    again.addShop("other.myshopify.com", { accessToken: TOKEN });
    expect(again.appInstallationId("other.myshopify.com")).toBe(other);
  });

  it("an answer that is not an AppInstallation GID is a permanent error", async () => {
    const weird: AdminGraphql = async () => new Response(JSON.stringify({ data: { currentAppInstallation: { id: "gid://shopify/App/1" } } }));
    await expect(getAppInstallationId(weird)).rejects.toBeInstanceOf(AdminPermanentError);
  });
});

describe("setProgramMetafield", () => {
  it("writes the json app-data metafield loyalty.program on the app installation; the value reads back equal", async () => {
    const value = programValue();
    const { metafieldId } = await setProgramMetafield(client, { appInstallationId: installationId, value });

    expect(PROGRAM_METAFIELD).toEqual({ namespace: "loyalty", key: "program", type: "json" });
    const stored = fake.getMetafield(SHOP, installationId, "loyalty", "program");
    expect(stored).toMatchObject({
      id: metafieldId,
      ownerId: installationId,
      ownerType: "API_PERMISSION",
      // A plain namespace, not expanded to app--{id}--loyalty: Liquid reads app.metafields.loyalty.program.
      namespace: "loyalty",
      key: "program",
      type: "json",
    });
    expect(JSON.parse(stored?.value ?? "null")).toEqual(value);
    expect(fake.requests[0]).toMatchObject({ operationName: "LoyaltyMetafieldsSet", deprecations: [] });
    expect(fake.requests[0]?.variables).toEqual({
      metafields: [{ ownerId: installationId, namespace: "loyalty", key: "program", type: "json", value: JSON.stringify(value) }],
    });

    // Read back through the API, the way the app would (AppInstallation.metafield).
    const response = await client(`query { currentAppInstallation { id metafield(namespace: "loyalty", key: "program") { id type jsonValue owner { ... on AppInstallation { id } } } } }`);
    const body = (await response.json()) as { data: { currentAppInstallation: Record<string, unknown> } };
    expect(body.data.currentAppInstallation).toEqual({
      id: installationId,
      metafield: { id: metafieldId, type: "json", jsonValue: value, owner: { id: installationId } },
    });
  });

  it("an update replaces the value in the same metafield; campaign null and no rewards are fine", async () => {
    const first = await setProgramMetafield(client, { appInstallationId: installationId, value: programValue() });
    const next = programValue({ enabled: false, campaign: null, rewards: [], rounding: "nearest", updatedAt: "2025-11-03T08:00:00Z" });
    const second = await setProgramMetafield(client, { appInstallationId: installationId, value: next });
    expect(second.metafieldId).toBe(first.metafieldId);
    expect(fake.metafields(SHOP)).toHaveLength(1);
    expect(JSON.parse(fake.getMetafield(SHOP, installationId, "loyalty", "program")?.value ?? "null")).toEqual(next);
  });

  it("sends only the declared keys", async () => {
    const withExtra = { ...programValue(), secret: "nope" } as ProgramMetafieldValue;
    withExtra.rewards = [{ ...programValue().rewards[0]!, internalNote: "x" } as ProgramMetafieldValue["rewards"][number]];
    await setProgramMetafield(client, { appInstallationId: installationId, value: withExtra });
    const stored = JSON.parse(fake.getMetafield(SHOP, installationId, "loyalty", "program")?.value ?? "null") as Record<string, unknown>;
    expect(stored).not.toHaveProperty("secret");
    expect(stored.rewards).toEqual([programValue().rewards[0]]);
  });

  it("needs no access scope (the owner is the app's own installation)", async () => {
    fake.addShop("noscopes.myshopify.com", { accessToken: TOKEN, scopes: [] });
    const scoped = fake.client("noscopes.myshopify.com");
    const id = await getAppInstallationId(scoped);
    await setProgramMetafield(scoped, { appInstallationId: id, value: programValue() });
    expect(fake.getMetafield("noscopes.myshopify.com", id, "loyalty", "program")).toBeDefined();
  });

  it("another AppInstallation (another app's, or another shop's) -> AdminUserError APP_NOT_AUTHORIZED, nothing written", async () => {
    fake.addShop("other.myshopify.com", { accessToken: TOKEN });
    for (const foreign of ["gid://shopify/AppInstallation/1", fake.appInstallationId("other.myshopify.com")]) {
      const error = await rejection(setProgramMetafield(client, { appInstallationId: foreign, value: programValue() }));
      expect(error).toBeInstanceOf(AdminUserError);
      const userError = error as AdminUserError;
      expect(userError).toMatchObject({ code: "APP_NOT_AUTHORIZED", retryable: false, operation: "LoyaltyMetafieldsSet" });
      expect(userError.isTaken).toBe(false);
      expect(userError.field).toEqual(["metafields", "0", "ownerId"]);
      expect(userError.userMessage).toBe("ApiPermission metafields can only be created or updated by the app owner.");
    }
    expect(fake.metafields(SHOP)).toHaveLength(0);
    expect(fake.metafields("other.myshopify.com")).toHaveLength(0);
  });

  it("refuses invalid input without sending anything", async () => {
    const bad: Array<[string, Partial<ProgramMetafieldValue> | { appInstallationId: string }]> = [
      ["customer GID as owner", { appInstallationId: "gid://shopify/Customer/1" }],
      ["blank owner", { appInstallationId: "" }],
      ["rounding", { rounding: "up" as ProgramMetafieldValue["rounding"] }],
      ["pointsPerUnit not decimal", { pointsPerUnit: "1,5" }],
      ["pointsPerUnit zero", { pointsPerUnit: "0" }],
      ["currency", { currencyCode: "eur" }],
      ["enabled", { enabled: "yes" as unknown as boolean }],
      ["updatedAt", { updatedAt: "yesterday" }],
      ["campaign endsAt", { campaign: { name: "x", multiplier: "2", endsAt: "2025-13-45" } }],
      ["campaign multiplier", { campaign: { name: "x", multiplier: "-1", endsAt: "2025-11-30T00:00:00Z" } }],
      ["pointsCost", { rewards: [{ id: "a", name: "b", pointsCost: 1.5, discountType: "percentage", value: "10" }] }],
      ["discountType", { rewards: [{ id: "a", name: "b", pointsCost: 10, discountType: "bogo" as "percentage", value: "10" }] }],
      ["reward value", { rewards: [{ id: "a", name: "b", pointsCost: 10, discountType: "fixed_amount", value: 5 as unknown as string }] }],
    ];
    for (const [label, override] of bad) {
      const input = "appInstallationId" in override ? { appInstallationId: override.appInstallationId, value: programValue() } : { appInstallationId: installationId, value: programValue(override) };
      await expect(setProgramMetafield(client, input), label).rejects.toBeInstanceOf(AdminInvalidInputError);
    }
    expect(fake.requests).toHaveLength(0);
  });

  it("after an unknown outcome (committed, then 502) the retry rewrites the same metafield", async () => {
    fake.failAfterCommit(1);
    const error = await rejection(setProgramMetafield(client, { appInstallationId: installationId, value: programValue() }));
    expect(error).toMatchObject({ reason: "http_5xx", status: 502, retryable: true });
    expect(fake.metafields(SHOP)).toHaveLength(1);
    const id = fake.metafields(SHOP)[0]?.id;
    expect((await setProgramMetafield(client, { appInstallationId: installationId, value: programValue() })).metafieldId).toBe(id);
    expect(fake.metafields(SHOP)).toHaveLength(1);
  });
});

describe("throttling and transport failures are classified like every other call", () => {
  const calls: Array<[string, (options?: AdminCallOptions) => Promise<unknown>]> = [
    ["getShopInfo", (o) => getShopInfo(client, o)],
    ["getAppInstallationId", (o) => getAppInstallationId(client, o)],
    ["setProgramMetafield", (o) => setProgramMetafield(client, { appInstallationId: installationId, value: programValue() }, o)],
  ];

  it.each(calls)("%s: THROTTLED -> AdminThrottledError with the bucket's wait, then it goes through", async (_name, call) => {
    fake.throttleNext(1);
    const costs: AdminQueryCost[] = [];
    const error = await rejection(call({ onCost: (c) => costs.push(c) }));
    expect(error).toBeInstanceOf(AdminThrottledError);
    expect(error).toMatchObject({ reason: "throttled", retryable: true });
    expect((error as AdminThrottledError).retryAfterMs).toBeGreaterThan(0);
    expect(costs).toHaveLength(1);
    await expect(call()).resolves.toBeDefined();
  });

  it.each(calls)("%s: HTTP 503 -> AdminTransientError http_5xx", async (_name, call) => {
    fake.failNext(1, { status: 503 });
    const error = await rejection(call());
    expect(error).toBeInstanceOf(AdminTransientError);
    expect(error).toMatchObject({ status: 503, reason: "http_5xx", retryable: true });
  });

  it.each(calls)("%s: HTTP 429 -> AdminThrottledError honouring Retry-After", async (_name, call) => {
    fake.failNext(1, { status: 429, retryAfter: 3 });
    await expect(call()).rejects.toMatchObject({ status: 429, reason: "http_429", retryAfterMs: 3000 });
  });

  it.each(calls)("%s: no answer -> AdminTransientError timeout", async (_name, call) => {
    fake.timeoutNext(1);
    await expect(call({ timeoutMs: 30 })).rejects.toMatchObject({ reason: "timeout", retryable: true });
  });

  it.each(calls)("%s: wrong token -> AdminAuthError 401", async (_name, call) => {
    client = fake.client(SHOP, { accessToken: "shpat_wrong" });
    await expect(call()).rejects.toMatchObject({ name: "AdminAuthError", status: 401, retryable: false });
  });
});
