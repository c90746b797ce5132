// `npm run demo` runs this (after scripts/demo.mjs prepared .env, the database and the build): ONE Node
// process serving the BUILT app exactly as production does (build/server/index.js through
// @remix-run/express + express, like server.mjs), with the demo layer in front of it:
//
//   /demo/admin        a simplified Shopify admin with the app embedded (iframe, session tokens)
//   /demo/orders       the order simulator (signed webhooks to the app)
//   /demo/store        a storefront with the theme app extension; /apps/loyalty/* -> the app's
//                      /proxy/* signed like Shopify's app proxy; /discount/CODE, /cart, checkout
//   /demo/app-bridge.js, /demo/session-token, /demo/cdn/*   stand-ins for Shopify's CDN and admin
//
// Those routes are one table (demo/routes/index.ts, handlers beside it); this file starts everything.
// What stands in for Shopify lives here and in dev/: the Admin API fake is installed in
// @shopify/shopify-api's fetch seam (after the build is imported), the demo shop's offline session is
// stored in the app's Session table. The app's code paths are the production ones; nothing in app/
// knows about the demo.
import { existsSync, statSync, unwatchFile, watchFile } from "node:fs";
import { createRequire } from "node:module";
import type http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { installGlobals } from "@remix-run/node";
import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { createPrismaClient, type Db } from "../app/platform/db.server";
import { databaseTarget } from "../app/platform/db-target";
import { APP_NAME, DEMO_ACCESS_TOKEN, DEMO_SHOP, ROOT, apiKey, apiSecret, demoBaseUrl, demoPort, loadDemoEnv } from "./config";
import { appResponseRewrites } from "./app-rewrites";
import { send } from "./http";
import { esc } from "./pages/html";
import { demoLayer } from "./routes";
import { appFrameSrc } from "./routes/admin";
import { DeliveryLog } from "./routes/context";
import { DemoShopify } from "./shopify/shop";
import { stateFileFor } from "./shopify/state-file";
import { seedHistory, seedProgram, waitForJobs, type SeedSummary } from "./seed";
import { turnOnFlowWorkflows } from "./flow";
import { installClock, runAt, setClock, uninstallClock } from "./clock";
import { get, readDeliveryOutcomesFrom } from "./webhooks";
import { ensureExtensionBundles } from "../dev/ui-extension-host/build";

/** A merchant's browser (Shopify's library turns bots away from the admin). */
const BROWSER_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

const startedAt = performance.now();

// ------------------------------------------------------------------------------------------------
// Environment: .env (written by scripts/demo.mjs), demo defaults, and the demo's own URL.

process.chdir(ROOT);
loadDemoEnv();
process.env.NODE_ENV ??= "production";
const port = demoPort();
const baseUrl = demoBaseUrl(port);
// The app's public URL is where the demo serves it (bounce pages redirect there).
process.env.SHOPIFY_APP_URL = process.env.DEMO_APP_URL ?? baseUrl;
const internalUrl = `http://127.0.0.1:${port}`;
const seedCustomers = Math.max(0, Number(process.env.DEMO_SEED_CUSTOMERS ?? 300) || 0);
const appLogLevel = process.env.LOG_LEVEL;
const say = (message: string) => console.log(`[demo] ${message}`);

// ------------------------------------------------------------------------------------------------
// Express, typed by hand (the project has no @types/express; only what is used here).

type Next = (error?: unknown) => void;
type Handler = (req: http.IncomingMessage, res: http.ServerResponse, next: Next) => void;
interface ExpressApp {
  use(...handlers: unknown[]): ExpressApp;
  all(path: string, handler: unknown): ExpressApp;
  disable(setting: string): ExpressApp;
  listen(port: number, callback: () => void): http.Server;
}
const require = createRequire(import.meta.url);
const express = require("express") as { (): ExpressApp; static(root: string, options?: Record<string, unknown>): Handler };
const compression = require("compression") as () => Handler;
const { createRequestHandler } = require("@remix-run/express") as { createRequestHandler: (options: { build: ServerBuild; mode?: string }) => Handler };

