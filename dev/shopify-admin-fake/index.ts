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

import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { abstractFetch, setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import {
  GraphQLError,
  Kind,
  NoDeprecatedCustomRule,
  execute,
  getNamedType,
  getOperationAST,
  getVariableValues,
  isEnumType,
  isInterfaceType,
  isObjectType,
  parse,
  validate,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type TypeNode,
  type ValueNode,
} from "graphql";
import { PINNED_ADMIN_API_VERSION, loadAdminSchema } from "../admin-schema";
import { OAuthFake, type OAuthFakeOptions } from "../shopify-oauth-fake";

// =============================================================================================
// Public types
// =============================================================================================

export interface BucketOptions {
  /** Bucket size in cost points (default 2000). */
  maximumAvailable?: number;
  /** Points restored per second (default 100). */
  restoreRate?: number;
}

export interface ShopifyAdminFakeOptions {
  /** The only API version served (default: the pinned version, PINNED_ADMIN_API_VERSION; other versions answer 404). */
  apiVersion?: string;
  /** Clock in ms since the epoch (default Date.now); drives the bucket and timestamps. */
  now?: () => number;
  /** Default bucket for every shop (per-shop override in addShop). */
  bucket?: BucketOptions;
  /** Shopify refuses single queries costing more than this (default 1000, MAX_COST_EXCEEDED). */
  maxSingleQueryCost?: number;
  /** API client id used to expand `$app` namespaces to `app--{appId}` (default "1234567"). */
  appId?: string;
  /** The token endpoint (POST /admin/oauth/access_token): client credentials and token lifetimes. */
  oauth?: Omit<OAuthFakeOptions, "now">;
}

export interface FakeShopOptions {
  accessToken: string;
  /** The expiring pair's refresh token (a new install); omitted: `accessToken` is a legacy non-expiring token. */
  refreshToken?: string;
  /** When `accessToken` expires (ms since the epoch; default now + the access-token lifetime). */
  accessTokenExpiresAt?: number;
  /**
   * Granted access scopes. When given, root fields needing another scope answer ACCESS_DENIED like
   * Shopify (write_x implies read_x). When omitted, scopes are not checked.
   */
  scopes?: readonly string[];
  /** Shop.currencyCode (default "USD"); must be a value of the schema's CurrencyCode enum. */
  currencyCode?: string;
  /** Shop.ianaTimezone (default "America/New_York"); must be a time zone Intl knows. */
  ianaTimezone?: string;
  /** Shop.name (default: the part of the domain before .myshopify.com). */
  name?: string;
  bucket?: BucketOptions;
}

export interface FakeCustomerSeed {
  /** gid://shopify/Customer/N; generated when omitted. */
  id?: string;
  numberOfOrders?: number;
}

export interface FakeCustomer {
  id: string;
  numberOfOrders: number;
  createdAt: string;
}

export type FakeDiscountValue =
  | { kind: "percentage"; percentage: number }
  | { kind: "fixed_amount"; amount: string; appliesOnEachItem: boolean }
  | { kind: "free_shipping" };

export interface FakeDiscount {
  /** gid://shopify/DiscountCodeNode/N */
  id: string;
  typename: "DiscountCodeBasic" | "DiscountCodeFreeShipping";
  title: string;
  code: string;
  codeId: string;
  startsAt: string;
  endsAt: string | null;
  usageLimit: number | null;
  appliesOncePerCustomer: boolean;
  /** Customer GIDs that may use it, or "all". */
  customers: readonly string[] | "all";
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
  value: FakeDiscountValue;
  minimumSubtotal: string | null;
  createdAt: string;
  updatedAt: string;
  /** The coerced input object exactly as the mutation received it. */
  input: Readonly<Record<string, unknown>>;
}

export interface FakeMetafield {
  id: string;
  ownerId: string;
  /**
   * MetafieldOwnerType: CUSTOMER, or API_PERMISSION for app-data metafields (owner: the app's
   * AppInstallation, https://shopify.dev/docs/apps/build/custom-data/metafields/use-app-data-metafields).
   */
  ownerType: "CUSTOMER" | "API_PERMISSION";
  /** Resolved namespace (`$app:loyalty` is stored as `app--{appId}--loyalty`). */
  namespace: string;
  key: string;
  type: string;
  value: string;
  compareDigest: string;
  createdAt: string;
  updatedAt: string;
}

export interface FakeMetafieldDefinition {
  id: string;
  name: string;
  description: string | null;
  namespace: string;
  key: string;
  ownerType: string;
  type: string;
  access: { admin: string; storefront: string; customerAccount: string };
  createdAt: string;
}

export interface FakeThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export type FakeRequestOutcome =
  | "ok"
  | "graphql_errors"
  | "invalid_request"
  | "unauthorized"
  | "not_found"
  | "method_not_allowed"
  | "unsupported_media_type"
  | "unimplemented"
  | "throttled"
  | "injected_failure"
  | "injected_timeout"
  | "failed_after_commit"
  | "oauth";

export interface FakeRequestRecord {
  seq: number;
  /** Fake clock at arrival. */
  at: number;
  method: string;
  url: string;
  shop: string;
  /** Request headers, names lower-cased. */
  headers: Record<string, string>;
  rawBody: string;
  query: string | null;
  variables: Record<string, unknown> | null;
  operationName: string | null;
  operationType: "query" | "mutation" | "subscription" | null;
  rootFields: string[];
  requestedQueryCost: number | null;
  /** Deprecated schema members the request used (fields, arguments, input fields, enum values). */
  deprecations: string[];
  /** Undefined while the request hangs (timeoutNext). */
  status?: number;
  /** True once the request's AbortSignal fired while the fake was still holding it (timeoutNext). */
  clientAborted?: boolean;
  outcome?: FakeRequestOutcome;
  responseBody?: unknown;
}

export interface FailNextOptions {
  status?: 429 | 500 | 502 | 503 | 504;
  /** Retry-After header value (seconds), e.g. for 429. */
  retryAfter?: number;
}

export interface ShopifyAdminFake {
  /** Handles POST https://{shop}.myshopify.com/admin/api/{version}/graphql.json. */
  readonly fetch: typeof fetch;
  /**
   * Routes every @shopify/shopify-api client (hence shopify-app-remix's admin.graphql) through this
   * fake via setAbstractFetchFunc. Call it AFTER the adapters were imported (they set their own).
   * Returns the uninstall function (restores the previous fetch).
   */
  install(): () => void;
  readonly apiVersion: string;
  readonly schema: GraphQLSchema;
  /** Every request received, in order. */
  readonly requests: readonly FakeRequestRecord[];
  clearRequests(): void;

  addShop(shop: string, options: FakeShopOptions): void;
  /**
   * The GID `currentAppInstallation { id }` answers for this shop (the app's own installation: the only
   * AppInstallation metafieldsSet accepts as ownerId). Stable: derived from the shop domain.
   */
  appInstallationId(shop: string): string;
  seedCustomer(shop: string, seed?: FakeCustomerSeed): FakeCustomer;
  setCustomerOrderCount(shop: string, customerId: string, numberOfOrders: number): void;
  customers(shop: string): FakeCustomer[];
  discounts(shop: string): FakeDiscount[];
  /** Case-insensitive, like codeDiscountNodeByCode. */
  findDiscountByCode(shop: string, code: string): FakeDiscount | undefined;
  /** `namespace` may be given as `$app:…` or resolved. */
  getMetafield(shop: string, ownerId: string, namespace: string, key: string): FakeMetafield | undefined;
  metafields(shop: string): FakeMetafield[];
  metafieldDefinitions(shop: string): FakeMetafieldDefinition[];
  /** Current bucket state (refilled to "now"). */
  throttleStatus(shop: string): FakeThrottleStatus;
  /** `$app` -> `app--{appId}`, `$app:x` -> `app--{appId}--x`, anything else unchanged. */
  resolveNamespace(namespace: string): string;

  /** The next n requests answer HTTP `status` (default 502) without doing anything. */
  failNext(n: number, options?: FailNextOptions): void;
  /** The next n requests never answer; they reject when their AbortSignal fires. */
  timeoutNext(n: number): void;
  /** The next n GraphQL operations answer THROTTLED (bucket untouched; reported currentlyAvailable 0 by default). */
  throttleNext(n: number, options?: { currentlyAvailable?: number }): void;
  /** The next n operations are executed (state changes), then answer HTTP `status` (default 502). */
  failAfterCommit(n: number, options?: { status?: 500 | 502 | 503 | 504 }): void;
  /** Rejects every request left hanging by timeoutNext without a signal. */
  releaseHanging(): void;

  /** Shopify's token endpoint for the shops of this fake (refresh, migration, token exchange, revocation). */
  readonly oauth: OAuthFake;

  /** An `AdminGraphql`-shaped client over plain fetch (returns the raw Response, whatever its status). */
  client(
    shop: string,
    options?: { accessToken?: string | null },
  ): (query: string, options?: { variables?: Record<string, unknown>; signal?: AbortSignal }) => Promise<Response>;
}

// =============================================================================================
// Implementation
// =============================================================================================

const INVALID_TOKEN_BODY = { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" };
const DEPRECATION_HEADER_VALUE = "https://shopify.dev/api/usage/versioning#deprecation-practices";
const THROTTLED_DOC = "https://shopify.dev/api/usage/rate-limits";

interface Bucket {
  maximumAvailable: number;
  restoreRate: number;
  available: number;
  updatedAt: number;
}

interface ShopState {
  domain: string;
  scopes: Set<string> | null;
  /** gid://shopify/Shop/N */
  shopId: string;
  name: string;
  ianaTimezone: string;
  currencyCode: string;
  /** gid://shopify/AppInstallation/N of the (one) app this fake serves. */
  appInstallationId: string;
  bucket: Bucket;
  customers: Map<string, FakeCustomer>;
  discounts: Map<string, FakeDiscount>;
  metafields: Map<string, FakeMetafield>;
  definitions: Map<string, FakeMetafieldDefinition>;
}

interface FakeContext {
  shop: ShopState;
  deprecations: string[];
}

type Resolver = (args: Record<string, unknown>, ctx: FakeContext) => unknown;
type Node = Record<string, unknown>;

interface UserError {
  code: string;
  field: string[] | null;
  message: string;
  elementIndex?: number;
}

const SHOPIFY_GID = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

const METAFIELD_BASE_TYPES = new Set([
  "boolean",
  "collection_reference",
  "color",
  "company_reference",
  "customer_reference",
  "date",
  "date_time",
  "dimension",
  "file_reference",
  "id",
  "json",
  "link",
  "metaobject_reference",
  "mixed_reference",
  "money",
  "multi_line_text_field",
  "number_decimal",
  "number_integer",
  "page_reference",
  "product_reference",
  "rating",
  "rich_text_field",
  "single_line_text_field",
  "url",
  "variant_reference",
  "volume",
  "weight",
]);
const METAFIELD_LIST_TYPES = new Set([
  "collection_reference",
  "color",
  "customer_reference",
  "date",
  "date_time",
  "dimension",
  "file_reference",
  "link",
  "metaobject_reference",
  "mixed_reference",
  "number_decimal",
  "number_integer",
  "page_reference",
  "product_reference",
  "rating",
  "single_line_text_field",
  "url",
  "variant_reference",
  "volume",
  "weight",
]);

const OWNER_TYPE_READ_SCOPE: Record<string, string> = {
  CUSTOMER: "read_customers",
  PRODUCT: "read_products",
  PRODUCTVARIANT: "read_products",
  COLLECTION: "read_products",
  ORDER: "read_orders",
  DRAFTORDER: "read_draft_orders",
  DISCOUNT: "read_discounts",
};

export function createShopifyAdminFake(options: ShopifyAdminFakeOptions = {}): ShopifyAdminFake {
  const apiVersion = options.apiVersion ?? PINNED_ADMIN_API_VERSION;
  const schema = loadAdminSchema(apiVersion);
  const now = options.now ?? (() => Date.now());
  const defaultBucket = { maximumAvailable: 2000, restoreRate: 100, ...options.bucket };
  const maxSingleQueryCost = options.maxSingleQueryCost ?? 1000;
  const appId = options.appId ?? "1234567";
  const oauth = new OAuthFake({ ...options.oauth, now });

  const shops = new Map<string, ShopState>();
  const requests: FakeRequestRecord[] = [];
  let seq = 0;
  let idCounter = 1000;
  const nextId = (type: string) => `gid://shopify/${type}/${++idCounter}`;
  const iso = () => new Date(now()).toISOString();

  const failNextQueue: Array<Required<Pick<FailNextOptions, "status">> & FailNextOptions> = [];
  let timeoutCount = 0;
  const throttleQueue: Array<{ currentlyAvailable: number }> = [];
  const failAfterCommitQueue: Array<{ status: number }> = [];
  const hanging = new Set<(reason: unknown) => void>();

  // ----------------------------------------------------------------------------- state helpers

  function shopState(shop: string): ShopState {
    const state = shops.get(shop.toLowerCase());
    if (!state) throw new Error(`shopify-admin-fake: unknown shop ${shop} (call addShop first)`);
    return state;
  }

  function resolveNamespace(namespace: string): string {
    if (namespace === "$app") return `app--${appId}`;
    if (namespace.startsWith("$app:")) return `app--${appId}--${namespace.slice("$app:".length)}`;
    return namespace;
  }

  const isAppNamespace = (resolved: string) => resolved === `app--${appId}` || resolved.startsWith(`app--${appId}--`);
  const metafieldKey = (ownerId: string, namespace: string, key: string) => `${ownerId}|${namespace}|${key}`;
  const definitionKey = (ownerType: string, namespace: string, key: string) => `${ownerType}|${namespace}|${key}`;

  function refill(bucket: Bucket): void {
    const t = now();
    const elapsed = Math.max(0, t - bucket.updatedAt) / 1000;
    bucket.available = Math.min(bucket.maximumAvailable, bucket.available + elapsed * bucket.restoreRate);
    bucket.updatedAt = t;
  }

  function statusOf(bucket: Bucket): FakeThrottleStatus {
    return {
      maximumAvailable: bucket.maximumAvailable,
      // Shopify reports whole points (as floats, e.g. 1990.0); JSON makes 1990.0 and 1990 the same.
      currentlyAvailable: Math.floor(bucket.available),
      restoreRate: bucket.restoreRate,
    };
  }

  function findDiscountByCodeIn(shop: ShopState, code: string): FakeDiscount | undefined {
    const wanted = code.toLowerCase();
    for (const d of shop.discounts.values()) if (d.code.toLowerCase() === wanted) return d;
    return undefined;
  }

  // ----------------------------------------------------------------------------- node builders

  function customerNode(shop: ShopState, c: FakeCustomer): Node {
    return {
      __typename: "Customer",
      id: c.id,
      legacyResourceId: c.id.split("/").pop(),
      numberOfOrders: String(c.numberOfOrders), // UnsignedInt64 is serialized as a string
      createdAt: c.createdAt,
      ...hasMetafieldsFields(shop, c.id),
    };
  }

  /** `metafield(namespace, key)` and `metafields(...)` of a HasMetafields owner. */
  function hasMetafieldsFields(shop: ShopState, ownerId: string): Node {
    return {
      metafield: (args: Record<string, unknown>) => {
        const ns = resolveNamespace(typeof args.namespace === "string" ? args.namespace : "$app");
        const m = shop.metafields.get(metafieldKey(ownerId, ns, String(args.key)));
        return m ? metafieldNode(shop, m) : null;
      },
      metafields: (args: Record<string, unknown>) => {
        let list = [...shop.metafields.values()].filter((m) => m.ownerId === ownerId);
        if (typeof args.namespace === "string") {
          const ns = resolveNamespace(args.namespace);
          list = list.filter((m) => m.namespace === ns);
        }
        if (Array.isArray(args.keys)) {
          const keys = new Set(
            (args.keys as string[]).map((k) => {
              const dot = k.lastIndexOf(".");
              return `${resolveNamespace(k.slice(0, dot))}.${k.slice(dot + 1)}`;
            }),
          );
          list = list.filter((m) => keys.has(`${m.namespace}.${m.key}`));
        }
        return connection(list, args, (m) => metafieldNode(shop, m));
      },
    };
  }

  function shopNode(shop: ShopState): Node {
    return {
      __typename: "Shop",
      id: shop.shopId,
      name: shop.name,
      ianaTimezone: shop.ianaTimezone,
      currencyCode: shop.currencyCode,
      myshopifyDomain: shop.domain,
    };
  }

  /** The app's own installation (the only one the fake knows). */
  function appInstallationNode(shop: ShopState): Node {
    return {
      __typename: "AppInstallation",
      id: shop.appInstallationId,
      ...hasMetafieldsFields(shop, shop.appInstallationId),
    };
  }

  function metafieldNode(shop: ShopState, m: FakeMetafield): Node {
    return {
      __typename: "Metafield",
      id: m.id,
      legacyResourceId: m.id.split("/").pop(),
      namespace: m.namespace,
      key: m.key,
      type: m.type,
      value: m.value,
      jsonValue: () => jsonValueOf(m),
      compareDigest: m.compareDigest,
      createdAt: m.createdAt,
      updatedAt: m.updatedAt,
      ownerType: m.ownerType,
      owner: () => {
        if (m.ownerType === "API_PERMISSION") return appInstallationNode(shop);
        const c = shop.customers.get(m.ownerId);
        return c ? customerNode(shop, c) : null;
      },
      definition: () => {
        const d = shop.definitions.get(definitionKey(m.ownerType, m.namespace, m.key));
        return d ? definitionNode(shop, d) : null;
      },
    };
  }

  function definitionNode(shop: ShopState, d: FakeMetafieldDefinition): Node {
    return {
      __typename: "MetafieldDefinition",
      id: d.id,
      name: d.name,
      description: d.description,
      namespace: d.namespace,
      key: d.key,
      ownerType: d.ownerType,
      type: { __typename: "MetafieldDefinitionType", name: d.type, category: metafieldCategory(d.type) },
      access: { __typename: "MetafieldAccess", ...d.access },
      pinnedPosition: null,
      validations: [],
      useAsCollectionCondition: false,
      validationStatus: "ALL_VALID",
      metafieldsCount: () =>
        [...shop.metafields.values()].filter(
          (m) => m.ownerType === d.ownerType && m.namespace === d.namespace && m.key === d.key,
        ).length,
    };
  }

  function discountNode(shop: ShopState, d: FakeDiscount): Node {
    return { __typename: "DiscountCodeNode", id: d.id, codeDiscount: () => codeDiscountObject(shop, d) };
  }

  function codeDiscountObject(shop: ShopState, d: FakeDiscount): Node {
    const t = now();
    const status =
      Date.parse(d.startsAt) > t ? "SCHEDULED" : d.endsAt !== null && Date.parse(d.endsAt) <= t ? "EXPIRED" : "ACTIVE";
    const money = (amount: string) => ({ __typename: "MoneyV2", amount, currencyCode: shop.currencyCode });
    const common: Node = {
      __typename: d.typename,
      title: d.title,
      status,
      startsAt: d.startsAt,
      endsAt: d.endsAt,
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
      usageLimit: d.usageLimit,
      appliesOncePerCustomer: d.appliesOncePerCustomer,
      asyncUsageCount: 0,
      codesCount: { __typename: "Count", count: 1, precision: "EXACT" },
      codes: (args: Record<string, unknown>) =>
        connection([d], args, (x) => ({
          __typename: "DiscountRedeemCode",
          id: x.codeId,
          code: x.code,
          asyncUsageCount: 0,
        })),
      combinesWith: { __typename: "DiscountCombinesWith", ...d.combinesWith },
      context: () =>
        d.customers === "all"
          ? { __typename: "DiscountBuyerSelectionAll", all: "ALL" }
          : {
              __typename: "DiscountCustomers",
              customers: d.customers.flatMap((id) => {
                const c = shop.customers.get(id);
                return c ? [customerNode(shop, c)] : [];
              }),
            },
      minimumRequirement:
        d.minimumSubtotal === null
          ? null
          : { __typename: "DiscountMinimumSubtotal", greaterThanOrEqualToSubtotal: money(d.minimumSubtotal) },
    };
    if (d.typename === "DiscountCodeBasic") {
      const value =
        d.value.kind === "percentage"
          ? { __typename: "DiscountPercentage", percentage: d.value.percentage }
          : d.value.kind === "fixed_amount"
            ? { __typename: "DiscountAmount", amount: money(d.value.amount), appliesOnEachItem: d.value.appliesOnEachItem }
            : null;
      common.customerGets = {
        __typename: "DiscountCustomerGets",
        value,
        items: { __typename: "AllDiscountItems", allItems: true },
        appliesOnOneTimePurchase: true,
        appliesOnSubscription: false,
      };
      common.discountClasses = ["ORDER"];
    } else {
      common.destinationSelection = { __typename: "DiscountCountryAll", allCountries: true };
      common.discountClasses = ["SHIPPING"];
    }
    return common;
  }

  // ----------------------------------------------------------------------------- resolvers

  function requireScope(ctx: FakeContext, scope: string, field: string): void {
    const granted = ctx.shop.scopes;
    if (!granted) return;
    const [verb, resource] = scope.split("_", 2) as [string, string];
    const ok = granted.has(scope) || (verb === "read" && granted.has(`write_${resource}`));
    if (!ok) {
      const requiredAccess = `\`${scope}\` access scope.`;
      throw new GraphQLError(`Access denied for ${field} field. Required access: ${requiredAccess}`, {
        extensions: { code: "ACCESS_DENIED", documentation: "https://shopify.dev/api/usage/access-scopes", requiredAccess },
      });
    }
  }

  function notImplemented(what: string): GraphQLError {
    return new GraphQLError(`shopify-admin-fake does not implement ${what}`, {
      extensions: { code: "FAKE_NOT_IMPLEMENTED" },
    });
  }

  function parseShopifyGid(id: unknown, expectedType: string): { ok: true; id: string } | { ok: false } {
    if (typeof id !== "string") return { ok: false };
    const match = SHOPIFY_GID.exec(id);
    if (!match || match[1] !== expectedType) return { ok: false };
    return { ok: true, id };
  }

  const queryResolvers: Record<string, Resolver> = {
    // No access scope for these Shop fields. https://shopify.dev/docs/api/admin-graphql/2026-07/queries/shop
    shop: (_args, ctx) => shopNode(ctx.shop),
    // https://shopify.dev/docs/api/admin-graphql/2026-07/queries/currentAppInstallation
    currentAppInstallation: (_args, ctx) => appInstallationNode(ctx.shop),
    customer: (args, ctx) => {
      requireScope(ctx, "read_customers", "customer");
      const gid = parseShopifyGid(args.id, "Customer");
      if (!gid.ok) throw new GraphQLError(`Invalid global id '${String(args.id)}'`, { extensions: { code: "argumentLiteralsIncompatible" } });
      const c = ctx.shop.customers.get(gid.id);
      return c ? customerNode(ctx.shop, c) : null;
    },
    codeDiscountNodeByCode: (args, ctx) => {
      requireScope(ctx, "read_discounts", "codeDiscountNodeByCode");
      const d = findDiscountByCodeIn(ctx.shop, String(args.code));
      return d ? discountNode(ctx.shop, d) : null;
    },
    codeDiscountNode: (args, ctx) => {
      requireScope(ctx, "read_discounts", "codeDiscountNode");
      const d = ctx.shop.discounts.get(String(args.id));
      return d ? discountNode(ctx.shop, d) : null;
    },
    metafieldDefinitions: (args, ctx) => {
      const ownerType = String(args.ownerType);
      const scope = OWNER_TYPE_READ_SCOPE[ownerType];
      if (scope) requireScope(ctx, scope, "metafieldDefinitions");
      for (const unsupported of ["query", "constraintSubtype", "constraintStatus"]) {
        if (args[unsupported] !== undefined && args[unsupported] !== null) {
          throw notImplemented(`QueryRoot.metafieldDefinitions(${unsupported}:)`);
        }
      }
      let list = [...ctx.shop.definitions.values()].filter((d) => d.ownerType === ownerType);
      if (typeof args.namespace === "string") {
        const ns = resolveNamespace(args.namespace);
        list = list.filter((d) => d.namespace === ns);
      }
      if (typeof args.key === "string") list = list.filter((d) => d.key === args.key);
      return connection(list, args, (d) => definitionNode(ctx.shop, d));
    },
  };

  const mutationResolvers: Record<string, Resolver> = {
    discountCodeBasicCreate: (args, ctx) => createDiscount(ctx, "basicCodeDiscount", asRecord(args.basicCodeDiscount)),
    discountCodeFreeShippingCreate: (args, ctx) =>
      createDiscount(ctx, "freeShippingCodeDiscount", asRecord(args.freeShippingCodeDiscount)),
    metafieldsSet: (args, ctx) => metafieldsSet(ctx, (args.metafields as Array<Record<string, unknown>>) ?? []),
    metafieldDefinitionCreate: (args, ctx) => metafieldDefinitionCreate(ctx, asRecord(args.definition)),
  };

  function createDiscount(ctx: FakeContext, argName: "basicCodeDiscount" | "freeShippingCodeDiscount", input: Record<string, unknown>): Node {
    const mutation = argName === "basicCodeDiscount" ? "discountCodeBasicCreate" : "discountCodeFreeShippingCreate";
    requireScope(ctx, "write_discounts", mutation);
    const shop = ctx.shop;
    const errors: UserError[] = [];
    const err = (code: string, path: string[], message: string) => errors.push({ code, field: [argName, ...path], message });

    const title = typeof input.title === "string" ? input.title : "";
    if (title.trim() === "") err("BLANK", ["title"], "Title can't be blank");
    const code = typeof input.code === "string" ? input.code : "";
    if (code.trim() === "") err("BLANK", ["code"], "Code can't be blank");
    else if (code.length > 255) err("TOO_LONG", ["code"], "Code is too long (maximum is 255 characters)");
    else if (/[\r\n]/.test(code)) err("INVALID", ["code"], "Code can't contain newline characters.");
    else if (findDiscountByCodeIn(shop, code)) err("TAKEN", ["code"], "Code must be unique. Please try a different code.");

    const startsAt = typeof input.startsAt === "string" ? input.startsAt : null;
    const endsAt = typeof input.endsAt === "string" ? input.endsAt : null;
    if (startsAt === null) err("BLANK", ["startsAt"], "Starts at can't be blank");
    else if (Number.isNaN(Date.parse(startsAt))) err("INVALID", ["startsAt"], "Starts at is invalid");
    if (endsAt !== null && Number.isNaN(Date.parse(endsAt))) err("INVALID", ["endsAt"], "Ends at is invalid");
    if (startsAt !== null && endsAt !== null && Date.parse(endsAt) <= Date.parse(startsAt)) {
      err("END_DATE_BEFORE_START_DATE", ["endsAt"], "Ends at needs to be after starts_at");
    }

    // Buyers: `context` (since 2025-10) or the deprecated `customerSelection`.
    let customers: string[] | "all" = [];
    const hasContext = input.context !== undefined && input.context !== null;
    const hasSelection = input.customerSelection !== undefined && input.customerSelection !== null;
    if (hasSelection) ctx.deprecations.push(`${argName === "basicCodeDiscount" ? "DiscountCodeBasicInput" : "DiscountCodeFreeShippingInput"}.customerSelection`);
    if (hasContext && hasSelection) {
      err("CONFLICT", ["context"], "Only one of context or customerSelection can be provided.");
    } else if (!hasContext && !hasSelection) {
      err("BLANK", ["context"], "Context can't be blank");
    } else {
      const which = hasContext ? "context" : "customerSelection";
      const sel = asRecord(input[which]);
      if (sel.customerSegments !== undefined && sel.customerSegments !== null) {
        throw notImplemented(`${which}.customerSegments`);
      }
      if (sel.all === true || sel.all === "ALL") customers = "all";
      else if (sel.customers !== undefined && sel.customers !== null) {
        const add = asRecord(sel.customers).add;
        const ids = Array.isArray(add) ? add.map(String) : [];
        if (ids.length === 0) err("BLANK", [which, "customers", "add"], "Customers can't be blank");
        ids.forEach((id, i) => {
          if (!parseShopifyGid(id, "Customer").ok || !shop.customers.has(id)) {
            err("INVALID", [which, "customers", "add", String(i)], `Customer ${id} does not exist`);
          }
        });
        customers = ids;
      } else {
        err("BLANK", [which], "Context can't be blank");
      }
    }

    let usageLimit: number | null = null;
    if (typeof input.usageLimit === "number") {
      if (input.usageLimit < 1) err("GREATER_THAN", ["usageLimit"], "Usage limit must be greater than 0");
      usageLimit = input.usageLimit;
    }

    let minimumSubtotal: string | null = null;
    if (input.minimumRequirement !== undefined && input.minimumRequirement !== null) {
      const req = asRecord(input.minimumRequirement);
      const hasSubtotal = req.subtotal !== undefined && req.subtotal !== null;
      const hasQuantity = req.quantity !== undefined && req.quantity !== null;
      if (hasSubtotal && hasQuantity) {
        err("MINIMUM_SUBTOTAL_AND_QUANTITY_RANGE_BOTH_PRESENT", ["minimumRequirement"], "Minimum subtotal and quantity can't both be present");
      } else if (hasQuantity) {
        throw notImplemented("minimumRequirement.quantity");
      } else if (hasSubtotal) {
        const amount = asRecord(req.subtotal).greaterThanOrEqualToSubtotal;
        if (typeof amount !== "string" || !DECIMAL.test(amount) || Number(amount) < 0) {
          err("INVALID", ["minimumRequirement", "subtotal", "greaterThanOrEqualToSubtotal"], "Minimum subtotal is invalid");
        } else minimumSubtotal = amount;
      }
    }

    let value: FakeDiscountValue = { kind: "free_shipping" };
    if (argName === "basicCodeDiscount") {
      const gets = input.customerGets;
      if (gets === undefined || gets === null) {
        err("BLANK", ["customerGets"], "Customer gets can't be blank");
      } else {
        const g = asRecord(gets);
        const items = g.items === undefined || g.items === null ? null : asRecord(g.items);
        if (!items) err("BLANK", ["customerGets", "items"], "Items can't be blank");
        else if (items.products != null || items.collections != null) throw notImplemented("customerGets.items.products/collections");
        else if (items.all !== true) err("BLANK", ["customerGets", "items"], "Items can't be blank");
        const v = g.value === undefined || g.value === null ? null : asRecord(g.value);
        const given = v ? ["percentage", "discountAmount", "discountOnQuantity"].filter((k) => v[k] !== undefined && v[k] !== null) : [];
        if (!v || given.length === 0) err("BLANK", ["customerGets", "value"], "Value can't be blank");
        else if (given.length > 1) err("INVALID", ["customerGets", "value"], "Only one value type can be provided");
        else if (given[0] === "discountOnQuantity") throw notImplemented("customerGets.value.discountOnQuantity");
        else if (given[0] === "percentage") {
          const p = Number(v.percentage);
          if (!(p > 0 && p <= 1)) err("VALUE_OUTSIDE_RANGE", ["customerGets", "value", "percentage"], "Value must be between 0.0 and 1.0");
          value = { kind: "percentage", percentage: p };
        } else {
          const amountInput = asRecord(v.discountAmount);
          const amount = amountInput.amount;
          if (typeof amount !== "string" && typeof amount !== "number") {
            err("BLANK", ["customerGets", "value", "discountAmount", "amount"], "Amount can't be blank");
          } else if (!DECIMAL.test(String(amount)) || !(Number(amount) > 0)) {
            err("GREATER_THAN", ["customerGets", "value", "discountAmount", "amount"], "Amount must be greater than 0");
          }
          value = { kind: "fixed_amount", amount: String(amount), appliesOnEachItem: amountInput.appliesOnEachItem === true };
        }
      }
    } else if (input.destination !== undefined && input.destination !== null) {
      const dest = asRecord(input.destination);
      if (dest.countries !== undefined && dest.countries !== null) throw notImplemented("destination.countries");
    }

    if (errors.length > 0) return { codeDiscountNode: null, userErrors: errors.map(userErrorNode("DiscountUserError")) };

    const combines = asRecord(input.combinesWith);
    const t = iso();
    const discount: FakeDiscount = {
      id: nextId("DiscountCodeNode"),
      typename: argName === "basicCodeDiscount" ? "DiscountCodeBasic" : "DiscountCodeFreeShipping",
      title,
      code,
      codeId: nextId("DiscountRedeemCode"),
      startsAt: new Date(startsAt as string).toISOString(),
      endsAt: endsAt === null ? null : new Date(endsAt).toISOString(),
      usageLimit,
      appliesOncePerCustomer: input.appliesOncePerCustomer === true,
      customers,
      combinesWith: {
        orderDiscounts: combines.orderDiscounts === true,
        productDiscounts: combines.productDiscounts === true,
        shippingDiscounts: combines.shippingDiscounts === true,
      },
      value,
      minimumSubtotal,
      createdAt: t,
      updatedAt: t,
      input: structuredClone({ ...input }),
    };
    shop.discounts.set(discount.id, discount);
    return { codeDiscountNode: discountNode(shop, discount), userErrors: [] };
  }

  function metafieldsSet(ctx: FakeContext, inputs: Array<Record<string, unknown>>): Node {
    const shop = ctx.shop;
    if (inputs.length > 25) {
      return {
        metafields: [],
        userErrors: [{ code: "LESS_THAN_OR_EQUAL_TO", field: ["metafields"], message: "Exceeded the maximum metafields input limit of 25." }].map(
          userErrorNode("MetafieldsSetUserError"),
        ),
      };
    }
    const errors: UserError[] = [];
    const planned: Array<Omit<FakeMetafield, "id" | "createdAt" | "updatedAt" | "compareDigest">> = [];
    inputs.forEach((raw, i) => {
      const input = asRecord(raw);
      const err = (code: string, field: string, message: string) =>
        errors.push({ code, field: ["metafields", String(i), field], message, elementIndex: i });
      const ownerId = String(input.ownerId);
      const owner = SHOPIFY_GID.exec(ownerId);
      let ownerType: FakeMetafield["ownerType"];
      if (owner && owner[1] === "AppInstallation") {
        // App-data metafields: "Requires the same access level needed to mutate the owner resource" —
        // the app's own installation needs no scope; another app's installation is refused with
        // APP_NOT_AUTHORIZED ("ApiPermission metafields can only be created or updated by the app owner.",
        // the MetafieldsSetUserErrorCode description, unchanged 2025-10 to 2026-07).
        // https://shopify.dev/docs/apps/build/custom-data/metafields/use-app-data-metafields
        // https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/metafieldsSet
        ownerType = "API_PERMISSION";
        if (ownerId !== shop.appInstallationId) {
          err("APP_NOT_AUTHORIZED", "ownerId", "ApiPermission metafields can only be created or updated by the app owner.");
          return;
        }
      } else {
        if (owner && owner[1] !== "Customer") throw notImplemented(`metafieldsSet for owner type ${owner[1]}`);
        ownerType = "CUSTOMER";
        requireScope(ctx, "write_customers", "metafieldsSet");
        if (!owner || !shop.customers.has(ownerId)) {
          err("INVALID", "ownerId", "Owner does not exist.");
          return;
        }
      }
      const namespace = resolveNamespace(typeof input.namespace === "string" ? input.namespace : "$app");
      const key = typeof input.key === "string" ? input.key : "";
      if (key.length < 2) {
        err("TOO_SHORT", "key", "Key is too short (minimum is 2 characters)");
        return;
      }
      if (!/^[A-Za-z0-9_-]+$/.test(key)) {
        err("INVALID", "key", "Key contains one or more invalid characters.");
        return;
      }
      const definition = shop.definitions.get(definitionKey(ownerType, namespace, key));
      const existing = shop.metafields.get(metafieldKey(ownerId, namespace, key));
      const type = typeof input.type === "string" ? input.type : (definition?.type ?? existing?.type ?? null);
      if (type === null) {
        err("BLANK", "type", "Type can't be blank.");
        return;
      }
      if (!isKnownMetafieldType(type)) {
        err("INVALID_TYPE", "type", `Type '${type}' is not a valid metafield type.`);
        return;
      }
      if (definition && definition.type !== type) {
        err("INVALID_TYPE", "type", `Type must be '${definition.type}' to match the metafield definition.`);
        return;
      }
      const value = typeof input.value === "string" ? input.value : "";
      const invalid = validateMetafieldValue(type, value);
      if (invalid) {
        err("INVALID_VALUE", "value", invalid);
        return;
      }
      if (Object.prototype.hasOwnProperty.call(input, "compareDigest")) {
        const digest = input.compareDigest;
        const stale = digest === null ? existing !== undefined : existing === undefined || existing.compareDigest !== digest;
        if (stale) {
          err("STALE_OBJECT", "compareDigest", "The resource has been updated since it was loaded. Try again with an updated `compareDigest` value.");
          return;
        }
      }
      planned.push({ ownerId, ownerType, namespace, key, type, value });
    });
    if (errors.length > 0) return { metafields: [], userErrors: errors.map(userErrorNode("MetafieldsSetUserError")) };

    // Atomic: nothing above changed state; apply everything now.
    const t = iso();
    const written = planned.map((p) => {
      const k = metafieldKey(p.ownerId, p.namespace, p.key);
      const existing = shop.metafields.get(k);
      const m: FakeMetafield = {
        ...p,
        id: existing?.id ?? nextId("Metafield"),
        createdAt: existing?.createdAt ?? t,
        updatedAt: t,
        compareDigest: digestOf(p.value, t),
      };
      shop.metafields.set(k, m);
      return metafieldNode(shop, m);
    });
    return { metafields: written, userErrors: [] };
  }

  function metafieldDefinitionCreate(ctx: FakeContext, input: Record<string, unknown>): Node {
    const shop = ctx.shop;
    const ownerType = String(input.ownerType);
    const scope = OWNER_TYPE_READ_SCOPE[ownerType];
    if (scope) requireScope(ctx, scope, "metafieldDefinitionCreate");
    for (const unsupported of ["validations", "capabilities", "constraints", "pin"]) {
      const v = input[unsupported];
      if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0) && v !== false) {
        throw notImplemented(`MetafieldDefinitionInput.${unsupported}`);
      }
    }
    const errors: UserError[] = [];
    const err = (code: string, path: string[], message: string) => errors.push({ code, field: ["definition", ...path], message });
    const namespace = resolveNamespace(typeof input.namespace === "string" ? input.namespace : "$app");
    const key = typeof input.key === "string" ? input.key : "";
    const name = typeof input.name === "string" ? input.name : "";
    const type = typeof input.type === "string" ? input.type : "";
    if (name.trim() === "") err("BLANK", ["name"], "Name can't be blank");
    if (key.length < 2) err("TOO_SHORT", ["key"], "Key is too short (minimum is 2 characters)");
    else if (!/^[A-Za-z0-9_-]+$/.test(key)) err("INVALID_CHARACTER", ["key"], "Key contains one or more invalid characters.");
    if (!isKnownMetafieldType(type)) err("INCLUSION", ["type"], "Type name is not included in the list");
    const access = input.access === undefined || input.access === null ? {} : asRecord(input.access);
    if (access.admin !== undefined && access.admin !== null && !isAppNamespace(namespace)) {
      err("ADMIN_ACCESS_INPUT_NOT_ALLOWED", ["access", "admin"], "Admin access can only be specified for app-owned metafield definitions.");
    }
    if (errors.length === 0 && shop.definitions.has(definitionKey(ownerType, namespace, key))) {
      err("TAKEN", ["key"], `Key is in use for ${ownerType.toLowerCase()} metafields on the '${namespace}' namespace.`);
    }
    if (errors.length > 0) {
      return { createdDefinition: null, userErrors: errors.map(userErrorNode("MetafieldDefinitionCreateUserError")) };
    }
    const definition: FakeMetafieldDefinition = {
      id: nextId("MetafieldDefinition"),
      name,
      description: typeof input.description === "string" ? input.description : null,
      namespace,
      key,
      ownerType,
      type,
      access: {
        admin: typeof access.admin === "string" ? access.admin : isAppNamespace(namespace) ? "MERCHANT_READ" : "PUBLIC_READ_WRITE",
        storefront: typeof access.storefront === "string" ? access.storefront : "NONE",
        customerAccount: typeof access.customerAccount === "string" ? access.customerAccount : "NONE",
      },
      createdAt: iso(),
    };
    shop.definitions.set(definitionKey(ownerType, namespace, key), definition);
    return { createdDefinition: definitionNode(shop, definition), userErrors: [] };
  }

  // graphql-js calls this for every field: a property of the source object (or a function of the
  // arguments), else a loud "not implemented" error instead of a silent null.
  const fieldResolver: GraphQLFieldResolver<unknown, FakeContext> = (source, args, ctx, info) => {
    if (source !== null && typeof source === "object" && Object.prototype.hasOwnProperty.call(source, info.fieldName)) {
      const value = (source as Record<string, unknown>)[info.fieldName];
      return typeof value === "function" ? (value as Resolver)(args, ctx) : value;
    }
    throw notImplemented(`${info.parentType.name}.${info.fieldName}`);
  };

  // ----------------------------------------------------------------------------- HTTP handling

  function respond(record: FakeRequestRecord, status: number, body: unknown, outcome: FakeRequestOutcome, headers: Record<string, string> = {}): Response {
    record.status = status;
    record.outcome = outcome;
    record.responseBody = body;
    return new Response(typeof body === "string" ? body : JSON.stringify(body), {
      status,
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "X-Request-Id": `fake-${record.seq}`,
        ...headers,
      },
    });
  }

  function hang(record: FakeRequestRecord, signal: AbortSignal | null | undefined): Promise<Response> {
    return new Promise<Response>((_, reject) => {
      if (!signal) {
        hanging.add(reject);
        return;
      }
      // Like fetch: reject with the signal's reason once it fires (or now, if it already has).
      const onAbort = () => {
        record.clientAborted = true;
        reject(signal.reason ?? new DOMException("This operation was aborted", "AbortError"));
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  async function handle(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = new Request(input, init);
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    if (signal?.aborted) throw signal.reason ?? new DOMException("This operation was aborted", "AbortError");

    const url = new URL(request.url);
    const rawBody = request.method === "GET" || request.method === "HEAD" ? "" : await request.text();
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    const record: FakeRequestRecord = {
      seq: ++seq,
      at: now(),
      method: request.method,
      url: request.url,
      shop: url.hostname,
      headers,
      rawBody,
      query: null,
      variables: null,
      operationName: null,
      operationType: null,
      rootFields: [],
      requestedQueryCost: null,
      deprecations: [],
    };
    requests.push(record);

    // Faults at the edge, before Shopify looks at anything.
    if (timeoutCount > 0) {
      timeoutCount--;
      record.outcome = "injected_timeout";
      return hang(record, signal);
    }
    const failure = failNextQueue.shift();
    if (failure) {
      const extra: Record<string, string> = failure.retryAfter === undefined ? {} : { "Retry-After": String(failure.retryAfter) };
      return respond(record, failure.status, { errors: httpStatusText(failure.status) }, "injected_failure", extra);
    }

    if (url.pathname === "/admin/oauth/access_token") {
      if (url.protocol !== "https:" || !shops.has(url.hostname.toLowerCase())) return respond(record, 404, { errors: "Not Found" }, "not_found");
      record.outcome = "oauth";
      return oauth.handle(url.hostname.toLowerCase(), new Request(request.url, { method: request.method, headers: request.headers, body: request.method === "POST" ? rawBody : undefined }));
    }
    const match = /^\/admin\/api\/([^/]+)\/graphql\.json$/.exec(url.pathname);
    if (!match) return respond(record, 404, { errors: "Not Found" }, "not_found");
    if (match[1] !== apiVersion) {
      return respond(record, 404, { errors: `Not Found (shopify-admin-fake serves only API version ${apiVersion}, not ${match[1]})` }, "not_found");
    }
    if (url.protocol !== "https:") return respond(record, 404, { errors: "Not Found (https only)" }, "not_found");
    const shop = shops.get(url.hostname.toLowerCase());
    if (!shop) return respond(record, 404, { errors: "Not Found" }, "not_found");
    if (request.method !== "POST") return respond(record, 405, { errors: "Method Not Allowed (shopify-admin-fake accepts POST only)" }, "method_not_allowed");

    const token = headers["x-shopify-access-token"];
    if (!token || !oauth.accepts(shop.domain, token)) return respond(record, 401, INVALID_TOKEN_BODY, "unauthorized");

    const contentType = (headers["content-type"] ?? "").toLowerCase();
    if (!contentType.startsWith("application/json")) {
      return respond(record, 415, { errors: `Unsupported Media Type: expected application/json, got ${contentType || "none"}` }, "unsupported_media_type");
    }
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      return respond(record, 400, { errors: { query: "Required parameter missing or invalid" } }, "invalid_request");
    }
    const payload = asRecord(body);
    if (typeof payload.query !== "string" || payload.query.trim() === "") {
      return respond(record, 400, { errors: { query: "Required parameter missing or invalid" } }, "invalid_request");
    }
    if (payload.variables !== undefined && payload.variables !== null && (typeof payload.variables !== "object" || Array.isArray(payload.variables))) {
      return respond(record, 400, { errors: { variables: "Variables must be a JSON object" } }, "invalid_request");
    }
    const query = payload.query;
    const variables = (payload.variables ?? {}) as Record<string, unknown>;
    const operationName = typeof payload.operationName === "string" ? payload.operationName : null;
    record.query = query;
    record.variables = variables;
    record.operationName = operationName;

    return handleGraphql(record, shop, query, variables, operationName);
  }

  async function handleGraphql(
    record: FakeRequestRecord,
    shop: ShopState,
    query: string,
    variables: Record<string, unknown>,
    operationName: string | null,
  ): Promise<Response> {
    refill(shop.bucket);
    const freeCost = () => ({ cost: { requestedQueryCost: 0, actualQueryCost: 0, throttleStatus: statusOf(shop.bucket) } });
    const graphqlErrors = (errors: unknown[], outcome: FakeRequestOutcome = "graphql_errors") =>
      respond(record, 200, { errors, extensions: freeCost() }, outcome);

    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      const e = error as GraphQLError;
      return graphqlErrors([{ message: e.message, locations: e.locations ?? [], extensions: { code: "PARSE_ERROR" } }]);
    }

    const validationErrors = validate(schema, document);
    if (validationErrors.length > 0) {
      return graphqlErrors(
        validationErrors.map((e) => ({
          message: e.message,
          locations: e.locations ?? [],
          extensions: { code: validationCode(e.message) },
        })),
      );
    }
    record.deprecations.push(...validate(schema, document, [NoDeprecatedCustomRule]).map((e) => e.message));

    const operation = getOperationAST(document, operationName);
    if (!operation) {
      return graphqlErrors([
        {
          message: operationName ? `No operation named "${operationName}"` : "An operation name is required",
          extensions: { code: "OPERATION_NOT_FOUND" },
        },
      ]);
    }
    record.operationName = operation.name?.value ?? operationName;
    record.operationType = operation.operation;
    if (operation.operation === "subscription") {
      return graphqlErrors([{ message: "Subscriptions are not supported", extensions: { code: "SUBSCRIPTION_NOT_SUPPORTED" } }]);
    }

    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 50 });
    if (coerced.errors) {
      return graphqlErrors(
        coerced.errors.map((e) => {
          const name = /"\$([_A-Za-z][_0-9A-Za-z]*)"/.exec(e.message)?.[1] ?? "?";
          const def = operation.variableDefinitions?.find((d) => d.variable.name.value === name);
          const typeText = def ? printTypeNode(def.type) : "?";
          return {
            message: `Variable $${name} of type ${typeText} was provided invalid value`,
            locations: e.locations ?? [],
            extensions: {
              code: "INVALID_VARIABLE",
              value: variables[name] ?? null,
              problems: [{ path: [], explanation: e.message }],
            },
          };
        }),
      );
    }

    const fragments = Object.fromEntries(
      document.definitions
        .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((d) => [d.name.value, d]),
    );
    const rootFields = collectRootFields(operation.selectionSet, fragments);
    record.rootFields = rootFields;
    const implemented = operation.operation === "mutation" ? mutationResolvers : queryResolvers;
    const missing = rootFields.filter((f) => !f.startsWith("__") && !(f in implemented));
    if (missing.length > 0) {
      return graphqlErrors(
        missing.map((f) => ({
          message: `shopify-admin-fake does not implement ${operation.operation === "mutation" ? "Mutation" : "QueryRoot"}.${f}`,
          extensions: { code: "FAKE_NOT_IMPLEMENTED" },
        })),
        "unimplemented",
      );
    }

    const rootType = operation.operation === "mutation" ? schema.getMutationType() : schema.getQueryType();
    const requested = computeCost(schema, operation, rootType as GraphQLObjectType, fragments, coerced.coerced);
    record.requestedQueryCost = requested;
    if (requested > maxSingleQueryCost) {
      return graphqlErrors([
        {
          message: `Query cost is ${requested}, which exceeds the single query max cost limit (${maxSingleQueryCost}).`,
          extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: maxSingleQueryCost },
        },
      ]);
    }

    // Leaky bucket: the requested cost must be available before anything runs.
    // https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits
    const forced = throttleQueue.shift();
    if (forced || requested > shop.bucket.available) {
      const throttleStatus = statusOf(shop.bucket);
      if (forced) throttleStatus.currentlyAvailable = forced.currentlyAvailable;
      return respond(
        record,
        200,
        {
          errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: THROTTLED_DOC } }],
          extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus } },
        },
        "throttled",
      );
    }
    shop.bucket.available -= requested;

    const ctx: FakeContext = { shop, deprecations: [] };
    const result = await execute({
      schema,
      document,
      operationName: record.operationName ?? undefined,
      variableValues: variables,
      rootValue: operation.operation === "mutation" ? mutationResolvers : queryResolvers,
      contextValue: ctx,
      fieldResolver,
    });
    record.deprecations.push(...ctx.deprecations);

    const afterCommit = failAfterCommitQueue.shift();
    if (afterCommit) {
      return respond(record, afterCommit.status, { errors: httpStatusText(afterCommit.status) }, "failed_after_commit");
    }

    const responseBody: Record<string, unknown> = {};
    if (result.errors && result.errors.length > 0) responseBody.errors = result.errors.map((e) => e.toJSON());
    responseBody.data = result.data ?? null;
    responseBody.extensions = {
      cost: { requestedQueryCost: requested, actualQueryCost: requested, throttleStatus: statusOf(shop.bucket) },
    };
    const extraHeaders: Record<string, string> = {
      "X-Shopify-API-Version": apiVersion,
      ...(record.deprecations.length > 0 ? { "X-Shopify-API-Deprecated-Reason": DEPRECATION_HEADER_VALUE } : {}),
    };
    return respond(record, 200, responseBody, responseBody.errors ? "graphql_errors" : "ok", extraHeaders);
  }

  // ----------------------------------------------------------------------------- public object

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
      const domain = shop.toLowerCase();
      if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(domain)) {
        throw new Error(`shopify-admin-fake: ${shop} is not a {name}.myshopify.com domain`);
      }
      const bucket = { ...defaultBucket, ...opts.bucket };
      const currencyCode = opts.currencyCode ?? "USD";
      const currencyEnum = schema.getType("CurrencyCode");
      if (!isEnumType(currencyEnum) || !currencyEnum.getValue(currencyCode)) {
        throw new Error(`shopify-admin-fake: ${currencyCode} is not a CurrencyCode of the ${apiVersion} schema`);
      }
      const ianaTimezone = opts.ianaTimezone ?? "America/New_York";
      try {
        new Intl.DateTimeFormat("en-US", { timeZone: ianaTimezone });
      } catch {
        throw new Error(`shopify-admin-fake: ${ianaTimezone} is not an IANA time zone`);
      }
      oauth.seed(domain, {
        accessToken: opts.accessToken,
        ...(opts.refreshToken ? { refreshToken: opts.refreshToken } : {}),
        ...(opts.accessTokenExpiresAt ? { accessTokenExpiresAt: opts.accessTokenExpiresAt } : {}),
        scope: opts.scopes?.join(",") ?? "",
      });
      shops.set(domain, {
        domain,
        scopes: opts.scopes ? new Set(opts.scopes) : null,
        shopId: `gid://shopify/Shop/${stableNumber(`shop|${domain}`)}`,
        name: opts.name ?? domain.replace(/\.myshopify\.com$/, ""),
        ianaTimezone,
        currencyCode,
        appInstallationId: `gid://shopify/AppInstallation/${stableNumber(`installation|${appId}|${domain}`)}`,
        bucket: { ...bucket, available: bucket.maximumAvailable, updatedAt: now() },
        customers: new Map(),
        discounts: new Map(),
        metafields: new Map(),
        definitions: new Map(),
      });
    },
    appInstallationId: (shop) => shopState(shop).appInstallationId,
    seedCustomer(shop, seed = {}) {
      const state = shopState(shop);
      const id = seed.id ?? nextId("Customer");
      if (!parseShopifyGid(id, "Customer").ok) throw new Error(`shopify-admin-fake: ${id} is not a Customer GID`);
      const customer: FakeCustomer = { id, numberOfOrders: seed.numberOfOrders ?? 0, createdAt: iso() };
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
    findDiscountByCode: (shop, code) => findDiscountByCodeIn(shopState(shop), code),
    getMetafield: (shop, ownerId, namespace, key) =>
      shopState(shop).metafields.get(metafieldKey(ownerId, resolveNamespace(namespace), key)),
    metafields: (shop) => [...shopState(shop).metafields.values()],
    metafieldDefinitions: (shop) => [...shopState(shop).definitions.values()],
    throttleStatus(shop) {
      const state = shopState(shop);
      refill(state.bucket);
      return statusOf(state.bucket);
    },
    resolveNamespace,
    failNext(n, opts = {}) {
      for (let i = 0; i < n; i++) failNextQueue.push({ ...opts, status: opts.status ?? 502 });
    },
    timeoutNext(n) {
      timeoutCount += n;
    },
    throttleNext(n, opts = {}) {
      for (let i = 0; i < n; i++) throttleQueue.push({ currentlyAvailable: opts.currentlyAvailable ?? 0 });
    },
    failAfterCommit(n, opts = {}) {
      for (let i = 0; i < n; i++) failAfterCommitQueue.push({ status: opts.status ?? 502 });
    },
    releaseHanging() {
      for (const reject of hanging) reject(new DOMException("shopify-admin-fake: released", "AbortError"));
      hanging.clear();
    },
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

// =============================================================================================
// Cost
// =============================================================================================

/**
 * A simple stand-in for Shopify's calculated query cost: every mutation root field costs 10; in
 * queries an object (or list of objects) costs 1 plus its selection, a connection 2 plus
 * `first`/`last` times the cost of one edge/node, scalars and enums 0. Fragments on abstract types
 * are summed (Shopify takes the maximum), so the estimate errs on the high side.
 */
function computeCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  rootType: GraphQLObjectType,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): number {
  if (operation.operation === "mutation") {
    return collectRootFields(operation.selectionSet, fragments).filter((f) => !f.startsWith("__")).length * 10;
  }
  return selectionCost(schema, operation.selectionSet, rootType, fragments, variables);
}

