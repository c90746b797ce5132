// The ONE module through which the app talks to Shopify's Admin GraphQL API, at the version pinned in
// ./api-version (2026-07).
//
// - Every document lives in ./admin-documents (re-exported here as ADMIN_DOCUMENTS) and is validated
//   against the real schema of that version by tests/unit/shopify.
// - Every failure is turned into one of the classes in ./admin-errors, in one place
//   (`adminRequest`), whatever the client shape:
//     * `admin.graphql` from @shopify/shopify-app-remix (and `unauthenticated.admin(shop).admin.graphql`)
//       returns `new Response(JSON.stringify({ data, extensions, headers }))` on success and THROWS on
//       failure: GraphqlQueryError (HTTP 200 with top-level `errors`, e.g. THROTTLED),
//       HttpThrottlingError (429), HttpInternalError (5xx), HttpMaxRetriesError, HttpResponseError (other
//       non-2xx, e.g. 401), HttpRequestError (no response: network error, abort); inside an authenticated
//       request (`authenticate.admin`) HttpResponseErrors are re-thrown as a plain `Response` instead.
//       (node_modules/@shopify/shopify-app-remix/dist/esm/server/clients/admin/graphql.mjs,
//        node_modules/@shopify/shopify-api/dist/esm/lib/clients/common.mjs#throwFailedRequest)
//     * a plain fetch-based client returns the raw Response, whatever its status.
// - Callers get the cost extension of every answer through `onCost`, to pace themselves.

import {
  GraphqlQueryError,
  HttpMaxRetriesError,
  HttpRequestError,
  HttpResponseError,
} from "@shopify/shopify-api";
import { ADMIN_DOCUMENTS, ADMIN_OPERATION_NAMES, type AdminDocumentName } from "./admin-documents";
import {
  AdminAuthError,
  AdminGatewayError,
  AdminInvalidInputError,
  AdminPermanentError,
  AdminThrottledError,
  AdminTransientError,
  AdminUserError,
  type AdminGraphqlErrorDetail,
  type AdminQueryCost,
  type AdminThrottleStatus,
  type AdminUserErrorDetail,
} from "./admin-errors";

export { ADMIN_DOCUMENTS, ADMIN_OPERATION_NAMES, type AdminDocumentName } from "./admin-documents";
export * from "./admin-errors";

/** `admin.graphql` from @shopify/shopify-app-remix, or anything with the same call shape. */
export type AdminGraphql = (
  query: string,
  options?: { variables?: Record<string, unknown>; signal?: AbortSignal },
) => Promise<Response>;

export interface AdminCallOptions {
  /** Aborts the call (the error is an AdminTransientError with reason "aborted"). */
  signal?: AbortSignal;
  /** Per-call timeout in ms (default DEFAULT_ADMIN_TIMEOUT_MS); on expiry: AdminTransientError "timeout". */
  timeoutMs?: number;
  /**
   * Called with `extensions.cost` of every answer that carried one (successes, throttles and other
   * GraphQL errors), so a worker can pace itself (see `msUntilAvailable`).
   */
  onCost?: (cost: AdminQueryCost, operation: string) => void;
}

export interface AdminResult<T> {
  data: T;
  cost: AdminQueryCost | null;
}

export const DEFAULT_ADMIN_TIMEOUT_MS = 20_000;

/** Wait used when an answer says "throttled" but not for how long. */
const DEFAULT_THROTTLE_WAIT_MS = 1_000;
const MAX_THROTTLE_WAIT_MS = 60_000;

/** The app-owned metafield that mirrors a customer's points for the storefront (theme extension). */
export const LOYALTY_METAFIELD = {
  /** Shopify expands `$app:loyalty` to `app--{api-client-id}--loyalty`. */
  namespace: "$app:loyalty",
  key: "points",
  type: "json",
} as const;

/**
 * The app-data metafield (owner: this app's AppInstallation) holding the program settings the theme
 * app extension renders, read in Liquid as `app.metafields.loyalty.program.value`.
 *
 * Plain namespace `loyalty`, NOT `$app:loyalty`: app-data metafields are "tied to a particular app
 * installation and can only be accessed by that app [...] can't be overwritten by other apps or by
 * merchants", and are read through the `metafields` property of the Liquid `app` object, which lists
 * "the metafields that are owned by the app". Shopify's own app-data example uses a plain namespace
 * (`secret_keys` / `api_key` on the AppInstallation). A `$app:` prefix would be expanded to
 * `app--{api-client-id}--loyalty`, and `app.metafields.loyalty` would then not find it.
 * https://shopify.dev/docs/apps/build/custom-data/metafields/use-app-data-metafields
 * https://shopify.dev/docs/apps/build/custom-data/ownership#app-data-metafields
 * https://shopify.dev/docs/api/liquid/objects/app
 * https://shopify.dev/docs/api/admin-graphql/2024-01/queries/appInstallation (example: namespace "secret_keys")
 */
export const PROGRAM_METAFIELD = {
  namespace: "loyalty",
  key: "program",
  type: "json",
} as const;

// ---------------------------------------------------------------------------------------------
// Pacing helpers
// ---------------------------------------------------------------------------------------------

/**
 * How long to wait after a THROTTLED answer: the time the bucket needs to refill the missing points,
 * `(requestedQueryCost - currentlyAvailable) / restoreRate` seconds.
 * https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits (leaky bucket; throttleStatus)
 */
