import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { getJwt } from "@shopify/shopify-api/test-helpers";
import { startApp, type RunningApp } from "../../dev/harness/app-server";
import { signedOrderPaid } from "../../bench/lib";
import { launchBrowser, newAdminPage, screenshot } from "../../dev/harness/browser";
import { createPrismaClient } from "../../app/platform/db.server";
import { offlineSession, offlineSessionRow } from "../../dev/shopify-requests";
import { TEST_API_KEY, TEST_API_SECRET, TEST_SHOP } from "../../dev/harness/test-env";

let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  // The offline session token exchange stores on install.
  const db = createPrismaClient(app.databaseUrl);
  const s = offlineSession();
  await db.session.create({ data: offlineSessionRow(s) });
  await db.$disconnect();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("the built app in Chromium", () => {
  it("serves the public landing page and the login page", async () => {
    const page = await browser.newPage();
    const landing = await page.goto(app.url + "/");
    expect(landing?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toContain("Loyalty");
    await screenshot(page, "landing");
    const login = await page.goto(app.url + "/auth/login");
    expect(login?.status()).toBe(200);
    await page.getByLabel("Shop domain").fill("not a shop");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByText("Please enter a valid shop domain to log in").waitFor({ timeout: 10_000 });
    await screenshot(page, "login-invalid-shop");
    await page.close();
  });

  it("answers a signed order webhook with 200 and a forged one with 401, over HTTP", async () => {
    const { url, init } = signedOrderPaid(app.url);
    const ok = await fetch(url, init);
    expect(ok.status, app.output()).toBe(200);
    expect(await ok.json()).toMatchObject({ ok: true, outcome: "received" }); // stored; the applier applies it (docs/decisions/007)
    const { url: url2, init: init2 } = signedOrderPaid(app.url);
    const forged = await fetch(url2, { ...init2, headers: { ...(init2.headers as Record<string, string>), "X-Shopify-Hmac-Sha256": "AAAA" } });
    expect(forged.status).toBe(401);
  });

  it("opens the embedded admin home with a valid session token", async () => {
    const token = async () => (await getJwt(TEST_SHOP.replace(".myshopify.com", ""), TEST_API_KEY, TEST_API_SECRET)).token;
    const page = await newAdminPage(browser, { apiKey: TEST_API_KEY, shop: TEST_SHOP, sessionToken: token });
    const params = new URLSearchParams({ embedded: "1", shop: TEST_SHOP, host: Buffer.from(`admin.shopify.com/store/test-shop`).toString("base64url"), id_token: await token() });
    const response = await page.goto(`${app.url}/app?${params}`);
    expect(response?.status(), app.output()).toBe(200);
    await page.getByText("Points outstanding").waitFor();
    await screenshot(page, "admin-home");
    await page.close();
  });
});
