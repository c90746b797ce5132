// The home page's numbers, from real order webhooks, redemptions and codes, scoped to the shop.
import { beforeEach, describe, expect, it } from "vitest";
import * as homeRoute from "../../app/routes/app._index";
import { installShop, prisma, resetDatabase } from "../support/app";
import { adminRequest } from "../../dev/shopify-requests";
import { sendWebhook } from "../support/webhooks";
import { orderPayload } from "../../dev/payloads/order-fixtures";
import { saveSettings } from "../../app/features/program/save-settings.server";
import { programSettingsSchema } from "../../app/domain/settings";
import { redeemReward } from "../../app/features/codes/codes.server";
import { clearDailyCache, dailyPoints } from "../../app/admin/dashboard.server";
import { TEST_SHOP } from "../../dev/harness/test-env";

const OTHER_SHOP = "other-shop.myshopify.com";
type HomeData = Awaited<ReturnType<typeof homeRoute.loader>>;

async function home(query = "", shop = TEST_SHOP): Promise<HomeData> {
  return homeRoute.loader({ request: await adminRequest(`/app${query}`, {}, shop), params: {}, context: {} });
}

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
let orderId = 1000;
const order = (customerId: number, processedAt: string, extra: { tags?: string; price?: string } = {}) =>
  sendWebhook("orders/paid", orderPayload({ id: ++orderId, customerId, processedAt, lines: [{ id: orderId * 10, price: extra.price ?? "300.00" }], tags: extra.tags }));

