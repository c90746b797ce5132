// The merchant admin in Chromium, against the BUILT app (npx remix vite:build first) on a fresh
// database: every page opens with a valid session token, forms are filled the way a merchant fills
// them, every page is screenshotted into test-output/screenshots/ and checked with axe-core.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { getJwt } from "@shopify/shopify-api/test-helpers";
import { startApp, type RunningApp } from "../../dev/harness/app-server";
import { launchBrowser, newAdminPage, screenshot } from "../../dev/harness/browser";
import { createPrismaClient, type Db } from "../../app/platform/db.server";
import { offlineSession, offlineSessionRow, webhookHeaders } from "../../dev/shopify-requests";
import { orderPayload } from "../../dev/payloads/order-fixtures";
import { dataRequestPayload } from "../../dev/payloads/webhook-samples";
import { TEST_API_KEY, TEST_API_SECRET, TEST_SHOP } from "../../dev/harness/test-env";

const AXE = readFileSync(path.resolve(import.meta.dirname, "../../node_modules/axe-core/axe.min.js"), "utf8");

let app: RunningApp;
let browser: Browser;
let db: Db;
let page: Page;

const token = async () => (await getJwt(TEST_SHOP.replace(".myshopify.com", ""), TEST_API_KEY, TEST_API_SECRET)).token;

/**
 * In Shopify admin the contextual save bar is App Bridge's `ui-save-bar` element, with show() and
 * hide(). The harness's stand-in defines it as a bare element; this one (defined first) records
 * whether the bar is showing, and its buttons stay clickable the way the admin clicks them.
 */
const SAVE_BAR_STAND_IN = `
  customElements.define("ui-save-bar", class extends HTMLElement {
    get showing() { return this.hasAttribute("data-showing"); }
    async show() { this.setAttribute("data-showing", ""); window.__saveBarShowing = true; this.dispatchEvent(new Event("show")); }
    async hide() { this.removeAttribute("data-showing"); window.__saveBarShowing = false; this.dispatchEvent(new Event("hide")); }
    async toggle() { return this.showing ? this.hide() : this.show(); }
  });
`;

async function open(path: string, status = 200): Promise<void> {
  const params = new URLSearchParams({
    embedded: "1",
    shop: TEST_SHOP,
    host: Buffer.from("admin.shopify.com/store/test-shop").toString("base64url"),
    id_token: await token(),
  });
  const response = await page.goto(`${app.url}${path}${path.includes("?") ? "&" : "?"}${params}`);
  expect(response?.status(), app.output()).toBe(status);
  await page.waitForLoadState("networkidle");
}

