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
// What stands in for Shopify lives here and in dev/: the Admin API fake is installed in
// @shopify/shopify-api's fetch seam (after the build is imported), the demo shop's offline session is
// stored in the app's Session table. The app's code paths are the production ones; nothing in app/
// knows about the demo.
import { existsSync, readFileSync, statSync, unwatchFile, watchFile } from "node:fs";
import { createRequire } from "node:module";
import type http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { installGlobals } from "@remix-run/node";
import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { createPrismaClient, type Db } from "../app/db.server";
import { databaseTarget } from "../app/db-target";
import { currentSettings } from "../app/ledger/settings.server";
import { APP_NAME, APP_PROXY_PREFIX, DEMO_ACCESS_TOKEN, DEMO_SHOP, ROOT, apiKey, apiSecret, demoBaseUrl, demoPort, hostParam, loadDemoEnv } from "./config";
import { appBridgeStandInScript } from "./app-bridge";
import { forwardToApp, signedProxyUrl } from "./app-proxy";
import { signSessionToken } from "./session-token";
import { CATALOG, DemoInputError, DemoShopify, fromCents, gid, stateFileFor, toCents, type DemoCustomer } from "./shopify";
import { seedHistory, seedProgram, waitForJobs, type SeedSummary } from "./seed";
import { installClock, runAt, setClock, uninstallClock } from "./clock";
import { deliverAll, describeResult, get, readDeliveryOutcomesFrom, type DeliveryResult, type PendingDelivery } from "./webhooks";

/** A merchant's browser (Shopify's library turns bots away from the admin). */
const BROWSER_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
import { adminFramePage, type NavItem } from "./pages/admin";
import { customerDetailContent, customersListContent, discountsContent, orderDetailContent, ordersListContent } from "./pages/shopify-admin";
import { simulatorPage, type SimulatorResult } from "./pages/simulator";
import { STORE_ASSET_BASE, cartPage, storefrontPage, thankYouPage, type StorefrontPoints, type StorefrontProgram } from "./pages/storefront";
import { esc } from "./pages/html";

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
const scopes = (process.env.SCOPES ?? "").split(",").map((s) => s.trim()).filter(Boolean);
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
 * stand-in in demo/shopify.ts) and stores it in its Session table, and its afterAuth hook runs (shop
 * setup: time zone, currency, the metafield definition, the program for the theme). Should that fail,
 * the session is stored directly (the shape token exchange stores) so the demo still runs.
 */
async function ensureInstalled(): Promise<"already" | "installed" | "stored"> {
  const id = `offline_${DEMO_SHOP}`;
  if (await db.session.findUnique({ where: { id } })) return "already";
  const answer = await get(new URL(appFrameSrc("/app"), internalUrl), { "User-Agent": BROWSER_USER_AGENT, Accept: "text/html" }).catch((error: unknown) => ({ status: 0, text: String(error) }));
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
    rows.map((r) => ({ id: Number(r.shopifyCustomerId.split("/").pop()), firstName: r.firstName ?? "", lastName: r.lastName ?? "", email: r.email ?? "", ordersSeen: orders.filter((o) => o.customerId === r.id && o.paidAt).length })),
    orders.map((o) => ({ orderId: Number(o.orderId.split("/").pop()), name: o.orderName, customerId: Number(rows.find((r) => r.id === o.customerId)?.shopifyCustomerId.split("/").pop() ?? NaN) || null, processedAt: (o.processedAt ?? o.createdAt).toISOString(), total: o.totalPrice ?? "0", cancelledAt: o.cancelledAt?.toISOString() ?? null })),
    // Refund ids already used (Shopify's ids are unique: a new refund must not reuse one).
    orders.flatMap((o) => [...o.refunds.matchAll(/Refund\/(\d+)/g)].map((m) => Number(m[1]))),
  );
  return "adopted";
}

// ------------------------------------------------------------------------------------------------
// Small HTTP helpers

