// The Admin fake's own contract: it must refuse what Shopify refuses, answer like Shopify, and fail
// loudly where it does not implement something.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  FAKE_SHOP_HEADER,
  createFakeServerFetch,
  createManualClock,
  createShopifyAdminFake,
  startShopifyAdminFakeServer,
  type ManualClock,
  type ShopifyAdminFake,
  type ShopifyAdminFakeServer,
} from "../../../dev/shopify-admin-fake";
import { PINNED_ADMIN_API_VERSION } from "../../../dev/admin-schema";

const SHOP = "fake-contract.myshopify.com";
const TOKEN = "shpat_contract";
const ADMIN_URL = `https://${SHOP}/admin/api/${PINNED_ADMIN_API_VERSION}/graphql.json`;

let clock: ManualClock;
let fake: ShopifyAdminFake;
let customerGid: string;

interface GraphqlBody {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; locations?: unknown[]; extensions?: Record<string, unknown> }>;
  extensions?: { cost: { requestedQueryCost: number; actualQueryCost: number | null; throttleStatus: Record<string, number> } };
}

function post(body: unknown, init: { url?: string; token?: string | null; contentType?: string; method?: string } = {}) {
  const headers: Record<string, string> = { "Content-Type": init.contentType ?? "application/json" };
  if (init.token !== null) headers["X-Shopify-Access-Token"] = init.token ?? TOKEN;
  return fake.fetch(init.url ?? ADMIN_URL, {
    method: init.method ?? "POST",
    headers,
    ...(init.method === "GET" ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
}

async function gql(query: string, variables?: Record<string, unknown>): Promise<{ status: number; headers: Headers; body: GraphqlBody }> {
  const response = await post({ query, variables });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphqlBody };
}

const CREATE = `mutation ($input: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $input) {
    codeDiscountNode { id codeDiscount { __typename ... on DiscountCodeBasic { title status usageLimit codes(first: 1) { nodes { code } } context { __typename ... on DiscountCustomers { customers { id } } } } } }
    userErrors { code field message }
  }
}`;

function discountInput(code: string, extra: Record<string, unknown> = {}) {
  return {
    title: "Reward",
    code,
    startsAt: "2025-11-01T00:00:00Z",
    endsAt: "2025-12-01T00:00:00Z",
    context: { customers: { add: [customerGid] } },
    customerGets: { value: { percentage: 0.1 }, items: { all: true } },
    usageLimit: 1,
    appliesOncePerCustomer: true,
    ...extra,
  };
}

beforeEach(() => {
  clock = createManualClock(Date.UTC(2025, 10, 15));
  fake = createShopifyAdminFake({ now: clock.now });
  fake.addShop(SHOP, { accessToken: TOKEN });
  customerGid = fake.seedCustomer(SHOP, { numberOfOrders: 5 }).id;
});

describe("HTTP contract", () => {
  it("401 like Shopify without the token or with another shop's token", async () => {
    fake.addShop("other.myshopify.com", { accessToken: "shpat_other" });
    for (const token of [null, "shpat_other", ""]) {
      const response = await post({ query: "{ shop { id } }" }, { token });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
      });
    }
  });

  it("404 for another API version, another path or an unknown shop; 405 for GET; 415/400 for bad bodies", async () => {
    expect((await post({ query: "{ __typename }" }, { url: `https://${SHOP}/admin/api/2025-10/graphql.json` /* the previous pin */ })).status).toBe(404);
    expect((await post({ query: "{ __typename }" }, { url: `https://${SHOP}/admin/api/${PINNED_ADMIN_API_VERSION}/products.json` })).status).toBe(404);
    expect((await post({ query: "{ __typename }" }, { url: `https://nobody.myshopify.com/admin/api/${PINNED_ADMIN_API_VERSION}/graphql.json` })).status).toBe(404);
    expect((await post(null, { method: "GET" })).status).toBe(405);
    expect((await post({ query: "{ __typename }" }, { contentType: "text/plain" })).status).toBe(415);
    expect((await post("{not json")).status).toBe(400);
    expect((await post({ variables: {} })).status).toBe(400);
    expect(fake.requests.map((r) => r.outcome)).toEqual(["not_found", "not_found", "not_found", "method_not_allowed", "unsupported_media_type", "invalid_request", "invalid_request"]);
  });

  it("logs every request with its headers, document and variables", async () => {
    await gql("query Count($id: ID!) { customer(id: $id) { numberOfOrders } }", { id: customerGid });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({
      method: "POST",
      shop: SHOP,
      operationName: "Count",
      operationType: "query",
      rootFields: ["customer"],
      variables: { id: customerGid },
      status: 200,
      outcome: "ok",
    });
    expect(fake.requests[0]?.headers["x-shopify-access-token"]).toBe(TOKEN);
  });
});

