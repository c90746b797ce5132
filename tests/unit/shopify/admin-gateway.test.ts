// The gateway against the stateful Admin fake, through a plain fetch client (raw Responses,
// whatever their status), plus the thrown-error shapes of other clients.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { msUntilAvailable, throttleWaitMs, type AdminGraphql } from "~/shopify/admin-client.server";
import { AdminAuthError, AdminInvalidInputError, AdminPermanentError, AdminThrottledError, AdminTransientError, AdminUserError, type AdminQueryCost } from "~/shopify/admin-errors";
import { createCustomerDiscountCode, findDiscountIdByCode, type CustomerDiscountCodeInput } from "~/shopify/discounts.server";
import { getCustomerOrderCount } from "~/shopify/customers.server";
import { ensureLoyaltyMetafieldDefinition, setCustomerLoyaltyMetafield } from "~/shopify/metafields.server";
import { createManualClock, createShopifyAdminFake, type ManualClock, type ShopifyAdminFake } from "../../../dev/shopify-admin-fake";
import { rejection } from "../../support/rejection";

const SHOP = "loyal-shop.myshopify.com";
const TOKEN = "shpat_fake_offline_token";

let clock: ManualClock;
let fake: ShopifyAdminFake;
let client: AdminGraphql;
let customerGid: string;

function rewardInput(overrides: Partial<CustomerDiscountCodeInput> = {}): CustomerDiscountCodeInput {
  return {
    code: "LOYAL-AB12CD",
    title: "Loyalty reward: 10% off",
    customerGid,
    discountType: "percentage",
    value: "10",
    minSubtotal: null,
    startsAt: new Date(clock.now()),
    endsAt: new Date(clock.now() + 30 * 24 * 3600 * 1000),
    combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
    ...overrides,
  };
}

beforeEach(() => {
  clock = createManualClock();
  fake = createShopifyAdminFake({ now: clock.now });
  fake.addShop(SHOP, { accessToken: TOKEN });
  customerGid = fake.seedCustomer(SHOP, { numberOfOrders: 3 }).id;
  client = fake.client(SHOP);
});

