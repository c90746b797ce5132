import { createHmac } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as balanceRoute from "../../app/routes/proxy.balance";
import * as redeemRoute from "../../app/routes/proxy.redeem";
import { callAction, callLoader, installShop, prisma, resetDatabase } from "../support/app";
import { appProxyRequest } from "../../dev/shopify-requests";
import { installAdminFake } from "../support/admin-fake";
import { appendEntries } from "../../app/ledger/ledger.server";
import { verifyBalanceCache } from "../../app/ledger/balances.server";
import { REDEEM_LIMIT_PER_MINUTE } from "../../app/storefront/proxy.server";
import type { ShopifyAdminFake } from "../../dev/shopify-admin-fake";
import { TEST_API_SECRET, TEST_APP_URL, TEST_SHOP } from "../../dev/harness/test-env";

let fake: ShopifyAdminFake;
let uninstall: () => void;
let shopId: string;
const SHOPPER = 4242;

async function member(points: number, numeric = SHOPPER) {
  const c = await prisma.customer.create({ data: { shopId, shopifyCustomerId: `gid://shopify/Customer/${numeric}`, email: `s${numeric}@example.com` } });
  fake.seedCustomer(TEST_SHOP, { id: c.shopifyCustomerId, numberOfOrders: 1 });
  if (points) await prisma.$transaction((tx) => appendEntries(tx, [{ shopId, customerId: c.id, points, kind: "manual", availableAt: new Date(), idempotencyKey: `seed:${c.id}`, actor: "staff:test", reason: "seed" }]));
  return c;
}

async function json(res: Response | unknown) {
  const r = res as Response;
  return { status: r.status, body: await r.json() };
}

const get = async (query: string) => json(await callLoader(balanceRoute, await appProxyRequest(`/proxy/balance?${query}`)));
const post = async (query: string, body: unknown) => {
  const request = await appProxyRequest(`/proxy/redeem?${query}`, { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });
  return { request, ...(await json(await callAction(redeemRoute, request.clone()))) };
};

/** Signs like Shopify does, at a chosen time: to prove an old signature is refused. */
function signedAt(path: string, params: Record<string, string>, timestamp: number): Request {
  const all = { ...params, shop: TEST_SHOP, timestamp: String(timestamp) };
  const message = Object.keys(all)
    .sort()
    .map((k) => `${k}=${all[k as keyof typeof all]}`)
    .join("");
  const signature = createHmac("sha256", TEST_API_SECRET).update(message).digest("hex");
  return new Request(`${TEST_APP_URL}${path}?${new URLSearchParams({ ...all, signature })}`);
}

beforeEach(async () => {
  await resetDatabase();
  shopId = (await installShop()).id;
  ({ fake, uninstall } = installAdminFake());
  await prisma.reward.create({ data: { id: "reward-5", shopId, name: "$5 off", pointsCost: 500, discountType: "fixed_amount", value: "5.00" } });
  await prisma.reward.create({ data: { id: "reward-10", shopId, name: "$10 off", pointsCost: 1000, discountType: "fixed_amount", value: "10.00" } });
});
afterEach(() => uninstall());