describe("home dashboard", () => {
  beforeEach(async () => {
    await resetDatabase();
    await installShop();
    clearDailyCache();
  });

  it("a fresh install shows zeros, no money value and the onboarding checklist", async () => {
    const { dashboard: d } = await home();
    expect(d).toMatchObject({
      members: 0,
      pointsIssued: 0,
      pointsRedeemed: 0,
      pointsOutstanding: 0,
      outstandingValue: null,
      redemptionPrice: null,
      redemptionRate: null,
      repeatPurchase: { members: { customers: 0, rate: null }, nonMembers: { customers: 0, rate: null } },
      loyaltyCodeRevenue: { amount: "0.00", orders: 0 },
      retention: { period: 30, atStart: 0, atEnd: 0, newCustomers: 0, rate: null },
      onboarding: { live: false, earningRuleSaved: false, welcomeBonusSet: false, rewardCreated: false },
    });
    expect(d.daily).toHaveLength(30);
    expect(d.daily.every((day) => day.earned === 0 && day.redeemed === 0)).toBe(true);
  });

  it("members, points, redemption, repeat purchases, retention and code revenue", async () => {
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    await prisma.$transaction((tx) => saveSettings(tx, shop.id, programSettingsSchema.parse({ excludedOrderTags: ["wholesale"], welcomeBonusPoints: 0 }), "staff:test"));
    const fiveOff = await prisma.reward.create({ data: { shopId: shop.id, name: "$5 off", pointsCost: 500, discountType: "fixed_amount", value: "5" } });
    // A cheaper percentage reward has no money value: the price comes from the amount-off one.
    await prisma.reward.create({ data: { shopId: shop.id, name: "10% off", pointsCost: 100, discountType: "percentage", value: "10" } });

    // Customer 1: members, ordered in both windows. 2: member, only before. 3: non-member, new this
    // period (wholesale orders earn nothing). 4: non-member, ordered in both windows.
    await order(1, daysAgo(40));
    await order(1, daysAgo(3));
    await order(2, daysAgo(45));
    await order(3, daysAgo(2), { tags: "wholesale" });
    await order(4, daysAgo(50), { tags: "wholesale" });
    await order(4, daysAgo(10), { tags: "wholesale" });
    const c1 = await prisma.customer.findFirstOrThrow({ where: { shopifyCustomerId: "gid://shopify/Customer/1" } });
    const redeemed = await redeemReward(prisma, { shopId: shop.id, customerId: c1.id, rewardId: fiveOff.id, actor: "shopper" });
    expect(redeemed.ok).toBe(true);
    // Two of our codes used on one order count its revenue once.
    for (const code of ["A1", "A2"]) {
      await prisma.issuedCode.create({
        data: {
          shopId: shop.id,
          customerId: c1.id,
          code,
          source: "welcome",
          rewardSnapshot: "{}",
          startsAt: new Date(),
          endsAt: new Date(),
          status: "used",
          usedByOrderId: "gid://shopify/Order/9",
          usedRevenue: "45.50",
        },
      });
    }
    await prisma.issuedCode.create({
      data: {
        shopId: shop.id,
        customerId: c1.id,
        code: "B1",
        source: "welcome",
        rewardSnapshot: "{}",
        startsAt: new Date(),
        endsAt: new Date(),
        status: "used",
        usedByOrderId: "gid://shopify/Order/10",
        usedRevenue: "100.05",
      },
    });

    // Another shop's activity never shows here.
    const other = await installShop(OTHER_SHOP);
    const stranger = await prisma.customer.create({
      data: { shopId: other.id, shopifyCustomerId: "gid://shopify/Customer/1", balance: 999, lifetimeEarned: 999, lastActivityAt: new Date() },
    });
    await prisma.ledgerEntry.create({
      data: {
        shopId: other.id,
        customerId: stranger.id,
        points: 999,
        kind: "earn",
        status: "available",
        availableAt: new Date(),
        idempotencyKey: "x",
        actor: "test",
      },
    });

    const { dashboard: d } = await home();
    expect(d.members).toBe(2);
    expect(d.pointsIssued).toBe(900);
    expect(d.pointsRedeemed).toBe(500);
    expect(d).toMatchObject({
      outstandingAvailable: 400,
      outstandingPending: 0,
      pointsOutstanding: 400,
      outstandingValue: "4.00",
      redemptionPrice: { rewardName: "$5 off", pointsCost: 500, value: "5" },
    });
    expect(d.redemptionRate).toBeCloseTo(500 / 900);
    expect(d.repeatPurchase).toEqual({ members: { customers: 2, repeatCustomers: 1, rate: 0.5 }, nonMembers: { customers: 2, repeatCustomers: 1, rate: 0.5 } });
    expect(d.loyaltyCodeRevenue).toEqual({ amount: "145.55", orders: 2 });
    // At start (31-60 days ago): 1, 2, 4. At end (last 30 days): 1, 3, 4; new: 3. (3 - 1) / 3.
    expect(d.retention).toMatchObject({ period: 30, atStart: 3, atEnd: 3, newCustomers: 1 });
    expect(d.retention.rate).toBeCloseTo(2 / 3);
    // Points are dated when written (now): today's bar has everything.
    const today = d.daily.at(-1)!;
    expect(today).toMatchObject({ earned: 900, redeemed: 500 });
    expect(d.onboarding).toMatchObject({ live: true, earningRuleSaved: true, rewardCreated: true, welcomeBonusSet: false });

    // The 90-day view widens retention's windows: 2 and 4 now fall inside.
    const { dashboard: ninety } = await home("?period=90");
    expect(ninety.daily).toHaveLength(90);
    expect(ninety.retention).toMatchObject({ period: 90, atStart: 0, atEnd: 4, newCustomers: 4, rate: null });
  });

  it("places points on the shop's calendar days, in any zone, cold or warm", async () => {
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    const customer = await prisma.customer.create({
      data: { shopId: shop.id, shopifyCustomerId: "gid://shopify/Customer/5", lastActivityAt: new Date("2026-11-12T00:00:00Z") },
    });
    let n = 0;
    const entry = (createdAt: string, points: number, kind = "earn") =>
      prisma.ledgerEntry.create({
        data: {
          shopId: shop.id,
          customerId: customer.id,
          points,
          kind,
          status: "available",
          availableAt: new Date(createdAt),
          idempotencyKey: `k${++n}`,
          actor: "test",
          createdAt: new Date(createdAt),
        },
      });
    await entry("2026-11-01T03:30:00Z", 2); // New York: 23:30 EDT on Oct 31
    await entry("2026-11-01T05:30:00Z", 4); // New York: 01:30 EDT on Nov 1, the day DST ends
    await entry("2026-11-10T18:20:00Z", 10); // 23:50 on the 10th in Kolkata (+05:30)
    await entry("2026-11-10T18:40:00Z", 20); // 00:10 on the 11th
    await entry("2026-11-11T12:00:00Z", -7, "redemption");
    await entry("2026-11-11T12:00:00Z", -3, "refund_reversal"); // neither earned nor redeemed
    await entry("2026-11-12T03:00:00Z", 5, "manual"); // today, 08:30 local
    const now = new Date("2026-11-12T04:00:00Z");
    const cold = await dailyPoints(shop.id, "Asia/Kolkata", 30, now);
    expect(cold).toHaveLength(30);
    expect(cold.at(-1)).toEqual({ date: "2026-11-12", earned: 5, redeemed: 0 });
    expect(cold.at(-2)).toEqual({ date: "2026-11-11", earned: 20, redeemed: 7 });
    expect(cold.at(-3)).toEqual({ date: "2026-11-10", earned: 10, redeemed: 0 });
    expect(cold[0]?.date).toBe("2026-10-14");
    // Warm: settled days come from memory, today from the database, same answer.
    await entry("2026-11-12T03:30:00Z", 1);
    const warm = await dailyPoints(shop.id, "Asia/Kolkata", 30, new Date("2026-11-12T04:05:00Z"));
    expect(warm.slice(0, -1)).toEqual(cold.slice(0, -1));
    expect(warm.at(-1)).toEqual({ date: "2026-11-12", earned: 6, redeemed: 0 });
    // The same entries on New York's calendar (UTC-4 until Nov 1, UTC-5 after): "now" is still
    // Nov 11 there, and 03:00Z on the 12th is 22:00 on the 11th.
    const ny = await dailyPoints(shop.id, "America/New_York", 30, new Date("2026-11-12T04:05:00Z"));
    expect(ny.at(-1)).toEqual({ date: "2026-11-11", earned: 6, redeemed: 7 });
    expect(ny.find((d) => d.date === "2026-11-10")).toEqual({ date: "2026-11-10", earned: 30, redeemed: 0 });
    expect(ny.find((d) => d.date === "2026-10-31")).toEqual({ date: "2026-10-31", earned: 2, redeemed: 0 });
    expect(ny.find((d) => d.date === "2026-11-01")).toEqual({ date: "2026-11-01", earned: 4, redeemed: 0 });
  });

  it("the checklist notices the welcome bonus and goes away once an order earns", async () => {
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    await prisma.$transaction((tx) => saveSettings(tx, shop.id, programSettingsSchema.parse({ welcomeBonusPoints: 50 }), "staff:test"));
    expect((await home()).dashboard.onboarding).toEqual({ live: false, earningRuleSaved: true, welcomeBonusSet: true, rewardCreated: false });
    await order(1, daysAgo(1));
    expect((await home()).dashboard.onboarding.live).toBe(true);
  });
});