function send(res: http.ServerResponse, status: number, body: string, type = "text/html; charset=utf-8", headers: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store", ...headers });
  res.end(body);
}
const sendJson = (res: http.ServerResponse, status: number, value: unknown) => send(res, status, JSON.stringify(value), "application/json");
const redirect = (res: http.ServerResponse, location: string, headers: Record<string, string | string[]> = {}) => {
  res.writeHead(303, { Location: location, "Cache-Control": "no-store", ...headers });
  res.end();
};

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > 1_000_000) reject(new Error("body too large"));
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
const readForm = async (req: http.IncomingMessage) => new URLSearchParams(await readBody(req));
async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req);
  try {
    const value = JSON.parse(text || "{}") as unknown;
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    throw new DemoInputError("Send a JSON object.");
  }
}

function cookies(req: http.IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}
const cookie = (name: string, value: string) => `${name}=${encodeURIComponent(value)}; Path=/; SameSite=Lax; HttpOnly`;

// ------------------------------------------------------------------------------------------------
// Deliveries (the simulator's log) and results

const deliveryLog: DeliveryResult[] = [];
const results = new Map<string, SimulatorResult>();
let resultSeq = 0;

async function deliverNow(deliveries: PendingDelivery[], duplicate: boolean): Promise<DeliveryResult[]> {
  const out = await deliverAll(internalUrl, deliveries, apiSecret(), { duplicate });
  recordDeliveries(out);
  return out;
}
function recordDeliveries(out: DeliveryResult[]): void {
  deliveryLog.push(...out);
  if (deliveryLog.length > 200) deliveryLog.splice(0, deliveryLog.length - 200);
}
function storeResult(result: SimulatorResult): string {
  const id = String(++resultSeq);
  results.set(id, result);
  if (results.size > 50) results.delete(results.keys().next().value!);
  return id;
}

const customerName = (c: DemoCustomer | null | undefined) => (c ? `${c.firstName} ${c.lastName}` : "a guest");

// ------------------------------------------------------------------------------------------------
// The admin frame

const APP_PAGES: [string, string][] = [
  ["/app/customers", "Customers"],
  ["/app/campaigns", "Campaigns"],
  ["/app/codes", "Codes"],
  ["/app/settings", "Settings"],
];
function appRoutes(): string[] {
  return Object.keys(build.routes);
}
function staticAppNav(): NavItem[] {
  const ids = new Set(appRoutes());
  return APP_PAGES.filter(([href]) => {
    const id = `routes/${href.slice(1).replace(/\//g, ".")}`;
    return ids.has(id) || ids.has(`${id}._index`);
  }).map(([href, label]) => ({ href, label }));
}

function appFrameSrc(appPath: string): string {
  const target = new URL(appPath.startsWith("/app") ? appPath : "/app", baseUrl);
  target.searchParams.set("embedded", "1");
  target.searchParams.set("shop", DEMO_SHOP);
  target.searchParams.set("host", hostParam());
  target.searchParams.set("locale", "en");
  target.searchParams.set("id_token", signSessionToken({ apiKey: apiKey(), apiSecret: apiSecret() }).token);
  return target.pathname + target.search;
}

function adminOwnPage(res: http.ServerResponse, section: "orders" | "customers" | "discounts", title: string, content: string): void {
  send(res, 200, adminFramePage({ section, appNav: staticAppNav(), title, content }));
}

// ------------------------------------------------------------------------------------------------
// The storefront

interface Cart {
  items: [number, number][];
  code: string | null;
}
function readCart(req: http.IncomingMessage): Cart {
  try {
    const cart = JSON.parse(Buffer.from(cookies(req).demo_cart ?? "", "base64url").toString("utf8")) as Cart;
    return { items: Array.isArray(cart.items) ? cart.items.filter((i) => CATALOG.some((p) => p.id === i[0]) && i[1] > 0) : [], code: typeof cart.code === "string" && cart.code ? cart.code : null };
  } catch {
    return { items: [], code: null };
  }
}
const cartCookie = (cart: Cart) => cookie("demo_cart", Buffer.from(JSON.stringify(cart)).toString("base64url"));
const cartCount = (cart: Cart) => cart.items.reduce((s, [, q]) => s + q, 0);