describe("GraphQL validation against the real schema", () => {
  it("a field that does not exist: HTTP 200 with errors, locations and a code; nothing executed", async () => {
    const { status, body } = await gql('{ customer(id: "gid://shopify/Customer/1") { ordersCount } }');
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([
      {
        message: expect.stringContaining('Cannot query field "ordersCount" on type "Customer"'),
        locations: [{ line: 1, column: 46 }],
        extensions: { code: "undefinedField" },
      },
    ]);
    expect(body.extensions?.cost.throttleStatus).toBeDefined();
  });

  it("a syntax error", async () => {
    const { body } = await gql("{ customer(id: ) { id }");
    expect(body.errors?.[0]?.extensions?.code).toBe("PARSE_ERROR");
  });

  it("variables that do not coerce answer like Shopify", async () => {
    const { status, body } = await gql("query ($id: ID!) { customer(id: $id) { id } }", {});
    expect(status).toBe(200);
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: "Variable $id of type ID! was provided invalid value",
        extensions: expect.objectContaining({ code: "INVALID_VARIABLE", problems: [expect.objectContaining({ path: [] })] }),
      }),
    ]);
  });

  it("a wrong input field inside a variable is refused too", async () => {
    const { body } = await gql(CREATE, { input: { ...discountInput("X-1"), customerEligibility: "ALL" } });
    expect(body.errors?.[0]?.extensions?.code).toBe("INVALID_VARIABLE");
    expect(fake.discounts(SHOP)).toHaveLength(0);
  });

  it("deprecated usage is recorded and flagged with X-Shopify-API-Deprecated-Reason", async () => {
    const input = { ...discountInput("DEP-1"), context: undefined, customerSelection: { customers: { add: [customerGid] } } };
    const { headers, body } = await gql(CREATE, { input });
    expect(body.errors).toBeUndefined();
    expect(headers.get("X-Shopify-API-Deprecated-Reason")).toContain("deprecation");
    expect(fake.requests[0]?.deprecations).toEqual(["DiscountCodeBasicInput.customerSelection"]);
  });
});

describe("fails loudly where it does not implement something", () => {
  it("an unsupported root field (valid in the schema) is an error, not a null", async () => {
    const { body } = await gql("{ orders(first: 1) { nodes { id } } }");
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: "shopify-admin-fake does not implement QueryRoot.orders",
        extensions: { code: "FAKE_NOT_IMPLEMENTED" },
      }),
    ]);
    expect(fake.requests[0]?.outcome).toBe("unimplemented");
  });

  it("an unsupported mutation never runs", async () => {
    const { body } = await gql(`mutation { customerDelete(input: { id: "${customerGid}" }) { deletedCustomerId } }`);
    expect(body.errors?.[0]?.message).toBe("shopify-admin-fake does not implement Mutation.customerDelete");
    expect(fake.customers(SHOP)).toHaveLength(1);
  });

  it("an unsupported field of a supported object is an error at its path", async () => {
    const { body } = await gql("query ($id: ID!) { customer(id: $id) { id email } }", { id: customerGid });
    expect(body.errors).toEqual([expect.objectContaining({ message: "shopify-admin-fake does not implement Customer.email", path: ["customer", "email"] })]);
  });
});