describe("createCustomerDiscountCode", () => {
  it("creates a single-use percentage code that only the customer can use", async () => {
    const result = await createCustomerDiscountCode(client, rewardInput({ minSubtotal: "25.00" }));

    const [discount] = fake.discounts(SHOP);
    expect(result).toEqual({ discountId: discount?.id, code: "LOYAL-AB12CD" });
    expect(discount).toMatchObject({
      typename: "DiscountCodeBasic",
      code: "LOYAL-AB12CD",
      title: "Loyalty reward: 10% off",
      customers: [customerGid],
      usageLimit: 1,
      appliesOncePerCustomer: true,
      value: { kind: "percentage", percentage: 0.1 },
      minimumSubtotal: "25.00",
      combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
    });
    const [request] = fake.requests;
    expect(request?.operationName).toBe("LoyaltyDiscountCodeBasicCreate");
    expect(request?.deprecations).toEqual([]);
  });

  it("creates a fixed-amount code", async () => {
    await createCustomerDiscountCode(client, rewardInput({ discountType: "fixed_amount", value: "5.00" }));
    expect(fake.discounts(SHOP)[0]?.value).toEqual({ kind: "fixed_amount", amount: "5.00", appliesOnEachItem: false });
  });

  it("creates a free-shipping code with discountCodeFreeShippingCreate", async () => {
    const result = await createCustomerDiscountCode(client, rewardInput({ discountType: "free_shipping", value: "0" }));
    expect(fake.discounts(SHOP)[0]).toMatchObject({ typename: "DiscountCodeFreeShipping", id: result.discountId, usageLimit: 1 });
    expect(fake.requests[0]?.operationName).toBe("LoyaltyDiscountCodeFreeShippingCreate");
  });

  it("surfaces a duplicate code as AdminUserError TAKEN on [basicCodeDiscount, code] (case-insensitively)", async () => {
    await createCustomerDiscountCode(client, rewardInput());
    const error = await rejection(createCustomerDiscountCode(client, rewardInput({ code: "loyal-ab12cd" })));

    expect(error).toBeInstanceOf(AdminUserError);
    const userError = error as AdminUserError;
    expect(userError.isTaken).toBe(true);
    expect(userError.retryable).toBe(false);
    expect(userError.code).toBe("TAKEN");
    expect(userError.field).toEqual(["basicCodeDiscount", "code"]);
    expect(userError.userErrors).toEqual([{ code: "TAKEN", field: ["basicCodeDiscount", "code"], message: expect.stringContaining("unique") }]);
    expect(fake.discounts(SHOP)).toHaveLength(1);
  });

  it("other userErrors are permanent and not 'taken'", async () => {
    const error = await rejection(createCustomerDiscountCode(client, rewardInput({ customerGid: "gid://shopify/Customer/999999" })));
    expect(error).toBeInstanceOf(AdminUserError);
    expect((error as AdminUserError).isTaken).toBe(false);
    expect((error as AdminUserError).code).toBe("INVALID");
  });

  it("after an unknown outcome (committed, then 502) a retry finds the code instead of making a second one", async () => {
    fake.failAfterCommit(1);
    const error = await rejection(createCustomerDiscountCode(client, rewardInput()));
    expect(error).toBeInstanceOf(AdminTransientError);
    expect(error).toMatchObject({ status: 502, reason: "http_5xx", retryable: true });
    expect(fake.discounts(SHOP)).toHaveLength(1); // it did happen

    // The worker's retry: look first…
    const foundId = await findDiscountIdByCode(client, "LOYAL-AB12CD");
    expect(foundId).toBe(fake.discounts(SHOP)[0]?.id);
    // …and a blind re-create is refused rather than duplicated.
    const retry = await rejection(createCustomerDiscountCode(client, rewardInput()));
    expect((retry as AdminUserError).isTaken).toBe(true);
    expect(fake.discounts(SHOP)).toHaveLength(1);
  });

  it("refuses invalid input without sending anything", async () => {
    const bad: Array<Partial<CustomerDiscountCodeInput>> = [
      { code: " " },
      { code: " PADDED" },
      { customerGid: "42" },
      { value: "150" },
      { value: "ten" },
      { discountType: "fixed_amount", value: "0" },
      { endsAt: new Date(clock.now() - 1) },
      { minSubtotal: "abc" },
    ];
    for (const override of bad) {
      await expect(createCustomerDiscountCode(client, rewardInput(override)), JSON.stringify(override)).rejects.toBeInstanceOf(AdminInvalidInputError);
    }
    expect(fake.requests).toHaveLength(0);
  });
});

describe("findDiscountIdByCode", () => {
  it("returns null when no discount has the code", async () => {
    expect(await findDiscountIdByCode(client, "NOPE-123")).toBeNull();
  });

  it("finds a code case-insensitively", async () => {
    const { discountId } = await createCustomerDiscountCode(client, rewardInput());
    expect(await findDiscountIdByCode(client, "loyal-ab12cd")).toBe(discountId);
  });
});

describe("getCustomerOrderCount", () => {
  it("returns numberOfOrders (an UnsignedInt64 string on the wire) as a number", async () => {
    expect(await getCustomerOrderCount(client, customerGid)).toBe(3);
    const answer = fake.requests[0]?.responseBody as { data: { customer: { numberOfOrders: unknown } } };
    expect(answer.data.customer.numberOfOrders).toBe("3");
  });

  it("follows changes and handles large counts", async () => {
    fake.setCustomerOrderCount(SHOP, customerGid, 2 ** 40);
    expect(await getCustomerOrderCount(client, customerGid)).toBe(2 ** 40);
  });

  it("returns null for a customer that does not exist", async () => {
    expect(await getCustomerOrderCount(client, "gid://shopify/Customer/999999")).toBeNull();
  });
});