export function throttleWaitMs(cost: AdminQueryCost | null): number {
  if (!cost) return DEFAULT_THROTTLE_WAIT_MS;
  const wait = msUntilAvailable(cost.throttleStatus, cost.requestedQueryCost);
  // Throttled although the numbers say there is room (another process sharing the bucket, clock
  // skew): back off for a second rather than hammering.
  if (wait <= 0) return DEFAULT_THROTTLE_WAIT_MS;
  return Math.min(wait, MAX_THROTTLE_WAIT_MS);
}

/** ms until a query costing `nextCost` points fits in the bucket described by `status` (0 = now). */
export function msUntilAvailable(status: AdminThrottleStatus, nextCost: number): number {
  const deficit = nextCost - status.currentlyAvailable;
  if (deficit <= 0) return 0;
  if (!(status.restoreRate > 0)) return DEFAULT_THROTTLE_WAIT_MS;
  return Math.ceil((deficit / status.restoreRate) * 1000);
}

// ---------------------------------------------------------------------------------------------
// The one request path
// ---------------------------------------------------------------------------------------------

interface CallContext {
  operation: string;
  timeoutMs: number;
  timedOut: () => boolean;
  callerAborted: () => boolean;
  onCost: AdminCallOptions["onCost"];
}

/**
 * Sends one of ADMIN_DOCUMENTS and returns its `data`, or throws an AdminGatewayError (or, inside an
 * authenticated Remix request, the auth `Response` shopify-app-remix throws to re-authenticate).
 * Does not look at mutation `userErrors`: the typed functions below do.
 */
export async function adminRequest<T>(
  client: AdminGraphql,
  name: AdminDocumentName,
  variables: Record<string, unknown>,
  options: AdminCallOptions = {},
): Promise<AdminResult<T>> {
  const operation = ADMIN_OPERATION_NAMES[name];
  const timeoutMs = options.timeoutMs ?? DEFAULT_ADMIN_TIMEOUT_MS;
  const callerSignal = options.signal;
  if (callerSignal?.aborted) {
    throw new AdminTransientError(`${operation} was aborted before it was sent`, {
      reason: "aborted",
      operation,
      cause: callerSignal.reason,
    });
  }

  const controller = new AbortController();
  let timedOut = false;
  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`${operation} timed out after ${timeoutMs} ms`, "TimeoutError"));
  }, timeoutMs);
  // Clients are expected to honour the signal (admin.graphql passes it to fetch), but the race makes
  // the timeout hold even for one that does not.
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener("abort", () => reject(controller.signal.reason), { once: true });
  });
  aborted.catch(() => undefined);

  const ctx: CallContext = {
    operation,
    timeoutMs,
    timedOut: () => timedOut,
    callerAborted: () => callerSignal?.aborted === true,
    onCost: options.onCost,
  };

  try {
    let response: Response;
    let text: string;
    try {
      response = await Promise.race([
        client(ADMIN_DOCUMENTS[name], { variables, signal: controller.signal }),
        aborted,
      ]);
      text = await Promise.race([response.text(), aborted]);
    } catch (error) {
      throw await classifyThrown(error, ctx);
    }
    return interpretAnswer<T>(response.status, response.headers, text, ctx);
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener("abort", onCallerAbort);
  }
}

function interpretAnswer<T>(status: number, headers: Headers, text: string, ctx: CallContext): AdminResult<T> {
  const { operation } = ctx;
  if (status < 200 || status > 299) throw errorForHttpStatus(status, headers.get("retry-after"), text, ctx);

  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (cause) {
    throw new AdminTransientError(`${operation}: the Admin API answered HTTP ${status} with a body that is not JSON`, {
      reason: "bad_response",
      operation,
      status,
      cause,
    });
  }
  if (!isRecord(body)) {
    throw new AdminPermanentError(`${operation}: unexpected Admin API answer (not a JSON object)`, { operation, status });
  }
  const cost = parseCost(body.extensions);
  if (cost) ctx.onCost?.(cost, operation);

  if (body.errors !== undefined && body.errors !== null) {
    if (Array.isArray(body.errors)) {
      if (body.errors.length > 0) throw errorForGraphqlErrors(body.errors, cost, status, ctx);
    } else {
      // REST-style `{ "errors": "..." }` (what Shopify sends with 4xx) on a 2xx: treat as permanent.
      throw new AdminPermanentError(`${operation}: ${stringifyShort(body.errors)}`, { operation, status, cost });
    }
  }
  if (!isRecord(body.data)) {
    throw new AdminPermanentError(`${operation}: the Admin API answered without data`, { operation, status, cost });
  }
  return { data: body.data as T, cost };
}

function errorForHttpStatus(
  status: number,
  retryAfterHeader: string | null | undefined,
  detail: string,
  ctx: CallContext,
  retryAfterSeconds?: number,
  cause?: unknown,
): AdminGatewayError {
  const { operation } = ctx;
  const suffix = detail ? `: ${truncate(detail, 300)}` : "";
  if (status === 429) {
    const seconds = retryAfterSeconds ?? (retryAfterHeader ? Number.parseFloat(retryAfterHeader) : Number.NaN);
    const retryAfterMs = Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds * 1000) : DEFAULT_THROTTLE_WAIT_MS;
    return new AdminThrottledError(`${operation}: HTTP 429 from the Admin API${suffix}`, {
      reason: "http_429",
      operation,
      status,
      retryAfterMs: Math.min(retryAfterMs, MAX_THROTTLE_WAIT_MS),
      cause,
    });
  }
  if (status >= 500) {
    return new AdminTransientError(`${operation}: HTTP ${status} from the Admin API${suffix}`, {
      reason: "http_5xx",
      operation,
      status,
      cause,
    });
  }
  if (status === 401 || status === 403) {
    return new AdminAuthError(`${operation}: HTTP ${status} from the Admin API (access token missing, invalid or lacking access)${suffix}`, {
      operation,
      status,
      cause,
    });
  }
  return new AdminPermanentError(`${operation}: HTTP ${status} from the Admin API${suffix}`, { operation, status, cause });
}

