// Asking the app what an order earns, shared by the thank-you and order-status blocks. The token comes
// from shopify.sessionToken.get() on every request (Shopify caches it and renews it before it expires:
// https://shopify.dev/docs/api/checkout-ui-extensions/latest/target-apis/platform-apis/session-token-api).
// Until the answer is settled (the webhook applied, the welcome code created), it asks again with
// backoff, a bounded number of times. No shopify global here: both surfaces pass what differs.
import type { OrderEarnings } from "../../app/extension-api/order-earnings-contract";

export type { OrderEarnings };

/** Waits before each re-ask: about 45 s in all, long enough for orders/paid and the welcome jobs. */
export const RETRY_DELAYS_MS = [1_500, 3_000, 6_000, 12_000, 24_000];

export type EarningsState =
  | { kind: "loading" }
  | { kind: "answer"; earnings: OrderEarnings; final: boolean }
  /** The app does not know this order for this customer, or could not be reached: show nothing. */
  | { kind: "none" };

export interface EarningsRequest {
  /** The app's URL (process.env.APP_URL, set by Shopify's CLI when it bundles the extension). */
  appUrl: string;
  path: "/extension-api/thank-you" | "/extension-api/order-status";
  token: () => Promise<string>;
  /** POST body (thank-you) or query (order-status). */
  body?: unknown;
  query?: Record<string, string>;
}

async function askOnce(request: EarningsRequest): Promise<{ status: number; earnings?: OrderEarnings }> {
  const url = new URL(request.path, request.appUrl);
  for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value);
  const headers: Record<string, string> = { Authorization: `Bearer ${await request.token()}` };
  if (request.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(url.toString(), { method: request.body === undefined ? "GET" : "POST", headers, body: request.body === undefined ? undefined : JSON.stringify(request.body) });
  if (!response.ok) return { status: response.status };
  return { status: response.status, earnings: (await response.json()) as OrderEarnings };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `onState` with each answer until one is settled or the retries run out. A 404 (unknown order)
 * is asked again too: on the order-status page right after checkout the webhook may still be on its
 * way. 401/403 and 4xx input errors stop at once. Returns a function that stops asking.
 */
export function followEarnings(request: EarningsRequest, onState: (state: EarningsState) => void, delays = RETRY_DELAYS_MS): () => void {
  let stopped = false;
  let last: OrderEarnings | undefined;
  void (async () => {
    for (let attempt = 0; attempt <= delays.length && !stopped; attempt++) {
      if (attempt > 0) await wait(delays[attempt - 1]!);
      if (stopped) return;
      let result: { status: number; earnings?: OrderEarnings };
      try {
        result = await askOnce(request);
      } catch {
        result = { status: 0 }; // network error: ask again
      }
      if (stopped) return;
      const finalAttempt = attempt === delays.length;
      if (result.earnings) {
        last = result.earnings;
        const settled = result.earnings.settled;
        onState({ kind: "answer", earnings: result.earnings, final: settled || finalAttempt });
        if (settled) return;
        continue;
      }
      const retryable = result.status === 0 || result.status === 404 || result.status === 429 || result.status >= 500;
      if (!retryable || finalAttempt) {
        onState(last ? { kind: "answer", earnings: last, final: true } : { kind: "none" });
        return;
      }
    }
  })();
  return () => {
    stopped = true;
  };
}
