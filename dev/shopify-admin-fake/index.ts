// A stateful fake of Shopify's Admin GraphQL endpoint, built on the REAL Admin schema of the
// pinned version (app/shopify/api-version.ts).
//
// What reaches it is checked against the real contract: POST to
// https://{shop}.myshopify.com/admin/api/{pinned version}/graphql.json, X-Shopify-Access-Token registered for
// that shop (else 401 like Shopify), a JSON body, a document that graphql-js `validate()`s against
// the schema built from @shopify/dev-mcp's introspection, variables that `getVariableValues` can
// coerce. Then graphql-js `execute()` runs it over in-memory state with resolvers for the few root
// fields the app uses. Anything else (an unsupported root field, or a field of a supported object
// the fake has no value for) fails loudly with a "shopify-admin-fake does not implement …" error —
// never a canned null.
//
// Also: a per-shop leaky cost bucket with `extensions.cost` on every GraphQL answer, fault injection
// (failNext, timeoutNext, throttleNext, failAfterCommit), a request log, `install()` into
// @shopify/shopify-api's fetch seam, and a plain node:http server for the local demo.

//
// The folder, by what each file does:
//   types.ts          the public types (options, stored objects, the request log, ShopifyAdminFake)
//   store.ts          in-memory state per shop, ids, timestamps, the `$app` namespace rule
//   http.ts           the HTTP edge: request log, injected faults, routing, auth, body checks
//   graphql.ts        one operation: validation against the schema, cost and throttling, execution
//   rate-limit.ts     the leaky bucket and the query cost estimate
//   faults.ts         fault injection queues (failNext, timeoutNext, throttleNext, failAfterCommit)
//   nodes.ts          stored state as GraphQL objects (customers, app installation, metafields)
//   metafield-types.ts  metafield type names, value checks, jsonValue
//   resolvers/        root fields per operation group: shop, customers, discounts, metafields, flow
//   clock.ts, server.ts  a manual clock for tests; the fake over plain HTTP for other processes
// This file wires them into createShopifyAdminFake and is the folder's entry point.

