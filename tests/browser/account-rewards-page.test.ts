// The customer account's Rewards page and profile block in Chromium: the bundles Shopify's CLI built
// (extensions/*/dist), rendered by dev/ui-extension-host the way Shopify renders them (the target's
// `shopify` global, session tokens signed with the app's secret, another origin than the app), talking
// to the BUILT app (server.mjs) whose Admin API calls go to the stateful fake. The shopper's points come
// from a real order webhook (earn, welcome bonus, welcome code created through the fake).
// Screenshots: test-output/screenshots/account-*.png (copied to docs/screenshots/ when they change).
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Frame, Page } from "playwright-core";
import { startApp, type RunningApp } from "../../dev/harness/app-server";
import { launchBrowser, screenshot } from "../../dev/harness/browser";
import { createShopifyAdminFake, startShopifyAdminFakeServer, type ShopifyAdminFake, type ShopifyAdminFakeServer } from "../../dev/shopify-admin-fake";
import { startUiExtensionHost, type RunningUiExtensionHost } from "../../dev/ui-extension-host/server";
import { ensureExtensionBundles } from "../../dev/ui-extension-host/build";
import { createPrismaClient, type Db } from "../../app/platform/db.server";
import { appendEntries } from "../../app/ledger/ledger.server";
import { saveSettings } from "../../app/features/program/save-settings.server";
import { programSettingsSchema } from "../../app/domain/settings";
import { fakeShopTokens, offlineSession, offlineSessionRow, TEST_SCOPES, webhookHeaders } from "../../dev/shopify-requests";
import { orderPayload } from "../../dev/payloads/order-fixtures";
import { TEST_API_KEY, TEST_API_SECRET, TEST_SHOP } from "../../dev/harness/test-env";

const root = path.resolve(import.meta.dirname, "../..");
const USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
const MOBILE_USER_AGENT = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1";
const SHOPPER = 1001;
const SHOPPER_GID = `gid://shopify/Customer/${SHOPPER}`;

let fake: ShopifyAdminFake;
let fakeServer: ShopifyAdminFakeServer;
let app: RunningApp;
let host: RunningUiExtensionHost;
let browser: Browser;
let db: Db;
let shopId: string;
let customerId: string;
let previousNodeArgs: string | undefined;

async function applied(webhookId: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const delivery = await db.webhookDelivery.findFirst({ where: { webhookId } });
    if (delivery && delivery.outcome !== "received" && delivery.outcome !== "applying") return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`delivery ${webhookId} was not applied:\n${app.output()}`);
}

