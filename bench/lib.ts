// Shared pieces of the benchmarks: starting the built app, signed webhook requests, percentiles.
import { Pool } from "undici";
import { startApp, type RunningApp } from "../tests/browser/support/app-server";
import { webhookHeaders } from "../tests/support/shopify-requests";
import { orderPayload } from "../tests/support/order-fixtures";

export { startApp, type RunningApp };

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

let seq = 0;
/** A signed orders/paid delivery for a fresh order of one of `customers` customers. */
export function signedOrderPaid(baseUrl: string, customers = 500): { url: string; init: RequestInit } {
  const n = ++seq;
  const body = JSON.stringify(orderPayload({ id: 10_000_000 + n + Math.floor(Math.random() * 1e9) * 10, customerId: 50_000 + (n % customers), lines: [{ id: n * 10 + 1, price: "60.00" }, { id: n * 10 + 2, price: "19.99", discount: "2.00" }], shipping: "5.00" }));
  return {
    url: `${baseUrl}/webhooks/orders/paid`,
    init: {
      method: "POST",
      body,
      headers: webhookHeaders("orders/paid", body, { webhookId: `bench-${process.pid}-${n}` }),
    },
  };
}

export interface LoadResult {
  concurrency: number;
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/**
 * `concurrency` senders, each sending one request after another, for `seconds`. Requests are built
 * and signed before the clock starts and sent over an undici connection pool (keep-alive, one
 * connection per sender), so the load generator takes as little as it can of the cores it shares
 * with the server.
 */
export async function runLoad(make: () => { url: string; init: RequestInit }, concurrency: number, seconds: number): Promise<LoadResult> {
  const prebuilt = Array.from({ length: Math.min(40_000, Math.ceil(seconds * 2_000)) }, make);
  const pools = new Map<string, Pool>(); // one per origin (several web processes)
  const poolFor = (origin: string) => pools.get(origin) ?? pools.set(origin, new Pool(origin, { connections: concurrency })).get(origin)!;
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const { url, init } = prebuilt[next++] ?? make();
        const target = new URL(url);
        const t0 = performance.now();
        try {
          const res = await poolFor(target.origin).request({ method: (init.method ?? "GET") as "GET", path: target.pathname + target.search, headers: init.headers as Record<string, string>, body: init.body as string | undefined });
          await res.body.dump();
          if (res.statusCode !== 200) errors += 1;
        } catch {
          errors += 1;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  await Promise.all([...pools.values()].map((p) => p.close()));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { concurrency, requests: latencies.length, errors, seconds: elapsed, perSecond: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

export function table(rows: Record<string, string | number>[]): string {
  if (rows.length === 0) return "";
  const cols = Object.keys(rows[0]!);
  const fmt = (v: string | number) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(1)) : v);
  return [`| ${cols.join(" | ")} |`, `| ${cols.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${cols.map((c) => fmt(r[c]!)).join(" | ")} |`)].join("\n");
}