/** axe-core in the page: no serious or critical violations. */
async function expectAccessible(name: string): Promise<void> {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const result = await (window as any).axe.run(document, { resultTypes: ["violations"] });
    return result.violations
      .filter((v: any) => v.impact === "serious" || v.impact === "critical")
      .map((v: any) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n: any) => n.target.join(" ")) }));
  });
  expect(violations, `${name}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

async function toast(message: string): Promise<void> {
  await page.waitForFunction((text) => ((window as any).__toasts ?? []).some((t: { message: string }) => t.message === text), message, { timeout: 10_000 });
}

async function sendOrder(id: number, customerId: number, price: string, processedAt: string, extra: { firstName?: string; lastName?: string } = {}) {
  const payload = orderPayload({ id, customerId, processedAt, lines: [{ id: id * 10, price }] }) as any;
  payload.customer.first_name = extra.firstName ?? payload.customer.first_name;
  payload.customer.last_name = extra.lastName ?? payload.customer.last_name;
  const body = JSON.stringify(payload);
  const res = await fetch(`${app.url}/webhooks/orders/paid`, {
    method: "POST",
    body,
    headers: webhookHeaders("orders/paid", body, { webhookId: `browser-${id}` }),
  });
  expect(res.status, await res.text()).toBe(200);
  await applied(`browser-${id}`);
}

/**
 * The route only stores a delivery (the webhook inbox); the app's inline worker applies it moments
 * later. Waits until it has.
 */
async function applied(webhookId: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const delivery = await db.webhookDelivery.findFirst({ where: { webhookId } });
    if (delivery && delivery.outcome !== "received" && delivery.outcome !== "applying") return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`delivery ${webhookId} was not applied:\n${app.output()}`);
}

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

beforeAll(async () => {
  // The inline worker applies stored webhooks in the app's process, as in production.
  app = await startApp({ WORKER_MODE: "inline" });
  browser = await launchBrowser();
  db = createPrismaClient(app.databaseUrl);
  const s = offlineSession();
  await db.session.create({ data: offlineSessionRow(s) });
  await db.shop.create({ data: { domain: TEST_SHOP, ianaTimezone: "America/New_York" } });
  page = await newAdminPage(browser, { apiKey: TEST_API_KEY, shop: TEST_SHOP, sessionToken: token });
  await page.addInitScript(SAVE_BAR_STAND_IN);
});

afterAll(async () => {
  await page?.close();
  await db?.$disconnect();
  await browser?.close();
  // server.mjs closes its server on SIGTERM, but the inline worker's loops keep the process alive
  // (the app has no shutdown hook for it): end it outright, then clean up.
  await app?.crash();
  await app?.stop();
});

describe("merchant admin in Chromium", () => {
  it("home: a new shop sees the onboarding checklist", async () => {
    await open("/app");
    await page.getByText("Get your loyalty program live").waitFor();
    await expect(page.getByText("0 of 4 done").isVisible()).resolves.toBe(true);
    await page.getByLabel("I've added the block to my theme").check();
    await page.getByText("1 of 4 done").waitFor();
    await screenshot(page, "admin-page-home-onboarding");
    await expectAccessible("home (onboarding)");
  });

  it("settings: an invalid value shows its error inline and saves nothing; a valid save shows a toast", async () => {
    await open("/app/settings");
    const rate = page.getByLabel("Points per 1 USD spent");
    await expect(rate.inputValue()).resolves.toBe("1");
    await expect(page.evaluate(() => (window as any).__saveBarShowing ?? false)).resolves.toBe(false);

    await rate.fill("1,5");
    await page.getByLabel("Pending period").fill("400");
    await page.waitForFunction(() => (window as any).__saveBarShowing === true);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Enter a number like 1 or 0.5 (no currency symbols or commas)").waitFor();
    await page.getByText("Pending days must be at most 365").waitFor();
    await page.getByText("2 fields need changes before the settings can be saved").waitFor();
    await expect(rate.getAttribute("aria-invalid")).resolves.toBe("true");
    await toast("Fix the highlighted fields to save");
    await screenshot(page, "admin-page-settings-invalid");
    await expectAccessible("settings (errors)");
    expect(await db.programSettings.count()).toBe(0);

    await rate.fill("2");
    await page.getByLabel("Pending period").fill("14");
    await page.getByLabel("Send a thank-you discount code after the first order").check();
    await page.getByLabel("Discount value").fill("15");
    await page.getByLabel("Welcome bonus points").fill("100");
    // Save from the contextual save bar, as Shopify admin does when the merchant clicks its Save.
    await page.locator('ui-save-bar button[variant="primary"]').dispatchEvent("click");
    await toast("Settings saved");
    await page.waitForFunction(() => (window as any).__saveBarShowing === false);
    await expect(page.getByText("Enter a number like 1 or 0.5").count()).resolves.toBe(0);
    const saved = await db.programSettings.findMany();
    expect(saved).toHaveLength(1);
    expect(JSON.parse(saved[0]!.settings)).toMatchObject({
      pointsPerUnit: "2",
      pendingDays: 14,
      welcomeBonusPoints: 100,
      welcomeCode: { enabled: true, value: "15" },
    });
    await screenshot(page, "admin-page-settings-saved");
  });

  it("settings: adds a reward inline", async () => {
    await page.getByRole("button", { name: "Add reward" }).first().click();
    await page.getByLabel("Reward name").fill("$5 off your next order");
    await page.getByLabel("Points cost").fill("0");
    await page.getByLabel("Amount off").fill("5");
    await page.getByRole("button", { name: "Add reward" }).last().click();
    await page.getByText("Points cost must be at least 1").waitFor();
    await page.getByLabel("Points cost").fill("500");
    await page.getByRole("button", { name: "Add reward" }).last().click();
    await toast("Reward added");
    await page.getByText("$5.00 off · 500 points · code valid 30 days").waitFor();
    expect(await db.reward.count()).toBe(1);
    await page.locator("#rewards").scrollIntoViewIfNeeded();
    await screenshot(page, "admin-page-settings-rewards");
    await expectAccessible("settings (rewards)");
  });

  it("campaigns: creates a campaign, then a second one that overlaps it and gets a warning", async () => {
    await open("/app/campaigns");
    await page.getByText("Run a double-points weekend").waitFor();
    await screenshot(page, "admin-page-campaigns-empty");
    await expectAccessible("campaigns (empty)");
    await page.getByRole("link", { name: "Create campaign" }).click();
    await page.getByLabel("Name").waitFor();
    await page.getByLabel("Name").fill("Winter double points");
    await page.getByLabel("Points multiplier").fill("2");
    await page.getByLabel("Starts").fill("2027-01-15T00:00");
    await page.getByLabel("Ends").fill("2027-01-18T00:00");
    await page.getByRole("button", { name: "Create campaign" }).click();
    await toast("Campaign created");
    await page.getByText("Scheduled").first().waitFor();
    await page.getByText("Jan 15, 2027, 12:00 AM – Jan 18, 2027, 12:00 AM").waitFor();
    const first = await db.campaign.findFirstOrThrow();
    expect(first.startsAt.toISOString()).toBe("2027-01-15T05:00:00.000Z");

    await open("/app/campaigns/new");
    await page.getByLabel("Name").fill("Saturday triple");
    await page.getByLabel("Points multiplier").fill("1,5");
    await page.getByLabel("Starts").fill("2027-01-16T00:00");
    await page.getByLabel("Ends").fill("2027-01-17T00:00");
    await page.getByText("This campaign runs at the same time as Winter double points").waitFor();
    await page.getByRole("button", { name: "Create campaign" }).click();
    await page.getByText("Enter a multiplier like 2 or 1.5 (at most 4 decimal places)").waitFor();
    await screenshot(page, "admin-page-campaign-new-invalid");
    await page.getByLabel("Points multiplier").fill("3");
    await page.getByRole("button", { name: "Create campaign" }).click();
    await toast("Campaign created");
    await page.getByText("Your settings use the highest multiplier").waitFor();
    await screenshot(page, "admin-page-campaign-overlap");
    await expectAccessible("campaign (overlap)");

    await open("/app/campaigns");
    await page.getByText("Saturday triple").waitFor();
    await expect(page.getByText("Overlaps").count()).resolves.toBe(2);
    await screenshot(page, "admin-page-campaigns-list");
    await expectAccessible("campaigns (list)");
  });

  it("customers: finds a customer, adjusts points, and confirms a deduction below zero", async () => {
    await sendOrder(1001, 7001, "120.00", daysAgo(40), { firstName: "Ada", lastName: "Lovelace" });
    await sendOrder(1002, 7001, "80.00", daysAgo(2), { firstName: "Ada", lastName: "Lovelace" });
    await sendOrder(1003, 7002, "45.00", daysAgo(1), { firstName: "Grace", lastName: "Hopper" });
    await sendOrder(1004, 7003, "310.00", daysAgo(35), { firstName: "Alan", lastName: "Turing" });
    await open("/app/customers");
    await page.getByRole("link", { name: "Ada Lovelace" }).waitFor();
    await screenshot(page, "admin-page-customers");
    await expectAccessible("customers");

    await page.getByRole("button", { name: /Search and filter/ }).click();
    await page.getByPlaceholder("Search by name or email").fill("hopper");
    await page.waitForURL(/q=hopper/);
    await page.getByRole("link", { name: "Grace Hopper" }).waitFor();
    await expect(page.getByRole("link", { name: "Ada Lovelace" }).count()).resolves.toBe(0);
    await screenshot(page, "admin-page-customers-search");

    await page.getByRole("link", { name: "Grace Hopper" }).click();
    await page.getByText("Points history").waitFor();
    // 45.00 at 2 points per dollar, pending for the 14 days saved above.
    await page.getByText("Current balance: 0").waitFor();
    await page
      .getByText(/Pending until/)
      .first()
      .waitFor();
    await page.getByRole("link", { name: /Order #1003 in Shopify admin/ }).waitFor();
    expect(await page.getByRole("link", { name: /Order #1003 in Shopify admin/ }).getAttribute("href")).toBe("shopify://admin/orders/1003");

    await page.getByLabel("Points", { exact: true }).fill("50");
    await page.getByLabel("Reason").fill("Goodwill for a late delivery");
    await page.getByRole("button", { name: "Adjust points" }).click();
    await toast("+50 points recorded");
    await page.getByText("Reason: Goodwill for a late delivery").waitFor();
    await page.getByText("Current balance: 50").waitFor();

    await page.getByLabel("Points", { exact: true }).fill("-200");
    await page.getByLabel("Reason").fill("Chargeback");
    await page.getByRole("button", { name: "Adjust points" }).click();
    await page.getByText("This leaves Grace Hopper with −150 points").waitFor();
    await page.waitForFunction(() => !document.querySelector(".Polaris-Button--loading"));
    await screenshot(page, "admin-page-customer-confirm-negative");
    await expectAccessible("customer (confirm)");
    await page.getByRole("button", { name: "Deduct anyway" }).click();
    await toast("−200 points recorded");
    await page.getByText("The balance is negative after points were taken back").waitFor();
    await screenshot(page, "admin-page-customer");
    await expectAccessible("customer");
    const grace = await db.customer.findFirstOrThrow({ where: { firstName: "Grace" } });
    expect(grace).toMatchObject({ balance: -150, pending: 90 });
    expect(await db.ledgerEntry.count({ where: { customerId: grace.id, kind: "manual" } })).toBe(2);
  });

  it("codes: lists issued codes and retries a failed job", async () => {
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    const ada = await db.customer.findFirstOrThrow({ where: { firstName: "Ada" } });
    const now = Date.now();
    for (const [i, status] of ["issued", "used", "expired", "failed"].entries()) {
      await db.issuedCode.create({
        data: {
          shopId: shop.id,
          customerId: ada.id,
          code: `REWARD-7K${i}Q3M9X`,
          source: i === 0 ? "welcome" : "redemption",
          rewardSnapshot: JSON.stringify({
            title: "Reward",
            discountType: i === 0 ? "percentage" : "fixed_amount",
            value: i === 0 ? "15" : "5",
            minSubtotal: null,
            combinesWith: {},
          }),
          startsAt: new Date(now - 5 * 86_400_000),
          endsAt: new Date(now + 25 * 86_400_000),
          status,
          usedByOrderId: status === "used" ? "gid://shopify/Order/1002" : null,
          usedRevenue: status === "used" ? "80.00" : null,
          pointsSpent: i === 0 ? 0 : 500,
        },
      });
    }
    const job = await db.outboxJob.create({
      data: {
        shopId: shop.id,
        kind: "create_discount_code",
        payload: "{}",
        dedupeKey: "browser-failed",
        status: "failed",
        attempts: 8,
        lastError: "ACCESS_DENIED: the app is missing the write_discounts scope",
      },
    });
    await open("/app/codes");
    await page.getByText("Failed background jobs").waitFor();
    await page.getByText("REWARD-7K1Q3M9X").waitFor();
    await page.getByRole("link", { name: /Order #1002 in Shopify admin/ }).waitFor();
    await screenshot(page, "admin-page-codes");
    await expectAccessible("codes");
    await page.getByRole("tab", { name: /Used/ }).click();
    await page.waitForURL(/status=used/);
    await page.getByText("REWARD-7K0Q3M9X").waitFor({ state: "detached" });
    await expect(page.getByText("REWARD-7K1Q3M9X").count()).resolves.toBe(1);
    await page.getByRole("tab", { name: /All/ }).click();
    await page.waitForURL((url) => !url.searchParams.has("status"));
    await page.getByRole("button", { name: "Retry Create discount code" }).click();
    await toast("Job queued to run again");
    await page.getByText("Failed background jobs").waitFor({ state: "detached" });
    // Requeued: attempts reset from 8 and the old error cleared. The app's inline worker may already
    // have claimed it (running) or run it again (a new attempt, a new error) by the time this reads it.
    const requeued = await db.outboxJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(requeued.attempts).toBeLessThanOrEqual(1);
    expect(requeued.lastError).not.toBe("ACCESS_DENIED: the app is missing the write_discounts scope");
  });

  it("codes and home: background jobs waiting for Shopify access are shown, with when and why", async () => {
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    await db.outboxJob.create({ data: { shopId: shop.id, kind: "create_discount_code", payload: "{}", dedupeKey: "browser-waiting", status: "needs_reauth", lastError: "ReauthorizationRequired: invalid_grant" } });
    await db.shop.update({ where: { id: shop.id }, data: { adminAuthLostAt: new Date("2026-12-03T09:30:00Z"), adminAuthLostReason: "invalid_grant: the grant was revoked" } });
    try {
      await open("/app/codes");
      await page.getByText("1 background job is waiting for Shopify access").waitFor();
      await page.getByText(/Nothing is lost/).waitFor();
      await screenshot(page, "admin-page-codes-waiting-for-access");
      await expectAccessible("codes waiting for access");
      const desktop = page.viewportSize();
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, "admin-page-codes-waiting-for-access-mobile");
      if (desktop) await page.setViewportSize(desktop);
      // The home page says it too: the merchant may never open the Codes page.
      // By now the app's own worker has parked the shop's other queued jobs too (the job the previous
      // test requeued, metafield syncs): the count has grown, which is what the merchant should see.
      await open("/app");
      await page.getByText(/^\d+ background jobs? (is|are) waiting for Shopify access$/).waitFor();
      await screenshot(page, "admin-page-home-waiting-for-access");
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, "admin-page-home-waiting-for-access-mobile");
      if (desktop) await page.setViewportSize(desktop);
    } finally {
      await db.shop.update({ where: { id: shop.id }, data: { adminAuthLostAt: null, adminAuthLostReason: null } });
      await db.outboxJob.deleteMany({ where: { dedupeKey: "browser-waiting" } });
      // What afterAuth does once access is back: the parked jobs run again.
      await db.outboxJob.updateMany({ where: { status: "needs_reauth" }, data: { status: "queued", runAfter: new Date() } });
    }
  });

  it("home: the dashboard with members, points and the chart", async () => {
    await open("/app");
    await page.getByText("Program overview").waitFor();
    await expect(page.getByText("Get your loyalty program live").count()).resolves.toBe(0);
    await page.locator('[data-testid="points-chart"] svg').first().waitFor();
    await page.getByText("Repeat purchase rate").waitFor();
    await screenshot(page, "admin-page-home");
    await expectAccessible("home");
    await page.getByLabel("Period").selectOption("90");
    await page.waitForURL(/period=90/);
    await page.getByText("in these 90 days").waitFor();
  });

  it("data requests: a customer's export is listed and downloads as JSON; another shop's export is a 404", async () => {
    // Shopify's customers/data_request for Ada (7001), through the signed route; the app applies it.
    const body = JSON.stringify(dataRequestPayload({ customer: { id: 7001, email: "customer7001@example.com", phone: null }, ordersRequested: [1001, 1002], dataRequestId: 4242 }));
    const res = await fetch(`${app.url}/webhooks/customers/data_request`, { method: "POST", body, headers: webhookHeaders("customers/data_request", body, { webhookId: "browser-data-request" }) });
    expect(res.status, await res.text()).toBe(200);
    await applied("browser-data-request");
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    const stored = await db.dataRequestExport.findFirstOrThrow({ where: { shopId: shop.id } });
    // An earlier request whose stored body was removed by an erasure before it could be applied.
    await db.webhookDelivery.create({
      data: { shop: TEST_SHOP, webhookId: "browser-data-request-failed", topic: "customers/data_request", outcome: "failed", reason: "payload redacted", receivedAt: new Date(Date.now() - 86_400_000) },
    });

    await open("/app/privacy");
    await page.getByText("Customer data requests").waitFor();
    await page.getByRole("link", { name: "Ada Lovelace" }).waitFor();
    await page.getByText("#4242").waitFor();
    await page.getByText("What an export contains").waitFor();
    await page.getByText("payload redacted").waitFor();
    await screenshot(page, "admin-page-privacy");
    await expectAccessible("privacy");

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download JSON of Ada Lovelace" }).click()]);
    expect(download.suggestedFilename()).toBe("customer-7001-data-request-4242.json");
    const file = await download.path();
    const exported = JSON.parse(readFileSync(file, "utf8"));
    expect(exported).toEqual(JSON.parse(stored.document));
    expect(exported).toMatchObject({ request: { dataRequestId: "4242" }, customer: { firstName: "Ada", lastName: "Lovelace" } });
    expect(exported.orders.map((o: { orderId: string }) => o.orderId).sort()).toEqual(["gid://shopify/Order/1001", "gid://shopify/Order/1002"]);
    await toast("Export downloaded");

    // Another shop's export id, fetched with this shop's session token: 404, nothing of it sent.
    const other = await db.shop.create({ data: { domain: "third-shop.myshopify.com" } });
    const theirs = await db.dataRequestExport.create({
      data: { shopId: other.id, shopifyCustomerId: "gid://shopify/Customer/1", dataRequestId: "1", webhookId: "x", document: JSON.stringify({ secret: "not yours" }), summary: "{}" },
    });
    const answer = await page.evaluate(async (url) => {
      const r = await fetch(url);
      return { status: r.status, text: await r.text() };
    }, `/app/privacy/exports/${theirs.id}`);
    expect(answer.status).toBe(404);
    expect(answer.text).not.toContain("not yours");
  });

  it("an id that is not this shop's shows a not-found page", async () => {
    const other = await db.shop.create({ data: { domain: "other-shop.myshopify.com" } });
    const theirs = await db.customer.create({ data: { shopId: other.id, shopifyCustomerId: "gid://shopify/Customer/1", firstName: "Not", lastName: "Yours" } });
    await open(`/app/customers/${theirs.id}`, 404);
    await page.getByText("This customer doesn't exist").waitFor();
    await expect(page.getByText("Not Yours").count()).resolves.toBe(0);
    await screenshot(page, "admin-page-customer-not-found");
    await expectAccessible("customer (not found)");
  });
});
