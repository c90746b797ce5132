import { beforeEach, describe, expect, it } from "vitest";
import * as uninstalledRoute from "../../app/routes/webhooks.app.uninstalled";
import * as scopesRoute from "../../app/routes/webhooks.app.scopes_update";
import * as dataRequestRoute from "../../app/routes/webhooks.customers.data_request";
import * as customersRedactRoute from "../../app/routes/webhooks.customers.redact";
import * as shopRedactRoute from "../../app/routes/webhooks.shop.redact";
import { callAction, installShop, prisma, resetDatabase, rowCounts } from "../support/app";
import { webhookRequest } from "../../dev/shopify-requests";
import { applyStoredWebhooks } from "../support/webhooks";

/** Delivers through the route, then lets the applier apply what the route stored. */
async function deliver(route: Parameters<typeof callAction>[0], request: Request): Promise<Response> {
  const response = await callAction(route, request);
  await applyStoredWebhooks();
  return response;
}
import { TEST_SHOP } from "../../dev/harness/test-env";
import { appUninstalledPayload, customerRedactPayload, dataRequestPayload, scopesUpdatePayload, shopRedactPayload } from "../../dev/payloads/webhook-samples";

/** Shopify's example customer in the compliance examples. */
const CUSTOMER = { id: 191167, email: "john@example.com", phone: "555-625-1199" };

describe("app lifecycle and compliance webhooks", () => {
  beforeEach(async () => {
    await resetDatabase();
    await installShop();
  });

  it.each([
    ["app/uninstalled", uninstalledRoute, appUninstalledPayload()],
    ["app/scopes_update", scopesRoute, scopesUpdatePayload({ previous: ["read_orders", "write_discounts"], current: ["read_orders"] })],
    ["customers/data_request", dataRequestRoute, dataRequestPayload({ customer: CUSTOMER, ordersRequested: [299938] })],
    ["customers/redact", customersRedactRoute, customerRedactPayload({ customer: CUSTOMER, ordersToRedact: [299938] })],
    ["shop/redact", shopRedactRoute, shopRedactPayload()],
  ])("%s with a forged HMAC gets 401 and writes nothing", async (topic, route, payload) => {
    const before = await rowCounts();
    const response = await deliver(route, webhookRequest(topic, payload, { secret: "not-the-app-secret" }));
    expect(response.status).toBe(401);
    expect(await rowCounts()).toEqual(before);
  });

  it("a valid app/uninstalled removes the shop's sessions, and a repeat of it is harmless", async () => {
    expect(await prisma.session.count({ where: { shop: TEST_SHOP } })).toBe(1);
    const first = await deliver(uninstalledRoute, webhookRequest("app/uninstalled", appUninstalledPayload(), { webhookId: "uninstall-1" }));
    expect(first.status).toBe(200);
    expect(await prisma.session.count({ where: { shop: TEST_SHOP } })).toBe(0);
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    expect(shop.uninstalledAt).not.toBeNull();

    // The same delivery again, and a second delivery with a new id: both 200, nothing changes.
    const again = await deliver(uninstalledRoute, webhookRequest("app/uninstalled", appUninstalledPayload(), { webhookId: "uninstall-1" }));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ outcome: "duplicate" });
    const other = await deliver(uninstalledRoute, webhookRequest("app/uninstalled", appUninstalledPayload(), { webhookId: "uninstall-2" }));
    expect(other.status).toBe(200);
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).uninstalledAt).toEqual(shop.uninstalledAt);
    expect(await prisma.webhookDelivery.count({ where: { shop: TEST_SHOP, topic: "app/uninstalled" } })).toBe(2);
  });

  it("app/scopes_update stores the new scopes on the shop's session", async () => {
    const response = await deliver(scopesRoute, webhookRequest("app/scopes_update", scopesUpdatePayload({ previous: ["read_orders"], current: ["read_orders", "write_discounts"] })));
    expect(response.status).toBe(200);
    const session = await prisma.session.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    expect(session.scope).toBe("read_orders,write_discounts");
  });

  it("a signed but malformed payload gets 422 with the reason, is recorded as rejected, and changes nothing else", async () => {
    const response = await deliver(scopesRoute, webhookRequest("app/scopes_update", { ...scopesUpdatePayload({ previous: [], current: [] }), current: "not-a-list" }, { webhookId: "bad-1" }));
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: "malformed payload", reason: expect.stringContaining("current") });
    const delivery = await prisma.webhookDelivery.findFirstOrThrow({ where: { webhookId: "bad-1" } });
    expect(delivery.outcome).toBe("rejected");
    expect((await prisma.session.findFirstOrThrow({ where: { shop: TEST_SHOP } })).scope).not.toBe("not-a-list");
  });

  it("a webhook with Shopify's headers missing gets 400", async () => {
    const request = webhookRequest("app/uninstalled", appUninstalledPayload());
    request.headers.delete("X-Shopify-Topic");
    const response = await deliver(uninstalledRoute, request);
    expect(response.status).toBe(400);
    expect(await prisma.session.count()).toBe(1);
  });

  it("shop/redact deletes the shop's data", async () => {
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    await prisma.customer.create({ data: { shopId: shop.id, shopifyCustomerId: "gid://shopify/Customer/191167", email: "john@example.com" } });
    const response = await deliver(shopRedactRoute, webhookRequest("shop/redact", shopRedactPayload()));
    expect(response.status).toBe(200);
    expect(await prisma.shop.count()).toBe(0);
    expect(await prisma.customer.count()).toBe(0);
    expect(await prisma.session.count()).toBe(0);
  });
});
