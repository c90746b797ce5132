// The customer account's Rewards page backend (/extension-api/account, /extension-api/account/redeem).
// Session tokens are minted like Shopify mints them (Shopify's getJwt, HS256 with the app's secret);
// the customer is the token's `sub`. Redemption shares the storefront proxy's gate and redeemReward.
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getJwt } from "@shopify/shopify-api/test-helpers";
import * as summaryRoute from "../../app/routes/extension-api.account";
import * as redeemRoute from "../../app/routes/extension-api.account.redeem";
import * as proxyRedeemRoute from "../../app/routes/proxy.redeem";
import { callAction, callLoader, installShop, prisma, resetDatabase, rowCounts } from "../support/app";
import { installAdminFake } from "../support/admin-fake";
import { appProxyRequest } from "../../dev/shopify-requests";
import { appendEntries } from "../../app/ledger/ledger.server";
import { verifyBalanceCache } from "../../app/ledger/balances.server";
import { REDEEM_LIMIT_PER_MINUTE } from "../../app/features/codes/redeem-requests.server";
import type { ShopifyAdminFake } from "../../dev/shopify-admin-fake";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL, TEST_SHOP } from "../../dev/harness/test-env";

let fake: ShopifyAdminFake;
let uninstall: () => void;
let shopId: string;
const SHOPPER = 4242;
const gid = (n: number) => `gid://shopify/Customer/${n}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);

async function member(points: number, numeric = SHOPPER) {
  const c = await prisma.customer.create({ data: { shopId, shopifyCustomerId: gid(numeric), email: `s${numeric}@example.com` } });
  fake.seedCustomer(TEST_SHOP, { id: c.shopifyCustomerId, numberOfOrders: 1 });
  if (points) await prisma.$transaction((tx) => appendEntries(tx, [{ shopId, customerId: c.id, points, kind: "manual", availableAt: new Date(), idempotencyKey: `seed:${c.id}`, actor: "staff:test", reason: "seed" }]));
  return c;
}

/** A customer-account session token as Shopify issues it: dest the shop, sub the signed-in customer, a jti per token. */
async function token(overrides: Record<string, unknown> = {}, secret = TEST_API_SECRET, store = "test-shop") {
  return (await getJwt(store, TEST_API_KEY, secret, { dest: `${store}.myshopify.com`, sub: gid(SHOPPER), jti: randomUUID(), ...overrides })).token;
}

async function answer(res: unknown) {
  const r = res as Response;
  const text = await r.text();
  return { status: r.status, headers: r.headers, body: text ? JSON.parse(text) : null };
}

const getSummary = async (bearer: string | null) => answer(await callLoader(summaryRoute, new Request(`${TEST_APP_URL}/extension-api/account`, { headers: bearer ? { Authorization: `Bearer ${bearer}` } : {} })));

function redeemRequest(bearer: string | null, body: unknown, contentType = "application/json") {
  const headers: Record<string, string> = { "Content-Type": contentType };
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  return new Request(`${TEST_APP_URL}/extension-api/account/redeem`, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
}
const redeem = async (bearer: string | null, body: unknown) => answer(await callAction(redeemRoute, redeemRequest(bearer, body)));

/** Everything a refused request must leave alone, the redeem-request log included. */
async function everything() {
  return { ...(await rowCounts()), redeemRequests: await prisma.proxyRequest.count(), balances: (await prisma.customer.findMany({ orderBy: { id: "asc" } })).map((c) => c.balance) };
}

beforeEach(async () => {
  await resetDatabase();
  shopId = (await installShop()).id;
  await prisma.shop.update({ where: { id: shopId }, data: { currencyCode: "EUR", ianaTimezone: "Europe/Paris" } });
  ({ fake, uninstall } = installAdminFake());
  await prisma.reward.create({ data: { id: "reward-5", shopId, name: "€5 off", pointsCost: 500, discountType: "fixed_amount", value: "5.00", minSubtotal: "30.00" } });
  await prisma.reward.create({ data: { id: "reward-10", shopId, name: "€10 off", pointsCost: 1000, discountType: "fixed_amount", value: "10.00" } });
});
afterEach(() => uninstall());

describe("GET /extension-api/account", () => {
  it("answers the token's customer: balance, pending, rewards, history with reasons, the shop's currency and time zone, with CORS headers", async () => {
    await member(650);
    await member(9000, 777);
    const { status, headers, body } = await getSummary(await token());
    expect(status).toBe(200);
    expect(headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(headers.get("Cache-Control")).toBe("private, no-store");
    expect(body).toMatchObject({ loggedIn: true, balance: 650, pending: 0, affordable: ["reward-5"], nextReward: { id: "reward-10", pointsNeeded: 350 }, currencyCode: "EUR", timeZone: "Europe/Paris", activeCodes: [] });
    expect(body.history).toEqual([expect.objectContaining({ points: 650, kind: "manual", description: "Adjustment", detail: "" })]);
  });

  it("a signed-in customer with no points yet gets zeros, not an error", async () => {
    const { status, body } = await getSummary(await token({ sub: gid(5555) }));
    expect(status).toBe(200);
    expect(body).toMatchObject({ balance: 0, pending: 0, history: [], activeCodes: [], affordable: [] });
  });

  it("answers the CORS preflight with 204 and the headers the extension sandbox needs", async () => {
    const preflight = new Request(`${TEST_APP_URL}/extension-api/account/redeem`, { method: "OPTIONS", headers: { Origin: "https://extensions.shopifycdn.com", "Access-Control-Request-Method": "POST" } });
    const res = await callAction(redeemRoute, preflight);
    expect(res.status).toBe(204);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(res.headers.get("Access-Control-Allow-Headers")).toMatch(/Authorization/);
  });
});

describe("session tokens that are refused, on both endpoints, write nothing", () => {
  const cases: [string, () => Promise<string | null>, number][] = [
    ["forged (signed with another secret)", () => token({}, "not-the-apps-secret"), 401],
    ["expired", () => token({ exp: nowSeconds() - 60, iat: nowSeconds() - 600, nbf: nowSeconds() - 600 }), 401],
    ["not yet valid", () => token({ nbf: nowSeconds() + 3600 }), 401],
    ["of a shop that has not installed the app", () => token({}, TEST_API_SECRET, "other-shop"), 404],
    ["without a customer (no sub)", () => token({ sub: undefined }), 401],
    ["with a sub that is not a customer", () => token({ sub: "12345" }), 401],
    ["missing", async () => null, 401],
  ];
  it.each(cases)("a %s token", async (_label, make, expected) => {
    await member(5000);
    const before = await everything();
    const bearer = await make();
    const read = await getSummary(bearer);
    expect(read.status).toBe(expected);
    expect(read.body?.balance).toBeUndefined();
    const write = await redeem(bearer, { rewardId: "reward-5", requestId: randomUUID() });
    expect(write.status).toBe(expected);
    expect(write.headers.get("Access-Control-Allow-Origin")).toBe("*"); // the extension sees the status, not a network error
    expect(await everything()).toEqual(before);
  });

  it("an uninstalled shop's token is refused", async () => {
    await member(5000);
    await prisma.shop.update({ where: { id: shopId }, data: { uninstalledAt: new Date() } });
    const before = await everything();
    expect((await redeem(await token(), { rewardId: "reward-5", requestId: randomUUID() })).status).toBe(404);
    expect(await everything()).toEqual(before);
  });
});

describe("POST /extension-api/account/redeem", () => {
  it("spends the points, appends the ledger entry, creates the code in Shopify at once and answers the new summary", async () => {
    const c = await member(1650);
    const { status, body } = await redeem(await token(), { rewardId: "reward-5", requestId: randomUUID() });
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, code: { code: expect.stringMatching(/^REWARD-/), status: "issued" } });
    expect(fake.findDiscountByCode(TEST_SHOP, body.code.code)).toMatchObject({ customers: [gid(SHOPPER)], usageLimit: 1 });
    const entries = await prisma.ledgerEntry.findMany({ where: { customerId: c.id, kind: "redemption" } });
    expect(entries).toEqual([expect.objectContaining({ points: -500, reason: "€5 off", actor: `shopper:${gid(SHOPPER)}` })]);
    expect(body.summary).toMatchObject({ balance: 1150, currencyCode: "EUR" });
    expect(body.summary.activeCodes).toEqual([expect.objectContaining({ code: body.code.code, value: "5.00", minSubtotal: "30.00", discountType: "fixed_amount", endsAt: body.code.endsAt })]);
    expect(body.summary.history[0]).toMatchObject({ points: -500, kind: "redemption", detail: "€5 off" });
    expect(await verifyBalanceCache(prisma)).toEqual([]);
  });

  it("the customer is the token's sub: a customer id in the body is not read", async () => {
    await member(650);
    const other = await member(5000, 777);
    const { body } = await redeem(await token(), { rewardId: "reward-5", requestId: randomUUID(), customerId: gid(777) });
    expect(body).toMatchObject({ ok: true, summary: { balance: 150 } });
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: other.id } })).balance).toBe(5000);
  });

  it("not enough points: refused with 409, and no ledger entry, code or job is written", async () => {
    await member(300);
    const before = await rowCounts();
    const { status, body } = await redeem(await token(), { rewardId: "reward-5", requestId: randomUUID() });
    expect(status).toBe(409);
    expect(body).toMatchObject({ ok: false, reason: "insufficient_points" });
    expect(await rowCounts()).toEqual(before);
    expect((await prisma.customer.findFirstOrThrow()).balance).toBe(300);
  });

  it("a body that is not JSON, or names no reward, is refused and writes nothing", async () => {
    await member(5000);
    const before = await everything();
    const bearer = await token();
    expect((await redeem(bearer, { requestId: randomUUID() })).status).toBe(400);
    expect((await redeem(bearer, { rewardId: "reward-5" })).status).toBe(400); // no request id
    expect((await redeem(bearer, { rewardId: "reward-5", requestId: "1" })).status).toBe(400);
    expect((await answer(await callAction(redeemRoute, redeemRequest(bearer, "rewardId=reward-5", "application/x-www-form-urlencoded")))).status).toBe(415);
    const large = JSON.stringify({ rewardId: "reward-5", requestId: randomUUID(), padding: "x".repeat(5000) });
    const oversized = new Request(`${TEST_APP_URL}/extension-api/account/redeem`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Content-Length": String(large.length), Authorization: `Bearer ${bearer}` },
      body: large,
    });
    expect((await answer(await callAction(redeemRoute, oversized))).status).toBe(413);
    expect(await everything()).toEqual(before);
  });

  it("20 concurrent redemptions by one customer never overdraw the balance", async () => {
    const c = await member(1200);
    const bearer = await token();
    const results = await Promise.all(Array.from({ length: 20 }, () => redeem(bearer, { rewardId: "reward-5", requestId: randomUUID() })));
    const statuses = results.map((r) => r.status);
    const granted = statuses.filter((s) => s === 200).length;
    // One customer's attempts pass the gate one at a time: exactly the limit is admitted, the rest wait.
    const reasons = results.map((r) => (r.status === 200 ? "granted" : r.body.reason));
    expect(reasons.filter((r) => r === "rate_limited")).toHaveLength(20 - REDEEM_LIMIT_PER_MINUTE);
    // Of the admitted, the balance pays for two; the others are refused for points, never overdrawn.
    expect(granted).toBe(2);
    expect(reasons.filter((r) => r === "insufficient_points")).toHaveLength(REDEEM_LIMIT_PER_MINUTE - 2);
    for (const r of results.filter((x) => x.status === 429)) expect(Number(r.headers.get("Retry-After"))).toSatisfy((n: number) => Number.isInteger(n) && n >= 1 && n <= 60);
    const after = await prisma.customer.findUniqueOrThrow({ where: { id: c.id } });
    expect(after.balance).toBe(1200 - 500 * granted);
    expect(after.balance).toBeGreaterThanOrEqual(0);
    expect(await prisma.issuedCode.count({ where: { customerId: c.id } })).toBe(granted);
    expect(await prisma.ledgerEntry.count({ where: { customerId: c.id, kind: "redemption" } })).toBe(granted);
    expect(await verifyBalanceCache(prisma)).toEqual([]);
  });

  it(`is rate limited to ${REDEEM_LIMIT_PER_MINUTE} attempts a minute per customer, counted with the storefront's: then 429 with Retry-After`, async () => {
    await member(100);
    const bearer = await token();
    const statuses: number[] = [];
    // Two attempts through the storefront proxy, the rest on the account page: one limit for both.
    for (let i = 0; i < 2; i++) {
      const proxied = await appProxyRequest(`/proxy/redeem?logged_in_customer_id=${SHOPPER}&n=${i}`, { method: "POST", body: JSON.stringify({ rewardId: "reward-5" }), headers: { "Content-Type": "application/json" } });
      statuses.push((await callAction(proxyRedeemRoute, proxied)).status);
    }
    for (let i = 2; i < REDEEM_LIMIT_PER_MINUTE; i++) statuses.push((await redeem(bearer, { rewardId: "reward-5", requestId: randomUUID() })).status);
    expect(statuses).toEqual(Array(REDEEM_LIMIT_PER_MINUTE).fill(409)); // admitted, refused for points
    const limited = await redeem(bearer, { rewardId: "reward-5", requestId: randomUUID() });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toSatisfy((n: number) => Number.isInteger(n) && n >= 1 && n <= 60);
    expect(limited.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(limited.body).toMatchObject({ ok: false, reason: "rate_limited" });
    // Another customer of the same shop is not held back.
    await member(600, 777);
    expect((await redeem(await token({ sub: gid(777) }), { rewardId: "reward-5", requestId: randomUUID() })).status).toBe(200);
  });

  it("a replayed request (same token, same request id) is served once: 409, nothing more written", async () => {
    await member(1650);
    const bearer = await token();
    const body = { rewardId: "reward-5", requestId: randomUUID() };
    expect((await redeem(bearer, body)).status).toBe(200);
    const before = await rowCounts();
    const replay = await redeem(bearer, body);
    expect(replay).toMatchObject({ status: 409, body: { ok: false, reason: "replayed" } });
    expect(await rowCounts()).toEqual(before);
    // The same cached token with a new click (a new request id) is a new redemption, as in Shopify.
    const second = await redeem(bearer, { rewardId: "reward-5", requestId: randomUUID() });
    expect(second).toMatchObject({ status: 200, body: { summary: { balance: 650 } } });
  });
});
