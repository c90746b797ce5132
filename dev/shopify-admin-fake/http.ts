// The fake's HTTP edge, as Shopify's: every request is logged, injected faults come first, then the
// token endpoint (shopify-oauth-fake) or the GraphQL endpoint of the served version, https only, POST
// only, a valid access token for a known shop, a JSON body with a query; then graphql.ts runs it.
import type { OAuthFake } from "../shopify-oauth-fake";
import { httpStatusText, type Faults } from "./faults";
import type { GraphqlAnswer, GraphqlExecutor } from "./graphql";
import { asRecord } from "./resolvers/support";
import type { FakeStore } from "./store";
import type { FakeRequestOutcome, FakeRequestRecord } from "./types";

const INVALID_TOKEN_BODY = { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" };

/** Records the answer on the request log and sends it as JSON. */
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

function respondWith(record: FakeRequestRecord, answer: GraphqlAnswer): Response {
  return respond(record, answer.status, answer.body, answer.outcome, answer.headers);
}

export function createHttpHandler(options: {
  store: FakeStore;
  oauth: OAuthFake;
  faults: Faults;
  /** The request log every request is appended to. */
  requests: FakeRequestRecord[];
  runGraphql: GraphqlExecutor;
}): (input: RequestInfo | URL, init?: RequestInit) => Promise<Response> {
  const { store, oauth, faults, requests, runGraphql } = options;
  const { apiVersion, now, shops } = store;
  let seq = 0;

  return async function handle(input, init) {
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
    if (faults.takeTimeout()) {
      record.outcome = "injected_timeout";
      return faults.hang(record, signal);
    }
    const failure = faults.takeFailure();
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

    return respondWith(record, await runGraphql(record, shop, query, variables, operationName));
  };
}