describe("GET /apps/loyalty/balance", () => {
  it("answers the logged-in shopper's balance, pending points, rewards they can afford, the next one and recent history", async () => {
    await member(650);
    const { status, body } = await get(`logged_in_customer_id=${SHOPPER}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ loggedIn: true, balance: 650, pending: 0, affordable: ["reward-5"], nextReward: { id: "reward-10", pointsNeeded: 350 } });
    expect(body.rewards.map((r: { id: string }) => r.id)).toEqual(["reward-5", "reward-10"]);
    expect(body.history).toEqual([expect.objectContaining({ points: 650, kind: "manual", description: "Adjustment" })]);
  });

  it("without a logged-in customer the answer is 401 JSON, not an error page", async () => {
    expect(await get("")).toEqual({ status: 401, body: { loggedIn: false, message: "Sign in to see your points." } });
  });

  it("a tampered customer id, a forged signature, an expired timestamp or a repeated parameter is refused", async () => {
    await member(650);
    const valid = await appProxyRequest(`/proxy/balance?logged_in_customer_id=${SHOPPER}`);
    const tampered = new URL(valid.url);
    tampered.searchParams.set("logged_in_customer_id", "999");
    expect((await json(await callLoader(balanceRoute, new Request(tampered)))).status).toBe(401);

    const forged = new URL(valid.url);
    forged.searchParams.set("signature", "0".repeat(64));
    expect((await json(await callLoader(balanceRoute, new Request(forged)))).status).toBe(401);

    const old = signedAt("/proxy/balance", { logged_in_customer_id: String(SHOPPER), path_prefix: "/apps/loyalty" }, Math.trunc(Date.now() / 1000) - 600);
    expect((await json(await callLoader(balanceRoute, old))).status).toBe(401);
    const fresh = signedAt("/proxy/balance", { logged_in_customer_id: String(SHOPPER), path_prefix: "/apps/loyalty" }, Math.trunc(Date.now() / 1000));
    expect((await json(await callLoader(balanceRoute, fresh))).status).toBe(200); // the same signing, in time, passes

    const repeated = new URL(valid.url);
    repeated.searchParams.append("logged_in_customer_id", "999");
    const res = await json(await callLoader(balanceRoute, new Request(repeated)));
    expect(res).toEqual({ status: 400, body: { error: "repeated parameter: logged_in_customer_id" } });
  });
});

describe("POST /apps/loyalty/redeem", () => {
  it("spends the points, creates the code in Shopify at once, and returns it with its expiry and an apply link", async () => {
    await member(650);
    const { status, body } = await post(`logged_in_customer_id=${SHOPPER}`, { rewardId: "reward-5" });
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, status: "issued", balance: 150, code: expect.stringMatching(/^REWARD-/), applyUrl: expect.stringMatching(/^\/discount\/REWARD-[A-Z0-9]+\?redirect=\/cart$/) });
    expect(fake.findDiscountByCode(TEST_SHOP, body.code)).toMatchObject({ customers: [`gid://shopify/Customer/${SHOPPER}`], usageLimit: 1 });
    expect(await verifyBalanceCache(prisma)).toEqual([]);
  });

  it("the customer is the signed logged_in_customer_id: a customer id in the body is ignored", async () => {
    await member(650);
    const other = await member(5000, 777);
    const { body } = await post(`logged_in_customer_id=${SHOPPER}`, { rewardId: "reward-5", customerId: "gid://shopify/Customer/777" });
    expect(body).toMatchObject({ ok: true, balance: 150 });
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: other.id } })).balance).toBe(5000);
  });

  it("a replayed request is served once; not enough points, a debt and a logged-out shopper get clear refusals", async () => {
    await member(650);
    const first = await post(`logged_in_customer_id=${SHOPPER}`, { rewardId: "reward-5" });
    expect(first.status).toBe(200);
    const replay = await json(await callAction(redeemRoute, first.request.clone()));
    expect(replay).toMatchObject({ status: 409, body: { ok: false, reason: "replayed" } });
    expect((await post(`logged_in_customer_id=${SHOPPER}&x=1`, { rewardId: "reward-5" })).body).toMatchObject({ ok: false, reason: "insufficient_points", message: "You need 350 points more for $5 off." });
    await member(-40, 5151);
    expect((await post("logged_in_customer_id=5151", { rewardId: "reward-5" })).body).toMatchObject({ ok: false, reason: "in_debt" });
    expect((await post("", { rewardId: "reward-5" })).status).toBe(401);
    expect((await post(`logged_in_customer_id=${SHOPPER}&y=1`, { nope: true })).status).toBe(400);
    const form = await appProxyRequest(`/proxy/redeem?logged_in_customer_id=${SHOPPER}&z=1`, { method: "POST", body: "rewardId=reward-5", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    expect((await json(await callAction(redeemRoute, form))).status).toBe(415);
    expect(await prisma.issuedCode.count()).toBe(1);
  });

  it(`is rate limited to ${REDEEM_LIMIT_PER_MINUTE} attempts a minute per customer`, async () => {
    await member(100);
    const statuses: number[] = [];
    for (let i = 0; i < REDEEM_LIMIT_PER_MINUTE + 2; i++) statuses.push((await post(`logged_in_customer_id=${SHOPPER}&n=${i}`, { rewardId: "reward-5" })).status);
    expect(statuses).toEqual([...Array(REDEEM_LIMIT_PER_MINUTE).fill(409), 429, 429]);
  });
});