describe("state", () => {
  it("discount codes are unique per shop, case-insensitively: TAKEN on [basicCodeDiscount, code]", async () => {
    const first = await gql(CREATE, { input: discountInput("SUMMER-1") });
    const payload = first.body.data?.discountCodeBasicCreate as Record<string, any>;
    expect(payload.userErrors).toEqual([]);
    expect(payload.codeDiscountNode.codeDiscount).toEqual({
      __typename: "DiscountCodeBasic",
      title: "Reward",
      status: "ACTIVE",
      usageLimit: 1,
      codes: { nodes: [{ code: "SUMMER-1" }] },
      context: { __typename: "DiscountCustomers", customers: [{ id: customerGid }] },
    });

    const second = await gql(CREATE, { input: discountInput("summer-1") });
    expect(second.body.data?.discountCodeBasicCreate).toEqual({
      codeDiscountNode: null,
      userErrors: [{ code: "TAKEN", field: ["basicCodeDiscount", "code"], message: "Code must be unique. Please try a different code." }],
    });
    expect(fake.discounts(SHOP)).toHaveLength(1);

    // ...and codeDiscountNodeByCode finds it whatever the case.
    const found = await gql("query ($c: String!) { codeDiscountNodeByCode(code: $c) { id } }", { c: "Summer-1" });
    expect(found.body.data).toEqual({ codeDiscountNodeByCode: { id: fake.discounts(SHOP)[0]?.id } });
  });

  it("validates discount input like Shopify (all userErrors at once)", async () => {
    const { body } = await gql(CREATE, {
      input: discountInput("", {
        title: " ",
        endsAt: "2025-10-01T00:00:00Z",
        customerGets: { value: { percentage: 10 }, items: { all: true } },
        context: { customers: { add: ["gid://shopify/Customer/1"] } },
      }),
    });
    const codes = (body.data?.discountCodeBasicCreate as { userErrors: Array<{ code: string }> }).userErrors.map((e) => e.code);
    expect(codes.sort()).toEqual(["BLANK", "BLANK", "END_DATE_BEFORE_START_DATE", "INVALID", "VALUE_OUTSIDE_RANGE"]);
    expect(fake.discounts(SHOP)).toHaveLength(0);
  });

  it("metafieldsSet is atomic, expands $app, and supports compareDigest", async () => {
    const SET = `mutation ($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { id namespace compareDigest } userErrors { code field message elementIndex } } }`;
    const bad = await gql(SET, {
      m: [
        { ownerId: customerGid, namespace: "$app:loyalty", key: "points", type: "json", value: "{}" },
        { ownerId: customerGid, namespace: "$app:loyalty", key: "other", type: "json", value: "{nope" },
      ],
    });
    expect((bad.body.data?.metafieldsSet as { userErrors: unknown[] }).userErrors).toEqual([{ code: "INVALID_VALUE", field: ["metafields", "1", "value"], message: "Value is invalid JSON.", elementIndex: 1 }]);
    expect(fake.metafields(SHOP)).toHaveLength(0);

    const ok = await gql(SET, { m: [{ ownerId: customerGid, namespace: "$app:loyalty", key: "points", type: "json", value: '{"balance":1}' }] });
    const written = (ok.body.data?.metafieldsSet as { metafields: Array<{ namespace: string; compareDigest: string }> }).metafields[0];
    expect(written?.namespace).toBe("app--1234567--loyalty");

    const stale = await gql(SET, {
      m: [{ ownerId: customerGid, namespace: "$app:loyalty", key: "points", type: "json", value: "{}", compareDigest: "stale" }],
    });
    expect((stale.body.data?.metafieldsSet as { userErrors: Array<{ code: string }> }).userErrors[0]?.code).toBe("STALE_OBJECT");
    const fresh = await gql(SET, {
      m: [{ ownerId: customerGid, namespace: "$app:loyalty", key: "points", type: "json", value: "{}", compareDigest: written?.compareDigest }],
    });
    expect((fresh.body.data?.metafieldsSet as { userErrors: unknown[] }).userErrors).toEqual([]);
  });

  it("a second metafield definition for the same owner type, namespace and key is TAKEN", async () => {
    const CREATE_DEF = `mutation ($d: MetafieldDefinitionInput!) { metafieldDefinitionCreate(definition: $d) { createdDefinition { id access { storefront admin } } userErrors { code field message } } }`;
    const d = { name: "Points", namespace: "$app:loyalty", key: "points", type: "json", ownerType: "CUSTOMER", access: { storefront: "PUBLIC_READ" } };
    const first = await gql(CREATE_DEF, { d });
    expect((first.body.data?.metafieldDefinitionCreate as Record<string, any>).createdDefinition.access).toEqual({
      storefront: "PUBLIC_READ",
      admin: "MERCHANT_READ",
    });
    const second = await gql(CREATE_DEF, { d });
    expect((second.body.data?.metafieldDefinitionCreate as Record<string, any>).userErrors).toEqual([
      { code: "TAKEN", field: ["definition", "key"], message: "Key is in use for customer metafields on the 'app--1234567--loyalty' namespace." },
    ]);
  });

  it("scopes are enforced when the shop was registered with scopes", async () => {
    fake.addShop("narrow.myshopify.com", { accessToken: "t", scopes: ["read_discounts"] });
    const response = await fake.client("narrow.myshopify.com")(`query { customer(id: "gid://shopify/Customer/1") { id } }`);
    const body = (await response.json()) as GraphqlBody;
    expect(body.data).toEqual({ customer: null });
    expect(body.errors?.[0]).toMatchObject({
      message: "Access denied for customer field. Required access: `read_customers` access scope.",
      extensions: { code: "ACCESS_DENIED" },
    });
  });
});

