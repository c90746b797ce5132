// Order webhooks answered per second and p50/p99 answer time, against the BUILT app (remix-serve),
// with signed requests, at 1, 10 and 50 concurrent senders: on SQLite, and on PostgreSQL when
// BENCH_POSTGRES_URL (or the local server) is reachable.
import { runLoad, signedOrderPaid, startApp, table, type LoadResult } from "./lib";

export async function benchWebhooks(options: { seconds: number; postgresUrl: string | null }): Promise<{ rows: Record<string, string | number>[]; results: Record<string, LoadResult[]> }> {
  const targets: [string, Record<string, string>][] = [["SQLite (1 process)", {}]];
  if (options.postgresUrl) targets.push(["PostgreSQL (1 process)", { TEST_POSTGRES_URL: options.postgresUrl }]);
  const rows: Record<string, string | number>[] = [];
  const results: Record<string, LoadResult[]> = {};
  for (const [label, env] of targets) {
    const previous = process.env.TEST_POSTGRES_URL;
    if (env.TEST_POSTGRES_URL) process.env.TEST_POSTGRES_URL = env.TEST_POSTGRES_URL;
    else delete process.env.TEST_POSTGRES_URL;
    const app = await startApp({ LOG_LEVEL: "error" });
    try {
      await runLoad(() => signedOrderPaid(app.url), 4, 2); // warm-up: JIT, connection pool, first shop row
      results[label] = [];
      for (const concurrency of [1, 10, 50]) {
        const r = await runLoad(() => signedOrderPaid(app.url), concurrency, options.seconds);
        results[label]!.push(r);
        rows.push({ database: label, senders: concurrency, requests: r.requests, errors: r.errors, "webhooks/s": r.perSecond, "p50 ms": r.p50, "p99 ms": r.p99 });
        console.log(`${label} x${concurrency}: ${r.perSecond.toFixed(0)}/s p50 ${r.p50.toFixed(1)} ms p99 ${r.p99.toFixed(1)} ms (${r.errors} errors)`);
      }
    } finally {
      await app.stop();
      if (previous) process.env.TEST_POSTGRES_URL = previous;
      else delete process.env.TEST_POSTGRES_URL;
    }
  }
  console.log("\n" + table(rows));
  return { rows, results };
}