// ------------------------------------------------------------------------------------------------
// The built app, then the Admin API fake in its fetch seam, then the database.

// DEMO_BUILD_DIR: another copy of build/ inside the project (the browser test runs on a snapshot, so a
// rebuild by someone else in the same checkout cannot swap the assets under it).
const buildDir = path.resolve(ROOT, process.env.DEMO_BUILD_DIR ?? "build");
const buildFile = path.join(buildDir, "server/index.js");
if (!existsSync(buildFile)) {
  console.error(`[demo] ${path.relative(ROOT, buildFile)} is missing: run \`npm run demo\` (it builds) or \`npm run build\` first.`);
  process.exit(1);
}
const db: Db = createPrismaClient(process.env.DATABASE_URL);
readDeliveryOutcomesFrom(db);
// WAL before the app opens the file too (a fresh database comes from migrate in rollback-journal mode;
// switching needs the file to itself). better-sqlite3 waits for locks synchronously, so the demo keeps
// its own writes to start-up, before the app and its worker share the file.
if (databaseTarget(process.env.DATABASE_URL).provider === "sqlite") await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
const knownShop = await db.shop.findUnique({ where: { domain: DEMO_SHOP } });
const seeding = seedCustomers > 0 && (knownShop ? await db.customer.count({ where: { shopId: knownShop.id } }) : 0) === 0;

// A fresh demo shop installs the app a year ago and lives through its history (demo/clock.ts).
if (seeding) {
  installClock();
  setClock(Date.now() - 366 * 86_400_000);
}
const shopRow = await installDemoShop(db);
const scopes = (process.env.SCOPES ?? "")
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);
const shopify = new DemoShopify(stateFileFor(process.env.DATABASE_URL), scopes, { apiKey: apiKey(), apiSecret: apiSecret() });
const history = await reconcileState();
if (history === "fresh") await seedProgram(db, shopRow.id);

const build = (await import(pathToFileURL(buildFile).href)) as ServerBuild;
installGlobals({ nativeFetch: build.future.v3_singleFetch });
shopify.install();
const storedTokens = await db.session.findUnique({ where: { id: `offline_${DEMO_SHOP}` }, select: { accessToken: true, refreshToken: true, expires: true } });
if (storedTokens) shopify.rememberTokens(storedTokens);
const restored = await shopify.restore();
const collector = setInterval(() => shopify.collectAdminWrites(), 1000);
collector.unref();

/** The demo shop's row in the app's database (the app's own afterAuth hook would create it too). */
async function installDemoShop(client: Db) {
  return client.shop.upsert({ where: { domain: DEMO_SHOP }, create: { domain: DEMO_SHOP }, update: {} });
}

/**
 * Installs the app the way Shopify installs an embedded app, when the shop has no offline session: the
 * merchant opens it from the admin, the app exchanges the session token for the offline token (the
 * stand-in in demo/shopify/admin-api.ts) and stores it in its Session table, and its afterAuth hook runs (shop
 * setup: time zone, currency, the metafield definition, the program for the theme). Should that fail,
 * the session is stored directly (the shape token exchange stores) so the demo still runs.
 */
async function ensureInstalled(): Promise<"already" | "installed" | "stored"> {
  const id = `offline_${DEMO_SHOP}`;
  if (await db.session.findUnique({ where: { id } })) return "already";
  const answer = await get(new URL(appFrameSrc(baseUrl, "/app"), internalUrl), { "User-Agent": BROWSER_USER_AGENT, Accept: "text/html" }).catch((error: unknown) => ({ status: 0, text: String(error) }));
  if (await db.session.findUnique({ where: { id } })) return "installed";
  say(`opening the app did not install it (HTTP ${answer.status}): storing the offline session directly`);
  const session = new Session({ id, shop: DEMO_SHOP, state: "", isOnline: false });
  session.scope = scopes.join(",");
  session.accessToken = DEMO_ACCESS_TOKEN;
  await new PrismaSessionStorage(db).storeSession(session);
  return "stored";
}

