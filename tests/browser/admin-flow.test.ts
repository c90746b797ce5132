// The admin's Shopify Flow page in Chromium against the BUILT app: Flow turns two triggers on for the
// shop (signed lifecycle callbacks), a workflow runs "Adjust loyalty points" twice (signed action
// runs, one refused), and the page lists the triggers with their state, the recipe and the runs, on a
// desktop and a phone width. Screenshots: docs/screenshots/admin-flow-{desktop,mobile}.png.
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { getJwt } from "@shopify/shopify-api/test-helpers";
import { startApp, type RunningApp } from "../../dev/harness/app-server";
import { launchBrowser, newAdminPage } from "../../dev/harness/browser";
import { createPrismaClient, type Db } from "../../app/platform/db.server";
import { offlineSession, offlineSessionRow } from "../../dev/shopify-requests";
import { TEST_API_KEY, TEST_API_SECRET, TEST_SHOP } from "../../dev/harness/test-env";

const AXE = readFileSync(path.resolve(import.meta.dirname, "../../node_modules/axe-core/axe.min.js"), "utf8");
// DOCS_SCREENSHOTS=1 refreshes the committed copies in docs/screenshots/; a plain run writes to test-output/.
const DOCS_SCREENSHOTS = path.resolve(import.meta.dirname, process.env.DOCS_SCREENSHOTS === "1" ? "../../docs/screenshots" : "../../test-output/screenshots");

let app: RunningApp;
let browser: Browser;
let db: Db;
let page: Page;

const token = async () => (await getJwt(TEST_SHOP.replace(".myshopify.com", ""), TEST_API_KEY, TEST_API_SECRET)).token;

async function signedPost(pathname: string, body: unknown): Promise<Response> {
  const text = JSON.stringify(body);
  return fetch(`${app.url}${pathname}`, {
    method: "POST",
    body: text,
    headers: { "Content-Type": "application/json", "X-Shopify-Hmac-Sha256": createHmac("sha256", TEST_API_SECRET).update(text, "utf8").digest("base64") },
  });
}

async function open(pathname: string): Promise<void> {
  const params = new URLSearchParams({ embedded: "1", shop: TEST_SHOP, host: Buffer.from("admin.shopify.com/store/test-shop").toString("base64url"), id_token: await token() });
  const response = await page.goto(`${app.url}${pathname}?${params}`);
  expect(response?.status(), app.output()).toBe(200);
  await page.waitForLoadState("networkidle");
}

beforeAll(async () => {
  app = await startApp({ WORKER_MODE: "off" });
  browser = await launchBrowser();
  db = createPrismaClient(app.databaseUrl);
  await db.session.create({ data: offlineSessionRow(offlineSession()) });
  const shop = await db.shop.create({ data: { domain: TEST_SHOP, ianaTimezone: "America/New_York" } });
  await db.customer.create({ data: { shopId: shop.id, shopifyCustomerId: "gid://shopify/Customer/9001", balance: 0 } });
  page = await newAdminPage(browser, { apiKey: TEST_API_KEY, shop: TEST_SHOP, sessionToken: token });
});

afterAll(async () => {
  await page?.close();
  await db?.$disconnect();
  await browser?.close();
  await app?.stop();
});

describe("the Shopify Flow page", () => {
  it("shows which triggers a workflow uses, the recipe and the action's runs, readable on desktop and phone", async () => {
    const at = new Date().toISOString();
    for (const handle of ["loyalty-reward-code-issued", "loyalty-points-earned"]) {
      const res = await signedPost("/flow/lifecycle", { flow_trigger_definition_id: handle, has_enabled_flow: true, shop_id: 1, shopify_domain: TEST_SHOP, timestamp: at });
      expect(res.status, app.output()).toBe(200);
    }
    const run = (id: string, points: number, reason: string) =>
      signedPost("/flow/actions/adjust-points", { shopify_domain: TEST_SHOP, action_run_id: id, handle: "loyalty-adjust-points", properties: { customer_id: 9001, points, reason } });
    expect((await run("run-review", 150, "Thanks for your review")).status, app.output()).toBe(200);
    expect((await run("run-take", -500, "Returned gift")).status).toBe(422);

    await open("/app/flow");
    await page.getByText("Recipe: send the welcome code by email").waitFor();
    expect(await page.getByText("In use").count()).toBe(2);
    expect(await page.getByText("No workflow yet").count()).toBe(1);
    await page.getByText("Thanks for your review").waitFor();
    await page.getByText("Refused: Cannot take 500 points: the customer has 150.").waitFor();
    await page.getByText("+150 applied").waitFor();

    await page.evaluate(AXE);
    const violations = await page.evaluate(async () => {
      const result = await (window as any).axe.run(document, { resultTypes: ["violations"] });
      return result.violations.filter((v: any) => v.impact === "serious" || v.impact === "critical").map((v: any) => v.id);
    });
    expect(violations).toEqual([]);

    await page.screenshot({ path: path.join(DOCS_SCREENSHOTS, "admin-flow-desktop.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(200);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(DOCS_SCREENSHOTS, "admin-flow-mobile.png"), fullPage: true });
  });
});