/** The signed-in shopper: the storefront session (a cookie here), as Shopify knows it for the app proxy. */
function shopper(req: http.IncomingMessage): DemoCustomer | null {
  const id = Number(cookies(req).demo_customer);
  return Number.isInteger(id) ? (shopify.customer(id) ?? null) : null;
}

/** The app-data metafield `loyalty.program` if the app wrote one, else the same data from the app's database. */
async function storefrontProgram(): Promise<StorefrontProgram> {
  const written = shopify.fake.metafields(DEMO_SHOP).find((m) => m.key === "program" && /(^|--)loyalty$/.test(m.namespace));
  if (written) {
    try {
      return JSON.parse(written.value) as StorefrontProgram;
    } catch {
      /* fall through */
    }
  }
  const now = new Date();
  const [{ settings }, rewards, campaign] = await Promise.all([
    currentSettings(db, shopRow.id),
    db.reward.findMany({ where: { shopId: shopRow.id, active: true }, orderBy: { pointsCost: "asc" } }),
    db.campaign.findFirst({ where: { shopId: shopRow.id, startsAt: { lte: now }, endsAt: { gt: now }, endedAt: null }, orderBy: { multiplier: "desc" } }),
  ]);
  return {
    pointsPerUnit: settings.pointsPerUnit,
    rounding: settings.rounding,
    currencyCode: shopRow.currencyCode,
    programName: "Rewards",
    campaign: campaign ? { name: campaign.name, multiplier: campaign.multiplier, startsAt: campaign.startsAt.toISOString(), endsAt: campaign.endsAt.toISOString() } : null,
    rewards: rewards.map((r) => ({ id: r.id, name: r.name, pointsCost: r.pointsCost, discountType: r.discountType, value: r.value })),
    enabled: settings.enabled,
  };
}

/** The customer metafield `$app:loyalty.points` as the app synced it, else the balance in the app's database. */
async function storefrontPoints(customer: DemoCustomer): Promise<{ points: StorefrontPoints | null; source: "metafield" | "database" | "none" }> {
  const field = shopify.fake.getMetafield(DEMO_SHOP, gid(customer.id), "$app:loyalty", "points");
  if (field) {
    try {
      return { points: JSON.parse(field.value) as StorefrontPoints, source: "metafield" };
    } catch {
      /* fall through */
    }
  }
  const row = await db.customer.findUnique({ where: { shopId_shopifyCustomerId: { shopId: shopRow.id, shopifyCustomerId: gid(customer.id) } } });
  return row ? { points: { balance: row.balance, pending: row.pending, updatedAt: row.updatedAt.toISOString() }, source: "database" } : { points: null, source: "none" };
}

function cartTotals(cart: Cart, customer: DemoCustomer | null) {
  const lines = cart.items.map(([id, quantity]) => ({ product: CATALOG.find((p) => p.id === id)!, quantity }));
  const subtotal = lines.reduce((s, l) => s + toCents(l.product.price) * l.quantity, 0);
  const shipping = lines.length ? 500 : 0;
  const check = cart.code ? shopify.checkDiscount(cart.code, customer?.id ?? null) : null;
  let discount = 0;
  let shippingDiscount = 0;
  if (check?.ok && check.discount) {
    const v = check.discount.value;
    if (v.kind === "percentage") discount = Math.round(subtotal * v.percentage);
    else if (v.kind === "fixed_amount") discount = Math.min(subtotal, toCents(v.amount));
    else shippingDiscount = shipping;
  }
  return { lines, check, subtotal, shipping, discount, shippingDiscount, total: subtotal - discount + shipping - shippingDiscount };
}

// ------------------------------------------------------------------------------------------------
// The demo layer's routes (everything else goes to the app)