/** The demo state belongs to this database's shop; if not, start over (or adopt an already seeded database). */
async function reconcileState(): Promise<"fresh" | "seeded" | "adopted"> {
  const customers = await db.customer.count({ where: { shopId: shopRow.id } });
  if (shopify.shopRowId === shopRow.id) {
    if (customers > 0 && !shopify.seeded) say("an earlier seeding did not finish: the shop has part of its history (delete the database file to start over)");
    return customers > 0 ? "seeded" : "fresh";
  }
  shopify.reset(shopRow.id);
  if (customers === 0) return "fresh";
  // Seeded by an earlier run whose state file is gone: take the customers and orders over from the app's database.
  const rows = await db.customer.findMany({ where: { shopId: shopRow.id, shopifyCustomerId: { startsWith: "gid://shopify/Customer/" } } });
  const orders = await db.orderRecord.findMany({ where: { shopId: shopRow.id }, orderBy: { processedAt: "asc" } });
  shopify.adopt(
    rows.map((r) => ({
      id: Number(r.shopifyCustomerId.split("/").pop()),
      firstName: r.firstName ?? "",
      lastName: r.lastName ?? "",
      email: r.email ?? "",
      ordersSeen: orders.filter((o) => o.customerId === r.id && o.paidAt).length,
    })),
    orders.map((o) => ({
      orderId: Number(o.orderId.split("/").pop()),
      name: o.orderName,
      customerId:
        Number(
          rows
            .find((r) => r.id === o.customerId)
            ?.shopifyCustomerId.split("/")
            .pop() ?? NaN,
        ) || null,
      processedAt: (o.processedAt ?? o.createdAt).toISOString(),
      total: o.totalPrice ?? "0",
      cancelledAt: o.cancelledAt?.toISOString() ?? null,
    })),
    // Refund ids already used (Shopify's ids are unique: a new refund must not reuse one).
    orders.flatMap((o) => [...o.refunds.matchAll(/Refund\/(\d+)/g)].map((m) => Number(m[1]))),
  );
  return "adopted";
}

// ------------------------------------------------------------------------------------------------
// The server

const app = express();
app.disable("x-powered-by");
app.use(compression());
app.use(build.publicPath, express.static(path.join(buildDir, "client"), { immutable: true, maxAge: "1y" }));
const demo = demoLayer({ shopify, db, shopRow, baseUrl, internalUrl, appRoutes: () => Object.keys(build.routes), deliveries: new DeliveryLog(internalUrl) });
app.use((req: http.IncomingMessage, res: http.ServerResponse, next: Next) => {
  demo(req, res, next).catch((error: unknown) => {
    console.error("[demo] error", error);
    if (!res.headersSent) send(res, 500, `<pre>${esc(error instanceof Error ? error.stack : String(error))}</pre>`);
    else res.end();
  });
});
app.use(appResponseRewrites);
// While a fresh shop's year is replayed, each webhook is handled at the moment Shopify triggered it.
app.use((req: http.IncomingMessage, _res: http.ServerResponse, next: Next) => {
  const at = req.method === "POST" && req.url?.startsWith("/webhooks/") ? Date.parse(String(req.headers["x-shopify-triggered-at"] ?? "")) : NaN;
  runAt(at, next);
});
app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

// The checkout and customer-account UI extensions' bundles, as Shopify's CLI builds them (when a source changed).
try {
  ensureExtensionBundles();
} catch (error) {
  say(`the UI extensions could not be built (the thank-you and order-status blocks will not load): ${String(error)}`);
}