import { abstractFetch, setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { PINNED_ADMIN_API_VERSION, loadAdminSchema } from "../admin-schema";
import { OAuthFake } from "../shopify-oauth-fake";
import { createFaults } from "./faults";
import { createGraphqlExecutor } from "./graphql";
import { createHttpHandler } from "./http";
import { createNodes } from "./nodes";
import { refill, statusOf } from "./rate-limit";
import { customerResolvers } from "./resolvers/customers";
import { discountResolvers } from "./resolvers/discounts";
import { metafieldResolvers } from "./resolvers/metafields";
import { shopResolvers } from "./resolvers/shop";
import { flowResolvers, readFlowTriggerExtensions } from "./resolvers/flow";
import { parseShopifyGid } from "./resolvers/support";
import { createStore, findDiscountByCode, metafieldKey } from "./store";
import type { FakeCustomer, FakeRequestRecord, ShopifyAdminFake, ShopifyAdminFakeOptions } from "./types";

export type * from "./types";
export { createManualClock, type ManualClock } from "./clock";
export { FAKE_SHOP_HEADER, createFakeServerFetch, startShopifyAdminFakeServer, type ShopifyAdminFakeServer } from "./server";

export function createShopifyAdminFake(options: ShopifyAdminFakeOptions = {}): ShopifyAdminFake {
  const apiVersion = options.apiVersion ?? PINNED_ADMIN_API_VERSION;
  const schema = loadAdminSchema(apiVersion);
  const now = options.now ?? (() => Date.now());
  const oauth = new OAuthFake({ ...options.oauth, now });
  const store = createStore({
    apiVersion,
    schema,
    now,
    appId: options.appId ?? "1234567",
    defaultBucket: { maximumAvailable: 2000, restoreRate: 100, ...options.bucket },
  });
  const { shopState, resolveNamespace } = store;
  const requests: FakeRequestRecord[] = [];
  const faults = createFaults();
  const nodes = createNodes(store);
  // The app's Flow trigger extensions, as Shopify knows them once deployed (read once).
  const flowTriggers = readFlowTriggerExtensions(options.extensionsDir);
  const runGraphql = createGraphqlExecutor({
    store,
    faults,
    maxSingleQueryCost: options.maxSingleQueryCost ?? 1000,
    resolvers: [shopResolvers(nodes), customerResolvers(nodes), discountResolvers(store, nodes), metafieldResolvers(store, nodes), flowResolvers(store, () => flowTriggers)],
  });
  const handle = createHttpHandler({ store, oauth, faults, requests, runGraphql });

  const fakeFetch = ((input: RequestInfo | URL, init?: RequestInit) => handle(input, init)) as typeof fetch;

  const fake: ShopifyAdminFake = {
    fetch: fakeFetch,
    oauth,
    apiVersion,
    schema,
    requests,
    install() {
      const previous = abstractFetch;
      setAbstractFetchFunc(fakeFetch);
      return () => setAbstractFetchFunc(previous);
    },
    clearRequests() {
      requests.length = 0;
    },
    addShop(shop, opts) {
      const state = store.newShopState(shop, opts);
      oauth.seed(state.domain, {
        accessToken: opts.accessToken,
        ...(opts.refreshToken ? { refreshToken: opts.refreshToken } : {}),
        ...(opts.accessTokenExpiresAt ? { accessTokenExpiresAt: opts.accessTokenExpiresAt } : {}),
        scope: opts.scopes?.join(",") ?? "",
      });
      store.shops.set(state.domain, state);
    },
    appInstallationId: (shop) => shopState(shop).appInstallationId,
    seedCustomer(shop, seed = {}) {
      const state = shopState(shop);
      const id = seed.id ?? store.nextId("Customer");
      if (!parseShopifyGid(id, "Customer").ok) throw new Error(`shopify-admin-fake: ${id} is not a Customer GID`);
      const customer: FakeCustomer = { id, numberOfOrders: seed.numberOfOrders ?? 0, createdAt: store.iso() };
      state.customers.set(id, customer);
      return { ...customer };
    },
    setCustomerOrderCount(shop, customerId, numberOfOrders) {
      const c = shopState(shop).customers.get(customerId);
      if (!c) throw new Error(`shopify-admin-fake: no customer ${customerId} in ${shop}`);
      c.numberOfOrders = numberOfOrders;
    },
    customers: (shop) => [...shopState(shop).customers.values()].map((c) => ({ ...c })),
    discounts: (shop) => [...shopState(shop).discounts.values()],
    findDiscountByCode: (shop, code) => findDiscountByCode(shopState(shop), code),
    getMetafield: (shop, ownerId, namespace, key) => shopState(shop).metafields.get(metafieldKey(ownerId, resolveNamespace(namespace), key)),
    metafields: (shop) => [...shopState(shop).metafields.values()],
    metafieldDefinitions: (shop) => [...shopState(shop).definitions.values()],
    flowTriggerDeliveries: (shop) => shopState(shop).flowTriggerDeliveries.map((d) => ({ ...d, payload: { ...d.payload } })),
    throttleStatus(shop) {
      const state = shopState(shop);
      refill(state.bucket, now());
      return statusOf(state.bucket);
    },
    resolveNamespace,
    failNext: (n, opts) => faults.failNext(n, opts),
    timeoutNext: (n) => faults.timeoutNext(n),
    throttleNext: (n, opts) => faults.throttleNext(n, opts),
    failAfterCommit: (n, opts) => faults.failAfterCommit(n, opts),
    releaseHanging: () => faults.releaseHanging(),
    client(shop, opts = {}) {
      const token = opts.accessToken === undefined ? (oauth.currentAccessTokens(shopState(shop).domain)[0] ?? "") : opts.accessToken;
      return (query, callOptions = {}) =>
        handle(`https://${shop}/admin/api/${apiVersion}/graphql.json`, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            Accept: "application/json",
            ...(token === null ? {} : { "X-Shopify-Access-Token": token }),
          },
          body: JSON.stringify({ query, variables: callOptions.variables }),
          ...(callOptions.signal ? { signal: callOptions.signal } : {}),
        });
    },
  };
  return fake;
}