function selectionCost(
  schema: GraphQLSchema,
  selectionSet: SelectionSetNode,
  parentType: GraphQLNamedType | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): number {
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      total += fieldCost(schema, selection, parentType, fragments, variables);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parentType;
      total += selectionCost(schema, selection.selectionSet, type ?? undefined, fragments, variables);
    } else {
      const fragment = fragments[selection.name.value];
      if (fragment) {
        const type = schema.getType(fragment.typeCondition.name.value) ?? undefined;
        total += selectionCost(schema, fragment.selectionSet, type, fragments, variables);
      }
    }
  }
  return total;
}

function fieldCost(
  schema: GraphQLSchema,
  field: FieldNode,
  parentType: GraphQLNamedType | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): number {
  if (!field.selectionSet || field.name.value.startsWith("__")) return 0;
  const fieldType =
    parentType && (isObjectType(parentType) || isInterfaceType(parentType))
      ? parentType.getFields()[field.name.value]?.type
      : undefined;
  const namedType = fieldType ? getNamedType(fieldType) : undefined;
  const children = selectionCost(schema, field.selectionSet, namedType, fragments, variables);
  if (namedType?.name.endsWith("Connection")) {
    const size = argumentNumber(field, "first", variables) ?? argumentNumber(field, "last", variables) ?? 1;
    return 2 + size * Math.max(children, 1);
  }
  return 1 + children;
}

