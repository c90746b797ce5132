// What every part of the demo agrees on: the project root, the demo shop, the app's credentials (read
// from the environment exactly as the app reads them) and the base URL the demo server answers on.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "..");

/** The one shop of the demo. Its offline session carries DEMO_ACCESS_TOKEN; the Admin fake knows the same token. */
export const DEMO_SHOP = "demo-shop.myshopify.com";
export const DEMO_SHOP_NAME = "Demo Shop";
export const DEMO_ACCESS_TOKEN = "shpat_demo_offline_token";
/** The staff member the admin frame's session tokens are issued for (JWT `sub`). */
export const DEMO_STAFF_USER_ID = "70001";
export const APP_PROXY_PREFIX = "/apps/loyalty";
export const APP_NAME = "Loyalty & Welcome";
export const DEFAULT_PORT = 3000;

/** Values for the variables .env.example lists, used when neither the shell nor .env sets them. */
export const DEMO_ENV_DEFAULTS: Record<string, string> = {
  SHOPIFY_API_KEY: "demo-api-key",
  SHOPIFY_API_SECRET: "demo-api-secret",
  SCOPES: "read_orders,read_customers,write_customers,write_discounts,write_app_proxy",
  DATABASE_URL: "file:./prisma/dev.sqlite",
  WORKER_MODE: "inline",
  LOG_LEVEL: "warn",
};

/** Loads ROOT/.env without overriding what the shell set, then fills the demo defaults. */
export function loadDemoEnv(): void {
  const file = path.join(ROOT, ".env");
  if (existsSync(file)) process.loadEnvFile(file);
  for (const [name, value] of Object.entries(DEMO_ENV_DEFAULTS)) {
    if (!process.env[name]) process.env[name] = value;
  }
}

export function demoPort(): number {
  const port = Number(process.env.PORT ?? DEFAULT_PORT);
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : DEFAULT_PORT;
}

/** Where a browser on this machine reaches the demo (and the app: they share the server). */
export function demoBaseUrl(port = demoPort()): string {
  return `http://localhost:${port}`;
}

export function apiKey(): string {
  return required("SHOPIFY_API_KEY");
}

export function apiSecret(): string {
  return required("SHOPIFY_API_SECRET");
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (copy .env.example to .env, or run npm run demo which does it)`);
  return value;
}

/** base64url of admin.shopify.com/store/<handle>: the `host` parameter Shopify admin passes to embedded apps. */
export function hostParam(shop = DEMO_SHOP): string {
  return Buffer.from(`admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}`).toString("base64url");
}

export function readJsonFile<T>(file: string): T | null {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return null;
  }
}