function errorForGraphqlErrors(
  rawErrors: unknown[],
  cost: AdminQueryCost | null,
  status: number | undefined,
  ctx: CallContext,
  cause?: unknown,
): AdminGatewayError {
  const { operation } = ctx;
  const errors: AdminGraphqlErrorDetail[] = rawErrors.map((raw) => {
    const e = isRecord(raw) ? raw : {};
    const extensions = isRecord(e.extensions) ? e.extensions : undefined;
    const detail: AdminGraphqlErrorDetail = {
      message: typeof e.message === "string" ? e.message : stringifyShort(raw),
      code: typeof extensions?.code === "string" ? extensions.code : null,
    };
    if (Array.isArray(e.path)) detail.path = e.path as Array<string | number>;
    if (extensions) detail.extensions = extensions;
    return detail;
  });
  const summary = errors.map((e) => (e.code ? `${e.code}: ${e.message}` : e.message)).join("; ");

  // Throttled: `errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }]` plus the cost
  // extension with throttleStatus. https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits
  if (errors.some((e) => e.code === "THROTTLED")) {
    return new AdminThrottledError(`${operation}: throttled by the Admin API`, {
      reason: "throttled",
      operation,
      status,
      cost,
      retryAfterMs: throttleWaitMs(cost),
      cause,
    });
  }
  if (errors.some((e) => e.code === "INTERNAL_SERVER_ERROR")) {
    return new AdminTransientError(`${operation}: ${summary}`, { reason: "graphql_internal", operation, status, cost, cause });
  }
  const first = errors[0]?.code ?? null;
  if (first === "ACCESS_DENIED") {
    return new AdminAuthError(`${operation}: ${summary}`, { operation, status, cost, code: first, graphqlErrors: errors, cause });
  }
  return new AdminPermanentError(`${operation}: ${summary}`, { operation, status, cost, code: first, graphqlErrors: errors, cause });
}

async function classifyThrown(error: unknown, ctx: CallContext): Promise<unknown> {
  const { operation } = ctx;
  if (error instanceof AdminGatewayError) return error;
  if (ctx.timedOut()) {
    return new AdminTransientError(`${operation} timed out after ${ctx.timeoutMs} ms`, {
      reason: "timeout",
      operation,
      cause: error,
    });
  }
  if (ctx.callerAborted()) {
    return new AdminTransientError(`${operation} was aborted`, { reason: "aborted", operation, cause: error });
  }

  // Inside `authenticate.admin`, shopify-app-remix turns HttpResponseErrors into thrown Responses; for
  // 401 its token-exchange strategy throws the re-authentication Response (401 with
  // X-Shopify-Retry-Invalid-Session-Request, or a redirect to the bounce page). Those must reach Remix
  // untouched, so the loader/action re-authenticates: they are passed through, not wrapped.
  if (error instanceof Response) {
    if (error.status === 401 || (error.status >= 300 && error.status < 400)) return error;
    let text = "";
    try {
      text = await error.text();
    } catch {
      // body already used or unreadable: classify on the status alone
    }
    return errorForHttpStatus(error.status, error.headers.get("retry-after"), text, ctx, undefined, error);
  }

  // @shopify/shopify-api: HTTP 200 with top-level `errors`. `body` is the graphql-client result:
  // `{ data?, extensions?, errors: { networkStatusCode, message, graphQLErrors, response } }`.
  if (error instanceof GraphqlQueryError || hasGraphqlErrorsBody(error)) {
    const body = (error as { body?: unknown }).body as Record<string, unknown>;
    const errs = body.errors as Record<string, unknown>;
    const cost = parseCost(body.extensions);
    if (cost) ctx.onCost?.(cost, operation);
    const status = (error as { response?: { status?: unknown } }).response?.status;
    return errorForGraphqlErrors(errs.graphQLErrors as unknown[], cost, typeof status === "number" ? status : undefined, ctx, error);
  }

  // @shopify/shopify-api: non-2xx (HttpResponseError and its subclasses HttpRetriableError,
  // HttpInternalError, HttpThrottlingError): `error.response = { code, statusText, body, headers, retryAfter? }`.
  if (error instanceof HttpResponseError || hasHttpResponseShape(error)) {
    const r = (error as { response: Record<string, unknown> }).response;
    const status = r.code as number;
    const headers = isRecord(r.headers) ? r.headers : {};
    const retryAfter = headerValue(headers, "retry-after");
    const retryAfterSeconds = typeof r.retryAfter === "number" ? r.retryAfter : undefined;
    return errorForHttpStatus(status, retryAfter, (error as Error).message ?? "", ctx, retryAfterSeconds, error);
  }

  // @shopify/shopify-api: retried 429/5xx until `tries` ran out.
  if (error instanceof HttpMaxRetriesError || constructorName(error) === "HttpMaxRetriesError") {
    return new AdminTransientError(`${operation}: ${(error as Error).message}`, { reason: "http_5xx", operation, cause: error });
  }
  // @shopify/shopify-api: no response at all (connection refused/reset, DNS, abort).
  if (error instanceof HttpRequestError || constructorName(error) === "HttpRequestError") {
    return new AdminTransientError(`${operation}: ${(error as Error).message}`, { reason: "network", operation, cause: error });
  }
  // Plain fetch clients: AbortError / TimeoutError, and undici's `TypeError: fetch failed`.
  if (isAbortLike(error)) {
    return new AdminTransientError(`${operation} was aborted`, { reason: "aborted", operation, cause: error });
  }
  if (isNetworkError(error)) {
    return new AdminTransientError(`${operation}: network error: ${(error as Error).message}`, {
      reason: "network",
      operation,
      cause: error,
    });
  }
  // Anything else is a bug or a misconfiguration (e.g. MissingRequiredArgument: no access token):
  // retrying will not help.
  const message = error instanceof Error ? error.message : stringifyShort(error);
  return new AdminPermanentError(`${operation}: unexpected error from the Admin client: ${message}`, {
    operation,
    cause: error,
  });
}

