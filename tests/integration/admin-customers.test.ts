// Customer list (search, sort, pages on the server) and customer page (ledger history that says
// why, manual adjustments through appendEntries, idempotent on the form's nonce).
import { beforeEach, describe, expect, it } from "vitest";
import * as listRoute from "../../app/routes/app.customers._index";
import * as customerRoute from "../../app/routes/app.customers.$id";
import { installShop, prisma, resetDatabase } from "../support/app";
import { adminRequest, bearerRequest } from "../../dev/shopify-requests";
import { sendWebhook } from "../support/webhooks";
import { orderPayload, refundPayload } from "../../dev/payloads/order-fixtures";
import { verifyBalanceCache } from "../../app/ledger/balances.server";
import { TEST_SHOP } from "../../dev/harness/test-env";

const OTHER_SHOP = "other-shop.myshopify.com";
type ListData = Awaited<ReturnType<typeof listRoute.loader>>;
type CustomerData = Awaited<ReturnType<typeof customerRoute.loader>>;

async function load<T>(mod: { loader: (args: any) => Promise<T> }, path: string, params: Record<string, string> = {}, shop = TEST_SHOP): Promise<T | Response> {
  try {
    return await mod.loader({ request: await adminRequest(path, {}, shop), params, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function adjust(customerId: string, fields: Record<string, string>, shop = TEST_SHOP): Promise<{ status: number; body: any }> {
  const request = await bearerRequest(`/app/customers/${customerId}`, { method: "POST", body: new URLSearchParams({ intent: "adjust", ...fields }) }, shop);
  let response: Response;
  try {
    response = await customerRoute.action({ request, params: { id: customerId }, context: {} });
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    response = thrown;
  }
  const text = await response.text();
  return { status: response.status, body: text.startsWith("{") ? JSON.parse(text) : text };
}

const list = async (query = "") => (await load(listRoute, `/app/customers${query}`)) as ListData;

async function seedCustomers(count: number, domain = TEST_SHOP) {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { domain } });
  await prisma.customer.createMany({
    data: Array.from({ length: count }, (_, i) => ({
      shopId: shop.id,
      shopifyCustomerId: `gid://shopify/Customer/${9000 + i}`,
      email: `shopper${i}@example.com`,
      firstName: i === 7 ? "Zoë" : `First${i}`,
      lastName: i === 7 ? "Quinn" : `Last${i}`,
      balance: (i * 37) % 101,
      pending: i % 3,
      lifetimeEarned: (i * 53) % 211,
      lastActivityAt: i % 10 === 9 ? null : new Date(Date.UTC(2026, 0, 1) + i * 3_600_000),
    })),
  });
  return shop;
}

describe("customer list", () => {
  beforeEach(async () => {
    await resetDatabase();
    await installShop();
  });

  it("pages of 50, newest activity first, customers without activity last", async () => {
    await seedCustomers(120);
    const first = await list();
    expect(first.customers).toHaveLength(50);
    expect(first).toMatchObject({ hasNext: true, hasPrevious: false, query: { sort: "activity", dir: "desc", page: 1 } });
    expect(first.customers[0]?.email).toBe("shopper118@example.com");
    const third = await list("?page=3");
    expect(third.customers).toHaveLength(20);
    expect(third).toMatchObject({ hasNext: false, hasPrevious: true });
    expect(third.customers.slice(-12).every((c) => c.lastActivity === "—")).toBe(true);
    // Oldest first puts the never-active first.
    const oldest = await list("?sort=activity&dir=asc");
    expect(oldest.customers.slice(0, 12).every((c) => c.lastActivity === "—")).toBe(true);
    expect(oldest.customers[12]?.email).toBe("shopper0@example.com");
    // Every customer exactly once across the pages.
    const second = await list("?page=2");
    const ids = [...first.customers, ...second.customers, ...third.customers].map((c) => c.id);
    expect(new Set(ids).size).toBe(120);
  });

  it("sorts by balance and lifetime earned in both directions, on the server", async () => {
    await seedCustomers(120);
    const all = await prisma.customer.findMany();
    const byBalanceDesc = await list("?sort=balance&dir=desc");
    expect(byBalanceDesc.customers[0]?.balance).toBe(Math.max(...all.map((c) => c.balance)));
    const balances = byBalanceDesc.customers.map((c) => c.balance);
    expect(balances).toEqual([...balances].sort((a, b) => b - a));
    const byLifetimeAsc = await list("?sort=lifetime&dir=asc");
    const lifetimes = byLifetimeAsc.customers.map((c) => c.lifetimeEarned);
    expect(lifetimes).toEqual([...lifetimes].sort((a, b) => a - b));
    expect(lifetimes[0]).toBe(Math.min(...all.map((c) => c.lifetimeEarned)));
  });

  it("searches names and emails, any case, every word must match", async () => {
    await seedCustomers(60);
    expect((await list("?q=shopper42")).customers.map((c) => c.email)).toEqual(["shopper42@example.com"]);
    expect((await list("?q=SHOPPER42%40EXAMPLE")).customers).toHaveLength(1);
    expect((await list("?q=first12%20last12")).customers.map((c) => c.name)).toEqual(["First12 Last12"]);
    expect((await list("?q=quinn")).customers.map((c) => c.name)).toEqual(["Zoë Quinn"]);
    expect((await list("?q=first12%20last13")).customers).toEqual([]);
    expect((await list("?q=last1&sort=balance")).customers.length).toBeGreaterThan(1);
  });

  it("lists only this shop's customers", async () => {
    await installShop(OTHER_SHOP);
    await seedCustomers(5, OTHER_SHOP);
    expect((await list()).customers).toEqual([]);
    expect((await list("?q=shopper")).customers).toEqual([]);
  });
});

describe("customer page", () => {
  beforeEach(async () => {
    await resetDatabase();
    await installShop();
  });

  const lines = [
    { id: 1, price: "60.00" },
    { id: 2, price: "40.00" },
  ];

  it("shows the history with why each entry happened", async () => {
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    const campaign = await prisma.campaign.create({
      data: { shopId: shop.id, name: "Black Friday", multiplier: "2", startsAt: new Date("2026-11-20T00:00:00Z"), endsAt: new Date("2026-11-21T00:00:00Z") },
    });
    await sendWebhook("orders/paid", orderPayload({ id: 450789469, customerId: 7001, processedAt: "2026-11-20T15:00:00Z", lines }));
    await sendWebhook("refunds/create", refundPayload({ id: 77, orderId: 450789469, lines: [{ lineItemId: 2, subtotal: "40.00" }] }));
    const customer = await prisma.customer.findFirstOrThrow();
    await adjust(customer.id, { points: "-5", reason: "Goodwill correction", nonce: "nonce-history-1" });

    const data = (await load(customerRoute, `/app/customers/${customer.id}`, { id: customer.id })) as CustomerData;
    expect(data.customer).toMatchObject({
      email: "customer7001@example.com",
      balance: 100 + 100 - 80 - 5,
      pending: 0,
      adminUrl: "shopify://admin/customers/7001",
    });
    const byKind = Object.fromEntries(data.ledger.entries.map((e) => [e.kind, e]));
    expect(byKind.earn).toMatchObject({ points: 100, kindLabel: "Points earned on an order", order: { url: "shopify://admin/orders/450789469" } });
    expect(byKind.earn?.order?.name).toBe("#450789469");
    expect(byKind.campaign_bonus).toMatchObject({ points: 100, details: ["Campaign: Black Friday"] });
    expect(byKind.campaign_bonus?.order?.url).toBe("shopify://admin/orders/450789469");
    expect(byKind.refund_reversal?.kindLabel).toBe("Taken back after a refund");
    expect(byKind.refund_reversal?.details.some((d) => d === "Refund #77")).toBe(true);
    expect(byKind.manual).toMatchObject({ points: -5, kindLabel: "Manual adjustment", details: ["Reason: Goodwill correction"], by: "Staff" });
    expect(data.ledger.entries[0]?.kind).toBe("manual"); // newest first
    expect(campaign.id).toBeTruthy();
  });

  it("records a manual adjustment through the ledger, with staff, reason and a fresh nonce per load", async () => {
    await sendWebhook("orders/paid", orderPayload({ id: 1, customerId: 7001, lines }));
    const customer = await prisma.customer.findFirstOrThrow();
    const page = (await load(customerRoute, `/app/customers/${customer.id}`, { id: customer.id })) as CustomerData;
    const res = await adjust(customer.id, { points: "+25", reason: "Birthday", nonce: page.nonce });
    expect(res).toMatchObject({ status: 200, body: { ok: true, duplicate: false, balance: 125, points: 25 } });
    const entry = await prisma.ledgerEntry.findFirstOrThrow({ where: { kind: "manual" } });
    expect(entry).toMatchObject({
      points: 25,
      status: "available",
      actor: "staff:offline_test-shop.myshopify.com",
      reason: "Birthday",
      idempotencyKey: `manual:${page.nonce}`,
    });
    expect(await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).toMatchObject({ balance: 125, lifetimeEarned: 125 });
    expect(await verifyBalanceCache(prisma)).toEqual([]);
    const reloaded = (await load(customerRoute, `/app/customers/${customer.id}`, { id: customer.id })) as CustomerData;
    expect(reloaded.nonce).not.toBe(page.nonce);
  });

  it("a double-submitted adjustment is written once, sequentially or at the same time", async () => {
    await sendWebhook("orders/paid", orderPayload({ id: 1, customerId: 7001, lines }));
    const customer = await prisma.customer.findFirstOrThrow();
    const form = { points: "10", reason: "Survey", nonce: "5f1c2a9e-double" };
    expect((await adjust(customer.id, form)).body).toMatchObject({ ok: true, duplicate: false });
    expect((await adjust(customer.id, form)).body).toMatchObject({ ok: true, duplicate: true, balance: 110 });
    const concurrent = await Promise.all([1, 2, 3].map(() => adjust(customer.id, { ...form, nonce: "5f1c2a9e-burst" })));
    expect(concurrent.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(concurrent.filter((r) => !r.body.duplicate)).toHaveLength(1);
    expect(await prisma.ledgerEntry.count({ where: { kind: "manual" } })).toBe(2);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).balance).toBe(120);
    expect(await verifyBalanceCache(prisma)).toEqual([]);
  });

  it("invalid adjustments return inline errors and write nothing", async () => {
    await sendWebhook("orders/paid", orderPayload({ id: 1, customerId: 7001, lines }));
    const customer = await prisma.customer.findFirstOrThrow();
    for (const [fields, errors] of [
      [{ points: "0", reason: "x", nonce: "nonce-invalid-1" }, { points: "Enter a whole number of points other than 0, like 100 or -50" }],
      [
        { points: "1.5", reason: "", nonce: "nonce-invalid-2" },
        { points: "Enter a whole number of points other than 0, like 100 or -50", reason: "Say why: the customer sees their history, and so does your team" },
      ],
      [{ points: "abc", reason: "x", nonce: "nonce-invalid-3" }, { points: "Enter a whole number of points other than 0, like 100 or -50" }],
      [{ points: "2000000", reason: "x", nonce: "nonce-invalid-4" }, { points: "Adjust by at most 1,000,000 points at a time" }],
      [{ points: "5", reason: "x", nonce: "" }, { _form: "This form has expired. Reload the page and try again." }],
    ] as const) {
      const res = await adjust(customer.id, fields);
      expect(res.status).toBe(422);
      expect(res.body.fieldErrors).toEqual(errors);
    }
    expect(await prisma.ledgerEntry.count({ where: { kind: "manual" } })).toBe(0);
  });

  it("a deduction below zero needs confirmation, then leaves a visible negative balance", async () => {
    await sendWebhook("orders/paid", orderPayload({ id: 1, customerId: 7001, lines }));
    const customer = await prisma.customer.findFirstOrThrow();
    const form = { points: "-150", reason: "Points spent before a chargeback", nonce: "nonce-negative-1" };
    const first = await adjust(customer.id, form);
    expect(first).toMatchObject({ status: 409, body: { ok: false, needsConfirmation: true, balance: 100, resultingBalance: -50 } });
    expect(await prisma.ledgerEntry.count({ where: { kind: "manual" } })).toBe(0);
    const confirmed = await adjust(customer.id, { ...form, confirmNegative: "true" });
    expect(confirmed).toMatchObject({ status: 200, body: { ok: true, balance: -50 } });
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).balance).toBe(-50);
    // A deduction that stays at or above zero needs no confirmation.
    await adjust(customer.id, { points: "60", reason: "Back up", nonce: "nonce-negative-2" });
    expect((await adjust(customer.id, { points: "-10", reason: "Down", nonce: "nonce-negative-3" })).status).toBe(200);
    expect(await verifyBalanceCache(prisma)).toEqual([]);
  });

  it("the merchant can redeem a reward for the customer: points are debited and a code is issued; not enough points is refused", async () => {
    await sendWebhook("orders/paid", orderPayload({ id: 2, customerId: 7001, lines }));
    const customer = await prisma.customer.findFirstOrThrow();
    const reward = await prisma.reward.create({ data: { shopId: customer.shopId, name: "$1 off", pointsCost: 60, discountType: "fixed_amount", value: "1.00" } });
    const redeem = async () => {
      const request = await bearerRequest(`/app/customers/${customer.id}`, { method: "POST", body: new URLSearchParams({ intent: "redeem", rewardId: reward.id }) });
      const response = (await customerRoute.action({ request, params: { id: customer.id }, context: {} })) as Response;
      return { status: response.status, body: await response.json() };
    };
    const first = await redeem();
    expect(first).toMatchObject({ status: 200, body: { intent: "redeem", ok: true, code: expect.stringMatching(/^REWARD-/) } });
    expect(await prisma.issuedCode.findFirstOrThrow()).toMatchObject({ status: "creating", pointsSpent: 60, source: "redemption" });
    expect((await prisma.ledgerEntry.findFirstOrThrow({ where: { kind: "redemption" } })).actor).toBe("staff:offline_test-shop.myshopify.com");
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).balance).toBe(40);
    const second = await redeem();
    expect(second).toMatchObject({ status: 409, body: { ok: false, message: "You need 20 points more for $1 off." } });
    expect(await verifyBalanceCache(prisma)).toEqual([]);
  });

  it("another shop's customer is not found, and can't be adjusted", async () => {
    const other = await installShop(OTHER_SHOP);
    const theirs = await prisma.customer.create({ data: { shopId: other.id, shopifyCustomerId: "gid://shopify/Customer/1", balance: 0 } });
    const page = await load(customerRoute, `/app/customers/${theirs.id}`, { id: theirs.id });
    expect((page as Response).status).toBe(404);
    expect((await adjust(theirs.id, { points: "100", reason: "x", nonce: "nonce-other-shop" })).status).toBe(404);
    expect(await prisma.ledgerEntry.count()).toBe(0);
    // The owner can.
    expect((await adjust(theirs.id, { points: "100", reason: "x", nonce: "nonce-other-shop" }, OTHER_SHOP)).status).toBe(200);
  });
});
