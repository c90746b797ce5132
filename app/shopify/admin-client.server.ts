// The transport of every Admin GraphQL call: `adminRequest` sends one document of ./admin-documents
// (at the version pinned in ./api-version, 2026-07) and turns every failure into one of the classes in
// ./admin-errors, in one place, whatever the client shape:
//   * `admin.graphql` from @shopify/shopify-app-remix (and `unauthenticated.admin(shop).admin.graphql`)
//     returns `new Response(JSON.stringify({ data, extensions, headers }))` on success and THROWS on
//     failure: GraphqlQueryError (HTTP 200 with top-level `errors`, e.g. THROTTLED),
//     HttpThrottlingError (429), HttpInternalError (5xx), HttpMaxRetriesError, HttpResponseError (other
//     non-2xx, e.g. 401), HttpRequestError (no response: network error, abort); inside an authenticated
//     request (`authenticate.admin`) HttpResponseErrors are re-thrown as a plain `Response` instead.
//     (node_modules/@shopify/shopify-app-remix/dist/esm/server/clients/admin/graphql.mjs,
//      node_modules/@shopify/shopify-api/dist/esm/lib/clients/common.mjs#throwFailedRequest)
//   * a plain fetch-based client returns the raw Response, whatever its status.
// Callers get the cost extension of every answer through `onCost`, to pace themselves.
//
// The operations live one file per group beside this one (discounts, customers, metafields, shop,
// program-metafield); they read mutation `userErrors` with the helpers at the end of this file. The
// types of `data` and of the variables are generated from the schema (see ./admin-documents).

import { GraphqlQueryError, HttpMaxRetriesError, HttpRequestError, HttpResponseError } from "@shopify/shopify-api";
import { ADMIN_DOCUMENTS, ADMIN_OPERATION_NAMES, type AdminData, type AdminDocumentName, type AdminVariables } from "./admin-documents";
import {
  AdminAuthError,
  AdminGatewayError,
  AdminPermanentError,
  AdminThrottledError,
  AdminTransientError,
  AdminUserError,
  type AdminGraphqlErrorDetail,
  type AdminQueryCost,
  type AdminThrottleStatus,
  type AdminUserErrorDetail,
} from "./admin-errors";

/** `admin.graphql` from @shopify/shopify-app-remix, or anything with the same call shape. */
export type AdminGraphql = (query: string, options?: { variables?: Record<string, unknown>; signal?: AbortSignal }) => Promise<Response>;

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
 * `data` and `variables` have the types generated for that document. Does not look at mutation
 * `userErrors`: the operation files do.
 */
export async function adminRequest<N extends AdminDocumentName>(client: AdminGraphql, name: N, variables: AdminVariables<N>, options: AdminCallOptions = {}): Promise<AdminResult<AdminData<N>>> {
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
      response = await Promise.race([client(ADMIN_DOCUMENTS[name], { variables, signal: controller.signal }), aborted]);
      text = await Promise.race([response.text(), aborted]);
    } catch (error) {
      throw await classifyThrown(error, ctx);
    }
    return interpretAnswer<AdminData<N>>(response.status, response.headers, text, ctx);
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

function errorForHttpStatus(status: number, retryAfterHeader: string | null | undefined, detail: string, ctx: CallContext, retryAfterSeconds?: number, cause?: unknown): AdminGatewayError {
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

function errorForGraphqlErrors(rawErrors: unknown[], cost: AdminQueryCost | null, status: number | undefined, ctx: CallContext, cause?: unknown): AdminGatewayError {
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
// Helpers for the operation files: mutation payloads and their userErrors
// ---------------------------------------------------------------------------------------------

/** A mutation's payload (nullable in the schema), or an AdminPermanentError when the answer has none. */
export function requirePayload<P extends object>(payload: P | null | undefined, field: string, operation: string, cost: AdminQueryCost | null): P {
  if (payload === null || payload === undefined || typeof payload !== "object") {
    throw new AdminPermanentError(`${operation}: the answer has no ${field} payload`, { operation, cost });
  }
  return payload;
}

export function readUserErrors(payload: { userErrors?: unknown }): AdminUserErrorDetail[] {
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

export function throwIfUserErrors(payload: { userErrors?: unknown }, operation: string, cost: AdminQueryCost | null): void {
  const userErrors = readUserErrors(payload);
  if (userErrors.length > 0) throw new AdminUserError(operation, userErrors, { cost });
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

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

const NETWORK_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"]);

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
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
  }
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** A value for an error message: JSON, cut at 300 characters. */
export function stringifyShort(value: unknown): string {
  let text: string;
  try {
    text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return truncate(text, 300);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