describe("shop and app installation", () => {
  it("shop answers name, ianaTimezone, currencyCode and myshopifyDomain from addShop", async () => {
    fake.addShop("paris.myshopify.com", { accessToken: "t", currencyCode: "EUR", ianaTimezone: "Europe/Paris", name: "Paris Shop" });
    const response = await fake.client("paris.myshopify.com")("{ shop { id name ianaTimezone currencyCode myshopifyDomain } }");
    const body = (await response.json()) as GraphqlBody;
    expect(body.errors).toBeUndefined();
    expect(body.data?.shop).toEqual({
      id: expect.stringMatching(/^gid:\/\/shopify\/Shop\/\d+$/),
      name: "Paris Shop",
      ianaTimezone: "Europe/Paris",
      currencyCode: "EUR",
      myshopifyDomain: "paris.myshopify.com",
    });
  });

  it("addShop refuses a currency the schema does not know and an unknown time zone", () => {
    expect(() => fake.addShop("a.myshopify.com", { accessToken: "t", currencyCode: "EURO" })).toThrow(/CurrencyCode/);
    expect(() => fake.addShop("b.myshopify.com", { accessToken: "t", ianaTimezone: "Mars/Olympus" })).toThrow(/time zone/);
  });

  it("currentAppInstallation is the app's installation; its metafields are app-data metafields", async () => {
    const installation = fake.appInstallationId(SHOP);
    const id = await gql("{ currentAppInstallation { id } }");
    expect(id.body.data).toEqual({ currentAppInstallation: { id: installation } });

    const SET = `mutation ($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { id namespace key ownerType } userErrors { code field message elementIndex } } }`;
    const ok = await gql(SET, { m: [{ ownerId: installation, namespace: "loyalty", key: "program", type: "json", value: '{"enabled":true}' }] });
    expect(ok.body.data?.metafieldsSet).toEqual({
      metafields: [{ id: expect.any(String), namespace: "loyalty", key: "program", ownerType: "API_PERMISSION" }],
      userErrors: [],
    });
    expect(fake.getMetafield(SHOP, installation, "loyalty", "program")?.value).toBe('{"enabled":true}');

    const read = await gql(`{ currentAppInstallation { metafield(namespace: "loyalty", key: "program") { jsonValue } metafields(first: 5, namespace: "loyalty") { nodes { key } } } }`);
    expect(read.body.data).toEqual({
      currentAppInstallation: { metafield: { jsonValue: { enabled: true } }, metafields: { nodes: [{ key: "program" }] } },
    });
  });

  it("metafieldsSet on another AppInstallation is APP_NOT_AUTHORIZED, and the whole batch is refused", async () => {
    const SET = `mutation ($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { id } userErrors { code field message elementIndex } } }`;
    const { body } = await gql(SET, {
      m: [
        { ownerId: customerGid, namespace: "$app:loyalty", key: "points", type: "json", value: "{}" },
        { ownerId: "gid://shopify/AppInstallation/1", namespace: "loyalty", key: "program", type: "json", value: "{}" },
      ],
    });
    expect(body.data?.metafieldsSet).toEqual({
      metafields: [],
      userErrors: [
        {
          code: "APP_NOT_AUTHORIZED",
          field: ["metafields", "1", "ownerId"],
          message: "ApiPermission metafields can only be created or updated by the app owner.",
          elementIndex: 1,
        },
      ],
    });
    expect(fake.metafields(SHOP)).toHaveLength(0);
  });

  it("the app's installation metafields need no scope; customer metafields still do", async () => {
    fake.addShop("narrow.myshopify.com", { accessToken: "t", scopes: [] });
    const narrow = fake.client("narrow.myshopify.com");
    const installation = fake.appInstallationId("narrow.myshopify.com");
    const SET = `mutation ($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { id } userErrors { code } } }`;
    const ok = (await (await narrow(SET, { variables: { m: [{ ownerId: installation, namespace: "loyalty", key: "program", type: "json", value: "{}" }] } })).json()) as GraphqlBody;
    expect(ok.errors).toBeUndefined();
    const denied = (await (await narrow(SET, { variables: { m: [{ ownerId: "gid://shopify/Customer/1", namespace: "$app:loyalty", key: "points", type: "json", value: "{}" }] } })).json()) as GraphqlBody;
    expect(denied.errors?.[0]?.extensions).toMatchObject({ code: "ACCESS_DENIED" });
  });
});

