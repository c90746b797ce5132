// Errors thrown by the Admin GraphQL client (app/shopify/admin-client.server.ts) and the operation files.
//
// Every failure of a call to Shopify's Admin API reaches callers as exactly one of these classes,
// whichever client shape produced it (a returned Response, or an error thrown by
// @shopify/shopify-api / @shopify/shopify-app-remix). The one question a caller (the background
// worker) needs answered is `retryable`:
//
//   AdminGatewayError (abstract)
//   ├─ AdminTransientError  retryable: 5xx, network errors, timeouts, aborts, GraphQL INTERNAL_SERVER_ERROR
//   │  └─ AdminThrottledError  retryable: GraphQL THROTTLED (cost bucket empty) or HTTP 429, with a suggested wait
//   └─ AdminPermanentError  not retryable: invalid document, ACCESS_DENIED, other 4xx, unexpected answers
//      ├─ AdminAuthError       401/403: the shop's token is missing/revoked (app uninstalled, scopes changed)
//      ├─ AdminUserError       mutation `userErrors` (e.g. discount code TAKEN); see `isTaken`
//      └─ AdminInvalidInputError  the gateway refused to send a request built from invalid input

/** `extensions.cost.throttleStatus` of an Admin GraphQL answer. */
export interface AdminThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** `extensions.cost` of an Admin GraphQL answer (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits). */
export interface AdminQueryCost {
  requestedQueryCost: number;
  /** null when the request was throttled (nothing ran). */
  actualQueryCost: number | null;
  throttleStatus: AdminThrottleStatus;
}

/** One entry of a mutation payload's `userErrors`. */
export interface AdminUserErrorDetail {
  /** Shopify's error-code enum value (e.g. "TAKEN", "BLANK"), or null when the payload type has no code. */
  code: string | null;
  /** Path to the input field, e.g. ["basicCodeDiscount", "code"]; null when not tied to a field. */
  field: string[] | null;
  message: string;
}

/** A top-level GraphQL error as Shopify returns it. */
export interface AdminGraphqlErrorDetail {
  message: string;
  code: string | null;
  path?: ReadonlyArray<string | number>;
  extensions?: Record<string, unknown>;
}

interface BaseOptions {
  /** The GraphQL operation name of the failing call, when known. */
  operation?: string | undefined;
  /** HTTP status of the answer, when there was one. */
  status?: number | undefined;
  cost?: AdminQueryCost | null | undefined;
  cause?: unknown;
}

export abstract class AdminGatewayError extends Error {
  abstract readonly retryable: boolean;
  readonly operation: string | undefined;
  readonly status: number | undefined;
  /** Cost extension of the failing answer, when it carried one. */
  readonly cost: AdminQueryCost | null;

  constructor(message: string, options: BaseOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.operation = options.operation;
    this.status = options.status;
    this.cost = options.cost ?? null;
  }
}

export type AdminTransientReason = "http_5xx" | "http_429" | "throttled" | "network" | "timeout" | "aborted" | "graphql_internal" | "bad_response";

export class AdminTransientError extends AdminGatewayError {
  readonly retryable = true as const;
  readonly reason: AdminTransientReason;
  /**
   * Suggested wait before retrying, in ms, when the answer said something about it (Retry-After, cost
   * bucket). Undefined means "use your own backoff".
   */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: BaseOptions & { reason: AdminTransientReason; retryAfterMs?: number | undefined }) {
    super(message, options);
    this.reason = options.reason;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export class AdminThrottledError extends AdminTransientError {
  declare readonly retryAfterMs: number;

  constructor(message: string, options: BaseOptions & { retryAfterMs: number; reason?: "throttled" | "http_429" }) {
    super(message, { ...options, reason: options.reason ?? "throttled" });
  }
}

export class AdminPermanentError extends AdminGatewayError {
  readonly retryable = false as const;
  /** GraphQL `extensions.code` of the first top-level error (e.g. "ACCESS_DENIED"), when there was one. */
  readonly code: string | null;
  readonly graphqlErrors: readonly AdminGraphqlErrorDetail[];

  constructor(message: string, options: BaseOptions & { code?: string | null; graphqlErrors?: readonly AdminGraphqlErrorDetail[] } = {}) {
    super(message, options);
    this.code = options.code ?? null;
    this.graphqlErrors = options.graphqlErrors ?? [];
  }
}

/** 401/403 from the Admin API: the offline token is invalid or lacks access. Re-auth, do not retry. */
export class AdminAuthError extends AdminPermanentError {}

/** The gateway refused to build a request from the given input (a caller bug; nothing was sent). */
export class AdminInvalidInputError extends AdminPermanentError {}

/** A mutation answered with `userErrors`. Nothing was changed by that mutation. */
export class AdminUserError extends AdminPermanentError {
  readonly userErrors: readonly AdminUserErrorDetail[];

  constructor(operation: string, userErrors: readonly AdminUserErrorDetail[], options: BaseOptions = {}) {
    const summary = userErrors.map((e) => `${e.code ?? "ERROR"}${e.field ? ` [${e.field.join(".")}]` : ""}: ${e.message}`).join("; ");
    super(`${operation} returned userErrors: ${summary}`, {
      ...options,
      operation,
      code: userErrors[0]?.code ?? null,
    });
    this.userErrors = userErrors;
  }

  /** Field path of the first user error. */
  get field(): string[] | null {
    return this.userErrors[0]?.field ?? null;
  }

  /** Message of the first user error. */
  get userMessage(): string {
    return this.userErrors[0]?.message ?? this.message;
  }

  /**
   * True when Shopify refused the mutation because a unique value (a discount code, a metafield
   * definition key) already exists. For discount creation this usually means an earlier attempt
   * whose answer was lost did succeed: look the code up instead of creating another one.
   */
  get isTaken(): boolean {
    return this.userErrors.some((e) => e.code === "TAKEN");
  }
}

export function isRetryableAdminError(error: unknown): boolean {
  return error instanceof AdminGatewayError && error.retryable;
}
