// The environment every integration test (and the browser harness) runs with. The Shopify values
// are those of Shopify's own test helpers, so requests they sign are valid for the app.
import os from "node:os";
import path from "node:path";

export const TEST_API_KEY = "testApiKey";
export const TEST_API_SECRET = "testApiSecretKey";
export const TEST_APP_URL = "https://my-test-app.myshopify.io";
export const TEST_SHOP = "test-shop.myshopify.com";

/** A fresh database per test run: a temp SQLite file, or a new PostgreSQL database when TEST_POSTGRES_URL is set. */
export function testDatabaseUrl(runId: string): string {
  const pg = process.env.TEST_POSTGRES_URL;
  if (pg) {
    const url = new URL(pg);
    url.pathname = `/loyalty_test_${runId}`;
    return url.toString();
  }
  return `file:${path.join(os.tmpdir(), `loyalty-test-${runId}.sqlite`)}`;
}

export function testEnv(databaseUrl: string): Record<string, string> {
  return {
    NODE_ENV: "test",
    SHOPIFY_API_KEY: TEST_API_KEY,
    SHOPIFY_API_SECRET: TEST_API_SECRET,
    SHOPIFY_APP_URL: TEST_APP_URL,
    SCOPES: "read_orders,read_customers,write_customers,write_discounts,write_app_proxy",
    DATABASE_URL: databaseUrl,
    WORKER_MODE: "off",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "error",
  };
}