function argumentNumber(field: FieldNode, name: string, variables: Record<string, unknown>): number | null {
  const arg = field.arguments?.find((a) => a.name.value === name);
  if (!arg) return null;
  const value: ValueNode = arg.value;
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.VARIABLE) {
    const v = variables[value.name.value];
    return typeof v === "number" ? v : null;
  }
  return null;
}

function collectRootFields(selectionSet: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>): string[] {
  const names: string[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) names.push(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) names.push(...collectRootFields(selection.selectionSet, fragments));
    else {
      const fragment = fragments[selection.name.value];
      if (fragment) names.push(...collectRootFields(fragment.selectionSet, fragments));
    }
  }
  return names;
}

// =============================================================================================
// Small helpers
// =============================================================================================

function connection<T>(items: readonly T[], args: Record<string, unknown>, toNode: (item: T) => Node): Node {
  const first = typeof args.first === "number" ? args.first : null;
  const last = typeof args.last === "number" ? args.last : null;
  if (first === null && last === null) {
    throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
  }
  if ((first !== null && first > 250) || (last !== null && last > 250)) {
    throw new GraphQLError("The maximum value of 'first' and 'last' is 250", { extensions: { code: "BAD_REQUEST" } });
  }
  const decode = (cursor: unknown) => {
    const n = Number(Buffer.from(String(cursor), "base64url").toString("utf8").replace(/^fake:/, ""));
    return Number.isInteger(n) ? n : -1;
  };
  let indexed = items.map((item, index) => ({ item, index }));
  if (args.reverse === true) indexed = indexed.reverse();
  if (args.after !== undefined && args.after !== null) {
    const after = decode(args.after);
    const pos = indexed.findIndex((e) => e.index === after);
    indexed = pos >= 0 ? indexed.slice(pos + 1) : indexed;
  }
  if (args.before !== undefined && args.before !== null) {
    const before = decode(args.before);
    const pos = indexed.findIndex((e) => e.index === before);
    indexed = pos >= 0 ? indexed.slice(0, pos) : indexed;
  }
  const window = first !== null ? indexed.slice(0, first) : indexed.slice(Math.max(0, indexed.length - (last ?? 0)));
  const cursor = (index: number) => Buffer.from(`fake:${index}`, "utf8").toString("base64url");
  const edges = window.map((e) => ({ __typename: "Edge", cursor: cursor(e.index), node: toNode(e.item) }));
  const firstEdge = window[0];
  const lastEdge = window[window.length - 1];
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      __typename: "PageInfo",
      hasNextPage: lastEdge ? indexed.indexOf(lastEdge) < indexed.length - 1 : false,
      hasPreviousPage: firstEdge ? indexed.indexOf(firstEdge) > 0 : false,
      startCursor: firstEdge ? cursor(firstEdge.index) : null,
      endCursor: lastEdge ? cursor(lastEdge.index) : null,
    },
  };
}