describe("loyalty metafield", () => {
  it("creates the definition with storefront PUBLIC_READ, and treats TAKEN as already there", async () => {
    const first = await ensureLoyaltyMetafieldDefinition(client);
    expect(first.status).toBe("created");
    expect(fake.metafieldDefinitions(SHOP)).toEqual([
      expect.objectContaining({
        id: first.definitionId,
        namespace: "app--1234567--loyalty",
        key: "points",
        type: "json",
        ownerType: "CUSTOMER",
        access: expect.objectContaining({ storefront: "PUBLIC_READ" }),
      }),
    ]);

    expect(await ensureLoyaltyMetafieldDefinition(client)).toEqual({ status: "exists", definitionId: null });
    expect(fake.metafieldDefinitions(SHOP)).toHaveLength(1);
  });

  it("sets { balance, pending, updatedAt } as json under $app:loyalty.points and reads it back", async () => {
    await ensureLoyaltyMetafieldDefinition(client);
    const updatedAt = new Date("2025-11-02T10:00:00Z");
    const { metafieldId } = await setCustomerLoyaltyMetafield(client, { customerGid, balance: 1250, pending: 300, updatedAt });

    const stored = fake.getMetafield(SHOP, customerGid, "$app:loyalty", "points");
    expect(stored).toMatchObject({ id: metafieldId, namespace: "app--1234567--loyalty", type: "json" });
    expect(JSON.parse(stored?.value ?? "null")).toEqual({ balance: 1250, pending: 300, updatedAt: "2025-11-02T10:00:00.000Z" });

    // Read back through the API too, the way a theme/app would see it.
    const response = await client(`query ($id: ID!) { customer(id: $id) { metafield(namespace: "$app:loyalty", key: "points") { id type jsonValue definition { id } } } }`, { variables: { id: customerGid } });
    const body = (await response.json()) as { data: { customer: { metafield: Record<string, unknown> } } };
    expect(body.data.customer.metafield).toEqual({
      id: metafieldId,
      type: "json",
      jsonValue: { balance: 1250, pending: 300, updatedAt: "2025-11-02T10:00:00.000Z" },
      definition: { id: fake.metafieldDefinitions(SHOP)[0]?.id },
    });

    // An update replaces the value, same metafield.
    await setCustomerLoyaltyMetafield(client, { customerGid, balance: 1000, pending: 0, updatedAt });
    expect(fake.metafields(SHOP)).toHaveLength(1);
    expect(JSON.parse(fake.metafields(SHOP)[0]?.value ?? "null")).toMatchObject({ balance: 1000, pending: 0 });
  });

  it("a metafield for an unknown customer is an AdminUserError", async () => {
    const error = await rejection(setCustomerLoyaltyMetafield(client, { customerGid: "gid://shopify/Customer/999999", balance: 1, pending: 0, updatedAt: new Date() }));
    expect(error).toBeInstanceOf(AdminUserError);
    expect((error as AdminUserError).field).toEqual(["metafields", "0", "ownerId"]);
  });
});

