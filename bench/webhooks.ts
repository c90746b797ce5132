// Order webhooks (issue #3): signed orders/paid against the BUILT app at 1, 10 and 50 concurrent
// senders (closed loop: each sender waits for its answer) and at a fixed 1,000/s (open loop, as
// Shopify sends: docs/decisions/010), one process with its in-process worker (the embedded default), on SQLite and (when
// reachable) PostgreSQL, plus SQLite with the worker in its own process (`npm run worker`, the second
// core), with the Admin API fake behind the worker. Two figures per step: how fast
// Shopify gets its answer (the route stores the delivery: docs/decisions/007) and how fast points
// become visible (the applier). Same machinery as `npm run bench:load` (bench/load.ts).
import { runConfig as runLoadConfig, type Config } from "./load";
import { table } from "./lib";

export async function benchWebhooks(options: { seconds: number; postgresUrl: string | null }): Promise<{ rows: Record<string, string | number>[] }> {
  const rows: Record<string, string | number>[] = [];
  // BENCH_WEBHOOK_CONFIGS=sqlite-1x1,... picks configurations (all by default).
  const wanted = process.env.BENCH_WEBHOOK_CONFIGS?.split(",");
  const runConfig = (config: Config, postgresUrl: string | null, steps: Parameters<typeof runLoadConfig>[2]) =>
    !wanted || wanted.includes(config.name) ? runLoadConfig(config, postgresUrl, steps) : Promise.resolve([]);
  rows.push(...(await runConfig({ name: "sqlite-1x0", database: "sqlite", web: 1, workers: 0 }, null, { senders: [1, 10, 50], rates: [1000], ordersPaidOnly: true, seconds: options.seconds })));
  rows.push(...(await runConfig({ name: "sqlite-1x1", database: "sqlite", web: 1, workers: 1 }, null, { senders: [1, 10, 50], rates: [1000], ordersPaidOnly: true, seconds: options.seconds })));
  if (options.postgresUrl) rows.push(...(await runConfig({ name: "pg-1x0", database: "postgresql", web: 1, workers: 0 }, options.postgresUrl, { senders: [1, 10, 50], rates: [1000], ordersPaidOnly: true, seconds: options.seconds })));
  console.log("\n" + table(rows));
  return { rows };
}
