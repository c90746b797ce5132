// `npm run demo` end to end in Chromium: the demo server (demo/server.ts: the BUILT app behind the demo
// layer) on a free port with a fresh temporary SQLite database and a small seed, never the developer's
// prisma/dev.sqlite. The merchant's loop: the app inside the admin frame, an order from the simulator,
// the points in the admin, the storefront balance, a redemption, the code applied at checkout, the
// code marked used. Screenshots: test-output/screenshots/demo-*.png.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { PrismaClient } from "@prisma/client";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { launchBrowser, screenshot } from "../../dev/harness/browser";
import { createTestDatabase, dropTestDatabase } from "../../dev/harness/database";
import { freePort } from "../../dev/harness/ports";

const root = path.resolve(import.meta.dirname, "../..");
// A merchant's browser, not a bot: Shopify's library answers "HeadlessChrome" with 410.
const USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
const runId = `${Date.now()}_${process.pid}`;
const dbFile = path.join(os.tmpdir(), `loyalty-demo-test-${runId}.sqlite`);
const databaseUrl = `file:${dbFile}`;
// The build is copied: another `npm run build` in this checkout must not swap the assets mid-test.
const buildCopy = path.join(root, "test-output", `demo-build-${runId}`);

let server: ChildProcess | undefined;
let output = "";
let baseUrl = "";
let browser: Browser;
let context: BrowserContext;
let db: PrismaClient;
let appRoutes: string[] = [];
let timings: { startupMs: number; seedSeconds: number | null } | null = null;

beforeAll(async () => {
  if (!existsSync(path.join(root, "build/server/index.js"))) throw new Error("build/server/index.js is missing: run `npm run build` (npm run test:browser does)");
  cpSync(path.join(root, "build"), buildCopy, { recursive: true });
  await createTestDatabase(databaseUrl);
  const port = await freePort();
  baseUrl = `http://localhost:${port}`;
  server = spawn(path.join(root, "node_modules/.bin/tsx"), ["demo/server.ts"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      SHOPIFY_API_KEY: "demo-test-api-key",
      SHOPIFY_API_SECRET: "demo-test-api-secret",
      SCOPES: "read_orders,read_customers,write_customers,write_discounts,write_app_proxy",
      WORKER_MODE: "inline",
      LOG_LEVEL: "warn",
      DEMO_SEED_CUSTOMERS: "20",
      DEMO_BUILD_DIR: path.relative(root, buildCopy),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const line = /\[demo\] ready (\{.*\})/.exec(output);
      if (line) {
        timings = JSON.parse(line[1]!) as typeof timings;
        resolve();
      }
    };
    server!.stdout!.on("data", onData);
    server!.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    server!.once("exit", (code) => reject(new Error(`demo server exited (${code}):\n${output}`)));
    setTimeout(() => reject(new Error(`demo server not ready after 80 s:\n${output}`)), 80_000);
  });
  await ready;
  db = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: dbFile }) });
  appRoutes = ((await (await fetch(`${baseUrl}/demo/api/info`)).json()) as { appRoutes: string[] }).appRoutes;
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, userAgent: USER_AGENT });
  console.log(`demo server: started in ${timings?.startupMs} ms, seeded 20 customers in ${timings?.seedSeconds} s`);
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await db?.$disconnect();
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once("exit", r));
    server.kill("SIGTERM");
    await exited;
  }
  await dropTestDatabase(databaseUrl);
  rmSync(`${dbFile}.demo-shopify.json`, { force: true });
  rmSync(buildCopy, { recursive: true, force: true });
});

const hasRoute = (...ids: string[]) => ids.some((id) => appRoutes.includes(id));
const appFrame = (page: Page) => page.frameLocator("#app-iframe");

