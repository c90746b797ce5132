// Debian's Chromium driven by playwright-core (no browser download). Shopify's CDN is unreachable
// offline: App Bridge gets a local stand-in (see app-bridge-stand-in.ts), fonts an empty sheet.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { appBridgeStandIn } from "./app-bridge-stand-in";

export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, "../../test-output/screenshots");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// Shopify's library answers requests from bots (isbot: "HeadlessChrome") with 410; a merchant's browser is not one.
const USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** A page whose requests to Shopify's CDN are answered locally. `sessionToken` feeds App Bridge's idToken(). */
export async function newAdminPage(browser: Browser, options: { apiKey: string; shop: string; sessionToken: () => Promise<string> }): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, userAgent: USER_AGENT });
  await context.exposeFunction("__testSessionToken", options.sessionToken);
  await context.route(/^https:\/\/cdn\.shopify\.com\//, async (route) => {
    const url = route.request().url();
    if (url.includes("app-bridge.js")) return route.fulfill({ contentType: "text/javascript", body: appBridgeStandIn({ apiKey: options.apiKey, shop: options.shop }) });
    if (url.endsWith(".css")) return route.fulfill({ contentType: "text/css", body: "" });
    return route.fulfill({ status: 404, body: "" });
  });
  return context.newPage();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
