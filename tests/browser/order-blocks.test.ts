// The thank-you and order-status blocks in Chromium: the bundles Shopify's CLI built, in the UI-extension
// host (dev/ui-extension-host), talking to the BUILT app with real session tokens across origins. The
// order's webhook is sent signed and applied by a real worker process, whose Admin API calls go to the
// stateful fake: the block shows the preview first, then the applied figures and the welcome code.
import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Frame, Page } from "playwright-core";
import { launchBrowser, screenshot } from "../../dev/harness/browser";
import { startApp, type RunningApp } from "../../dev/harness/app-server";
import { spawnWorker } from "../../dev/harness/worker-process";
import { createPrismaClient, type Db } from "../../app/platform/db.server";
import { programSettingsSchema } from "../../app/domain/settings";
import { createShopifyAdminFake } from "../../dev/shopify-admin-fake";
import { startShopifyAdminFakeServer, type ShopifyAdminFakeServer } from "../../dev/shopify-admin-fake/server";
import { fakeShopTokens, offlineSession, offlineSessionRow, webhookHeaders } from "../../dev/shopify-requests";
import { orderPayload } from "../../dev/payloads/order-fixtures";
import { startUiExtensionHost, type ExtensionScenario, type RunningUiExtensionHost } from "../../dev/ui-extension-host/server";
import { ensureExtensionBundles } from "../../dev/ui-extension-host/build";
import { orderStatusApi, summaryRows, thankYouApi, type CheckoutSpec } from "../../dev/ui-extension-host/checkout-values";
import { TEST_API_KEY, TEST_API_SECRET, TEST_SHOP } from "../../dev/harness/test-env";

const ROOT = path.resolve(import.meta.dirname, "../..");
const DOCS_SCREENSHOTS = path.join(ROOT, "docs/screenshots");
const USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
const ADA = "gid://shopify/Customer/8001";

let app: RunningApp;
let db: Db;
let host: RunningUiExtensionHost;
let browser: Browser;
let adminFake: ShopifyAdminFakeServer;
const workers: ReturnType<typeof spawnWorker>[] = [];

const checkout: CheckoutSpec = {
  orderId: 7001,
  lines: [
    { title: "Ceramic mug", productId: 632910392, unitPrice: "60.00" },
    { title: "Tea sampler", productId: 632910393, quantity: 2, unitPrice: "20.00" },
  ],
  orderDiscount: "6.00",
  discountCodes: ["SPRING"],
  shipping: "5.00",
  isFirstOrder: true,
};
const usd = (amount: number) => `$${amount.toFixed(2)}`;

function thankYouScenario(customerGid: string | null, locale = "en"): ExtensionScenario {
  const summary = summaryRows(checkout, usd);
  return {
    extension: "loyalty-thank-you",
    target: "purchase.thank-you.block.render",
    page: "thank-you",
    locale,
    appUrl: app.url,
    sessionToken: { shop: TEST_SHOP, apiKey: TEST_API_KEY, secret: TEST_API_SECRET, customerGid },
    api: thankYouApi(checkout),
    chrome: { shopName: "Loyalty demo shop", title: customerGid ? "Thank you, Ada!" : "Thank you!", subtitle: `Confirmation #CONF${checkout.orderId}`, summary: summary.rows, total: summary.total },
  };
}

function orderStatusScenario(authenticated = true, locale = "en"): ExtensionScenario {
  const summary = summaryRows(checkout, usd);
  return {
    extension: "loyalty-order-status",
    target: "customer-account.order-status.block.render",
    page: "order-status",
    locale,
    appUrl: app.url,
    sessionToken: { shop: TEST_SHOP, apiKey: TEST_API_KEY, secret: TEST_API_SECRET, customerGid: ADA },
    api: orderStatusApi({ orderId: checkout.orderId, name: `#${checkout.orderId}` }, authenticated),
    chrome: { shopName: "Loyalty demo shop", title: `Order #${checkout.orderId}`, subtitle: "Confirmed", summary: summary.rows, total: summary.total },
  };
}

