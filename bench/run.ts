// `npm run bench`: the webhook, storefront and admin benchmarks, each written to its page in
// bench-results/ (bench-results/README.md is the index). BENCH_ONLY=webhooks|storefront|admin runs
// one part (flow: Shopify Flow trigger throughput, bench/flow.ts; extensions: the UI extensions' bundles and the thank-you endpoint); BENCH_SECONDS (default 10) sets each load step's length; BENCH_POSTGRES_URL (default the
// local server, skipped if unreachable) adds the PostgreSQL rows. A page's generated section is
// replaced, the text around it (its reading of the figures) is kept: reread it after a rerun.
import { LOCAL_POSTGRES_URL, postgresReachable } from "../dev/harness/database";
import { benchWebhooks } from "./webhooks";
import { benchProxy, extensionAssetSizes } from "./storefront";
import { benchAdmin } from "./admin";
import { benchFlow } from "./flow";
import { benchThankYou, extensionBundleSizes } from "./extensions";
import { runHeader, table, writeResultsPage } from "./lib";

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const only = process.env.BENCH_ONLY;
if (only && !["webhooks", "storefront", "admin", "flow", "extensions"].includes(only)) throw new Error(`BENCH_ONLY=${only}: expected webhooks, storefront, admin, flow or extensions`);
const written: string[] = [];

if (!only || only === "webhooks") {
  const pgUrl = process.env.BENCH_POSTGRES_URL ?? LOCAL_POSTGRES_URL;
  const postgresUrl = (await postgresReachable(pgUrl)) ? pgUrl : null;
  if (!postgresUrl) console.warn(`PostgreSQL at ${pgUrl} not reachable: SQLite only`);
  const { rows, references, beside, ratios, bytes, cpu } = await benchWebhooks({ seconds, postgresUrl });
  const sections = [
    runHeader("npm run bench", { detail: `${seconds} s per step`, variables: { BENCH_ONLY: "webhooks" } }),
    `## The app: signed orders/paid against the built app\n\n` +
      `"senders" N: a closed loop, N senders each waiting for its answer. "1000/s offered": an open loop at a fixed rate, as Shopify sends; ` +
      `latency from each request's scheduled departure (docs/decisions/010). Target (issue #3): >= 1,000/s sustained with p99 < 50 ms on SQLite. ` +
      `"applied/s" and "visible": from stored delivery to points in the ledger.\n\n${table(rows)}`,
  ];
  if (references.length) {
    sections.push(
      `## Reference lines, same run\n\n` +
        `"stack ceiling": the production server (server.mjs) answering each delivery at once, with no HMAC check, parsing or storage (bench/reference/ceiling-build.mjs). ` +
        `"template style": what Shopify's app template leads to, authenticate.webhook and Prisma writes inside the request, through express and Remix, on the same database as the app configuration it runs beside (bench/reference/template-webhook.ts); ` +
        `its points are visible when it answers, so it has no applied/visible columns. Each step ran against the app, the ceiling and the template back to back ("beside": the app configuration of that pass).\n\n${table(references)}`,
      `## The app beside its references\n\nEach app step against the ceiling's and the template's runs of the same step, measured next to it. Above 1 is better for answered/s ratios, below 1 for p99 ratios.\n\n${table(beside)}`,
    );
  }
  if (ratios.length) sections.push(`## Filtered ÷ full payload, same run (BENCH_PAYLOAD=paired)\n\n${table(ratios)}`);
  if (bytes.length) sections.push(`## Inbox bytes per delivery\n\n${table(bytes)}`);
  if (cpu.length) sections.push(`## CPU per delivery, one process, sequential (bench/route-cpu.ts)\n\n${table(cpu)}`);
  // BENCH_PAYLOAD=paired is the include_fields comparison (docs/decisions/015); a single shape is an ad hoc run.
  const payload = process.env.BENCH_PAYLOAD;
  const page = !payload ? "webhooks.md" : payload === "paired" ? "include-fields.md" : `webhooks-${payload}.md`;
  written.push(writeResultsPage(page, "Order webhooks", sections.join("\n\n")));
}

if (!only || only === "storefront") {
  const sizes = extensionAssetSizes();
  console.log("\n" + table(sizes));
  const proxy = await benchProxy(seconds);
  const generated = [
    runHeader("npm run bench", { detail: `${seconds} s per step`, variables: { BENCH_ONLY: "storefront" } }),
    `## Theme extension assets (target: launcher JS <= 6 KB gzip)\n\n${table(sizes)}`,
    `## App proxy (target p99 < 20 ms)\n\n${table(proxy.http)}`,
    `## Shopper summary in one process (bench/summary-cpu.ts): the balance answer's queries, and its active-codes query alone\n\n${table(proxy.summary)}`,
  ];
  written.push(writeResultsPage("storefront.md", "Storefront", generated.join("\n\n")));
}

if (only === "flow") {
  // Not in the default run: it waits out the standard bucket (about 90 s for 1,000 events).
  const rows = await benchFlow();
  const generated = [
    runHeader("npm run bench", { detail: `${process.env.BENCH_FLOW_EVENTS ?? 1000} events per bucket`, variables: { BENCH_ONLY: "flow" } }),
    `## Trigger throughput under the Admin fake's rate limit\n\n${table(rows)}`,
  ];
  written.push(writeResultsPage("flow.md", "Shopify Flow triggers", generated.join("\n\n")));
}

if (!only || only === "admin") {
  const { rows, note } = await benchAdmin();
  const generated = [runHeader("npm run bench", { variables: { BENCH_ONLY: "admin" } }), `## Admin pages (target LCP < 1 s)\n\n${note}\n\n${table(rows)}`];
  written.push(writeResultsPage("admin.md", "Admin pages", generated.join("\n\n")));
}

if (!only || only === "extensions") {
  const sizes = extensionBundleSizes();
  console.log("\n" + table(sizes));
  const thankYou = await benchThankYou(seconds);
  const generated = [
    runHeader("npm run bench", { detail: `${seconds} s per step`, variables: { BENCH_ONLY: "extensions" } }),
    `## UI extension bundles (Shopify's limit: 64 KB compressed)\n\nThe bundles \`shopify app build\` wrote (extensions/<handle>/dist/), gzip -9; inputs from the esbuild metafile beside them.\n\n${table(sizes)}`,
    `## Thank-you endpoint (target p99 < 50 ms)\n\n"applied": an order the app has, asked by its customer (order row, its entries, the first-order job, the welcome code, the shopper summary). ` +
      `"preview": an order not applied yet (the earning plan on the checkout's figures, and the summary). Session tokens signed as Shopify signs them; 200 customers with 5 orders each.\n\n${table(thankYou)}`,
  ];
  written.push(writeResultsPage("extensions.md", "UI extensions", generated.join("\n\n")));
}

console.log(`\nwritten to ${written.join(", ")}`);