async function until<T>(what: string, check: () => Promise<T | null | undefined | false>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}:\n${app.output().slice(-2000)}`);
}

beforeAll(async () => {
  ensureExtensionBundles();
  if (!existsSync(path.join(root, "build/server/index.js"))) throw new Error("build/server/index.js is missing: run `npm run build` (npm run test:browser does)");
  fake = createShopifyAdminFake();
  const session = offlineSession();
  fake.addShop(TEST_SHOP, { ...fakeShopTokens(session), scopes: TEST_SCOPES.split(",") });
  fake.seedCustomer(TEST_SHOP, { id: SHOPPER_GID, numberOfOrders: 1 });
  fakeServer = await startShopifyAdminFakeServer(fake);
  // The app's Admin API calls (the codes it creates) go to the fake, over HTTP, from its own process.
  previousNodeArgs = process.env.APP_NODE_ARGS;
  process.env.APP_NODE_ARGS = "--import tsx --import ./dev/preload-admin-fake-server.mjs";
  app = await startApp({ WORKER_MODE: "inline", FAKE_ADMIN_URL: fakeServer.url });
  db = createPrismaClient(app.databaseUrl);
  await db.session.create({ data: offlineSessionRow(session) });
  shopId = (await db.shop.create({ data: { domain: TEST_SHOP, currencyCode: "USD", ianaTimezone: "America/New_York" } })).id;
  const settings = programSettingsSchema.parse({ pointsPerUnit: "1", welcomeBonusPoints: 100, welcomeCode: { enabled: true, discountType: "percentage", value: "10", validityDays: 30 } });
  await db.$transaction((tx) => saveSettings(tx, shopId, settings, "staff:test"));
  await db.reward.createMany({
    data: [
      { id: "reward-ship", shopId, name: "Free shipping", pointsCost: 300, discountType: "free_shipping", value: "0" },
      { id: "reward-5", shopId, name: "$5 off", pointsCost: 500, discountType: "fixed_amount", value: "5", minSubtotal: "25" },
      { id: "reward-15", shopId, name: "15% off", pointsCost: 1500, discountType: "percentage", value: "15" },
    ],
  });

  // A first order: 120 points, the 100-point welcome bonus and the welcome code (made in the fake).
  const body = JSON.stringify(orderPayload({ id: 1001, customerId: SHOPPER, processedAt: new Date(Date.now() - 3 * 86_400_000).toISOString(), lines: [{ id: 10011, price: "120.00" }] }));
  const res = await fetch(`${app.url}/webhooks/orders/paid`, { method: "POST", body, headers: webhookHeaders("orders/paid", body, { webhookId: "account-order-1001" }) });
  expect(res.status, await res.text()).toBe(200);
  await applied("account-order-1001");
  customerId = (await until("the customer", () => db.customer.findFirst({ where: { shopId, shopifyCustomerId: SHOPPER_GID } }))).id;
  await until("the welcome code", () => db.issuedCode.findFirst({ where: { customerId, source: "welcome", status: "issued" } }));
  await db.$transaction((tx) => appendEntries(tx, [{ shopId, customerId, points: 600, kind: "manual", availableAt: new Date(), idempotencyKey: "account-test:gift", actor: "staff:test", reason: "Birthday gift" }]));

  host = await startUiExtensionHost();
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await db?.$disconnect();
  // The inline worker keeps server.mjs alive after SIGTERM: end it outright, then clean up.
  await app?.crash();
  await app?.stop();
  await fakeServer?.close();
  if (previousNodeArgs === undefined) delete process.env.APP_NODE_ARGS;
  else process.env.APP_NODE_ARGS = previousNodeArgs;
});

interface Opened {
  context: BrowserContext;
  page: Page;
  frame: Frame;
  errors: string[];
}

async function open(extension: "loyalty-rewards-page" | "loyalty-profile-block", options: { mobile?: boolean; locale?: string } = {}): Promise<Opened> {
  const url = host.addScenario({
    extension,
    target: extension === "loyalty-rewards-page" ? "customer-account.page.render" : "customer-account.profile.block.render",
    page: "account-page",
    locale: options.locale ?? "en",
    appUrl: app.url,
    sessionToken: { shop: TEST_SHOP, apiKey: TEST_API_KEY, secret: TEST_API_SECRET, customerGid: SHOPPER_GID },
    api: {},
    chrome: { shopName: "Test shop", title: extension === "loyalty-profile-block" ? "Profile" : "" },
  });
  const context = await browser.newContext({
    viewport: options.mobile ? { width: 390, height: 844 } : { width: 1280, height: 900 },
    userAgent: options.mobile ? MOBILE_USER_AGENT : USER_AGENT,
    isMobile: options.mobile ?? false,
    hasTouch: options.mobile ?? false,
    deviceScaleFactor: 1,
    locale: options.locale === "fr" ? "fr-FR" : "en-US",
    timezoneId: "America/New_York",
  });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: host.url });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  // Chromium's "Failed to load resource" lines name no URL: failed answers are collected by URL instead,
  // all but the browser's own favicon request (the host serves none).
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) errors.push(message.text());
  });
  page.on("response", (response) => {
    if (response.status() >= 400 && !response.url().endsWith("/favicon.ico")) errors.push(`${response.status()} ${response.url()}`);
  });
  expect((await page.goto(url))?.status()).toBe(200);
  const frame = await until("the extension frame", async () => page.frames().find((f) => f.url().includes("/frame/")));
  await frame.waitForFunction(() => (window as any).__host?.ready || (window as any).__host?.error);
  const hostError = await frame.evaluate(() => (window as any).__host.error as string | null);
  expect(hostError).toBeNull();
  return { context, page, frame, errors };
}

const balanceText = (frame: Frame) => frame.locator("s-section[heading='Your points'] s-heading").innerText();
const codeCards = (frame: Frame) => frame.locator("s-section[heading='Your discount codes'] s-box");

async function settle(page: Page) {
  // The frame grows with its content (chrome.js): wait for the layout before a full-page screenshot.
  await page.waitForTimeout(150);
}

describe("the Rewards page (customer-account.page.render)", () => {
  it("shows the balance, the rewards, the welcome code with its terms, and the history with its reasons", async () => {
    const { context, page, frame, errors } = await open("loyalty-rewards-page");
    await frame.getByText("820 points").first().waitFor();
    expect(await balanceText(frame)).toBe("820 points");
    // Rewards: the two within reach have a Redeem button; the third says how far it is.
    await frame.getByRole("button", { name: "Redeem $5 off for 500 points" }).waitFor();
    await frame.getByRole("button", { name: "Redeem Free shipping for 300 points" }).waitFor();
    await frame.getByText("680 more points needed", { exact: true }).waitFor();
    await frame.getByText("680 more points to unlock 15% off").waitFor();
    // The welcome code, with its value, minimum and end date (the shop's day, in the shopper's words).
    const welcome = await db.issuedCode.findFirstOrThrow({ where: { customerId, source: "welcome" } });
    const card = codeCards(frame).filter({ hasText: welcome.code });
    await card.waitFor();
    const endDay = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "America/New_York" }).format(welcome.endsAt);
    for (const text of ["Welcome gift", "10% off", "No minimum order", `Valid until ${endDay}`]) await card.getByText(text).waitFor();
    // History, newest first, each line with its reason.
    const history = frame.locator("s-section[heading='Points history']");
    for (const text of ["Adjustment", "Welcome bonus #1001", "Points for order #1001", "+600", "+100", "+120"]) await history.getByText(text, { exact: true }).first().waitFor();
    await settle(page);
    await screenshot(page, "account-rewards-page-desktop");
    // Copy: the code reaches the clipboard and a toast confirms it.
    await card.getByRole("button", { name: `Copy code ${welcome.code}` }).click();
    await frame.waitForFunction((code) => (window as any).__host.calls.includes(`copy:${code}`), welcome.code);
    await frame.getByText("Code copied").waitFor();
    // The page asked only the app, with the session token, and got 200.
    const requests = await frame.evaluate(() => (window as any).__host.requests as { url: string; status: number }[]);
    expect(requests).toEqual([expect.objectContaining({ url: `${app.url}/extension-api/account`, status: 200 })]);
    expect(errors, errors.join("\n")).toEqual([]);
    await context.close();
  });

  it("Redeem: a new code is listed with its terms and the balance drops, without reloading", async () => {
    const { context, page, frame, errors } = await open("loyalty-rewards-page");
    await frame.getByText("820 points").first().waitFor();
    await frame.getByRole("button", { name: "Redeem $5 off for 500 points" }).click();
    const banner = frame.locator("s-banner[tone='success']");
    await banner.waitFor();
    const code = await db.issuedCode.findFirstOrThrow({ where: { customerId, source: "redemption" } });
    expect(code.status).toBe("issued");
    expect(await banner.getAttribute("heading")).toBe(`Your code is ready: ${code.code}`);
    await until("the balance to drop", async () => (await balanceText(frame)) === "320 points");
    const card = codeCards(frame).filter({ hasText: code.code });
    for (const text of ["Redeemed reward", "$5.00 off", "On orders of $25.00 or more"]) await card.getByText(text).waitFor();
    // Now 500 points short of $5 off: no Redeem button for it any more; the code exists in Shopify.
    await frame.getByText("180 more points needed", { exact: true }).waitFor();
    expect(await frame.getByRole("button", { name: "Redeem $5 off for 500 points" }).count()).toBe(0);
    expect(fake.findDiscountByCode(TEST_SHOP, code.code)).toMatchObject({ customers: [SHOPPER_GID], usageLimit: 1 });
    await frame.locator("s-section[heading='Points history']").getByText("Reward: $5 off").waitFor();
    await settle(page);
    await screenshot(page, "account-rewards-page-redeemed-desktop");
    expect(errors, errors.join("\n")).toEqual([]);
    await context.close();
  });

  it("429 and 409 answers read as messages, and the page shows what is true afterwards", async () => {
    const { context, page, frame } = await open("loyalty-rewards-page", { mobile: true });
    await frame.getByText("320 points").first().waitFor();
    await frame.getByText("Redeemed reward").waitFor();
    await settle(page);
    await screenshot(page, "account-rewards-page-mobile");
    const redeemShipping = frame.getByRole("button", { name: "Redeem Free shipping for 300 points" });

    // The customer's limit used up elsewhere (the storefront panel shares it): 429 with Retry-After.
    await db.proxyRequest.createMany({ data: Array.from({ length: 5 }, (_, i) => ({ shopId, customerId: SHOPPER_GID, signature: `storefront-${i}` })) });
    await redeemShipping.click();
    const refused = frame.locator("s-banner[tone='critical']");
    await refused.getByText(/^Too many attempts\. Please wait \d+ seconds and try again\.$/).waitFor();
    await settle(page);
    await screenshot(page, "account-rewards-page-rate-limited-mobile");
    await db.proxyRequest.deleteMany({ where: { shopId } });

    // The balance spent elsewhere since the page loaded: 409, the message, and the page refreshed.
    await db.$transaction((tx) => appendEntries(tx, [{ shopId, customerId, points: -100, kind: "manual", availableAt: new Date(), idempotencyKey: "account-test:spent", actor: "staff:test", reason: "correction" }]));
    await redeemShipping.click();
    await refused.getByText("You don't have enough points for this reward yet.").waitFor();
    await until("the refreshed balance", async () => (await balanceText(frame)) === "220 points");
    await frame.getByText("80 more points needed", { exact: true }).waitFor();

    // A replayed request (the same token and request id sent again) is refused once served.
    await db.$transaction((tx) => appendEntries(tx, [{ shopId, customerId, points: 100, kind: "manual", availableAt: new Date(), idempotencyKey: "account-test:back", actor: "staff:test", reason: "correction" }]));
    await page.reload();
    const reloaded = await until("the extension frame", async () => page.frames().find((f) => f.url().includes("/frame/")));
    await reloaded.waitForFunction(() => (window as any).__host?.ready);
    await reloaded.getByText("320 points").first().waitFor();
    await page.route(`${app.url}/extension-api/account/redeem`, async (route) => {
      if (route.request().method() !== "POST") return route.continue();
      await route.fetch(); // delivered once: the code is made
      await route.fulfill({ response: await route.fetch() }); // the same request again: what the page sees
    });
    await reloaded.getByRole("button", { name: "Redeem Free shipping for 300 points" }).click();
    await reloaded.locator("s-banner[tone='critical']").getByText("This request was already handled. Refresh the page to see your codes.").waitFor();
    await until("the served request's code", () => db.issuedCode.findFirst({ where: { customerId, source: "redemption", pointsSpent: 300 } }));
    expect(await db.issuedCode.count({ where: { customerId, source: "redemption", pointsSpent: 300 } })).toBe(1);
    await page.unroute(`${app.url}/extension-api/account/redeem`);
    await until("the summary reloaded after the 409", async () => (await balanceText(reloaded)) === "20 points");
    await context.close();
  });

  it("speaks the shopper's language: French strings, numbers and dates", async () => {
    const { context, page, frame, errors } = await open("loyalty-rewards-page", { locale: "fr" });
    // Section headings are attributes of s-section, as Shopify's components take them.
    const { balance } = await db.customer.findUniqueOrThrow({ where: { id: customerId } });
    await frame.locator("s-page[heading='Récompenses'] s-section[heading='Vos points']").getByText(`${balance} points`, { exact: true }).waitFor();
    await frame.locator("s-section[heading='Historique des points']").getByText("Points pour la commande #1001").waitFor();
    const welcome = await db.issuedCode.findFirstOrThrow({ where: { customerId, source: "welcome" } });
    const endDay = new Intl.DateTimeFormat("fr", { dateStyle: "long", timeZone: "America/New_York" }).format(welcome.endsAt);
    await frame.getByText(`Valable jusqu'au ${endDay}`).waitFor();
    await frame.getByText("10 % de réduction").first().waitFor();
    await settle(page);
    await screenshot(page, "account-rewards-page-fr-desktop");
    expect(errors, errors.join("\n")).toEqual([]);
    await context.close();
  });
});

