// The thank-you and order-status blocks' backend (/extension-api/*), called as the UI extensions call
// it: a session token Shopify would sign (dev/ui-extension-host/session-token.ts, Shopify's getJwt) as a
// bearer token, from another origin. The preview (before orders/paid) must show what the webhook then
// applies; an order is shown only to the customer the token names; refused tokens write nothing.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as thankYouRoute from "../../app/routes/extension-api.thank-you";
import * as orderStatusRoute from "../../app/routes/extension-api.order-status";
import { saveSettings } from "../../app/features/program/save-settings.server";
import { programSettingsSchema } from "../../app/domain/settings";
import { callAction, callLoader, installShop, prisma, resetDatabase, rowCounts } from "../support/app";
import { sendWebhook } from "../support/webhooks";
import { drainJobs } from "../support/jobs";
import { installAdminFake } from "../support/admin-fake";
import { orderPayload } from "../../dev/payloads/order-fixtures";
import { extensionSessionToken } from "../../dev/ui-extension-host/session-token";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL, TEST_SHOP } from "../../dev/harness/test-env";
import type { ShopifyAdminFake } from "../../dev/shopify-admin-fake";
import type { OrderEarnings } from "../../app/extension-api/order-earnings-contract";

const ORIGIN = "https://extensions.shopifycdn.com";
const OTHER_SHOP = "other-shop.myshopify.com";
const ADA = "gid://shopify/Customer/8001";
const BOB = "gid://shopify/Customer/8002";
const ORDER = 7001;

let fake: ShopifyAdminFake;
let uninstall: () => void;

interface TokenOptions {
  customerGid?: string | null;
  shop?: string;
  secret?: string;
  ttlSeconds?: number;
}

async function token(options: TokenOptions = {}) {
  return (await extensionSessionToken({ shop: options.shop ?? TEST_SHOP, apiKey: TEST_API_KEY, secret: options.secret ?? TEST_API_SECRET, customerGid: options.customerGid, ttlSeconds: options.ttlSeconds })).token;
}

async function thankYou(body: unknown, options: TokenOptions = { customerGid: ADA }, raw?: string): Promise<Response> {
  const request = new Request(`${TEST_APP_URL}/extension-api/thank-you`, {
    method: "POST",
    headers: { Authorization: `Bearer ${await token(options)}`, "Content-Type": "application/json", Origin: ORIGIN },
    body: raw ?? JSON.stringify(body),
  });
  return callAction(thankYouRoute, request);
}

async function orderStatus(orderId: string, options: TokenOptions = { customerGid: ADA }): Promise<Response> {
  const request = new Request(`${TEST_APP_URL}/extension-api/order-status?orderId=${encodeURIComponent(orderId)}`, { headers: { Authorization: `Bearer ${await token(options)}`, Origin: ORIGIN } });
  return (await callLoader(orderStatusRoute, request)) as Response;
}

const json = async (response: Response) => (await response.json()) as OrderEarnings;

/** The checkout as the thank-you page's APIs give it: $60 (with $6 off the order) and $40, $5 shipping. */
const checkout = {
  currency: "USD",
  lines: [
    { productId: "gid://shopify/Product/632910392", quantity: 1, amount: "60.00" },
    { productId: "gid://shopify/Product/632910393", quantity: 2, amount: "40.00" },
  ],
  orderDiscount: "6.00",
  shipping: "5.00",
  tax: "0.00",
  total: "99.00",
  discountCodes: ["SPRING"],
  isFirstOrder: true,
};

/** The same order as orders/paid sends it: the $6 order discount is allocated to the first line. */
function paidOrder(id = ORDER, customerId = 8001) {
  return orderPayload({
    id,
    customerId,
    processedAt: new Date().toISOString(),
    lines: [
      { id: id * 10 + 1, price: "60.00", discount: "6.00", productId: 632910392 },
      { id: id * 10 + 2, price: "20.00", quantity: 2, productId: 632910393 },
    ],
    shipping: "5.00",
    discountCodes: ["SPRING"],
  });
}

beforeEach(async () => {
  await resetDatabase();
  const shop = await installShop();
  await prisma.$transaction((tx) =>
    saveSettings(
      tx,
      shop.id,
      programSettingsSchema.parse({ pendingDays: 14, welcomeBonusPoints: 100, welcomeCode: { enabled: true, discountType: "percentage", value: "10", validityDays: 30, minSubtotal: "50" } }),
      "staff:test",
    ),
  );
  // A double-points campaign around now: the bonus must be in the preview as in the applied figures.
  await prisma.campaign.create({ data: { shopId: shop.id, name: "Double points", multiplier: "2", startsAt: new Date(Date.now() - 86_400_000), endsAt: new Date(Date.now() + 86_400_000) } });
  await prisma.reward.create({ data: { shopId: shop.id, name: "$5 off", pointsCost: 500, discountType: "fixed_amount", value: "5" } });
  ({ fake, uninstall } = installAdminFake());
  fake.seedCustomer(TEST_SHOP, { id: ADA, numberOfOrders: 1 });
  fake.seedCustomer(TEST_SHOP, { id: BOB, numberOfOrders: 3 });
});
afterEach(() => uninstall());