async function demoRoutes(req: http.IncomingMessage, res: http.ServerResponse, next: Next): Promise<void> {
  const url = new URL(req.url ?? "/", baseUrl);
  const p = url.pathname;
  const method = req.method ?? "GET";
  const isDemo = p === "/demo" || p.startsWith("/demo/");
  const isStore = p.startsWith(`${APP_PROXY_PREFIX}/`) || p === APP_PROXY_PREFIX || p.startsWith("/discount/") || p === "/cart" || p.startsWith("/cart/") || p === "/account/login";
  if (!isDemo && !isStore) return next();

  // ---- Shopify admin stand-ins
  if (p === "/demo" || p === "/demo/") return redirect(res, "/demo/admin");
  if (p === "/demo/app-bridge.js") return send(res, 200, appBridgeStandInScript({ apiKey: apiKey() }), "text/javascript; charset=utf-8");
  if (p === "/demo/cdn/" || p.startsWith("/demo/cdn/")) return p.endsWith(".css") ? send(res, 200, "/* Shopify CDN stand-in: offline */", "text/css") : send(res, 404, "offline", "text/plain");
  if (p === "/demo/session-token") {
    const shop = url.searchParams.get("shop") ?? DEMO_SHOP;
    if (shop !== DEMO_SHOP) return sendJson(res, 404, { error: `the demo admin only knows ${DEMO_SHOP}` });
    return sendJson(res, 200, signSessionToken({ apiKey: apiKey(), apiSecret: apiSecret() }));
  }
  if (p === "/demo/admin") {
    const appPath = url.searchParams.get("path") ?? "/app";
    return send(res, 200, adminFramePage({ section: "app", appNav: staticAppNav(), iframeSrc: appFrameSrc(appPath), appPath }));
  }
  const page = Math.max(1, Number(url.searchParams.get("page") ?? 1) || 1);
  if (p === "/demo/admin/orders") return adminOwnPage(res, "orders", "Orders", ordersListContent(shopify, page));
  let m = /^\/demo\/admin\/orders\/(\d+)$/.exec(p);
  if (m) {
    const order = shopify.order(Number(m[1]));
    return order ? adminOwnPage(res, "orders", `Order #${order.number}`, orderDetailContent(shopify, order)) : adminOwnPage(res, "orders", "Order not found", `<p>No order ${esc(m[1])} in the demo shop.</p>`);
  }
  if (p === "/demo/admin/customers") return adminOwnPage(res, "customers", "Customers", customersListContent(shopify, page, url.searchParams.get("q") ?? ""));
  m = /^\/demo\/admin\/customers\/(\d+)$/.exec(p);
  if (m) {
    const customer = shopify.customer(Number(m[1]));
    return customer ? adminOwnPage(res, "customers", customerName(customer), customerDetailContent(shopify, customer)) : adminOwnPage(res, "customers", "Customer not found", `<p>No customer ${esc(m[1])} in the demo shop.</p>`);
  }
  if (p === "/demo/admin/discounts") return adminOwnPage(res, "discounts", "Discounts", discountsContent(shopify, page));

  // ---- Order simulator
  if (p === "/demo/orders" && method === "GET") {
    const result = results.get(url.searchParams.get("result") ?? "") ?? null;
    const order = Number(url.searchParams.get("order"));
    return send(res, 200, simulatorPage({ shopify, result, log: deliveryLog, selectedCustomer: url.searchParams.get("customer"), selectedOrder: Number.isInteger(order) ? order : null }));
  }
  if (p === "/demo/orders/place" && method === "POST") {
    const form = await readForm(req);
    const choice = form.get("customer") ?? "new";
    const duplicate = form.get("duplicate") === "1";
    let id: string;
    let selected = choice;
    try {
      const placed = shopify.placeOrder({ customer: choice === "new" ? "new" : choice === "guest" ? null : Number(choice), amount: (form.get("amount") ?? "").trim(), code: form.get("code"), hold: form.get("hold") === "1", source: "simulator" });
      const delivered = await deliverNow(placed.deliveries, duplicate);
      const who = placed.customer ? `${customerName(placed.customer)} (${choice === "new" ? "new customer " : "customer "}${placed.customer.id})` : "a guest";
      const notes = [placed.codeNote, placed.order.held.length ? "orders/paid is held: it will arrive after the next refund or cancellation of this order (or use Deliver held webhooks)." : null].filter(Boolean);
      id = storeResult({ ok: delivered.every((d) => d.status === 200), message: `Order #${placed.order.number} placed for ${who}: $${placed.order.total}. ${notes.join(" ")}`.trim(), deliveries: delivered });
      selected = placed.customer ? String(placed.customer.id) : choice;
      return redirect(res, `/demo/orders?result=${id}&customer=${encodeURIComponent(selected)}&order=${placed.order.number}`);
    } catch (error) {
      if (!(error instanceof DemoInputError)) throw error;
      id = storeResult({ ok: false, message: error.message, deliveries: [] });
      return redirect(res, `/demo/orders?result=${id}&customer=${encodeURIComponent(selected)}`);
    }
  }
  if (p === "/demo/orders/update" && method === "POST") {
    const form = await readForm(req);
    const number = Number(form.get("order"));
    const action = form.get("action");
    const hold = form.get("hold") === "1";
    let result: SimulatorResult;
    try {
      if (action === "refund") {
        const { refund, order, deliveries } = shopify.refundOrder(number, (form.get("amount") ?? "").trim(), { hold });
        const delivered = await deliverNow(deliveries, form.get("duplicate") === "1");
        result = { ok: delivered.every((d) => d.status === 200), message: `Refunded $${refund.amount} of order #${order.number}.${hold ? " refunds/create is held until the next event for this order." : ""}`, deliveries: delivered };
      } else if (action === "cancel") {
        const { order, deliveries } = shopify.cancelOrder(number, { hold });
        const delivered = await deliverNow(deliveries, form.get("duplicate") === "1");
        result = { ok: delivered.every((d) => d.status === 200), message: `Order #${order.number} cancelled.${hold ? " orders/cancelled is held until the next event for this order." : ""}`, deliveries: delivered };
      } else {
        const delivered = await deliverNow(shopify.releaseHeld(number), form.get("duplicate") === "1");
        result = { ok: delivered.every((d) => d.status === 200), message: `Delivered the held webhooks of order #${number}.`, deliveries: delivered };
      }
    } catch (error) {
      if (!(error instanceof DemoInputError)) throw error;
      result = { ok: false, message: error.message, deliveries: [] };
    }
    return redirect(res, `/demo/orders?result=${storeResult(result)}&order=${number}`);
  }

  // ---- JSON API (the CLI, demo/simulate.ts, and the browser test)
  if (p === "/demo/api/info") {
    return sendJson(res, 200, {
      shop: DEMO_SHOP,
      appName: APP_NAME,
      appRoutes: appRoutes(),
      seeded: shopify.seeded,
      customers: shopify.customers().length,
      orders: shopify.orders().length,
      urls: { admin: `${baseUrl}/demo/admin`, storefront: `${baseUrl}/demo/store`, simulator: `${baseUrl}/demo/orders` },
    });
  }
  m = /^\/demo\/api\/customers\/(\d+)$/.exec(p);
  if (m && method === "GET") {
    const customer = shopify.customer(Number(m[1]));
    return customer ? sendJson(res, 200, customer) : sendJson(res, 404, { error: "no such customer" });
  }
  if (p.startsWith("/demo/api/") && method === "POST") {
    try {
      const body = await readJson(req);
      if (p === "/demo/api/orders") {
        const c = body.customer;
        const placed = shopify.placeOrder({
          customer: c === "new" ? "new" : c === "guest" || c === null ? null : Number(c),
          amount: String(body.amount ?? ""),
          code: typeof body.code === "string" ? body.code : null,
          hold: body.hold === true,
          source: "cli",
        });
        return sendJson(res, 200, { order: { number: placed.order.number, id: placed.order.id, total: placed.order.total }, customer: placed.customer, codeNote: placed.codeNote, deliveries: placed.deliveries, held: placed.order.held.map((d) => d.label) });
      }
      m = /^\/demo\/api\/orders\/(\d+)\/(refund|cancel|release)$/.exec(p);
      if (m) {
        const number = Number(m[1]);
        const hold = body.hold === true;
        if (m[2] === "refund") {
          const { order, refund, deliveries } = shopify.refundOrder(number, String(body.amount ?? ""), { hold });
          return sendJson(res, 200, { order: { number: order.number, id: order.id }, refund, deliveries });
        }
        if (m[2] === "cancel") {
          const { order, deliveries } = shopify.cancelOrder(number, { hold });
          return sendJson(res, 200, { order: { number: order.number, id: order.id }, deliveries });
        }
        return sendJson(res, 200, { deliveries: shopify.releaseHeld(number) });
      }
      if (p === "/demo/api/deliveries") {
        recordDeliveries(Array.isArray(body.results) ? (body.results as DeliveryResult[]).slice(0, 20) : []);
        return sendJson(res, 200, { ok: true });
      }
    } catch (error) {
      if (error instanceof DemoInputError) return sendJson(res, 400, { error: error.message });
      throw error;
    }
    return sendJson(res, 404, { error: "unknown demo API route" });
  }

  // ---- Storefront
  if (p.startsWith(`${STORE_ASSET_BASE}/`)) {
    const name = path.basename(p);
    const file = path.join(ROOT, "extensions/loyalty-theme/assets", name);
    const type = name.endsWith(".js") ? "text/javascript; charset=utf-8" : name.endsWith(".css") ? "text/css; charset=utf-8" : null;
    if (!type || !existsSync(file)) return send(res, 404, "not found", "text/plain");
    return send(res, 200, readFileSync(file, "utf8"), type);
  }
  if (p === "/demo/store" && method === "GET") {
    const param = url.searchParams.get("customer");
    const headers: Record<string, string> = {};
    let customer = shopper(req);
    if (param !== null) {
      customer = param === "guest" ? null : (shopify.customer(Number(param)) ?? null);
      headers["Set-Cookie"] = cookie("demo_customer", customer ? String(customer.id) : "");
    }
    const product = CATALOG.find((x) => x.id === Number(url.searchParams.get("product"))) ?? CATALOG[0]!;
    const [program, points] = await Promise.all([storefrontProgram(), customer ? storefrontPoints(customer) : Promise.resolve({ points: null, source: "none" as const })]);
    const html = await storefrontPage({ customer, customers: shopify.customers(), program, points: points.points, pointsSource: points.source, product, cartCount: cartCount(readCart(req)), notice: null });
    return send(res, 200, html, "text/html; charset=utf-8", headers);
  }
  if (p === "/demo/store" || p.startsWith("/demo/store/")) return send(res, 404, "not found", "text/plain");
  if (p === APP_PROXY_PREFIX || p.startsWith(`${APP_PROXY_PREFIX}/`)) {
    const customer = shopper(req);
    return forwardToApp(req, res, signedProxyUrl(url, { appBaseUrl: internalUrl, secret: apiSecret(), customerId: customer?.id ?? null }));
  }
  m = /^\/discount\/([^/]+)$/.exec(p);
  if (m && method === "GET") {
    const code = decodeURIComponent(m[1]!).trim().toUpperCase();
    const target = url.searchParams.get("redirect") ?? "/";
    const safe = target.startsWith("/") && !target.startsWith("//") ? target : "/";
    return redirect(res, safe === "/" ? "/demo/store" : safe, { "Set-Cookie": cartCookie({ ...readCart(req), code }) });
  }
  if (p === "/cart" && method === "GET") {
    const cart = readCart(req);
    const customer = shopper(req);
    const totals = cartTotals(cart, customer);
    const html = cartPage({
      customer,
      customers: shopify.customers(),
      lines: totals.lines,
      code: cart.code,
      codeStatus: totals.check ? { ok: totals.check.ok, summary: totals.check.summary, reason: totals.check.reason } : null,
      subtotal: fromCents(totals.subtotal),
      discount: fromCents(totals.discount),
      shipping: fromCents(totals.shipping),
      shippingDiscount: fromCents(totals.shippingDiscount),
      total: fromCents(totals.total),
      notice: url.searchParams.get("notice"),
      cartCount: cartCount(cart),
    });
    return send(res, 200, html);
  }
  if (p === "/cart/add" && method === "POST") {
    const form = await readForm(req);
    const cart = readCart(req);
    const id = Number(form.get("product"));
    if (CATALOG.some((x) => x.id === id)) {
      const line = cart.items.find((i) => i[0] === id);
      if (line) line[1] += 1;
      else cart.items.push([id, 1]);
    }
    return redirect(res, "/cart", { "Set-Cookie": cartCookie(cart) });
  }
  if (p === "/cart/remove" && method === "POST") {
    const form = await readForm(req);
    const cart = readCart(req);
    cart.items = cart.items.filter((i) => i[0] !== Number(form.get("product")));
    return redirect(res, "/cart", { "Set-Cookie": cartCookie(cart) });
  }
  if (p === "/cart/code" && method === "POST") {
    const form = await readForm(req);
    const code = (form.get("code") ?? "").trim().toUpperCase();
    return redirect(res, "/cart", { "Set-Cookie": cartCookie({ ...readCart(req), code: code || null }) });
  }
  if (p === "/cart/checkout" && method === "POST") {
    const cart = readCart(req);
    const customer = shopper(req);
    const totals = cartTotals(cart, customer);
    if (totals.lines.length === 0) return redirect(res, "/cart?notice=" + encodeURIComponent("Your cart is empty."));
    const code = totals.check?.ok ? cart.code : null;
    const placed = shopify.placeOrder({ customer: customer?.id ?? null, lines: totals.lines, shipping: fromCents(totals.shipping), code, source: "storefront" });
    const delivered = await deliverNow(placed.deliveries, false);
    const summary = delivered.map((d) => `${d.topic} → ${describeResult(d)}`).join(", ");
    const id = storeResult({ ok: delivered.every((d) => d.status === 200), message: summary, deliveries: delivered });
    return redirect(res, `/cart/thanks?order=${placed.order.number}&result=${id}`, { "Set-Cookie": cartCookie({ items: [], code: null }) });
  }
  if (p === "/cart/thanks" && method === "GET") {
    const order = shopify.order(Number(url.searchParams.get("order")));
    if (!order) return redirect(res, "/cart");
    const result = results.get(url.searchParams.get("result") ?? "");
    const customer = order.customerId === null ? null : (shopify.customer(order.customerId) ?? null);
    return send(res, 200, thankYouPage({ customer, customers: shopify.customers(), orderNumber: order.number, total: order.total, code: order.discountCode, delivered: result?.message ?? "delivered", cartCount: 0 }));
  }
  if (p === "/account/login") {
    const list = shopify
      .customers()
      .slice(-12)
      .reverse()
      .map((c) => `<li><a href="/demo/store?customer=${c.id}">${esc(customerName(c))}</a></li>`)
      .join("");
    return send(res, 200, `<!doctype html><meta charset="utf-8"><title>Sign in</title><body style="font-family:system-ui;max-width:520px;margin:40px auto"><h1>Sign in</h1><p>Customer accounts are simulated in the demo: pick who to be.</p><ul>${list}</ul><p><a href="/demo/store">Back to the store</a></p></body>`);
  }
  return send(res, 404, `<!doctype html><meta charset="utf-8"><title>Not found</title><p>Nothing at ${esc(p)}. Try <a href="/demo/admin">/demo/admin</a>.</p>`);
}