// ---------------------------------------------------------------------------------------------
// Discounts
// ---------------------------------------------------------------------------------------------

export type LoyaltyDiscountType = "percentage" | "fixed_amount" | "free_shipping";

export interface CustomerDiscountCodeInput {
  /** The code the customer types at checkout. Unique per shop (case-insensitively). */
  code: string;
  /** Name shown to the merchant in the admin and to the customer at checkout. */
  title: string;
  /** gid://shopify/Customer/123 — the only customer who may use the code. */
  customerGid: string;
  discountType: LoyaltyDiscountType;
  /** "10" = 10 % for percentage, 10.00 in the shop's currency for fixed_amount; ignored for free_shipping. */
  value: string;
  /** Minimum order subtotal in the shop's currency, or null for none. */
  minSubtotal: string | null;
  startsAt: Date;
  endsAt: Date;
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
}

export interface CreatedDiscountCode {
  discountId: string;
  code: string;
}

const CUSTOMER_GID = /^gid:\/\/shopify\/Customer\/\d+$/;
const APP_INSTALLATION_GID = /^gid:\/\/shopify\/AppInstallation\/\d+$/;
/** A value of the Admin API's CurrencyCode enum: ISO 4217 letters ("EUR"), plus "USDC" (2025-10 to 2026-07). */
const CURRENCY_CODE = /^[A-Z]{3,4}$/;
/** 2025-11-02T10:00:00Z / 2025-11-02T10:00:00.000+01:00 (what Date#toISOString and Shopify's DateTime produce). */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const DECIMAL = /^\d+(\.\d+)?$/;
/** Shopify limits discount codes to 255 characters. */
const MAX_CODE_LENGTH = 255;

/**
 * The mutation and variables `createCustomerDiscountCode` sends (exported for tests).
 * Single use for one customer: `usageLimit: 1`, `appliesOncePerCustomer: true`, and
 * `context: { customers: { add: [customerGid] } }` (the replacement, since 2025-10, of the deprecated
 * `customerSelection`; DiscountContextInput is @oneOf). The amount-off discount applies to the
 * whole order (`items: { all: true }`).
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/discountCodeBasicCreate
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/discountCodeFreeShippingCreate
 */
export function buildCustomerDiscountCodeRequest(input: CustomerDiscountCodeInput): {
  name: "discountCodeBasicCreate" | "discountCodeFreeShippingCreate";
  variables: Record<string, unknown>;
} {
  assertValidDiscountInput(input);
  const common = {
    title: input.title.trim(),
    code: input.code,
    startsAt: input.startsAt.toISOString(),
    endsAt: input.endsAt.toISOString(),
    context: { customers: { add: [input.customerGid] } },
    usageLimit: 1,
    appliesOncePerCustomer: true,
    combinesWith: {
      orderDiscounts: input.combinesWith.orderDiscounts,
      productDiscounts: input.combinesWith.productDiscounts,
      shippingDiscounts: input.combinesWith.shippingDiscounts,
    },
    ...(input.minSubtotal === null
      ? {}
      : { minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: input.minSubtotal } } }),
  };

  if (input.discountType === "free_shipping") {
    return {
      name: "discountCodeFreeShippingCreate",
      variables: { freeShippingCodeDiscount: { ...common, destination: { all: true } } },
    };
  }
  const value =
    input.discountType === "percentage"
      ? // DiscountCustomerGetsValueInput.percentage: "Value must be between 0.00 - 1.00".
        { percentage: percentageFraction(input.value) }
      : { discountAmount: { amount: input.value, appliesOnEachItem: false } };
  return {
    name: "discountCodeBasicCreate",
    variables: { basicCodeDiscount: { ...common, customerGets: { value, items: { all: true } } } },
  };
}

/**
 * Creates a single-use discount code that only `customerGid` can use. Throws AdminUserError on
 * `userErrors`; `error.isTaken` means the code exists already (possibly made by an earlier attempt
 * whose answer was lost — use findDiscountByCode to check before creating another).
 */
export async function createCustomerDiscountCode(
  client: AdminGraphql,
  input: CustomerDiscountCodeInput,
  options: AdminCallOptions = {},
): Promise<CreatedDiscountCode> {
  const { name, variables } = buildCustomerDiscountCodeRequest(input);
  const operation = ADMIN_OPERATION_NAMES[name];
  const { data, cost } = await adminRequest<Record<string, unknown>>(client, name, variables, options);
  const payload = requirePayload(data, name, operation, cost);
  throwIfUserErrors(payload, operation, cost);
  const node = isRecord(payload.codeDiscountNode) ? payload.codeDiscountNode : null;
  if (!node || typeof node.id !== "string") {
    throw new AdminPermanentError(`${operation}: no userErrors but no codeDiscountNode either`, { operation, cost });
  }
  return { discountId: node.id, code: input.code };
}

/**
 * The id of the code discount that owns `code` (case-insensitive, like checkout), or null.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/queries/codeDiscountNodeByCode
 */
