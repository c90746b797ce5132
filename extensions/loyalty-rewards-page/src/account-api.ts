// The app backend as the customer-account extensions call it (this page, and the profile block, which
// imports this file). Every call carries a fresh session token from `shopify.sessionToken.get()` as a
// bearer token; the backend takes the customer from its `sub` and nothing else.
// https://shopify.dev/docs/api/customer-account-ui-extensions/latest/target-apis/platform-apis/session-token-api
import type { AccountSummary } from "../../../app/extension-api/account.server";

export type { AccountSummary };
export type ActiveCode = AccountSummary["activeCodes"][number];
export type Reward = AccountSummary["rewards"][number];
export type HistoryEntry = AccountSummary["history"][number];

export interface SessionTokenSource {
  sessionToken: { get(): Promise<string> };
}

export type RedeemAnswer = { ok: true; code: { code: string; status: string; endsAt: string }; summary: AccountSummary } | { ok: false; status: number; reason: string; message: string; retryAfterSeconds: number | null };

/**
 * The app's URL, fixed when the extension is bundled: Shopify's CLI replaces `process.env.X` with the
 * value it has (APP_URL is the app's URL under `shopify app dev`; SHOPIFY_APP_URL comes from the
 * environment or the app's .env, e.g. for `shopify app deploy`). Not replaced, `process` does not
 * exist in the extension's sandbox: then "" and requests go to the page's own origin (the local host).
 */
function appUrl(): string {
  try {
    return (process.env.APP_URL || process.env.SHOPIFY_APP_URL || "").replace(/\/$/, "");
  } catch {
    return "";
  }
}

export class AccountApiError extends Error {
  constructor(readonly status: number) {
    super(`the app answered ${status}`);
  }
}

async function call(api: SessionTokenSource, path: string, init: RequestInit = {}): Promise<Response> {
  const token = await api.sessionToken.get();
  const headers = new Headers(init.headers);
  headers.set("Authorization", `Bearer ${token}`);
  return fetch(`${appUrl()}${path}`, { ...init, headers });
}

export async function fetchAccount(api: SessionTokenSource): Promise<AccountSummary> {
  const res = await call(api, "/extension-api/account");
  if (!res.ok) throw new AccountApiError(res.status);
  return (await res.json()) as AccountSummary;
}

/** A new id per click: the same cached token may carry several redemptions; a replayed request is refused. */
function newRequestId(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export async function redeem(api: SessionTokenSource, rewardId: string): Promise<RedeemAnswer> {
  let res: Response;
  try {
    res = await call(api, "/extension-api/account/redeem", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ rewardId, requestId: newRequestId() }) });
  } catch {
    return { ok: false, status: 0, reason: "network", message: "", retryAfterSeconds: null };
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.ok && body.ok === true) return body as RedeemAnswer;
  const retryAfter = Number(res.headers.get("Retry-After"));
  return {
    ok: false,
    status: res.status,
    reason: typeof body.reason === "string" ? body.reason : "error",
    message: typeof body.message === "string" ? body.message : "",
    retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
  };
}
