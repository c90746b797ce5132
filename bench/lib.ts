// Shared pieces of the benchmarks: starting the built app, signed webhook requests, percentiles, the
// results pages.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { Pool } from "undici";
import { startApp, type RunningApp } from "../dev/harness/app-server";
import { webhookHeaders } from "../dev/shopify-requests";
import { orderPayload } from "../dev/payloads/order-fixtures";

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
  const body = JSON.stringify(
    orderPayload({
      id: 10_000_000 + n + Math.floor(Math.random() * 1e9) * 10,
      customerId: 50_000 + (n % customers),
      lines: [
        { id: n * 10 + 1, price: "60.00" },
        { id: n * 10 + 2, price: "19.99", discount: "2.00" },
      ],
      shipping: "5.00",
    }),
  );
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
          const res = await poolFor(target.origin).request({
            method: (init.method ?? "GET") as "GET",
            path: target.pathname + target.search,
            headers: init.headers as Record<string, string>,
            body: init.body as string | undefined,
          });
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

function rawRequestBytes(url: string, init: RequestInit): Buffer {
  const target = new URL(url);
  const body = Buffer.from((init.body as string | undefined) ?? "");
  const headers = Object.entries((init.headers as Record<string, string>) ?? {})
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  return Buffer.concat([Buffer.from(`${init.method ?? "GET"} ${target.pathname}${target.search} HTTP/1.1\r\nhost: ${target.host}\r\n${headers}content-length: ${body.length}\r\n\r\n`, "latin1"), body]);
}

/**
 * Open loop, as Shopify sends: requests leave at `rate` per second on a fixed schedule whatever the
 * answers do, over up to `connections` keep-alive connections per origin (a request waits in the
 * client when all are busy). Each latency runs from the request's SCHEDULED departure to its answer,
 * so a server that falls behind shows it in p99 instead of slowing the sender down (no coordinated
 * omission). This is the measure of "N/s sustained with p99 < X": a closed loop of 50 senders cannot
 * have a p99 below 50 / throughput, whatever the server. The sender runs on its own thread
 * (bench/rate-sender.mjs). BENCH_TRACE=1 prints the slowest answer of every 250 ms.
 */
export async function runRate(make: () => { url: string; init: RequestInit }, rate: number, seconds: number, connections = 64): Promise<LoadResult & { offered: number }> {
  const requests = Array.from({ length: Math.round(rate * seconds) }, () => {
    const { url, init } = make();
    const target = new URL(url);
    return { port: Number(target.port || 80), host: target.hostname, bytes: rawRequestBytes(url, init) };
  });
  const sender = new Worker(new URL("./rate-sender.mjs", import.meta.url), { workerData: { rate, connections, requests } });
  const result = await new Promise<{ latencies: Float64Array; scheduledAt: Float64Array; errors: number; seconds: number; lagBySlot: number[] }>((resolve, reject) => {
    sender.once("message", resolve);
    sender.once("error", reject);
  });
  await sender.terminate();
  if (process.env.BENCH_TRACE) {
    const worst = new Map<number, number>();
    result.latencies.forEach((ms, i) => {
      const slot = Math.floor(result.scheduledAt[i]! / 250);
      worst.set(slot, Math.max(worst.get(slot) ?? 0, ms));
    });
    // The sender's own pauses: a large one would be the bench's latency, not the app's.
    console.log("sender loop gap per 250 ms:", result.lagBySlot.map((ms, slot) => `${slot * 250}:${ms.toFixed(0)}`).join(" "));
    console.log("slowest answer per 250 ms:", [...worst].map(([slot, ms]) => `${slot * 250}:${ms.toFixed(0)}`).join(" "));
  }
  const latencies = Array.from(result.latencies).sort((a, b) => a - b);
  return {
    offered: rate,
    concurrency: connections,
    requests: latencies.length,
    errors: result.errors,
    seconds: result.seconds,
    perSecond: latencies.length / result.seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

export function table(rows: Record<string, string | number>[]): string {
  if (rows.length === 0) return "";
  const cols = Object.keys(rows[0]!);
  const fmt = (v: string | number) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(1)) : v);
  return [`| ${cols.join(" | ")} |`, `| ${cols.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${cols.map((c) => fmt(r[c]!)).join(" | ")} |`)].join("\n");
}

const root = path.resolve(import.meta.dirname, "..");

/** The checkout's commit, marked when files outside bench-results/ differ from it (the figures are then of uncommitted code). */
function commitOfCheckout(): string {
  try {
    const git = (...args: string[]) => execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const changed = git("status", "--porcelain", "--", ".", ":!bench-results");
    return `${git("rev-parse", "--short", "HEAD")}${changed ? " plus uncommitted changes" : ""}`;
  } catch {
    return "unknown (not a git checkout)";
  }
}

/**
 * The first lines of a generated results section: when, at which commit, on what machine, and the
 * command that reruns it (the BENCH_* variables this run had and `variables`, then `script`, after a
 * build unless `script` builds itself).
 */
export function runHeader(script: string, options: { detail?: string; buildsItself?: boolean; variables?: Record<string, string> } = {}): string {
  const { detail } = options;
  const variables = Object.entries({ ...process.env, ...options.variables })
    .filter(([name]) => name.startsWith("BENCH_"))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${name}=${value}`);
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
  return [
    `Run ${new Date().toISOString()} at commit ${commitOfCheckout()}, on ${process.platform}/${process.arch}, ${os.cpus().length} cores, Node ${process.version}, load average ${load} at the end${detail ? `; ${detail}` : ""}.`,
    "",
    "```bash",
    `${options.buildsItself ? "" : "npm run build && "}${[...variables, script].join(" ")}`,
    "```",
  ].join("\n");
}

const BEGIN = "<!-- generated by the bench: a rerun replaces everything from here to the end marker -->";
const END = "<!-- end of generated section -->";

/**
 * Writes a run's results into `bench-results/<page>`: between the page's markers when it has them,
 * keeping what was written around them (the page's title and its reading of the figures); otherwise
 * as a new page, or appended to a page without markers. Returns the path written.
 */
export function writeResultsPage(page: string, title: string, generated: string): string {
  const file = path.join(root, "bench-results", page);
  const block = `${BEGIN}\n\n${generated.trim()}\n\n${END}`;
  const previous = existsSync(file) ? readFileSync(file, "utf8") : null;
  const from = previous?.indexOf(BEGIN) ?? -1;
  const to = previous?.indexOf(END) ?? -1;
  const text = previous === null ? `# ${title}\n\n${block}\n` : from >= 0 && to > from ? previous.slice(0, from) + block + previous.slice(to + END.length) : `${previous.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, text);
  return path.relative(root, file);
}
