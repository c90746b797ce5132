// `npm run bench`: every benchmark, results printed and written to bench-results/latest.md.
// BENCH_SECONDS (default 10) sets each load step's length; BENCH_POSTGRES_URL (default the local
// server, skipped if unreachable) adds the PostgreSQL rows; BENCH_ONLY=webhooks runs one part.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { LOCAL_POSTGRES_URL, postgresReachable } from "../dev/harness/database";
import { benchWebhooks } from "./webhooks";
import { benchProxy, extensionAssetSizes } from "./storefront";
import { benchAdmin } from "./admin";
import { table } from "./lib";

const root = path.resolve(import.meta.dirname, "..");
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const only = process.env.BENCH_ONLY;


const sections: string[] = [`# Benchmarks\n\nRun ${new Date().toISOString()} on ${process.platform}/${process.arch}, Node ${process.version}, ${(await import("node:os")).cpus().length} cores; ${seconds} s per step.\n`];
const pgUrl = process.env.BENCH_POSTGRES_URL ?? LOCAL_POSTGRES_URL;
const postgresUrl = (await postgresReachable(pgUrl)) ? pgUrl : null;
if (!postgresUrl) console.warn(`PostgreSQL at ${pgUrl} not reachable: SQLite only`);

if (!only || only === "webhooks") {
  const { rows, ratios, bytes, cpu } = await benchWebhooks({ seconds, postgresUrl });
  sections.push(
    `## Order webhooks (signed orders/paid against the built app)\n\n` +
      `"senders" N: a closed loop, N senders each waiting for its answer. "1000/s offered": an open loop at a fixed rate, as Shopify sends; ` +
      `latency from each request's scheduled departure (docs/decisions/010). Target (issue #3): >= 1,000/s sustained with p99 < 50 ms on SQLite. ` +
      `"applied/s" and "visible": from stored delivery to points in the ledger.\n\n${table(rows)}\n`,
  );
  if (ratios.length) sections.push(`## Filtered ÷ full payload, same run (BENCH_PAYLOAD=paired)\n\n${table(ratios)}\n`);
  if (bytes.length) sections.push(`## Inbox bytes per delivery\n\n${table(bytes)}\n`);
  if (cpu.length) sections.push(`## CPU per delivery, one process, sequential (bench/route-cpu.ts)\n\n${table(cpu)}\n`);
}

if (!only || only === "storefront") {
  const sizes = extensionAssetSizes();
  console.log("\n" + table(sizes));
  const proxy = await benchProxy(seconds);
  sections.push(`## Storefront\n\nTheme extension assets (target: launcher JS <= 6 KB gzip):\n\n${table(sizes)}\n\nApp proxy (target p99 < 20 ms):\n\n${table(proxy)}\n`);
}

if (!only || only === "admin") {
  const { rows, note } = await benchAdmin();
  sections.push(`## Admin pages (target LCP < 1 s)\n\n${note}\n\n${table(rows)}\n`);
}

mkdirSync(path.join(root, "bench-results"), { recursive: true });
// A partial run (BENCH_ONLY) gets its own file, so it does not replace the full results.
const file = only ? `bench-results/${only}${process.env.BENCH_PAYLOAD ? `-${process.env.BENCH_PAYLOAD}` : ""}.md` : "bench-results/latest.md";
writeFileSync(path.join(root, file), sections.join("\n"));
console.log(`\nwritten to ${file}`);