/** Reloads the page until `text` shows in the app frame (the worker's jobs land within a second or two). */
async function untilFrameShows(page: Page, text: string | RegExp, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await appFrame(page).getByText(text).first().waitFor({ timeout: 3_000 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${String(text)} never showed in the app frame: ${String(error)}\n${output.slice(-2000)}`);
      await page.reload();
    }
  }
}

describe("npm run demo: the merchant's loop in Chromium", () => {
  it("runs the app in the admin frame, takes an order, shows the points, redeems them on the storefront and marks the code used", async () => {
    const page = await context.newPage();

    // 1. The admin frame embeds the app (session token in the URL, App Bridge stand-in, nav menu).
    await page.goto(`${baseUrl}/demo/admin`);
    await appFrame(page).getByText("Points outstanding").first().waitFor({ timeout: 20_000 });
    await expect(page.locator("#nav-app").textContent()).resolves.toContain("Loyalty & Welcome");
    // The app's title bar and nav menu (App Bridge elements) are drawn by the frame, from postMessage.
    await page.locator("#appbar-title").filter({ hasText: /\S/ }).waitFor();
    await expect(page.locator("#nav-app-subs a").count()).resolves.toBeGreaterThan(0);
    await screenshot(page, "demo-admin");

    // 2. The simulator: an order of $420.00 by a new customer, delivered as a signed orders/paid.
    await page.goto(`${baseUrl}/demo/orders`);
    await page.getByLabel("Customer").selectOption("new");
    await page.getByLabel("Amount (USD, merchandise)").fill("420.00");
    await page.getByRole("button", { name: "Place + pay" }).click();
    const banner = page.locator("#result");
    await expect(banner.textContent()).resolves.toMatch(/orders\/paid #\d+/);
    const bannerText = (await banner.innerText()).replace(/\s+/g, " ");
    expect(bannerText, bannerText).toContain("200 received → applied");
    const placed = /Order #(\d+) placed for (.+?) \(new customer (\d+)\)/.exec(bannerText);
    expect(placed, bannerText).not.toBeNull();
    const [, orderNumber, customerName, customerId] = placed!;
    await screenshot(page, "demo-simulator");

    // 420 points for the order and the 100-point welcome bonus (first order ever: the worker asks the
    // Admin API fake for the customer's order count) = 520.
    const customerGid = `gid://shopify/Customer/${customerId}`;
    const deadline = Date.now() + 20_000;
    while ((await db.customer.findFirst({ where: { shopifyCustomerId: customerGid } }))?.balance !== 520) {
      if (Date.now() > deadline) throw new Error(`balance never reached 520:\n${output.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }

    // 3. The points in the app's Customers page (when the build has it).
    if (hasRoute("routes/app.customers._index", "routes/app.customers")) {
      await page.goto(`${baseUrl}/demo/admin?path=${encodeURIComponent(`/app/customers?q=${customerName!.split(" ")[0]} ${customerName!.split(" ").slice(1).join(" ")}`)}`);
      await untilFrameShows(page, customerName!);
      const row = appFrame(page).locator("tr", { hasText: customerName! }).first();
      await expect(row.innerText()).resolves.toContain("520");
      await screenshot(page, "demo-admin-customers");
    }

    // The welcome code: issued by the first-order check, then created in Shopify by the worker.
    while ((await db.issuedCode.findFirst({ where: { source: "welcome", customer: { shopifyCustomerId: customerGid } } }))?.status !== "issued") {
      if (Date.now() > deadline) throw new Error(`the welcome code was never created:\n${output.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const welcomeCode = (await db.issuedCode.findFirstOrThrow({ where: { source: "welcome", customer: { shopifyCustomerId: customerGid } } })).code;

    // 4. The storefront as that customer: the launcher's balance comes live from the app proxy.
    await page.goto(`${baseUrl}/demo/store?customer=${customerId}`);
    await expect(page.locator(".lyl-balance").innerText()).resolves.toMatch(/\d/);
    const proxied = await page.evaluate(async () => {
      const res = await fetch("/apps/loyalty/balance", { headers: { Accept: "application/json" } });
      return { status: res.status, body: (await res.json()) as { balance: number; history: { description: string }[] } };
    });
    expect(proxied.status).toBe(200);
    expect(proxied.body.balance).toBe(520);
    expect(proxied.body.history.map((h) => h.description).join(" | ")).toContain(`#${orderNumber}`);
    await page.locator("[data-loyalty-toggle]").click();
    await page.locator("[data-loyalty-panel] [data-loyalty-balance]").filter({ hasText: "520" }).waitFor();
    // "Your codes": the thank-you code the first order earned, with its value and a countdown (30 days).
    const codeCard = (text: string | RegExp) => page.locator(".lyl-code", { has: page.locator(".lyl-code__code", { hasText: text }) });
    const welcome = codeCard(welcomeCode);
    await welcome.waitFor();
    await expect(welcome.locator(".lyl-code__title").textContent()).resolves.toBe("Your thank-you code");
    await expect(welcome.locator(".lyl-code__value").textContent()).resolves.toBe("10% off");
    await expect(welcome.locator(".lyl-code__left").textContent()).resolves.toMatch(/^(29|30) days left$/);
    // The end of the shop's day (New York) in the shopper's own zone (this browser's).
    await expect(welcome.locator(".lyl-code__ends").textContent()).resolves.toMatch(/^Ends [A-Z][a-z]+ \d{1,2}(, \d{4})? at \d{1,2}:59 [AP]M$/);
    await screenshot(page, "demo-storefront");

    // 5. Redeem "$5 off" (500 points): a single-use code for this customer, created through the Admin API fake;
    // it joins the list, soonest ending first.
    const reward = page.locator(".lyl-reward", { has: page.locator(".lyl-reward__name", { hasText: "$5 off" }) });
    await reward.getByRole("button", { name: "Redeem" }).click();
    const codeEl = page.locator(".lyl-code__code").filter({ hasText: /^REWARD-/ });
    await codeEl.waitFor({ state: "visible" });
    const code = (await codeEl.textContent())!.trim();
    const held = await db.issuedCode.findMany({ where: { code: { in: [welcomeCode, code] } }, orderBy: [{ endsAt: "asc" }, { code: "asc" }] });
    await expect(page.locator(".lyl-code__code").allTextContents()).resolves.toEqual(held.map((c) => c.code));
    await page.locator("[data-loyalty-panel] [data-loyalty-balance]").filter({ hasText: /^20$/ }).waitFor();
    await screenshot(page, "demo-storefront-redeemed");

    // 6. Apply it (/discount/CODE?redirect=/cart) and check out with it: orders/paid carries the code.
    await codeCard(code).getByRole("link", { name: "Apply to cart" }).click();
    await page.waitForURL(/\/cart$/);
    await expect(page.locator("[data-demo-discount]").innerText()).resolves.toContain(`Discount ${code} applied`);
    await page.getByRole("button", { name: /\+ Linen shirt/ }).click();
    await expect(page.locator("[data-demo-total]").textContent()).resolves.toBe("$45.00"); // $45 − $5 + $5 shipping
    await screenshot(page, "demo-cart");
    await page.getByRole("button", { name: /Place order as/ }).click();
    await page.getByText(/Order #\d+ is confirmed/).waitFor();
    await expect(page.locator("body").innerText()).resolves.toContain("orders/paid → 200 received → applied");
    await screenshot(page, "demo-checkout");

    // 7. The code is used, by that order: in the app's database and on its Codes page; the panel no longer lists it.
    const issued = await db.issuedCode.findFirstOrThrow({ where: { code } });
    expect(issued.status).toBe("used");
    expect(issued.usedByOrderId).toMatch(/^gid:\/\/shopify\/Order\/\d+$/);
    await page.goto(`${baseUrl}/demo/store?customer=${customerId}`);
    await page.locator("[data-loyalty-toggle]").click();
    await codeCard(welcomeCode).waitFor();
    await expect(page.locator(".lyl-code__code").allTextContents()).resolves.toEqual([welcomeCode]);
    if (hasRoute("routes/app.codes", "routes/app.codes._index")) {
      await page.goto(`${baseUrl}/demo/admin?path=${encodeURIComponent("/app/codes?status=used")}`);
      await untilFrameShows(page, code);
      await expect(appFrame(page).locator("tr", { hasText: code }).first().innerText()).resolves.toMatch(/Used/);
      await screenshot(page, "demo-admin-codes");
    }
    await page.close();
  }, 150_000);

  it("simulates Shopify's redeliveries and out-of-order deliveries, from the page and the CLI", async () => {
    const page = await context.newPage();
    await page.goto(`${baseUrl}/demo/orders`);
    const customer = await page.getByLabel("Customer").locator("optgroup option").first().getAttribute("value");

    // Delivered twice with the same webhook id: the second is a duplicate and changes nothing.
    await page.getByLabel("Customer").selectOption(customer!);
    await page.getByLabel("Amount (USD, merchandise)").fill("30.00");
    await page
      .getByLabel(/Deliver twice/)
      .first()
      .check();
    await page.getByRole("button", { name: "Place + pay" }).click();
    const twice = (await page.locator("#result").innerText()).replace(/\s+/g, " ");
    expect(twice).toMatch(/200 received → applied.*redelivery.*200 duplicate/);
    const orderNumber = /Order #(\d+)/.exec(twice)![1]!;

    // Held back, then a refund: refunds/create arrives first, the held orders/paid after it.
    await page.getByLabel("Amount (USD, merchandise)").fill("50.00");
    await page
      .getByLabel(/Deliver out of order/)
      .first()
      .check();
    await page.getByRole("button", { name: "Place + pay" }).click();
    const held = (await page.locator("#result").innerText()).replace(/\s+/g, " ");
    expect(held).toContain("orders/paid is held");
    const heldOrder = /Order #(\d+)/.exec(held)![1]!;
    await page.locator("#order").selectOption(heldOrder);
    await page.locator("#refund-amount").fill("20.00");
    await page.getByRole("button", { name: "Refund", exact: true }).click();
    const rows = page.locator("#result tbody tr");
    await expect(rows.nth(0).innerText()).resolves.toMatch(/refunds\/create #\d+ \$20\.00[\s\S]*200/);
    await expect(rows.nth(1).innerText()).resolves.toMatch(/orders\/paid #\d+[\s\S]*200 received → applied/);
    await screenshot(page, "demo-simulator-out-of-order");
    // The ledger converged: 50 earned, 20 taken back.
    const entries = await db.ledgerEntry.findMany({ where: { orderId: { endsWith: `/${5_300_000_000_000 + Number(heldOrder)}` } } });
    expect(entries.reduce((s, e) => s + e.points, 0)).toBe(30);

    // The CLI signs and delivers the same way.
    const cli = spawnSync(path.join(root, "node_modules/.bin/tsx"), ["demo/simulate.ts", "refund", "--order", orderNumber, "--amount", "5", "--url", baseUrl], {
      cwd: root,
      env: { ...process.env, SHOPIFY_API_SECRET: "demo-test-api-secret", SHOPIFY_API_KEY: "demo-test-api-key" },
      encoding: "utf8",
    });
    expect(cli.status, cli.stdout + cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/refunds\/create #\d+ \$5\.00 → 200 received/);
    await page.close();
  }, 60_000);

  it("shows the thank-you and order-status blocks of a demo order, from the CLI's bundles, with the welcome code", async () => {
    // The merchant opens the app first (as in the first test): a shop whose jobs wait for re-authorisation
    // resumes then. A first order by a new customer, placed and delivered by the simulator.
    const simulator = await context.newPage();
    await simulator.goto(`${baseUrl}/demo/admin`);
    await appFrame(simulator).getByText("Points outstanding").first().waitFor({ timeout: 20_000 });
    await simulator.goto(`${baseUrl}/demo/orders`);
    await simulator.getByLabel("Customer").selectOption("new");
    await simulator.getByLabel("Amount (USD, merchandise)").fill("80.00");
    await simulator.getByRole("button", { name: "Place + pay" }).click();
    const result = (await simulator.locator("#result").innerText()).replace(/\s+/g, " ");
    const [, orderNumber, customerId] = /Order #(\d+) placed for .+? \(new customer (\d+)\)/.exec(result) ?? [];
    expect(orderNumber, result).toBeDefined();
    await simulator.close();
    const placed = { order: { number: Number(orderNumber) }, customer: { id: Number(customerId) } };
    const customerGid = `gid://shopify/Customer/${placed.customer.id}`;
    // The inline worker runs the first-order check and creates the welcome code in the Admin API fake.
    const deadline = Date.now() + 30_000;
    while ((await db.issuedCode.findFirst({ where: { source: "welcome", status: "issued", customer: { shopifyCustomerId: customerGid } } })) === null) {
      if (Date.now() > deadline) {
        const jobs = await db.outboxJob.findMany({ where: { kind: { in: ["first_order_check", "create_discount_code"] } }, orderBy: { createdAt: "desc" }, take: 4 });
        throw new Error(`no welcome code for ${customerGid}: ${JSON.stringify(jobs)}\n${output.slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const code = await db.issuedCode.findFirstOrThrow({ where: { source: "welcome", customer: { shopifyCustomerId: customerGid } } });
    for (const [kind, width] of [
      ["thank-you", 1280],
      ["order-status", 390],
    ] as const) {
      const page = await context.newPage();
      await page.setViewportSize({ width, height: 844 });
      await page.goto(`${baseUrl}/demo/blocks/${kind}/${placed.order.number}`);
      const block = (await (await page.waitForSelector("iframe#extension")).contentFrame())!;
      await block.waitForFunction((c) => document.body.innerText.includes(c), code.code, { timeout: 30_000 });
      const text = await block.evaluate(() => document.body.innerText);
      expect(text).toContain("+80 points for this order");
      expect(text).toContain("+100 points welcome bonus");
      await screenshot(page, `demo-block-${kind}`);
      await page.close();
    }
  }, 90_000);
});