function userErrorNode(typename: string) {
  return (e: UserError): Node => ({
    __typename: typename,
    code: e.code,
    field: e.field,
    message: e.message,
    elementIndex: e.elementIndex ?? null,
    extraInfo: null,
  });
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
}

function isKnownMetafieldType(type: string): boolean {
  if (type.startsWith("list.")) return METAFIELD_LIST_TYPES.has(type.slice("list.".length));
  return METAFIELD_BASE_TYPES.has(type);
}

function metafieldCategory(type: string): string {
  if (type.endsWith("_reference")) return "REFERENCE";
  if (type === "json") return "ADVANCED";
  if (type.startsWith("number_") || type === "rating") return "NUMBER";
  if (type.includes("text")) return "TEXT";
  return "OTHER";
}

function validateMetafieldValue(type: string, value: string): string | null {
  switch (type) {
    case "json":
      try {
        JSON.parse(value);
        return null;
      } catch {
        return "Value is invalid JSON.";
      }
    case "number_integer":
      return /^-?\d+$/.test(value) ? null : "Value must be an integer.";
    case "number_decimal":
      return DECIMAL.test(value) ? null : "Value must be a decimal.";
    case "boolean":
      return value === "true" || value === "false" ? null : "Value must be true or false.";
    case "single_line_text_field":
      return /[\r\n]/.test(value) ? "Value must be a single line." : null;
    default:
      return null;
  }
}

