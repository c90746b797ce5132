import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const config = parse(readFileSync(path.join(root, "shopify.app.toml"), "utf8")) as any;
const subscriptions: { topics?: string[]; compliance_topics?: string[]; uri: string }[] = config.webhooks.subscriptions;

describe("shopify.app.toml is the contract", () => {
  it("every webhook subscription's uri has a route file that exports an action", async () => {
    expect(subscriptions.length).toBeGreaterThanOrEqual(8);
    for (const sub of subscriptions) {
      const routeFile = path.join(root, "app/routes", `${sub.uri.slice(1).replaceAll("/", ".")}.tsx`);
      expect(existsSync(routeFile), `${sub.uri} -> ${routeFile}`).toBe(true);
      const mod = await import(routeFile);
      expect(typeof mod.action, sub.uri).toBe("function");
      // The uri names the topic it receives: one thin route file per topic.
      const topics = [...(sub.topics ?? []), ...(sub.compliance_topics ?? [])];
      expect(topics).toEqual([sub.uri.replace("/webhooks/", "")]);
    }
  });

  it("the production server's webhook shortcut serves exactly the declared endpoints, with the routes' handlers", async () => {
    const { webhookHandlerForPath } = await import("../../app/webhooks/shortcut.server");
    for (const sub of subscriptions) {
      const handler = webhookHandlerForPath(sub.uri);
      expect(handler?.topic, sub.uri).toBe(sub.uri.replace("/webhooks/", ""));
    }
    // Anything else under /webhooks/ is left to Remix (which answers 404 for unknown paths).
    expect(webhookHandlerForPath("/webhooks/orders/create")).toBeNull();
    expect(webhookHandlerForPath("/webhooks/")).toBeNull();
    expect(webhookHandlerForPath("/app/webhooks/orders/paid")).toBeNull();
  });

  it("subscribes the three mandatory compliance topics and the order topics", () => {
    const compliance = subscriptions.flatMap((s) => s.compliance_topics ?? []);
    expect(compliance.sort()).toEqual(["customers/data_request", "customers/redact", "shop/redact"]);
    const topics = subscriptions.flatMap((s) => s.topics ?? []);
    expect(topics).toEqual(expect.arrayContaining(["app/uninstalled", "app/scopes_update", "orders/paid", "orders/cancelled", "refunds/create"]));
  });

  it("pins the same API version as the app and declares the app proxy and scopes", async () => {
    const { apiVersion } = await import("../../app/shopify.server");
    expect(config.webhooks.api_version).toBe(apiVersion);
    expect(config.app_proxy).toMatchObject({ prefix: "apps", subpath: "loyalty" });
    const scopes = String(config.access_scopes.scopes).split(",");
    expect(scopes).toEqual(expect.arrayContaining(["read_orders", "read_customers", "write_customers", "write_discounts"]));
    expect(process.env.SCOPES?.split(",").sort()).toEqual([...scopes].sort());
  });
});
