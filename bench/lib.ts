// Shared pieces of the benchmarks: starting the built app, signed webhook requests, percentiles.
import net from "node:net";
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

/**
 * A lean HTTP/1.1 keep-alive connection for the open-loop runner: the request bytes are written as
 * they are and the answer is read up to its Content-Length (the webhook endpoints always send one),
 * so the load generator takes a few tens of µs of the cores it shares with the server per request
 * instead of undici's ~100 µs. One request at a time per connection, as Shopify sends.
 */
class RawConnection {
  private socket: net.Socket;
  private buffer: Buffer = Buffer.alloc(0);
  private pending: { resolve: (status: number) => void; reject: (error: Error) => void } | null = null;
  busy = false;
  constructor(target: URL) {
    this.socket = net.connect(Number(target.port || 80), target.hostname);
    this.socket.setNoDelay(true);
    this.socket.on("data", (chunk: Buffer) => this.onData(chunk));
    this.socket.on("error", (error) => this.fail(error));
    this.socket.on("close", () => this.fail(new Error("connection closed")));
  }
  request(bytes: Buffer): Promise<number> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(bytes);
    });
  }
  private onData(chunk: Buffer) {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const headerEnd = this.buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0) return;
    const head = this.buffer.toString("latin1", 0, headerEnd);
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    if (this.buffer.length < headerEnd + 4 + length) return;
    this.buffer = this.buffer.subarray(headerEnd + 4 + length);
    const done = this.pending;
    this.pending = null;
    this.busy = false;
    done?.resolve(Number(head.slice(9, 12)));
  }
  private fail(error: Error) {
    const done = this.pending;
    this.pending = null;
    this.busy = false;
    done?.reject(error);
  }
  close() {
    this.socket.destroy();
  }
}

function rawRequestBytes(url: string, init: RequestInit): Buffer {
  const target = new URL(url);
  const body = Buffer.from((init.body as string | undefined) ?? "");
  const headers = Object.entries((init.headers as Record<string, string>) ?? {}).map(([k, v]) => `${k}: ${v}\r\n`).join("");
  return Buffer.concat([Buffer.from(`${init.method ?? "GET"} ${target.pathname}${target.search} HTTP/1.1\r\nhost: ${target.host}\r\n${headers}content-length: ${body.length}\r\n\r\n`, "latin1"), body]);
}

/**
 * Open loop, as Shopify sends: requests leave at `rate` per second on a fixed schedule whatever the
 * answers do, over up to `connections` keep-alive connections (a request waits in the client when all
 * are busy). Each latency runs from the request's SCHEDULED departure to its answer, so a server that
 * falls behind shows it in p99 instead of slowing the sender down (no coordinated omission). This is
 * the measure of "N/s sustained with p99 < X": a closed loop of 50 senders cannot have a p99 below
 * 50 / throughput, whatever the server.
 */
export async function runRate(make: () => { url: string; init: RequestInit }, rate: number, seconds: number, connections = 64): Promise<LoadResult & { offered: number }> {
  const total = Math.round(rate * seconds);
  const prebuilt = Array.from({ length: total }, () => {
    const { url, init } = make();
    return { origin: new URL(url).origin, bytes: rawRequestBytes(url, init) };
  });
  const pools = new Map<string, RawConnection[]>();
  const waiting = new Map<string, (() => void)[]>();
  const acquire = async (origin: string): Promise<RawConnection> => {
    const pool = pools.get(origin) ?? pools.set(origin, []).get(origin)!;
    const idle = pool.find((c) => !c.busy);
    if (idle) {
      idle.busy = true; // taken now: the request is written a microtask later
      return idle;
    }
    if (pool.length < connections) {
      const connection = new RawConnection(new URL(origin));
      connection.busy = true;
      pool.push(connection);
      return connection;
    }
    await new Promise<void>((resolve) => (waiting.get(origin) ?? waiting.set(origin, []).get(origin)!).push(resolve));
    return acquire(origin);
  };
  const release = (origin: string) => waiting.get(origin)?.shift()?.();
  const latencies: number[] = [];
  let errors = 0;
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  const send = async (i: number) => {
    const scheduled = started + (i * 1000) / rate;
    const { origin, bytes } = prebuilt[i]!;
    const connection = await acquire(origin);
    try {
      if ((await connection.request(bytes)) !== 200) errors += 1;
    } catch {
      errors += 1;
      const pool = pools.get(origin)!;
      pool.splice(pool.indexOf(connection), 1); // a broken connection is replaced on the next acquire
    }
    release(origin);
    latencies.push(performance.now() - scheduled);
    if (trace) trace.push([scheduled - started, performance.now() - scheduled]);
  };
  const trace: [number, number][] | null = process.env.BENCH_TRACE ? [] : null; // when the slow answers happened
  for (let i = 0; i < total; ) {
    const due = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
    for (; i < due; i++) inFlight.push(send(i));
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(inFlight);
  for (const pool of pools.values()) pool.forEach((c) => c.close());
  if (trace) {
    const worst = new Map<number, number>();
    for (const [at, ms] of trace) worst.set(Math.floor(at / 250), Math.max(worst.get(Math.floor(at / 250)) ?? 0, ms));
    console.log("slowest answer per 250 ms:", [...worst].map(([slot, ms]) => `${slot * 250}:${ms.toFixed(0)}`).join(" "));
  }
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { offered: rate, concurrency: connections, requests: latencies.length, errors, seconds: elapsed, perSecond: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

export function table(rows: Record<string, string | number>[]): string {
  if (rows.length === 0) return "";
  const cols = Object.keys(rows[0]!);
  const fmt = (v: string | number) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(1)) : v);
  return [`| ${cols.join(" | ")} |`, `| ${cols.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${cols.map((c) => fmt(r[c]!)).join(" | ")} |`)].join("\n");
}