async function open(scenario: ExtensionScenario, mobile = false): Promise<{ page: Page; block: Frame; errors: string[] }> {
  const context = await browser.newContext({
    viewport: mobile ? { width: 390, height: 844 } : { width: 1280, height: 900 },
    userAgent: USER_AGENT,
    isMobile: mobile,
    deviceScaleFactor: 1,
    timezoneId: "UTC",
    locale: scenario.locale === "fr" ? "fr-FR" : "en-US",
  });
  const url = host.addScenario(scenario);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: host.url });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url);
  const handle = await page.waitForSelector("iframe#extension");
  const block = (await handle.contentFrame())!;
  await block.waitForFunction(() => (window as unknown as { __host?: { ready: boolean; error: string | null } }).__host?.ready || (window as unknown as { __host?: { error: string | null } }).__host?.error);
  expect(await block.evaluate(() => (window as unknown as { __host: { error: string | null } }).__host.error)).toBeNull();
  return { page, block, errors };
}

/** What a shopper reads: the text, and the headings s-section and s-banner draw from their attribute. */
const text = (block: Frame) => block.evaluate(() => [...document.querySelectorAll("[heading]")].map((e) => e.getAttribute("heading")).join("\n") + "\n" + document.body.innerText);

async function waitForText(block: Frame, needle: string | RegExp, timeout = 60_000) {
  const source = typeof needle === "string" ? needle : needle.source;
  const isRegex = typeof needle !== "string";
  await block.waitForFunction(
    ({ source, isRegex }) => {
      const shown = [...document.querySelectorAll("[heading]")].map((e) => e.getAttribute("heading")).join("\n") + "\n" + document.body.innerText;
      return isRegex ? new RegExp(source).test(shown) : shown.includes(source);
    },
    { source, isRegex },
    { timeout },
  );
}

async function shot(page: Page, name: string, docs?: string) {
  await page.waitForTimeout(150); // the frame's height follows its content
  const file = await screenshot(page, name);
  // DOCS_SCREENSHOTS=1 also refreshes the copies in docs/screenshots/ (committed; open them after).
  if (docs && process.env.DOCS_SCREENSHOTS === "1") {
    mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
    copyFileSync(file, path.join(DOCS_SCREENSHOTS, docs));
  }
}

async function sendOrderPaid(id: number, customerId: number) {
  const body = JSON.stringify(
    orderPayload({
      id,
      customerId,
      processedAt: new Date().toISOString(),
      lines: [
        { id: id * 10 + 1, price: "60.00", discount: "6.00", productId: 632910392 },
        { id: id * 10 + 2, price: "20.00", quantity: 2, productId: 632910393 },
      ],
      shipping: "5.00",
      discountCodes: ["SPRING"],
    }),
  );
  const response = await fetch(`${app.url}/webhooks/orders/paid`, { method: "POST", body, headers: webhookHeaders("orders/paid", body) });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  ensureExtensionBundles();
  const fake = createShopifyAdminFake();
  const session = offlineSession();
  fake.addShop(TEST_SHOP, fakeShopTokens(session));
  fake.seedCustomer(TEST_SHOP, { id: ADA, numberOfOrders: 1 });
  adminFake = await startShopifyAdminFakeServer(fake);
  app = await startApp();
  db = createPrismaClient(app.databaseUrl);
  await db.session.create({ data: offlineSessionRow(session) });
  const shop = await db.shop.create({ data: { domain: TEST_SHOP } });
  const settings = programSettingsSchema.parse({ pendingDays: 14, welcomeBonusPoints: 100, welcomeCode: { enabled: true, discountType: "percentage", value: "10", validityDays: 30, minSubtotal: "50" } });
  await db.programSettings.create({ data: { shopId: shop.id, version: 1, settings: JSON.stringify(settings), actor: "staff:test" } });
  await db.campaign.create({ data: { shopId: shop.id, name: "Double points", multiplier: "2", startsAt: new Date(Date.now() - 86_400_000), endsAt: new Date(Date.now() + 86_400_000) } });
  await db.reward.create({ data: { shopId: shop.id, name: "$5 off", pointsCost: 500, discountType: "fixed_amount", value: "5" } });
  host = await startUiExtensionHost();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  for (const w of workers) w.child.kill("SIGTERM");
  await browser?.close();
  await host?.close();
  await db?.$disconnect();
  await app?.stop();
  await adminFake?.close();
});