const server = await new Promise<http.Server>((resolve, reject) => {
  const s = app.listen(port, () => resolve(s));
  s.once("error", reject);
}).catch((error: NodeJS.ErrnoException) => {
  console.error(error.code === "EADDRINUSE" ? `[demo] port ${port} is in use: stop what runs there or pick another (PORT=3001 npm run demo)` : `[demo] cannot listen on ${port}: ${error.message}`);
  process.exit(1);
});
const installed = await ensureInstalled();
const startupMs = Math.round(performance.now() - startedAt);
say(
  `app (build of ${statSync(buildFile).mtime.toISOString()}) listening on ${baseUrl} after ${startupMs} ms; Admin API fake installed; ${restored.customers} customers and ${restored.replayed} Admin API writes restored${history === "adopted" ? " (adopted from the database)" : ""}${installed === "installed" ? "; app installed on the demo shop (token exchange)" : ""}`,
);

const builtAt = statSync(buildFile).mtimeMs;
watchFile(buildFile, { interval: 2000 }, (stat) => {
  if (stat.mtimeMs !== builtAt) say("the build changed under the running demo: restart it (Ctrl-C, then npm run demo) to serve the new one");
});

let seedSummary: SeedSummary | null = null;
if (history === "fresh" && seedCustomers > 0) {
  say(`first run: seeding the demo shop (${seedCustomers} customers; DEMO_SEED_CUSTOMERS to change)…`);
  if (!process.env.DEMO_VERBOSE) process.env.LOG_LEVEL = "warn";
  seedSummary = await seedHistory({ shopify, db, shopId: shopRow.id, baseUrl: internalUrl, secret: apiSecret(), customers: seedCustomers, log: say });
  uninstallClock();
  const left = await waitForJobs(db, shopRow.id, null, 30_000, say);
  shopify.collectAdminWrites();
  shopify.markSeeded();
  if (appLogLevel === undefined) delete process.env.LOG_LEVEL;
  else process.env.LOG_LEVEL = appLogLevel;
  say(
    `seeded in ${seedSummary.seconds} s: ${seedSummary.customers} customers, ${seedSummary.orders} orders, ${seedSummary.refunds} refunds, ${seedSummary.cancellations} cancellations, ${seedSummary.redemptions} redemptions; ${seedSummary.webhooks} webhooks${seedSummary.failures ? ` (${seedSummary.failures} not accepted)` : ""}${left ? `; ${left} job(s) still queued` : ""}`,
  );
} else if (history === "fresh") {
  shopify.markSeeded();
  say("DEMO_SEED_CUSTOMERS=0: program set up, no history seeded");
}

// The merchant's Flow workflows are on from here (after the history, so the seeded year sends none).
const flowOn = await turnOnFlowWorkflows(internalUrl, apiSecret());
say(`Shopify Flow: ${flowOn} trigger workflow(s) turned on; triggers the app sends are listed at /demo/admin/flow`);

const sample = shopify.customers().at(-1);
const sampleOrder = shopify.recentOrders().find((o) => o.customerId !== null);
console.log(`
  ${APP_NAME}: local demo (no Shopify account, no network)

    Admin:      ${baseUrl}/demo/admin
    Storefront: ${baseUrl}/demo/store${sample ? `?customer=${sample.id}` : ""}
    Simulator:  ${baseUrl}/demo/orders
    Blocks:     ${baseUrl}/demo/blocks/thank-you/${sampleOrder?.number ?? 1001} and /demo/blocks/order-status/${sampleOrder?.number ?? 1001} (or from the storefront's thank-you page)

    CLI:        npx tsx demo/simulate.ts place --customer ${sample?.id ?? 1001} --amount 45.00
    Account:    ${baseUrl}/demo/account${sample ? `?customer=${sample.id}` : ""} (the Rewards page in customer accounts; /demo/account/profile for the profile block)
    Ready in ${((performance.now() - startedAt) / 1000).toFixed(1)} s. Ctrl-C to stop.
`);
console.log(`[demo] ready ${JSON.stringify({ url: baseUrl, startupMs, seedSeconds: seedSummary?.seconds ?? null })}`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    say("stopping…");
    unwatchFile(buildFile);
    shopify.close();
    server.closeAllConnections();
    server.close(() => {
      void db.$disconnect().finally(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 3000).unref();
  });
}