describe("cost and throttling", () => {
  it("every answer carries extensions.cost; the bucket drains by the cost and refills with the clock", async () => {
    fake = createShopifyAdminFake({ now: clock.now, bucket: { maximumAvailable: 100, restoreRate: 10 } });
    fake.addShop(SHOP, { accessToken: TOKEN });
    customerGid = fake.seedCustomer(SHOP).id;

    const q = await gql("query ($id: ID!) { customer(id: $id) { id metafields(first: 5) { nodes { id } } } }", { id: customerGid });
    expect(q.body.extensions?.cost).toEqual({
      requestedQueryCost: 8, // customer 1 + connection (2 + 5 x node 1)
      actualQueryCost: 8,
      throttleStatus: { maximumAvailable: 100, currentlyAvailable: 92, restoreRate: 10 },
    });
    const m = await gql(CREATE, { input: discountInput("COST-1") });
    expect(m.body.extensions?.cost.requestedQueryCost).toBe(10);
    expect(fake.throttleStatus(SHOP).currentlyAvailable).toBe(82);
    clock.advance(1500);
    expect(fake.throttleStatus(SHOP).currentlyAvailable).toBe(97);
    clock.advance(60_000);
    expect(fake.throttleStatus(SHOP).currentlyAvailable).toBe(100);
  });

  it("throttles when the requested cost is not available, without running anything", async () => {
    fake = createShopifyAdminFake({ now: clock.now, bucket: { maximumAvailable: 15, restoreRate: 1 } });
    fake.addShop(SHOP, { accessToken: TOKEN });
    customerGid = fake.seedCustomer(SHOP).id;
    await gql(CREATE, { input: discountInput("T-1") });
    const throttled = await gql(CREATE, { input: discountInput("T-2") });
    expect(throttled.status).toBe(200);
    expect(throttled.body).toEqual({
      errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
      extensions: {
        cost: { requestedQueryCost: 10, actualQueryCost: null, throttleStatus: { maximumAvailable: 15, currentlyAvailable: 5, restoreRate: 1 } },
      },
    });
    expect(fake.discounts(SHOP).map((d) => d.code)).toEqual(["T-1"]);
  });

  it("refuses a single query above the max cost", async () => {
    fake = createShopifyAdminFake({ now: clock.now, maxSingleQueryCost: 50 });
    fake.addShop(SHOP, { accessToken: TOKEN });
    const { body } = await gql(`{ customer(id: "gid://shopify/Customer/1") { metafields(first: 100) { nodes { id } } } }`);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: "MAX_COST_EXCEEDED", cost: 103, maxCost: 50 });
  });
});

