// The fake's in-memory state: one ShopState per shop (customers, discounts, metafields and their
// definitions, the cost bucket), the id counter and the clock-derived timestamps, and the `$app`
// namespace rule. Plain maps; nothing here knows GraphQL or HTTP.
import { createHash } from "node:crypto";
import { isEnumType, type GraphQLSchema } from "graphql";
import type { Bucket } from "./rate-limit";
import type { BucketOptions, FakeCustomer, FakeDiscount, FakeFlowTriggerDelivery, FakeMetafield, FakeMetafieldDefinition, FakeShopOptions } from "./types";

export interface ShopState {
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
  /** Shopify Flow triggers accepted by flowTriggerReceive, in order. */
  flowTriggerDeliveries: FakeFlowTriggerDelivery[];
}

export interface FakeStore {
  readonly apiVersion: string;
  readonly schema: GraphQLSchema;
  /** Keyed by the lower-cased shop domain. */
  readonly shops: Map<string, ShopState>;
  now(): number;
  /** `now()` as an ISO timestamp. */
  iso(): string;
  /** A fresh gid://shopify/{type}/N. */
  nextId(type: string): string;
  /** The shop's state; throws for a shop never added. */
  shopState(shop: string): ShopState;
  /** A new shop's state from addShop's options (validated like Shopify would); not stored yet. */
  newShopState(shop: string, options: FakeShopOptions): ShopState;
  /** `$app` -> `app--{appId}`, `$app:x` -> `app--{appId}--x`, anything else unchanged. */
  resolveNamespace(namespace: string): string;
  /** Whether a resolved namespace is this app's own. */
  isAppNamespace(resolved: string): boolean;
}

export function createStore(options: { apiVersion: string; schema: GraphQLSchema; now: () => number; appId: string; defaultBucket: Required<BucketOptions> }): FakeStore {
  const { apiVersion, schema, now, appId, defaultBucket } = options;
  const shops = new Map<string, ShopState>();
  let idCounter = 1000;

  function resolveNamespace(namespace: string): string {
    if (namespace === "$app") return `app--${appId}`;
    if (namespace.startsWith("$app:")) return `app--${appId}--${namespace.slice("$app:".length)}`;
    return namespace;
  }

  return {
    apiVersion,
    schema,
    shops,
    now,
    iso: () => new Date(now()).toISOString(),
    nextId: (type) => `gid://shopify/${type}/${++idCounter}`,
    shopState(shop) {
      const state = shops.get(shop.toLowerCase());
      if (!state) throw new Error(`shopify-admin-fake: unknown shop ${shop} (call addShop first)`);
      return state;
    },
    newShopState(shop, opts) {
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
      return {
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
        flowTriggerDeliveries: [],
      };
    },
    resolveNamespace,
    isAppNamespace: (resolved) => resolved === `app--${appId}` || resolved.startsWith(`app--${appId}--`),
  };
}

export const metafieldKey = (ownerId: string, namespace: string, key: string) => `${ownerId}|${namespace}|${key}`;
export const definitionKey = (ownerType: string, namespace: string, key: string) => `${ownerType}|${namespace}|${key}`;

/** Case-insensitive, like codeDiscountNodeByCode. */
export function findDiscountByCode(shop: ShopState, code: string): FakeDiscount | undefined {
  const wanted = code.toLowerCase();
  for (const d of shop.discounts.values()) if (d.code.toLowerCase() === wanted) return d;
  return undefined;
}

/** A positive integer derived from `text` (stable across runs), for GIDs that must not depend on call order. */
function stableNumber(text: string): number {
  return Number.parseInt(createHash("sha256").update(text).digest("hex").slice(0, 10), 16) + 1;
}
