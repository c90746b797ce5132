// The Admin fake's public types: its options, what it stores (as tests read it back), its request log
// and the ShopifyAdminFake interface callers use.
import type { GraphQLSchema } from "graphql";
import type { OAuthFake, OAuthFakeOptions } from "../shopify-oauth-fake";

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
  /** Where the app's extensions are (default: the repository's extensions/): flowTriggerReceive accepts their flow_trigger handles. */
  extensionsDir?: string;
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

export type FakeDiscountValue = { kind: "percentage"; percentage: number } | { kind: "fixed_amount"; amount: string; appliesOnEachItem: boolean } | { kind: "free_shipping" };

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

/** A Shopify Flow trigger the fake accepted (flowTriggerReceive). */
export interface FakeFlowTriggerDelivery {
  seq: number;
  handle: string;
  payload: Record<string, unknown>;
  receivedAt: string;
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
  /** The Shopify Flow triggers the shop received (accepted flowTriggerReceive calls), oldest first. */
  flowTriggerDeliveries(shop: string): FakeFlowTriggerDelivery[];
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
  client(shop: string, options?: { accessToken?: string | null }): (query: string, options?: { variables?: Record<string, unknown>; signal?: AbortSignal }) => Promise<Response>;
}
