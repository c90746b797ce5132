// The gateway through the REAL Shopify client stack — shopifyApp() from @shopify/shopify-app-remix,
// `unauthenticated.admin(shop)` (what the background worker uses), @shopify/shopify-api's GraphQL
// client and @shopify/admin-api-client — with the fake installed in the one fetch seam they all
// use (setAbstractFetchFunc). Proves the fake sees exactly what the library sends, and that the
// gateway classifies the errors the library THROWS.
import "@shopify/shopify-app-remix/adapters/node";
import { Session } from "@shopify/shopify-api";
import { abstractFetch } from "@shopify/shopify-api/runtime";
import { LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { testConfig } from "@shopify/shopify-app-remix/test-helpers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ADMIN_DOCUMENTS } from "~/shopify/admin-documents";
import type { AdminGraphql } from "~/shopify/admin-client.server";
import { AdminAuthError, AdminThrottledError, AdminTransientError, AdminUserError } from "~/shopify/admin-errors";
import { createCustomerDiscountCode, findDiscountIdByCode, type CustomerDiscountCodeInput } from "~/shopify/discounts.server";
import { getCustomerOrderCount } from "~/shopify/customers.server";
import { ensureLoyaltyMetafieldDefinition, setCustomerLoyaltyMetafield } from "~/shopify/metafields.server";
import { getAppInstallationId, setProgramMetafield } from "~/shopify/program-metafield.server";
import { getShopInfo } from "~/shopify/shop.server";
import { createManualClock, createShopifyAdminFake, type ShopifyAdminFake } from "../../../dev/shopify-admin-fake";
import { rejection } from "../../support/rejection";
import { PINNED_API_VERSION } from "~/shopify/api-version";

const SHOP = "real-client-shop.myshopify.com";
const TOKEN = "shpat_real_client_offline_token";

let fake: ShopifyAdminFake;
let uninstall: () => void;
let customerGid: string;

function makeApp() {
  return shopifyApp({
    ...testConfig({ logger: { level: LogSeverity.Error } }),
    // testConfig() sets a custom-app adminApiAccessToken that would replace the session's token.
    adminApiAccessToken: undefined,
    apiVersion: PINNED_API_VERSION,
  });
}

async function adminFor(app: ReturnType<typeof makeApp>, accessToken = TOKEN): Promise<AdminGraphql> {
  await app.sessionStorage?.storeSession(
    new Session({
      id: `offline_${SHOP}`,
      shop: SHOP,
      state: "state",
      isOnline: false,
      accessToken,
      scope: "write_customers,write_discounts",
    }),
  );
  const { admin } = await app.unauthenticated.admin(SHOP);
  // The brief's client type is exactly admin.graphql's call shape.
  const graphql: AdminGraphql = admin.graphql;
  return graphql;
}

function reward(overrides: Partial<CustomerDiscountCodeInput> = {}): CustomerDiscountCodeInput {
  return {
    code: "REAL-CLIENT-1",
    title: "Loyalty reward",
    customerGid,
    discountType: "percentage",
    value: "15",
    minSubtotal: null,
    startsAt: new Date("2025-11-01T00:00:00Z"),
    endsAt: new Date("2025-12-01T00:00:00Z"),
    combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true },
    ...overrides,
  };
}

beforeEach(() => {
  fake = createShopifyAdminFake({ now: createManualClock().now });
  fake.addShop(SHOP, { accessToken: TOKEN, scopes: ["write_customers", "write_discounts"] });
  customerGid = fake.seedCustomer(SHOP, { numberOfOrders: 12 }).id;
  uninstall = fake.install();
});

afterEach(() => {
  uninstall();
});

describe("install()", () => {
  it("replaces the adapter's fetch and uninstall restores it", () => {
    expect(abstractFetch).toBe(fake.fetch);
    uninstall();
    expect(abstractFetch).not.toBe(fake.fetch);
    uninstall = fake.install();
    expect(abstractFetch).toBe(fake.fetch);
  });
});