describe("the thank-you and order-status blocks", () => {
  it("a guest sees what the order would earn and is asked to sign up, with no balance", async () => {
    const { page, block, errors } = await open(thankYouScenario(null));
    await waitForText(block, "Earn 188 points on orders like this one", 15_000);
    expect(await text(block)).not.toMatch(/balance/i);
    await shot(page, "thank-you-guest-desktop");
    expect(errors).toEqual([]);
  });

  it("shows the preview at once, then the applied figures and the welcome code once the webhook and the jobs ran", async () => {
    const { page, block, errors } = await open(thankYouScenario(ADA));
    await waitForText(block, "+188 points for this order");
    expect(await text(block)).toContain("Estimate");
    expect(await text(block)).toContain("Your welcome code is being created");
    expect(await text(block)).toContain("Your balance after this order: 0 points available · 288 points pending");
    await shot(page, "thank-you-preview-desktop");

    // orders/paid arrives and a worker applies it, runs the first-order check and creates the code.
    await sendOrderPaid(checkout.orderId, 8001);
    workers.push(spawnWorker(ROOT, { ...app.env, WORKER_MODE: "off", FAKE_ADMIN_URL: adminFake.url }));
    await waitForText(block, /WELCOME-[A-Z0-9]{8}/, 60_000);
    const code = await db.issuedCode.findFirstOrThrow({ where: { source: "welcome" } });
    const shown = await text(block);
    expect(shown).toContain(code.code);
    expect(shown).toContain("Pending");
    expect(shown).not.toContain("Estimate");
    expect(shown).toContain("+100 points welcome bonus");
    expect(shown).toContain("10% off your next order. For orders of $50.00 or more. Valid until");
    expect(shown).toContain("Includes a campaign bonus of 94 points.");
    expect(shown).toContain("Your balance: 0 points available · 288 points pending");
    expect(shown).toContain("500 points more to $5 off");
    // The answers it got: previews first, then applied; each with CORS headers (else fetch would fail).
    const requests = await block.evaluate(() => (window as unknown as { __host: { requests: { url: string; status: number }[] } }).__host.requests);
    expect(requests.every((r) => r.status === 200)).toBe(true);
    expect(requests.length).toBeGreaterThan(1);

    await block.getByRole("button", { name: "Copy code" }).click();
    expect(await block.evaluate(() => (window as unknown as { __host: { calls: string[] } }).__host.calls)).toContain(`copy:${code.code}`);
    expect(await page.evaluate(() => navigator.clipboard.readText()).catch(() => null)).not.toBe("");
    await shot(page, "thank-you-applied-desktop", "thank-you-block-desktop.png");
    expect(errors).toEqual([]);

    const mobile = await open(thankYouScenario(ADA), true);
    await waitForText(mobile.block, code.code);
    await shot(mobile.page, "thank-you-applied-mobile", "thank-you-block-mobile.png");
  });

  it("the order status page shows the applied figures, in the shopper's language", async () => {
    const { page, block } = await open(orderStatusScenario());
    await waitForText(block, "+188 points for this order");
    expect(await text(block)).toContain("WELCOME-");
    await shot(page, "order-status-desktop", "order-status-block-desktop.png");
    const mobile = await open(orderStatusScenario(), true);
    await waitForText(mobile.block, "+188 points for this order");
    await shot(mobile.page, "order-status-mobile", "order-status-block-mobile.png");

    const french = await open(orderStatusScenario(true, "fr"));
    await waitForText(french.block, "+188 points pour cette commande");
    expect(await text(french.block)).toMatch(/Valable jusqu'au \d{1,2} \p{L}+ \d{4}/u);
    await shot(french.page, "order-status-fr-desktop");
  });

  it("before the customer signs in fully, the order status block offers to sign in, then shows the figures", async () => {
    const { block } = await open(orderStatusScenario(false));
    await waitForText(block, "Sign in to see the points this order earned.");
    expect(await block.evaluate(() => (window as unknown as { __host: { requests: unknown[] } }).__host.requests)).toEqual([]);
    await block.getByRole("button", { name: "Sign in" }).click();
    await waitForText(block, "+188 points for this order");
  });
});