describe("throttling and cost", () => {
  it("reports the cost of every call through onCost", async () => {
    const onCost = vi.fn<(cost: AdminQueryCost, operation: string) => void>();
    await getCustomerOrderCount(client, customerGid, { onCost });
    expect(onCost).toHaveBeenCalledWith({ requestedQueryCost: 1, actualQueryCost: 1, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1999, restoreRate: 100 } }, "LoyaltyCustomerOrderCount");
  });

  it("an empty bucket -> AdminThrottledError with the wait the bucket needs; after the wait it goes through", async () => {
    fake = createShopifyAdminFake({ now: clock.now, bucket: { maximumAvailable: 25, restoreRate: 5 } });
    fake.addShop(SHOP, { accessToken: TOKEN });
    customerGid = fake.seedCustomer(SHOP).id;
    client = fake.client(SHOP);

    await createCustomerDiscountCode(client, rewardInput({ code: "A-1" })); // 25 -> 15
    await createCustomerDiscountCode(client, rewardInput({ code: "A-2" })); // 15 -> 5
    const costs: AdminQueryCost[] = [];
    const error = await rejection(createCustomerDiscountCode(client, rewardInput({ code: "A-3" }), { onCost: (c) => costs.push(c) }));

    expect(error).toBeInstanceOf(AdminThrottledError);
    expect(error).toBeInstanceOf(AdminTransientError); // retryable like any transient error
    const throttled = error as AdminThrottledError;
    expect(throttled.reason).toBe("throttled");
    expect(throttled.cost).toEqual({
      requestedQueryCost: 10,
      actualQueryCost: null,
      throttleStatus: { maximumAvailable: 25, currentlyAvailable: 5, restoreRate: 5 },
    });
    expect(throttled.retryAfterMs).toBe(1000); // (10 - 5) points / 5 points per second
    expect(costs).toHaveLength(1);
    expect(fake.discounts(SHOP)).toHaveLength(2);

    clock.advance(throttled.retryAfterMs);
    await createCustomerDiscountCode(client, rewardInput({ code: "A-3" }));
    expect(fake.discounts(SHOP)).toHaveLength(3);
  });

  it("throttleNext -> AdminThrottledError with a sensible wait", async () => {
    fake.throttleNext(1);
    const error = (await rejection(getCustomerOrderCount(client, customerGid))) as AdminThrottledError;
    expect(error).toBeInstanceOf(AdminThrottledError);
    expect(error.retryAfterMs).toBe(10); // 1 point at 100 points/s
    expect(await getCustomerOrderCount(client, customerGid)).toBe(3);
  });

  it("wait helpers", () => {
    const status = { maximumAvailable: 2000, currentlyAvailable: 50, restoreRate: 100 };
    expect(msUntilAvailable(status, 40)).toBe(0);
    expect(msUntilAvailable(status, 250)).toBe(2000);
    expect(throttleWaitMs(null)).toBe(1000);
    expect(throttleWaitMs({ requestedQueryCost: 10, actualQueryCost: null, throttleStatus: status })).toBe(1000);
    expect(throttleWaitMs({ requestedQueryCost: 1e9, actualQueryCost: null, throttleStatus: status })).toBe(60_000);
  });
});

describe("transport failures", () => {
  it.each([500, 502, 503] as const)("HTTP %i -> AdminTransientError", async (status) => {
    fake.failNext(1, { status });
    const error = await rejection(getCustomerOrderCount(client, customerGid));
    expect(error).toBeInstanceOf(AdminTransientError);
    expect(error).toMatchObject({ status, reason: "http_5xx", retryable: true });
    expect(await getCustomerOrderCount(client, customerGid)).toBe(3);
  });

  it("HTTP 429 -> AdminThrottledError honouring Retry-After", async () => {
    fake.failNext(1, { status: 429, retryAfter: 2 });
    const error = await rejection(getCustomerOrderCount(client, customerGid));
    expect(error).toBeInstanceOf(AdminThrottledError);
    expect(error).toMatchObject({ status: 429, reason: "http_429", retryAfterMs: 2000 });
  });

  it("no answer -> AdminTransientError 'timeout' after timeoutMs (the request's signal is aborted)", async () => {
    fake.timeoutNext(1);
    const started = Date.now();
    const error = await rejection(getCustomerOrderCount(client, customerGid, { timeoutMs: 50 }));
    expect(error).toBeInstanceOf(AdminTransientError);
    expect(error).toMatchObject({ reason: "timeout", retryable: true });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(fake.requests[0]).toMatchObject({ outcome: "injected_timeout", clientAborted: true });
    expect(fake.requests[0]?.status).toBeUndefined();
  });

  it("the timeout holds even for a client that ignores the signal", async () => {
    const deaf: AdminGraphql = () => new Promise<Response>(() => undefined);
    const error = await rejection(getCustomerOrderCount(deaf, customerGid, { timeoutMs: 20 }));
    expect(error).toMatchObject({ reason: "timeout" });
  });

  it("the caller's AbortSignal -> AdminTransientError 'aborted'", async () => {
    fake.timeoutNext(1);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 10);
    const error = await rejection(getCustomerOrderCount(client, customerGid, { signal: controller.signal }));
    expect(error).toMatchObject({ reason: "aborted", retryable: true });

    const already = AbortSignal.abort();
    await expect(getCustomerOrderCount(client, customerGid, { signal: already })).rejects.toMatchObject({ reason: "aborted" });
  });

  it("missing or wrong access token -> 401 -> AdminAuthError (permanent)", async () => {
    for (const accessToken of [null, "shpat_wrong"]) {
      const error = await rejection(getCustomerOrderCount(fake.client(SHOP, { accessToken }), customerGid));
      expect(error).toBeInstanceOf(AdminAuthError);
      expect(error).toBeInstanceOf(AdminPermanentError);
      expect(error).toMatchObject({ status: 401, retryable: false });
    }
    expect(fake.requests.map((r) => r.status)).toEqual([401, 401]);
    expect(fake.requests[0]?.responseBody).toEqual({
      errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
    });
  });

  it("a missing scope -> ACCESS_DENIED -> AdminAuthError with the GraphQL code", async () => {
    fake.addShop("scoped.myshopify.com", { accessToken: TOKEN, scopes: ["read_customers"] });
    const scopedCustomer = fake.seedCustomer("scoped.myshopify.com").id;
    const scoped = fake.client("scoped.myshopify.com");
    expect(await getCustomerOrderCount(scoped, scopedCustomer)).toBe(0);
    const error = await rejection(createCustomerDiscountCode(scoped, rewardInput({ customerGid: scopedCustomer })));
    expect(error).toBeInstanceOf(AdminAuthError);
    expect(error).toMatchObject({ code: "ACCESS_DENIED", status: 200 });
  });
});