describe("gateway over shopifyApp().unauthenticated.admin(shop).admin.graphql", () => {
  it("sends exactly what Shopify expects, and every operation works end to end", async () => {
    const admin = await adminFor(makeApp());

    expect(await ensureLoyaltyMetafieldDefinition(admin)).toMatchObject({ status: "created" });
    expect(await ensureLoyaltyMetafieldDefinition(admin)).toEqual({ status: "exists", definitionId: null });
    const created = await createCustomerDiscountCode(admin, reward());
    expect(await findDiscountIdByCode(admin, "real-client-1")).toBe(created.discountId);
    expect(await getCustomerOrderCount(admin, customerGid)).toBe(12);
    await setCustomerLoyaltyMetafield(admin, { customerGid, balance: 40, pending: 5, updatedAt: new Date("2025-11-03T00:00:00Z") });
    expect(JSON.parse(fake.getMetafield(SHOP, customerGid, "$app:loyalty", "points")?.value ?? "null")).toEqual({
      balance: 40,
      pending: 5,
      updatedAt: "2025-11-03T00:00:00.000Z",
    });

    expect(fake.requests).toHaveLength(6);
    for (const request of fake.requests) {
      expect(request.method).toBe("POST");
      expect(request.url).toBe(`https://${SHOP}/admin/api/${PINNED_API_VERSION}/graphql.json`);
      expect(request.headers["x-shopify-access-token"]).toBe(TOKEN);
      expect(request.headers["content-type"]).toBe("application/json");
      expect(request.headers.accept).toBe("application/json");
      expect(request.headers["user-agent"]).toContain("Shopify Remix Library");
      expect(request.headers["user-agent"]).toContain("Admin API Client");
      expect(request.status).toBe(200);
      expect(request.deprecations).toEqual([]);
      const body = JSON.parse(request.rawBody) as { query: string; variables: unknown };
      expect(Object.values(ADMIN_DOCUMENTS)).toContain(body.query);
    }
    expect(fake.requests.map((r) => r.operationName)).toEqual([
      "LoyaltyMetafieldDefinitionCreate",
      "LoyaltyMetafieldDefinitionCreate",
      "LoyaltyDiscountCodeBasicCreate",
      "LoyaltyCodeDiscountNodeByCode",
      "LoyaltyCustomerOrderCount",
      "LoyaltyMetafieldsSet",
    ]);
    expect(JSON.parse(fake.requests[3]?.rawBody ?? "{}")).toEqual({
      query: ADMIN_DOCUMENTS.codeDiscountNodeByCode,
      variables: { code: "real-client-1" },
    });
  });

  it("shop info, the app installation id and the program app-data metafield work end to end", async () => {
    const admin = await adminFor(makeApp());
    expect(await getShopInfo(admin)).toEqual({ name: "real-client-shop", ianaTimezone: "America/New_York", currencyCode: "USD" });
    const appInstallationId = await getAppInstallationId(admin);
    expect(appInstallationId).toBe(fake.appInstallationId(SHOP));
    const value = {
      enabled: true,
      programName: "Rewards",
      pointsPerUnit: "1",
      rounding: "nearest" as const,
      currencyCode: "USD",
      campaign: null,
      rewards: [{ id: "r1", name: "$5 off", pointsCost: 500, discountType: "fixed_amount" as const, value: "5.00" }],
      updatedAt: "2025-11-03T00:00:00.000Z",
    };
    await setProgramMetafield(admin, { appInstallationId, value });
    expect(JSON.parse(fake.getMetafield(SHOP, appInstallationId, "loyalty", "program")?.value ?? "null")).toEqual(value);

    const error = await rejection(setProgramMetafield(admin, { appInstallationId: "gid://shopify/AppInstallation/1", value }));
    expect(error).toBeInstanceOf(AdminUserError);
    expect((error as AdminUserError).code).toBe("APP_NOT_AUTHORIZED");

    expect(fake.requests.map((r) => [r.operationName, r.status, r.deprecations.length])).toEqual([
      ["LoyaltyShopInfo", 200, 0],
      ["LoyaltyCurrentAppInstallation", 200, 0],
      ["LoyaltyMetafieldsSet", 200, 0],
      ["LoyaltyMetafieldsSet", 200, 0],
    ]);
  });

  it("TAKEN comes back as a userError (HTTP 200, no throw from the library)", async () => {
    const admin = await adminFor(makeApp());
    await createCustomerDiscountCode(admin, reward());
    const error = await rejection(createCustomerDiscountCode(admin, reward()));
    expect(error).toBeInstanceOf(AdminUserError);
    expect((error as AdminUserError).isTaken).toBe(true);
  });

  it("THROTTLED: the library throws GraphqlQueryError; the gateway makes it AdminThrottledError with the cost", async () => {
    const admin = await adminFor(makeApp());
    fake.throttleNext(1, { currentlyAvailable: 4 });
    const error = await rejection(createCustomerDiscountCode(admin, reward()));
    expect(error).toBeInstanceOf(AdminThrottledError);
    const throttled = error as AdminThrottledError;
    expect(throttled.cause?.constructor.name).toBe("GraphqlQueryError");
    expect(throttled.cost?.throttleStatus).toEqual({ maximumAvailable: 2000, currentlyAvailable: 4, restoreRate: 100 });
    expect(throttled.retryAfterMs).toBe(60); // (10 - 4) points at 100/s
    expect(fake.discounts(SHOP)).toHaveLength(0);
  });

  it.each([500, 502, 503] as const)("HTTP %i: the library throws HttpInternalError; the gateway says transient", async (status) => {
    const admin = await adminFor(makeApp());
    fake.failNext(1, { status });
    const error = await rejection(getCustomerOrderCount(admin, customerGid));
    expect(error).toBeInstanceOf(AdminTransientError);
    expect(error).toMatchObject({ status, reason: "http_5xx" });
    expect((error as Error).cause?.constructor.name).toBe("HttpInternalError");
    expect(fake.requests).toHaveLength(1); // the library did not retry on its own (tries defaults to 1)
  });

  it("HTTP 429: HttpThrottlingError -> AdminThrottledError using Retry-After", async () => {
    const admin = await adminFor(makeApp());
    fake.failNext(1, { status: 429, retryAfter: 1.5 });
    const error = await rejection(getCustomerOrderCount(admin, customerGid));
    expect(error).toBeInstanceOf(AdminThrottledError);
    expect(error).toMatchObject({ status: 429, reason: "http_429", retryAfterMs: 1500 });
  });

  it("wrong token: the fake answers 401, the library throws HttpResponseError, the gateway says AdminAuthError", async () => {
    const admin = await adminFor(makeApp(), "shpat_revoked");
    const error = await rejection(getCustomerOrderCount(admin, customerGid));
    expect(error).toBeInstanceOf(AdminAuthError);
    expect(error).toMatchObject({ status: 401, retryable: false });
    expect(fake.requests[0]).toMatchObject({ status: 401, outcome: "unauthorized" });
  });

  it("no answer: the gateway's timeout aborts the library's fetch -> AdminTransientError 'timeout'", async () => {
    const admin = await adminFor(makeApp());
    fake.timeoutNext(1);
    const error = await rejection(getCustomerOrderCount(admin, customerGid, { timeoutMs: 50 }));
    expect(error).toBeInstanceOf(AdminTransientError);
    expect(error).toMatchObject({ reason: "timeout" });
    expect(fake.requests[0]?.clientAborted).toBe(true); // the signal reached fetch through the library
  });

  it("unknown outcome (commit then 502) and the find-before-retry recovery", async () => {
    const admin = await adminFor(makeApp());
    fake.failAfterCommit(1);
    await expect(createCustomerDiscountCode(admin, reward())).rejects.toMatchObject({ reason: "http_5xx", status: 502 });
    const id = await findDiscountIdByCode(admin, reward().code);
    expect(id).toBe(fake.discounts(SHOP)[0]?.id);
    expect(fake.discounts(SHOP)).toHaveLength(1);
  });
});