describe("fault injection", () => {
  it("failNext answers the status without doing anything, then recovers", async () => {
    fake.failNext(2, { status: 503 });
    expect((await post({ query: CREATE, variables: { input: discountInput("F-1") } })).status).toBe(503);
    expect((await post({ query: CREATE, variables: { input: discountInput("F-1") } })).status).toBe(503);
    expect(fake.discounts(SHOP)).toHaveLength(0);
    expect((await post({ query: CREATE, variables: { input: discountInput("F-1") } })).status).toBe(200);
  });

  it("failAfterCommit performs the mutation, then answers 502", async () => {
    fake.failAfterCommit(1);
    const response = await post({ query: CREATE, variables: { input: discountInput("C-1") } });
    expect(response.status).toBe(502);
    expect(fake.discounts(SHOP).map((d) => d.code)).toEqual(["C-1"]);
    expect(fake.requests[0]?.outcome).toBe("failed_after_commit");
  });

  it("timeoutNext never answers; the request rejects with the signal's reason when it fires", async () => {
    fake.timeoutNext(1);
    const controller = new AbortController();
    const pending = fake.fetch(ADMIN_URL, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": TOKEN },
      body: JSON.stringify({ query: "{ __typename }" }),
      signal: controller.signal,
    });
    const reason = new Error("gave up");
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(fake.requests[0]).toMatchObject({ outcome: "injected_timeout", clientAborted: true });
  });

  it("throttleNext answers THROTTLED without touching the bucket", async () => {
    fake.throttleNext(1, { currentlyAvailable: 3 });
    const { body } = await gql(CREATE, { input: discountInput("TN-1") });
    expect(body.errors?.[0]?.extensions?.code).toBe("THROTTLED");
    expect(body.extensions?.cost.throttleStatus.currentlyAvailable).toBe(3);
    expect(fake.throttleStatus(SHOP).currentlyAvailable).toBe(2000);
    expect(fake.discounts(SHOP)).toHaveLength(0);
  });
});

describe("over HTTP (local demo)", () => {
  let server: ShopifyAdminFakeServer;
  afterEach(async () => {
    await server?.close();
  });

  it("serves the same handler on 127.0.0.1; createFakeServerFetch routes {shop}.myshopify.com there", async () => {
    server = await startShopifyAdminFakeServer(fake, 0);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const viaServer = createFakeServerFetch(server.url);

    const response = await viaServer(ADMIN_URL, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": TOKEN },
      body: JSON.stringify({ query: "query ($id: ID!) { customer(id: $id) { numberOfOrders } }", variables: { id: customerGid } }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ data: { customer: { numberOfOrders: "5" } } });

    const unauthorized = await fetch(`${server.url}/admin/api/${PINNED_ADMIN_API_VERSION}/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", [FAKE_SHOP_HEADER]: SHOP },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(unauthorized.status).toBe(401);
    expect(fake.requests.map((r) => r.url)).toEqual([ADMIN_URL, ADMIN_URL]);
  });
});