function jsonValueOf(m: FakeMetafield): unknown {
  switch (m.type) {
    case "json":
      return JSON.parse(m.value) as unknown;
    case "number_integer":
    case "number_decimal":
      return Number(m.value);
    case "boolean":
      return m.value === "true";
    default:
      return m.value;
  }
}

/** A positive integer derived from `text` (stable across runs), for GIDs that must not depend on call order. */
function stableNumber(text: string): number {
  return Number.parseInt(createHash("sha256").update(text).digest("hex").slice(0, 10), 16) + 1;
}

function digestOf(value: string, updatedAt: string): string {
  return createHash("sha256").update(`${updatedAt}\n${value}`).digest("hex");
}

function httpStatusText(status: number): string {
  return (
    { 429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout" }[
      status
    ] ?? `HTTP ${status}`
  );
}

function printTypeNode(node: TypeNode): string {
  if (node.kind === Kind.NON_NULL_TYPE) return `${printTypeNode(node.type)}!`;
  if (node.kind === Kind.LIST_TYPE) return `[${printTypeNode(node.type)}]`;
  return node.name.value;
}

/** graphql-js validation messages mapped to the graphql-ruby style codes Shopify answers with. */
function validationCode(message: string): string {
  const rules: Array<[RegExp, string]> = [
    [/^Cannot query field/, "undefinedField"],
    [/^Unknown argument/, "argumentNotAccepted"],
    [/argument ".*" of type ".*" is required/, "missingRequiredArguments"],
    [/^Unknown type/, "undefinedType"],
    [/is never used/, "variableNotUsed"],
    [/is not defined/, "undefinedVariable"],
    [/must have a selection of subfields/, "selectionMismatch"],
    [/must not have a selection since type/, "selectionMismatch"],
    [/used in position expecting type/, "variableMismatch"],
    [/^(Expected value of type|.* cannot represent)/, "argumentLiteralsIncompatible"],
    [/^Unknown fragment/, "undefinedFragment"],
    [/^Fragment .* is never used/, "useAndDefineFragment"],
  ];
  return rules.find(([re]) => re.test(message))?.[1] ?? "GRAPHQL_VALIDATION_FAILED";
}