// ------------------------------------------------------------------------------------------------
// In front of the app: Shopify's CDN is offline and the admin frame is this origin.

function appResponseRewrites(_req: http.IncomingMessage, res: http.ServerResponse, next: Next): void {
  const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => http.ServerResponse;
  let mode: "html" | "pass" | null = null;
  const chunks: Buffer[] = [];
  const decide = (): "html" | "pass" => {
    if (mode) return mode;
    const csp = res.getHeader("content-security-policy");
    // Shopify admin is the only frame ancestor the library allows; here the admin frame is this origin.
    if (typeof csp === "string" && csp.includes("frame-ancestors") && !csp.includes("'none'")) res.setHeader("content-security-policy", csp.replace("frame-ancestors", "frame-ancestors 'self'"));
    const link = res.getHeader("link");
    if (typeof link === "string") res.setHeader("link", link.replace("https://cdn.shopify.com/shopifycloud/app-bridge.js", "/demo/app-bridge.js"));
    mode = String(res.getHeader("content-type") ?? "").includes("text/html") ? "html" : "pass";
    if (mode === "html") res.removeHeader("content-length");
    return mode;
  };
  const toBuffer = (chunk: unknown, encoding?: unknown) =>
    Buffer.isBuffer(chunk) ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk) : Buffer.from(String(chunk), typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (decide() === "pass") return write(chunk, ...rest);
    chunks.push(toBuffer(chunk, rest[0]));
    const callback = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof res.write;
  res.end = ((...args: unknown[]) => {
    if (decide() === "pass") return end(...args);
    const [chunk, encoding] = args;
    if (chunk !== undefined && typeof chunk !== "function") chunks.push(toBuffer(chunk, encoding));
    // Only URLs change, never the elements: React hydrates this HTML and must find what it rendered.
    const html = Buffer.concat(chunks)
      .toString("utf8")
      .replaceAll("https://cdn.shopify.com/shopifycloud/app-bridge.js", "/demo/app-bridge.js")
      .replaceAll("https://cdn.shopify.com/", "/demo/cdn/");
    return end(html);
  }) as typeof res.end;
  next();
}

