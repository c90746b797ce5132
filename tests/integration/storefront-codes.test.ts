// The storefront panel's "Your codes": what GET /apps/loyalty/balance (signed like Shopify's app proxy)
// lists after the real paths that create and spend codes: a first order's welcome code once its jobs
// ran, a redemption through POST /apps/loyalty/redeem, an order that uses a code, a code whose time ran
// out. The same file runs on PostgreSQL (npm run test:pg).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as balanceRoute from "../../app/routes/proxy.balance";
import * as redeemRoute from "../../app/routes/proxy.redeem";
import { callAction, callLoader, installShop, prisma, resetDatabase } from "../support/app";
import { sendWebhook } from "../support/webhooks";
import { drainJobs } from "../support/jobs";
import { installAdminFake } from "../support/admin-fake";
import { appProxyRequest } from "../../dev/shopify-requests";
import { orderPayload } from "../../dev/payloads/order-fixtures";
import { saveSettings } from "../../app/features/program/save-settings.server";
import { expireCodes, EXPIRY_GRACE_MS } from "../../app/features/codes/codes.server";
import { programSettingsSchema } from "../../app/domain/settings";
import type { ActiveCodeView } from "../../app/domain/shopper-codes";
import type { ShopifyAdminFake } from "../../dev/shopify-admin-fake";
import { TEST_SHOP } from "../../dev/harness/test-env";

let fake: ShopifyAdminFake;
let uninstall: () => void;
let shopId: string;
const ANNA = 8101;
const BORIS = 8102;
let orderSeq = 0;
let querySeq = 0;

/** The balance answer's codes for a signed-in shopper. */
async function activeCodes(customer: number): Promise<ActiveCodeView[]> {
  const res = (await callLoader(balanceRoute, await appProxyRequest(`/proxy/balance?logged_in_customer_id=${customer}&n=${++querySeq}`))) as Response;
  expect(res.status).toBe(200);
  return ((await res.json()) as { activeCodes: ActiveCodeView[] }).activeCodes;
}

async function redeem(customer: number, rewardId: string) {
  const request = await appProxyRequest(`/proxy/redeem?logged_in_customer_id=${customer}&n=${++querySeq}`, { method: "POST", body: JSON.stringify({ rewardId }), headers: { "Content-Type": "application/json" } });
  const res = await callAction(redeemRoute, request);
  return { status: res.status, body: (await res.json()) as { ok: boolean; code: string; activeCode: ActiveCodeView; balance: number } };
}

/** A paid order, applied, and every job it queued run (first-order check, code creation, metafield sync). */
async function paidOrder(customer: number, amount: string, discountCodes: string[] = []) {
  const id = 9_100 + ++orderSeq;
  // Processed an hour ago: the welcome code's 14 days run from the order, so it is live now.
  const processedAt = new Date(Date.now() - 3_600_000).toISOString();
  await sendWebhook("orders/paid", orderPayload({ id, customerId: customer, lines: [{ id: id * 10, price: amount }], processedAt, discountCodes }));
  await drainJobs();
}

beforeEach(async () => {
  await resetDatabase();
  shopId = (await installShop()).id;
  ({ fake, uninstall } = installAdminFake());
  await prisma.$transaction((tx) =>
    saveSettings(tx, shopId, programSettingsSchema.parse({ welcomeBonusPoints: 100, welcomeCode: { enabled: true, discountType: "percentage", value: "15", minSubtotal: "50.00", validityDays: 14 } }), "staff:test"),
  );
  await prisma.reward.create({ data: { id: "reward-10", shopId, name: "$10 off", pointsCost: 500, discountType: "fixed_amount", value: "10.00", validityDays: 30 } });
  for (const customer of [ANNA, BORIS]) fake.seedCustomer(TEST_SHOP, { id: `gid://shopify/Customer/${customer}`, numberOfOrders: 1 });
});
afterEach(() => uninstall());