describe("thank-you block: preview, then the applied figures", () => {
  it("before orders/paid it previews from the checkout's figures and writes nothing; afterwards it shows the same figures, applied", async () => {
    const before = await rowCounts();
    const preview = await thankYou({ orderId: `gid://shopify/OrderIdentity/${ORDER}`, checkout });
    expect(preview.status).toBe(200);
    expect(preview.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const previewed = await json(preview);
    expect(previewed).toMatchObject({ status: "preview", settled: false, signedIn: true, currency: "USD" });
    // (60 − 6 + 40) = 94 → 94 points, doubled by the campaign: 94 + 94, pending for 14 days.
    expect(previewed.order).toMatchObject({ points: 188, basePoints: 94, bonusPoints: 94, state: "pending", skipReason: null });
    expect(previewed.welcome).toMatchObject({ bonusPoints: 100, state: "expected", code: { code: null, discountType: "percentage", value: "10", minSubtotal: "50" } });
    expect(previewed.balance).toMatchObject({ available: 0, pending: 288, nextReward: { name: "$5 off", pointsNeeded: 500 } });
    expect(await rowCounts()).toEqual(before);

    await sendWebhook("orders/paid", paidOrder());
    const applied = await json(await thankYou({ orderId: `gid://shopify/OrderIdentity/${ORDER}`, checkout }));
    expect(applied).toMatchObject({ status: "applied", settled: false, welcome: { state: "expected", bonusPoints: 100 } });
    // The preview showed what the webhook applied.
    expect(applied.order).toEqual({ ...previewed.order, availableAt: applied.order!.availableAt });
    expect(Math.abs(Date.parse(applied.order!.availableAt!) - Date.parse(previewed.order!.availableAt!))).toBeLessThan(60_000);

    // The first-order check grants the bonus and the code; the code shows once created in "Shopify".
    await drainJobs();
    const settled = await json(await thankYou({ orderId: `gid://shopify/OrderIdentity/${ORDER}`, checkout }));
    const code = await prisma.issuedCode.findFirstOrThrow({ where: { source: "welcome" } });
    expect(settled).toMatchObject({
      status: "applied",
      settled: true,
      welcome: { state: "granted", bonusPoints: 100, code: { code: code.code, discountType: "percentage", value: "10", minSubtotal: "50", endsAt: code.endsAt.toISOString() } },
    });
    expect(settled.welcome!.code!.endsAt).toBe(previewed.welcome!.code!.endsAt);
    expect(settled.balance).toMatchObject({ available: 0, pending: 288 });
  });

  it("a guest sees the preview and no balance, even for an order that has been applied", async () => {
    await sendWebhook("orders/paid", paidOrder());
    const before = await rowCounts();
    const guest = await json(await thankYou({ orderId: `gid://shopify/Order/${ORDER}`, checkout: { ...checkout, isFirstOrder: false } }, { customerGid: null }));
    expect(guest).toMatchObject({ status: "preview", signedIn: false, balance: null, welcome: null });
    expect(guest.order?.points).toBe(188);
    expect(await rowCounts()).toEqual(before);
  });

  it("a checkout in another currency than the shop's waits for the applied figures instead of guessing", async () => {
    const answer = await json(await thankYou({ orderId: `gid://shopify/OrderIdentity/${ORDER}`, checkout: { ...checkout, currency: "EUR" } }));
    expect(answer).toMatchObject({ status: "pending", order: null, settled: false });
  });

  it("a returning customer gets no welcome in the preview (Shopify says it is not a first order)", async () => {
    const answer = await json(await thankYou({ orderId: `gid://shopify/OrderIdentity/${ORDER}`, checkout: { ...checkout, isFirstOrder: false } }));
    expect(answer.welcome).toBeNull();
    expect(answer.balance).toMatchObject({ pending: 188 });
  });
});

describe("order-status block", () => {
  it("shows the order's applied figures to its customer", async () => {
    await sendWebhook("orders/paid", paidOrder());
    await drainJobs();
    const answer = await orderStatus(`gid://shopify/Order/${ORDER}`);
    expect(answer.status).toBe(200);
    expect(await json(answer)).toMatchObject({ status: "applied", order: { points: 188, state: "pending" }, welcome: { state: "granted", bonusPoints: 100 } });
  });

  it("an order that is not applied yet is unknown (the block asks again)", async () => {
    expect((await orderStatus(`gid://shopify/Order/${ORDER}`)).status).toBe(404);
  });
});

describe("tokens and customers the app must refuse, writing nothing", () => {
  beforeEach(async () => {
    await sendWebhook("orders/paid", paidOrder());
    await sendWebhook("orders/paid", paidOrder(7002, 8002));
    await drainJobs();
  });

  const refusals: [string, () => Promise<Response>, number][] = [
    ["forged (another secret)", () => thankYou({ orderId: `gid://shopify/Order/${ORDER}`, checkout }, { customerGid: ADA, secret: "not-the-secret" }), 401],
    ["expired", () => thankYou({ orderId: `gid://shopify/Order/${ORDER}`, checkout }, { customerGid: ADA, ttlSeconds: -120 }), 401],
    ["of a shop that never installed the app", () => thankYou({ orderId: `gid://shopify/Order/${ORDER}`, checkout }, { customerGid: ADA, shop: "stranger.myshopify.com" }), 404],
    ["of another customer (Bob's token, Ada's order)", () => thankYou({ orderId: `gid://shopify/Order/${ORDER}` }, { customerGid: BOB }), 404],
    ["of another customer, with checkout figures", () => thankYou({ orderId: `gid://shopify/Order/${ORDER}`, checkout }, { customerGid: BOB }), 404],
    ["of another customer on the order status page", () => orderStatus(`gid://shopify/Order/${ORDER}`, { customerGid: BOB }), 404],
    ["of a guest on the order status page (customer accounts always have a customer)", () => orderStatus(`gid://shopify/Order/${ORDER}`, { customerGid: null }), 401],
    ["forged on the order status page", () => orderStatus(`gid://shopify/Order/${ORDER}`, { customerGid: ADA, secret: "not-the-secret" }), 401],
    ["expired on the order status page", () => orderStatus(`gid://shopify/Order/${ORDER}`, { customerGid: ADA, ttlSeconds: -120 }), 401],
  ];

  it.each(refusals)("a token %s is refused and nothing is written", async (_label, send, status) => {
    const before = await rowCounts();
    const entries = await prisma.ledgerEntry.findMany({ orderBy: { id: "asc" } });
    const response = await send();
    expect(response.status).toBe(status);
    // Error answers carry CORS headers too, or the extension would see a network error.
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const body = await response.text();
    expect(body).not.toContain("188");
    expect(body).not.toContain("WELCOME");
    expect(await rowCounts()).toEqual(before);
    expect(await prisma.ledgerEntry.findMany({ orderBy: { id: "asc" } })).toEqual(entries);
  });

  it("shop B's token for shop A's order learns nothing of it: unknown without figures, B's own preview with them", async () => {
    await installShop(OTHER_SHOP);
    const before = await rowCounts();
    expect((await thankYou({ orderId: `gid://shopify/Order/${ORDER}` }, { customerGid: ADA, shop: OTHER_SHOP })).status).toBe(404);
    expect((await orderStatus(`gid://shopify/Order/${ORDER}`, { customerGid: ADA, shop: OTHER_SHOP })).status).toBe(404);
    // Shop B has the default program (1 point per $1, nothing pending, no campaign, no welcome).
    const preview = await json(await thankYou({ orderId: `gid://shopify/Order/${ORDER}`, checkout }, { customerGid: ADA, shop: OTHER_SHOP }));
    expect(preview).toMatchObject({ status: "preview", order: { points: 94, bonusPoints: 0, state: "available" }, welcome: null, balance: { available: 94, pending: 0 } });
    expect(await rowCounts()).toEqual(before);
  });

  it("the order's own customer still sees it", async () => {
    expect((await thankYou({ orderId: `gid://shopify/Order/${ORDER}` })).status).toBe(200);
    expect((await orderStatus(`gid://shopify/Order/7002`, { customerGid: BOB })).status).toBe(200);
  });
});

describe("requests", () => {
  it("answers the CORS preflight of both endpoints", async () => {
    for (const route of [thankYouRoute, orderStatusRoute]) {
      const path = route === thankYouRoute ? "thank-you" : "order-status";
      const preflight = new Request(`${TEST_APP_URL}/extension-api/${path}`, {
        method: "OPTIONS",
        headers: { Origin: ORIGIN, "Access-Control-Request-Method": route === thankYouRoute ? "POST" : "GET", "Access-Control-Request-Headers": "authorization, content-type" },
      });
      const response = await callAction(route, preflight);
      expect(response.status).toBe(204);
      expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
      expect(response.headers.get("Access-Control-Allow-Headers")).toContain("Authorization");
    }
  });

  it("validates the body: bad ids, too many lines and oversized bodies are refused with CORS headers", async () => {
    const before = await rowCounts();
    const badId = await thankYou({ orderId: "gid://shopify/Customer/1", checkout });
    expect(badId.status).toBe(400);
    const manyLines = await thankYou({ orderId: `gid://shopify/Order/${ORDER}`, checkout: { ...checkout, lines: Array.from({ length: 251 }, () => checkout.lines[0]) } });
    expect(manyLines.status).toBe(400);
    const badAmount = await thankYou({ orderId: `gid://shopify/Order/${ORDER}`, checkout: { ...checkout, total: "-1" } });
    expect(badAmount.status).toBe(400);
    const huge = await thankYou(null, undefined, JSON.stringify({ orderId: `gid://shopify/Order/${ORDER}`, padding: "x".repeat(70_000) }));
    expect(huge.status).toBe(413);
    const notJson = await thankYou(null, undefined, "{");
    expect(notJson.status).toBe(400);
    for (const response of [badId, manyLines, badAmount, huge, notJson]) expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const badQuery = await orderStatus("1001");
    expect(badQuery.status).toBe(400);
    expect(await rowCounts()).toEqual(before);
  });
});