// ------------------------------------------------------------------------------------------------
// The server

const app = express();
app.disable("x-powered-by");
app.use(compression());
app.use(build.publicPath, express.static(path.join(buildDir, "client"), { immutable: true, maxAge: "1y" }));
app.use((req: http.IncomingMessage, res: http.ServerResponse, next: Next) => {
  demoRoutes(req, res, next).catch((error: unknown) => {
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

const server = await new Promise<http.Server>((resolve, reject) => {
  const s = app.listen(port, () => resolve(s));
  s.once("error", reject);
}).catch((error: NodeJS.ErrnoException) => {
  console.error(error.code === "EADDRINUSE" ? `[demo] port ${port} is in use: stop what runs there or pick another (PORT=3001 npm run demo)` : `[demo] cannot listen on ${port}: ${error.message}`);
  process.exit(1);
});
const installed = await ensureInstalled();
const startupMs = Math.round(performance.now() - startedAt);
say(`app (build of ${statSync(buildFile).mtime.toISOString()}) listening on ${baseUrl} after ${startupMs} ms; Admin API fake installed; ${restored.customers} customers and ${restored.replayed} Admin API writes restored${history === "adopted" ? " (adopted from the database)" : ""}${installed === "installed" ? "; app installed on the demo shop (token exchange)" : ""}`);

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

const sample = shopify.customers().at(-1);
console.log(`
  ${APP_NAME}: local demo (no Shopify account, no network)

    Admin:      ${baseUrl}/demo/admin
    Storefront: ${baseUrl}/demo/store${sample ? `?customer=${sample.id}` : ""}
    Simulator:  ${baseUrl}/demo/orders

    CLI:        npx tsx demo/simulate.ts place --customer ${sample?.id ?? 1001} --amount 45.00
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