export async function findDiscountIdByCode(
  client: AdminGraphql,
  code: string,
  options: AdminCallOptions = {},
): Promise<string | null> {
  if (!code.trim()) throw new AdminInvalidInputError("findDiscountIdByCode: code is blank");
  const { data } = await adminRequest<{ codeDiscountNodeByCode: { id: string } | null }>(
    client,
    "codeDiscountNodeByCode",
    { code },
    options,
  );
  const node = data.codeDiscountNodeByCode;
  return node && typeof node.id === "string" ? node.id : null;
}

// ---------------------------------------------------------------------------------------------
// Customers
// ---------------------------------------------------------------------------------------------

/**
 * The customer's lifetime order count (`Customer.numberOfOrders`, an UnsignedInt64 sent as a string),
 * or null when the customer does not exist (deleted / wrong shop).
 */
export async function getCustomerOrderCount(
  client: AdminGraphql,
  customerGid: string,
  options: AdminCallOptions = {},
): Promise<number | null> {
  assertCustomerGid(customerGid, "getCustomerOrderCount");
  const operation = ADMIN_OPERATION_NAMES.customerOrderCount;
  const { data, cost } = await adminRequest<{ customer: { id: string; numberOfOrders: unknown } | null }>(
    client,
    "customerOrderCount",
    { id: customerGid },
    options,
  );
  if (!data.customer) return null;
  const raw = data.customer.numberOfOrders;
  const count = typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : typeof raw === "number" ? raw : Number.NaN;
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new AdminPermanentError(`${operation}: numberOfOrders is not an unsigned integer: ${stringifyShort(raw)}`, {
      operation,
      cost,
    });
  }
  return count;
}

// ---------------------------------------------------------------------------------------------
// Loyalty metafield
// ---------------------------------------------------------------------------------------------

export interface CustomerLoyaltyMetafieldInput {
  customerGid: string;
  balance: number;
  pending: number;
  updatedAt: Date;
}

/** The JSON stored in the customer's `$app:loyalty.points` metafield (read by the theme extension). */
export interface LoyaltyMetafieldValue {
  balance: number;
  pending: number;
  updatedAt: string;
}

/**
 * Writes `{ balance, pending, updatedAt }` to the customer's `$app:loyalty.points` json metafield
 * (last write wins: no compareDigest). https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/metafieldsSet
 */
export async function setCustomerLoyaltyMetafield(
  client: AdminGraphql,
  input: CustomerLoyaltyMetafieldInput,
  options: AdminCallOptions = {},
): Promise<{ metafieldId: string }> {
  assertCustomerGid(input.customerGid, "setCustomerLoyaltyMetafield");
  for (const [field, n] of [
    ["balance", input.balance],
    ["pending", input.pending],
  ] as const) {
    if (!Number.isSafeInteger(n)) throw new AdminInvalidInputError(`setCustomerLoyaltyMetafield: ${field} must be an integer, got ${n}`);
  }
  if (!(input.updatedAt instanceof Date) || Number.isNaN(input.updatedAt.getTime())) {
    throw new AdminInvalidInputError("setCustomerLoyaltyMetafield: updatedAt must be a valid Date");
  }
  const value: LoyaltyMetafieldValue = {
    balance: input.balance,
    pending: input.pending,
    updatedAt: input.updatedAt.toISOString(),
  };
  return setOneMetafield(
    client,
    {
      ownerId: input.customerGid,
      namespace: LOYALTY_METAFIELD.namespace,
      key: LOYALTY_METAFIELD.key,
      type: LOYALTY_METAFIELD.type,
      value: JSON.stringify(value),
    },
    options,
  );
}

/** One `metafieldsSet` upsert; userErrors -> AdminUserError. */
async function setOneMetafield(
  client: AdminGraphql,
  metafield: { ownerId: string; namespace: string; key: string; type: string; value: string },
  options: AdminCallOptions,
): Promise<{ metafieldId: string }> {
  const operation = ADMIN_OPERATION_NAMES.metafieldsSet;
  const { data, cost } = await adminRequest<Record<string, unknown>>(client, "metafieldsSet", { metafields: [metafield] }, options);
  const payload = requirePayload(data, "metafieldsSet", operation, cost);
  throwIfUserErrors(payload, operation, cost);
  const first: unknown = Array.isArray(payload.metafields) ? payload.metafields[0] : undefined;
  if (!isRecord(first) || typeof first.id !== "string") {
    throw new AdminPermanentError(`${operation}: no userErrors but no metafield either`, { operation, cost });
  }
  return { metafieldId: first.id };
}

/**
 * Creates the CUSTOMER metafield definition for `$app:loyalty.points` (type json) with storefront
 * access PUBLIC_READ so Liquid / the Storefront API can read it. Idempotent: a definition that
 * already exists (userError TAKEN) counts as success.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/metafieldDefinitionCreate
 * https://shopify.dev/docs/apps/build/custom-data/permissions (storefront access of app-owned definitions)
 */