describe("GET /apps/loyalty/balance: the shopper's active codes", () => {
  it("lists the welcome code once a first order is applied and its code created in Shopify", async () => {
    const before = Date.now();
    await sendWebhook("orders/paid", orderPayload({ id: 9_001, customerId: ANNA, lines: [{ id: 1, price: "40.00" }], processedAt: new Date(before - 3_600_000).toISOString() }));
    // Applied, but the first-order check has not run: no code yet, and the answer says none.
    expect(await activeCodes(ANNA)).toEqual([]);
    await drainJobs(0, ["first_order_check"]);
    // The row exists but Shopify has not created the code: it would not work at checkout, so it is not listed.
    expect(await prisma.issuedCode.findFirstOrThrow()).toMatchObject({ source: "welcome", status: "creating" });
    expect(await activeCodes(ANNA)).toEqual([]);
    await drainJobs(0, ["create_discount_code"]);

    const [welcome, ...others] = await activeCodes(ANNA);
    expect(others).toEqual([]);
    expect(welcome).toMatchObject({ code: expect.stringMatching(/^WELCOME-[2-9A-HJ-NP-Z]{8}$/), source: "welcome", discountType: "percentage", value: "15", minSubtotal: "50.00" });
    expect(fake.findDiscountByCode(TEST_SHOP, welcome!.code)).toMatchObject({ customers: [`gid://shopify/Customer/${ANNA}`] });
    // Fourteen days from the order, to the end of that day in the shop's zone (UTC here); the seconds left are counted by the server.
    const endsAt = new Date(welcome!.endsAt);
    expect(endsAt.toISOString()).toMatch(/T23:59:59\.999Z$/);
    expect(welcome!.secondsLeft).toBeGreaterThan(13 * 86_400);
    expect(Math.abs(welcome!.secondsLeft - (endsAt.getTime() - Date.now()) / 1000)).toBeLessThan(10);
  });

  it("lists a redeemed code beside the welcome code, soonest ending first, and drops a code once an order uses it", async () => {
    await paidOrder(ANNA, "450.00"); // 450 points + 100 welcome bonus
    const [welcome] = await activeCodes(ANNA);
    expect(welcome!.source).toBe("welcome");

    const redeemed = await redeem(ANNA, "reward-10");
    expect(redeemed.status).toBe(200);
    // The redeem answer carries the new code as the list shows it.
    expect(redeemed.body.activeCode).toMatchObject({ code: redeemed.body.code, source: "redemption", title: "$10 off", discountType: "fixed_amount", value: "10.00", minSubtotal: null });
    const listed = await activeCodes(ANNA);
    expect(listed.map((c) => c.code)).toEqual([welcome!.code, redeemed.body.code]); // welcome: 14 days, reward: 30 days
    expect(listed[1]).toEqual({ ...redeemed.body.activeCode, secondsLeft: expect.any(Number) });

    // An order that uses the reward code: Shopify's orders/paid names it, and it is used.
    await paidOrder(ANNA, "60.00", [redeemed.body.code]);
    expect(await prisma.issuedCode.findFirstOrThrow({ where: { code: redeemed.body.code } })).toMatchObject({ status: "used" });
    expect((await activeCodes(ANNA)).map((c) => c.code)).toEqual([welcome!.code]);
    // The same for the welcome code, typed in lower case at checkout.
    await paidOrder(ANNA, "80.00", [welcome!.code.toLowerCase()]);
    expect(await activeCodes(ANNA)).toEqual([]);
  });

  it("drops a code whose end has passed at once, before and after the expiry task marks it expired", async () => {
    await paidOrder(ANNA, "40.00");
    const code = await prisma.issuedCode.findFirstOrThrow({ where: { source: "welcome" } });
    expect((await activeCodes(ANNA)).map((c) => c.code)).toEqual([code.code]);
    // Its last second, then past it: still "issued" in the database until the expiry task runs.
    await prisma.issuedCode.update({ where: { id: code.id }, data: { endsAt: new Date(Date.now() + 60_000) } });
    expect(await activeCodes(ANNA)).toMatchObject([{ code: code.code, secondsLeft: expect.any(Number) }]);
    expect((await activeCodes(ANNA))[0]!.secondsLeft).toBeLessThanOrEqual(60);
    await prisma.issuedCode.update({ where: { id: code.id }, data: { endsAt: new Date(Date.now() - 1) } });
    expect(await activeCodes(ANNA)).toEqual([]);
    await expireCodes(prisma, new Date(Date.now() + EXPIRY_GRACE_MS + 1000));
    expect(await prisma.issuedCode.findUniqueOrThrow({ where: { id: code.id } })).toMatchObject({ status: "expired" });
    expect(await activeCodes(ANNA)).toEqual([]);
  });

  it("never shows one customer's codes to another", async () => {
    await paidOrder(ANNA, "600.00");
    await paidOrder(BORIS, "40.00");
    const anna = await redeem(ANNA, "reward-10");
    expect(anna.status).toBe(200);
    const annaCodes = (await activeCodes(ANNA)).map((c) => c.code);
    const borisCodes = (await activeCodes(BORIS)).map((c) => c.code);
    expect(annaCodes).toHaveLength(2);
    expect(borisCodes).toHaveLength(1);
    expect(borisCodes.filter((c) => annaCodes.includes(c))).toEqual([]);
    const borisWelcome = await prisma.issuedCode.findFirstOrThrow({ where: { customer: { shopifyCustomerId: `gid://shopify/Customer/${BORIS}` } } });
    expect(borisCodes).toEqual([borisWelcome.code]);
    // A shopper with no order yet (no member row) gets an empty list, not someone else's.
    expect(await activeCodes(8_199)).toEqual([]);
  });
});