// =============================================================================================
// Clock for deterministic tests
// =============================================================================================

export interface ManualClock {
  now: () => number;
  advance(ms: number): void;
  set(ms: number): void;
}

export function createManualClock(start: number | Date = Date.UTC(2025, 10, 1, 12, 0, 0)): ManualClock {
  let t = typeof start === "number" ? start : start.getTime();
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
    set(ms) {
      t = ms;
    },
  };
}

// =============================================================================================
// Plain HTTP wrapper (local demo)
// =============================================================================================

/** Header naming the shop when the fake is reached over HTTP at 127.0.0.1 instead of {shop}.myshopify.com. */
export const FAKE_SHOP_HEADER = "x-fake-shopify-shop";

export interface ShopifyAdminFakeServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `fake` over plain HTTP on 127.0.0.1. The shop is taken from the `X-Fake-Shopify-Shop` header,
 * else from a `*.myshopify.com` Host header. Point the app at it with createFakeServerFetch.
 */
export async function startShopifyAdminFakeServer(fake: ShopifyAdminFake, port = 0): Promise<ShopifyAdminFakeServer> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const hostHeader = (req.headers.host ?? "").replace(/:\d+$/, "");
      const shopHeader = req.headers[FAKE_SHOP_HEADER];
      const shop = typeof shopHeader === "string" ? shopHeader : hostHeader.endsWith(".myshopify.com") ? hostHeader : null;
      if (!shop) {
        res.writeHead(400, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ errors: `shopify-admin-fake server: name the shop with the ${FAKE_SHOP_HEADER} header` }));
        return;
      }
      const controller = new AbortController();
      res.on("close", () => {
        if (!res.writableEnded) controller.abort(new DOMException("client went away", "AbortError"));
      });
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined || ["host", "connection", "content-length", "transfer-encoding", FAKE_SHOP_HEADER].includes(name)) continue;
        headers.set(name, Array.isArray(value) ? value.join(", ") : value);
      }
      const method = req.method ?? "GET";
      const body = method === "GET" || method === "HEAD" ? undefined : Buffer.concat(chunks).toString("utf8");
      fake
        .fetch(`https://${shop}${req.url ?? "/"}`, { method, headers, body, signal: controller.signal })
        .then(async (response) => {
          const text = await response.text();
          const out: Record<string, string> = {};
          response.headers.forEach((value, name) => {
            out[name] = value;
          });
          res.writeHead(response.status, out);
          res.end(text);
        })
        .catch(() => {
          if (!res.headersSent && !res.destroyed) {
            res.writeHead(500, { "Content-Type": "application/json" });
            res.end(JSON.stringify({ errors: "shopify-admin-fake server: handler failed" }));
          } else {
            res.destroy();
          }
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * A fetch that sends `https://{shop}.myshopify.com/admin/...` to a fake server at `baseUrl` (adding
 * the shop header) and everything else to `fallback` — install it with setAbstractFetchFunc for the
 * local demo.
 */
export function createFakeServerFetch(baseUrl: string, fallback: typeof fetch = fetch): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (!url.hostname.endsWith(".myshopify.com") || !url.pathname.startsWith("/admin/")) return fallback(request);
    const headers = new Headers(request.headers);
    headers.set(FAKE_SHOP_HEADER, url.hostname);
    const target = new URL(url.pathname + url.search, baseUrl);
    const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
    return fallback(target, { method: request.method, headers, body, signal: init?.signal ?? request.signal });
  }) as typeof fetch;
}