export async function ensureLoyaltyMetafieldDefinition(
  client: AdminGraphql,
  options: AdminCallOptions = {},
): Promise<{ status: "created" | "exists"; definitionId: string | null }> {
  const operation = ADMIN_OPERATION_NAMES.metafieldDefinitionCreate;
  const { data, cost } = await adminRequest<Record<string, unknown>>(
    client,
    "metafieldDefinitionCreate",
    {
      definition: {
        name: "Loyalty points",
        description: "Points balance and pending points, maintained by the loyalty app.",
        namespace: LOYALTY_METAFIELD.namespace,
        key: LOYALTY_METAFIELD.key,
        type: LOYALTY_METAFIELD.type,
        ownerType: "CUSTOMER",
        access: { storefront: "PUBLIC_READ" },
      },
    },
    options,
  );
  const payload = requirePayload(data, "metafieldDefinitionCreate", operation, cost);
  const userErrors = readUserErrors(payload);
  if (userErrors.length > 0) {
    if (userErrors.every((e) => e.code === "TAKEN")) return { status: "exists", definitionId: null };
    throw new AdminUserError(operation, userErrors, { cost });
  }
  const created = isRecord(payload.createdDefinition) ? payload.createdDefinition : null;
  if (!created || typeof created.id !== "string") {
    throw new AdminPermanentError(`${operation}: no userErrors but no createdDefinition either`, { operation, cost });
  }
  return { status: "created", definitionId: created.id };
}

// ---------------------------------------------------------------------------------------------
// Shop
// ---------------------------------------------------------------------------------------------

export interface ShopInfo {
  /** The shop's display name. */
  name: string;
  /** IANA time zone, e.g. "Europe/Paris" (Shop.ianaTimezone). */
  ianaTimezone: string;
  /** ISO 4217 code of the currency the shop sells in, e.g. "EUR" (Shop.currencyCode, enum CurrencyCode). */
  currencyCode: string;
}

/**
 * `shop { name ianaTimezone currencyCode }`. No access scope needed.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/queries/shop
 */
export async function getShopInfo(client: AdminGraphql, options: AdminCallOptions = {}): Promise<ShopInfo> {
  const operation = ADMIN_OPERATION_NAMES.shopInfo;
  const { data, cost } = await adminRequest<{ shop: unknown }>(client, "shopInfo", {}, options);
  const shop = isRecord(data.shop) ? data.shop : null;
  if (
    !shop ||
    typeof shop.name !== "string" ||
    typeof shop.ianaTimezone !== "string" ||
    shop.ianaTimezone === "" ||
    typeof shop.currencyCode !== "string" ||
    !CURRENCY_CODE.test(shop.currencyCode)
  ) {
    throw new AdminPermanentError(`${operation}: unexpected shop in the answer: ${stringifyShort(data.shop)}`, { operation, cost });
  }
  return { name: shop.name, ianaTimezone: shop.ianaTimezone, currencyCode: shop.currencyCode };
}

// ---------------------------------------------------------------------------------------------
// App installation and the program app-data metafield
// ---------------------------------------------------------------------------------------------

/**
 * The GID of this app's installation on the shop (`currentAppInstallation { id }`), e.g.
 * gid://shopify/AppInstallation/123 — the ownerId of app-data metafields. Stable for the life of the
 * installation (a reinstall makes a new one), so it can be cached per shop but must be re-read after
 * a reinstall.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/queries/currentAppInstallation
 * https://shopify.dev/docs/apps/build/custom-data/metafields/use-app-data-metafields (step 1)
 */
export async function getAppInstallationId(client: AdminGraphql, options: AdminCallOptions = {}): Promise<string> {
  const operation = ADMIN_OPERATION_NAMES.currentAppInstallation;
  const { data, cost } = await adminRequest<{ currentAppInstallation: unknown }>(client, "currentAppInstallation", {}, options);
  const installation = isRecord(data.currentAppInstallation) ? data.currentAppInstallation : null;
  if (!installation || typeof installation.id !== "string" || !APP_INSTALLATION_GID.test(installation.id)) {
    throw new AdminPermanentError(
      `${operation}: unexpected currentAppInstallation in the answer: ${stringifyShort(data.currentAppInstallation)}`,
      { operation, cost },
    );
  }
  return installation.id;
}

export type ProgramRounding = "down" | "nearest";

export interface ProgramMetafieldCampaign {
  name: string;
  /** Decimal string, e.g. "2" or "1.5". */
  multiplier: string;
  /** ISO 8601 date-time. */
  endsAt: string;
}

export interface ProgramMetafieldReward {
  id: string;
  name: string;
  pointsCost: number;
  discountType: LoyaltyDiscountType;
  /** Decimal string: percent for "percentage", amount in the shop currency for "fixed_amount". */
  value: string;
}

/**
 * The JSON stored in the app-data metafield `loyalty.program` (PROGRAM_METAFIELD) and rendered by the
 * theme app extension (`app.metafields.loyalty.program.value`). Money-like numbers are decimal strings,
 * like the Admin API's own Decimal/Money scalars, so no float noise reaches the storefront.
 */
export interface ProgramMetafieldValue {
  enabled: boolean;
  programName: string;
  /** Points earned per one unit of `currencyCode`, decimal string. */
  pointsPerUnit: string;
  rounding: ProgramRounding;
  currencyCode: string;
  campaign: ProgramMetafieldCampaign | null;
  rewards: ProgramMetafieldReward[];
  /** ISO 8601 date-time of the settings change this value reflects. */
  updatedAt: string;
}

export interface ProgramMetafieldInput {
  /** gid://shopify/AppInstallation/N, from getAppInstallationId. */
  appInstallationId: string;
  value: ProgramMetafieldValue;
}

/**
 * Writes `value` as JSON to the app-data metafield `loyalty.program` (type json) owned by the app's
 * installation — the storefront settings the theme extension reads. Last write wins (no
 * compareDigest). Needs no access scope: metafieldsSet "requires the same access level needed to mutate
 * the owner resource", and the owner is the app's own installation. An ownerId that is not this app's
 * installation is refused by Shopify with userError APP_NOT_AUTHORIZED (AdminUserError).
 * Only the declared keys of ProgramMetafieldValue are sent (extra runtime keys are dropped); invalid
 * input is an AdminInvalidInputError and nothing is sent.
 * https://shopify.dev/docs/apps/build/custom-data/metafields/use-app-data-metafields (step 2)
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/metafieldsSet
 */