describe("other client shapes", () => {
  const throwing =
    (thrown: unknown): AdminGraphql =>
    () =>
      Promise.reject(thrown);

  it("a thrown Response (shopify-app-remix inside authenticate.admin) is classified by status", async () => {
    await expect(getCustomerOrderCount(throwing(new Response("{}", { status: 503 })), customerGid)).rejects.toMatchObject({
      reason: "http_5xx",
      status: 503,
    });
    await expect(getCustomerOrderCount(throwing(new Response("{}", { status: 404 })), customerGid)).rejects.toBeInstanceOf(AdminPermanentError);
    await expect(getCustomerOrderCount(throwing(new Response("{}", { status: 429, headers: { "Retry-After": "3" } })), customerGid)).rejects.toMatchObject({ retryAfterMs: 3000 });
  });

  it("the re-authentication Response (401 / redirect) passes through untouched", async () => {
    for (const response of [new Response(null, { status: 401, headers: { "X-Shopify-Retry-Invalid-Session-Request": "1" } }), new Response(null, { status: 302, headers: { Location: "/auth/session-token" } })]) {
      const error = await rejection(getCustomerOrderCount(throwing(response), customerGid));
      expect(error).toBe(response);
    }
  });

  it("network errors of plain fetch are transient; anything unknown is permanent", async () => {
    await expect(getCustomerOrderCount(throwing(new TypeError("fetch failed")), customerGid)).rejects.toMatchObject({
      reason: "network",
    });
    const econnreset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    await expect(getCustomerOrderCount(throwing(econnreset), customerGid)).rejects.toMatchObject({ reason: "network" });
    await expect(getCustomerOrderCount(throwing(new Error("boom")), customerGid)).rejects.toBeInstanceOf(AdminPermanentError);
  });

  it("a 200 that is not JSON is transient; GraphQL INTERNAL_SERVER_ERROR is transient", async () => {
    const html: AdminGraphql = async () => new Response("<html>oops</html>", { status: 200 });
    await expect(getCustomerOrderCount(html, customerGid)).rejects.toMatchObject({ reason: "bad_response" });
    const internal: AdminGraphql = async () => new Response(JSON.stringify({ errors: [{ message: "Internal error", extensions: { code: "INTERNAL_SERVER_ERROR" } }] }));
    await expect(getCustomerOrderCount(internal, customerGid)).rejects.toMatchObject({ reason: "graphql_internal" });
  });

  it("other GraphQL errors are permanent and keep the details", async () => {
    const invalid: AdminGraphql = async () => new Response(JSON.stringify({ errors: [{ message: "Field 'x' doesn't exist on type 'Customer'", extensions: { code: "undefinedField" } }] }));
    const error = (await rejection(getCustomerOrderCount(invalid, customerGid))) as AdminPermanentError;
    expect(error).toBeInstanceOf(AdminPermanentError);
    expect(error.code).toBe("undefinedField");
    expect(error.graphqlErrors[0]?.message).toContain("doesn't exist");
  });
});