describe("the profile block (customer-account.profile.block.render)", () => {
  for (const mobile of [false, true]) {
    it(`shows the balance, the codes ready to use and a link to the Rewards page (${mobile ? "mobile 390" : "desktop 1280"})`, async () => {
      const { context, page, frame, errors } = await open("loyalty-profile-block", { mobile });
      const balance = await db.customer.findUniqueOrThrow({ where: { id: customerId } });
      const codes = await db.issuedCode.count({ where: { customerId, status: "issued" } });
      await frame.getByText(`${balance.balance} points`).waitFor();
      await frame.getByText(`${codes} discount codes ready to use`).waitFor();
      const link = frame.locator("s-link", { hasText: "View rewards" });
      expect(await link.getAttribute("href")).toBe("extension:loyalty-rewards-page/");
      await settle(page);
      await screenshot(page, `account-profile-block-${mobile ? "mobile" : "desktop"}`);
      expect(errors, errors.join("\n")).toEqual([]);
      await context.close();
    });
  }
});

describe("the Rewards page under a double click", () => {
  it("a double click on Redeem redeems once", async () => {
    // Whatever the tests above left: top up so Free shipping (300) is affordable twice, so only the page
    // can stop the second; clear the rate limit's record so the server would accept a second attempt.
    const before = await db.customer.findUniqueOrThrow({ where: { id: customerId } });
    const topUp = 600 - before.balance;
    await db.$transaction((tx) =>
      appendEntries(tx, [{ shopId, customerId, points: topUp, kind: "manual", availableAt: new Date(), idempotencyKey: "account-test:double-click", actor: "staff:test", reason: "Test top-up" }]),
    );
    await db.proxyRequest.deleteMany({ where: { shopId } });
    const codesBefore = await db.issuedCode.count({ where: { customerId, source: "redemption" } });
    const { context, frame, errors } = await open("loyalty-rewards-page");
    await frame.getByText("600 points").first().waitFor();
    await frame.getByRole("button", { name: "Redeem Free shipping for 300 points" }).dblclick();
    await frame.locator("s-banner[tone='success']").waitFor();
    await until("the balance to drop", async () => (await balanceText(frame)) === "300 points");
    await new Promise((r) => setTimeout(r, 500));
    expect(await db.issuedCode.count({ where: { customerId, source: "redemption" } })).toBe(codesBefore + 1);
    expect((await db.customer.findUniqueOrThrow({ where: { id: customerId } })).balance).toBe(300);
    expect(errors, errors.join("\n")).toEqual([]);
    await context.close();
  });
});