export async function setProgramMetafield(
  client: AdminGraphql,
  input: ProgramMetafieldInput,
  options: AdminCallOptions = {},
): Promise<{ metafieldId: string }> {
  if (typeof input.appInstallationId !== "string" || !APP_INSTALLATION_GID.test(input.appInstallationId)) {
    throw new AdminInvalidInputError(
      `setProgramMetafield: expected an AppInstallation GID like gid://shopify/AppInstallation/123, got ${JSON.stringify(input.appInstallationId)}`,
    );
  }
  const value = normalizeProgramValue(input.value);
  return setOneMetafield(
    client,
    {
      ownerId: input.appInstallationId,
      namespace: PROGRAM_METAFIELD.namespace,
      key: PROGRAM_METAFIELD.key,
      type: PROGRAM_METAFIELD.type,
      value: JSON.stringify(value),
    },
    options,
  );
}

/** Validates a ProgramMetafieldValue and returns a copy with exactly the declared keys, in order. */
function normalizeProgramValue(raw: ProgramMetafieldValue): ProgramMetafieldValue {
  const fail = (message: string): never => {
    throw new AdminInvalidInputError(`setProgramMetafield: ${message}`);
  };
  if (!isRecord(raw)) fail("value must be an object");
  const v = raw as unknown as Record<string, unknown>;
  const str = (x: unknown, path: string, { nonBlank = false } = {}): string => {
    if (typeof x !== "string") return fail(`${path} must be a string, got ${stringifyShort(x)}`);
    if (nonBlank && x.trim() === "") fail(`${path} is blank`);
    return x;
  };
  const positiveDecimal = (x: unknown, path: string): string => {
    const s = str(x, path);
    if (!DECIMAL.test(s) || !(Number(s) > 0)) fail(`${path} must be a positive decimal string, got ${JSON.stringify(s)}`);
    return s;
  };
  const nonNegativeDecimal = (x: unknown, path: string): string => {
    const s = str(x, path);
    if (!DECIMAL.test(s)) fail(`${path} must be a decimal string, got ${JSON.stringify(s)}`);
    return s;
  };
  const dateTime = (x: unknown, path: string): string => {
    const s = str(x, path);
    if (!ISO_DATE_TIME.test(s) || Number.isNaN(Date.parse(s))) fail(`${path} must be an ISO 8601 date-time, got ${JSON.stringify(s)}`);
    return s;
  };

  if (typeof v.enabled !== "boolean") fail(`enabled must be a boolean, got ${stringifyShort(v.enabled)}`);
  const rounding = v.rounding;
  if (rounding !== "down" && rounding !== "nearest") fail(`rounding must be "down" or "nearest", got ${stringifyShort(rounding)}`);
  const currencyCode = str(v.currencyCode, "currencyCode");
  if (!CURRENCY_CODE.test(currencyCode)) fail(`currencyCode must be an ISO 4217 code like "EUR", got ${JSON.stringify(currencyCode)}`);

  let campaign: ProgramMetafieldCampaign | null = null;
  if (v.campaign !== null) {
    if (!isRecord(v.campaign)) fail(`campaign must be an object or null, got ${stringifyShort(v.campaign)}`);
    const c = v.campaign as Record<string, unknown>;
    campaign = {
      name: str(c.name, "campaign.name", { nonBlank: true }),
      multiplier: positiveDecimal(c.multiplier, "campaign.multiplier"),
      endsAt: dateTime(c.endsAt, "campaign.endsAt"),
    };
  }

  if (!Array.isArray(v.rewards)) fail(`rewards must be an array, got ${stringifyShort(v.rewards)}`);
  const rewards = (v.rewards as unknown[]).map((item, i): ProgramMetafieldReward => {
    const path = `rewards[${i}]`;
    if (!isRecord(item)) return fail(`${path} must be an object`);
    const pointsCost = item.pointsCost;
    if (typeof pointsCost !== "number" || !Number.isSafeInteger(pointsCost) || pointsCost <= 0) {
      fail(`${path}.pointsCost must be a positive integer, got ${stringifyShort(pointsCost)}`);
    }
    const discountType = item.discountType;
    if (discountType !== "fixed_amount" && discountType !== "percentage" && discountType !== "free_shipping") {
      fail(`${path}.discountType must be fixed_amount, percentage or free_shipping, got ${stringifyShort(discountType)}`);
    }
    return {
      id: str(item.id, `${path}.id`, { nonBlank: true }),
      name: str(item.name, `${path}.name`, { nonBlank: true }),
      pointsCost: pointsCost as number,
      discountType: discountType as LoyaltyDiscountType,
      value: nonNegativeDecimal(item.value, `${path}.value`),
    };
  });

  return {
    enabled: v.enabled as boolean,
    programName: str(v.programName, "programName"),
    pointsPerUnit: positiveDecimal(v.pointsPerUnit, "pointsPerUnit"),
    rounding: rounding as ProgramRounding,
    currencyCode,
    campaign,
    rewards,
    updatedAt: dateTime(v.updatedAt, "updatedAt"),
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function requirePayload(
  data: Record<string, unknown>,
  field: string,
  operation: string,
  cost: AdminQueryCost | null,
): Record<string, unknown> {
  const payload = data[field];
  if (!isRecord(payload)) {
    throw new AdminPermanentError(`${operation}: the answer has no ${field} payload`, { operation, cost });
  }
  return payload;
}

function readUserErrors(payload: Record<string, unknown>): AdminUserErrorDetail[] {
  if (!Array.isArray(payload.userErrors)) return [];
  return payload.userErrors.map((raw) => {
    const e = isRecord(raw) ? raw : {};
    return {
      code: typeof e.code === "string" ? e.code : null,
      field: Array.isArray(e.field) ? e.field.map(String) : null,
      message: typeof e.message === "string" ? e.message : stringifyShort(raw),
    };
  });
}

function throwIfUserErrors(payload: Record<string, unknown>, operation: string, cost: AdminQueryCost | null): void {
  const userErrors = readUserErrors(payload);
  if (userErrors.length > 0) throw new AdminUserError(operation, userErrors, { cost });
}

function assertCustomerGid(gid: string, fn: string): void {
  if (typeof gid !== "string" || !CUSTOMER_GID.test(gid)) {
    throw new AdminInvalidInputError(`${fn}: expected a customer GID like gid://shopify/Customer/123, got ${JSON.stringify(gid)}`);
  }
}

function assertValidDiscountInput(input: CustomerDiscountCodeInput): void {
  const fail = (message: string): never => {
    throw new AdminInvalidInputError(`createCustomerDiscountCode: ${message}`);
  };
  if (typeof input.code !== "string" || input.code.trim() === "" || input.code !== input.code.trim()) {
    fail(`code must be non-blank without surrounding spaces, got ${JSON.stringify(input.code)}`);
  }
  if (input.code.length > MAX_CODE_LENGTH) fail(`code is longer than ${MAX_CODE_LENGTH} characters`);
  if (typeof input.title !== "string" || input.title.trim() === "") fail("title is blank");
  assertCustomerGid(input.customerGid, "createCustomerDiscountCode");
  if (!(input.startsAt instanceof Date) || Number.isNaN(input.startsAt.getTime())) fail("startsAt is not a valid Date");
  if (!(input.endsAt instanceof Date) || Number.isNaN(input.endsAt.getTime())) fail("endsAt is not a valid Date");
  if (input.endsAt.getTime() <= input.startsAt.getTime()) fail("endsAt must be after startsAt");
  if (input.minSubtotal !== null && !DECIMAL.test(input.minSubtotal)) {
    fail(`minSubtotal must be a decimal string or null, got ${JSON.stringify(input.minSubtotal)}`);
  }
  switch (input.discountType) {
    case "percentage": {
      if (!DECIMAL.test(input.value)) fail(`value must be a decimal string, got ${JSON.stringify(input.value)}`);
      const n = Number(input.value);
      if (!(n > 0 && n <= 100)) fail(`a percentage must be in (0, 100], got ${input.value}`);
      break;
    }
    case "fixed_amount":
      if (!DECIMAL.test(input.value) || !(Number(input.value) > 0)) {
        fail(`a fixed amount must be a positive decimal string, got ${JSON.stringify(input.value)}`);
      }
      break;
    case "free_shipping":
      break;
    default:
      fail(`unknown discountType ${JSON.stringify((input as { discountType: unknown }).discountType)}`);
  }
}

/** "12.5" (percent) -> 0.125, without binary-float noise such as 0.12500000000000003. */
function percentageFraction(value: string): number {
  return Number((Number(value) / 100).toFixed(6));
}

function parseCost(extensions: unknown): AdminQueryCost | null {
  if (!isRecord(extensions) || !isRecord(extensions.cost)) return null;
  const cost = extensions.cost;
  const ts = cost.throttleStatus;
  if (!isRecord(ts)) return null;
  const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
  const maximumAvailable = num(ts.maximumAvailable);
  const currentlyAvailable = num(ts.currentlyAvailable);
  const restoreRate = num(ts.restoreRate);
  const requestedQueryCost = num(cost.requestedQueryCost);
  if (maximumAvailable === null || currentlyAvailable === null || restoreRate === null || requestedQueryCost === null) {
    return null;
  }
  return {
    requestedQueryCost,
    actualQueryCost: num(cost.actualQueryCost),
    throttleStatus: { maximumAvailable, currentlyAvailable, restoreRate },
  };
}

function hasGraphqlErrorsBody(error: unknown): boolean {
  if (!isRecord(error) || !isRecord(error.body)) return false;
  const errors = error.body.errors;
  return isRecord(errors) && Array.isArray(errors.graphQLErrors) && errors.graphQLErrors.length > 0;
}

function hasHttpResponseShape(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const response: unknown = (error as { response?: unknown }).response;
  return isRecord(response) && typeof response.code === "number";
}

function isAbortLike(error: unknown): boolean {
  return isRecord(error) && (error.name === "AbortError" || error.name === "TimeoutError");
}

const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
]);

function isNetworkError(error: unknown): boolean {
  if (error instanceof TypeError && error.message === "fetch failed") return true;
  for (let e: unknown = error, depth = 0; isRecord(e) && depth < 4; e = e.cause, depth++) {
    if (typeof e.code === "string" && (NETWORK_CODES.has(e.code) || e.code.startsWith("UND_ERR_"))) return true;
  }
  return false;
}

function constructorName(value: unknown): string | undefined {
  return isRecord(value) ? (value.constructor as { name?: string } | undefined)?.name : undefined;
}

function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    if (Array.isArray(value)) return value.map(String).join(", ");
    if (typeof value === "string" || typeof value === "number") return String(value);
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function stringifyShort(value: unknown): string {
  let text: string;
  try {
    text = typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return truncate(text, 300);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
