// The codes page: issued codes with a status filter and pages, and failed outbox jobs with Retry.
import { beforeEach, describe, expect, it } from "vitest";
import * as codesRoute from "../../app/routes/app.codes";
import { installShop, prisma, resetDatabase } from "../support/app";
import { adminRequest, bearerRequest } from "../../dev/shopify-requests";
import { TEST_SHOP } from "../../dev/harness/test-env";

const OTHER_SHOP = "other-shop.myshopify.com";
type CodesData = Awaited<ReturnType<typeof codesRoute.loader>>;

async function load(query = "", shop = TEST_SHOP): Promise<CodesData> {
  return codesRoute.loader({ request: await adminRequest(`/app/codes${query}`, {}, shop), params: {}, context: {} });
}

async function post(fields: Record<string, string>, shop = TEST_SHOP): Promise<{ status: number; body: any }> {
  const request = await bearerRequest("/app/codes", { method: "POST", body: new URLSearchParams(fields) }, shop);
  let response: Response;
  try {
    response = await codesRoute.action({ request, params: {}, context: {} });
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    response = thrown;
  }
  const text = await response.text();
  return { status: response.status, body: text.startsWith("{") ? JSON.parse(text) : text };
}

async function seed(domain = TEST_SHOP) {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { domain } });
  await prisma.shop.update({ where: { id: shop.id }, data: { ianaTimezone: "Europe/Paris", currencyCode: "EUR" } });
  const customer = await prisma.customer.create({
    data: { shopId: shop.id, shopifyCustomerId: "gid://shopify/Customer/42", firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" },
  });
  await prisma.orderRecord.create({
    data: { shopId: shop.id, orderId: "gid://shopify/Order/820982911946154508", orderName: "#1042", customerId: customer.id },
  });
  const statuses = ["issued", "used", "expired", "failed", "creating"];
  await prisma.issuedCode.createMany({
    data: Array.from({ length: 65 }, (_, i) => ({
      shopId: shop.id,
      customerId: customer.id,
      code: `REWARD-${String(i).padStart(3, "0")}`,
      source: i % 2 ? "redemption" : "welcome",
      rewardSnapshot: JSON.stringify(
        i % 3 === 0
          ? { discountType: "fixed_amount", value: "5", minSubtotal: "20" }
          : i % 3 === 1
            ? { discountType: "percentage", value: "15", minSubtotal: null }
            : { discountType: "free_shipping", value: "0", minSubtotal: null },
      ),
      startsAt: new Date("2026-11-01T00:00:00Z"),
      endsAt: new Date("2026-12-01T22:59:59.999Z"),
      status: statuses[i % 5]!,
      usedByOrderId: statuses[i % 5] === "used" ? "gid://shopify/Order/820982911946154508" : null,
      usedRevenue: statuses[i % 5] === "used" ? "80.00" : null,
      createdAt: new Date(Date.UTC(2026, 10, 1) + i * 60_000),
    })),
  });
  return { shop, customer };
}

describe("issued codes", () => {
  beforeEach(async () => {
    await resetDatabase();
    await installShop();
  });

  it("lists the newest codes first, 50 a page, with customer, value, end date and the order that used them", async () => {
    const { customer } = await seed();
    const first = await load();
    expect(first.codes).toHaveLength(50);
    expect(first).toMatchObject({ hasNext: true, hasPrevious: false, counts: { issued: 13, used: 13, expired: 13, failed: 13, creating: 13 } });
    expect(first.codes[0]).toMatchObject({
      code: "REWARD-064",
      source: "welcome",
      status: "creating",
      customer: { id: customer.id, name: "Ada Lovelace" },
      value: "15% off",
      endsAt: "Dec 1, 2026, 11:59 PM",
    });
    const used = first.codes.find((c) => c.status === "used")!;
    expect(used.order).toEqual({ name: "#1042", url: "shopify://admin/orders/820982911946154508" });
    expect(first.codes.find((c) => c.code === "REWARD-063")?.value).toBe("€5.00 off over €20.00");
    expect(first.codes.find((c) => c.code === "REWARD-061")?.value).toBe("15% off");
    const second = await load("?page=2");
    expect(second.codes).toHaveLength(15);
    expect(second).toMatchObject({ hasNext: false, hasPrevious: true });
  });

  it("filters by status", async () => {
    await seed();
    const failed = await load("?status=failed");
    expect(failed.codes).toHaveLength(13);
    expect(failed.codes.every((c) => c.status === "failed")).toBe(true);
    expect((await load("?status=bogus")).query.status).toBeNull();
  });

  it("shows only this shop's codes", async () => {
    await installShop(OTHER_SHOP);
    await seed(OTHER_SHOP);
    const mine = await load();
    expect(mine.codes).toEqual([]);
    expect(mine.counts).toEqual({});
  });
});

describe("failed jobs", () => {
  beforeEach(async () => {
    await resetDatabase();
    await installShop();
  });

  async function job(domain: string, status: string, dedupeKey: string) {
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain } });
    return prisma.outboxJob.create({
      data: {
        shopId: shop.id,
        kind: "create_discount_code",
        payload: "{}",
        dedupeKey,
        status,
        attempts: 8,
        lastError: "ACCESS_DENIED: write_discounts scope missing",
      },
    });
  }

  it("lists failed jobs with their error and queues one again on Retry, once", async () => {
    const failed = await job(TEST_SHOP, "failed", "a");
    await job(TEST_SHOP, "done", "b");
    const data = await load();
    expect(data.jobs).toEqual([{ id: failed.id, kind: "Create discount code", lastError: "ACCESS_DENIED: write_discounts scope missing", attempts: 8, updatedAt: expect.any(String) }]);
    expect(await post({ intent: "retryJob", jobId: failed.id })).toMatchObject({ status: 200, body: { ok: true, requeued: true } });
    expect(await prisma.outboxJob.findUniqueOrThrow({ where: { id: failed.id } })).toMatchObject({ status: "queued", attempts: 0, lastError: null });
    expect(await post({ intent: "retryJob", jobId: failed.id })).toMatchObject({ status: 200, body: { ok: true, requeued: false } });
    expect((await load()).jobs).toEqual([]);
  });

  it("jobs waiting for Shopify access are counted with when and why access was refused; none once it is back", async () => {
    expect((await load()).waiting).toEqual({ jobs: 0, since: null, reason: null });
    await job(TEST_SHOP, "needs_reauth", "w1");
    await job(TEST_SHOP, "needs_reauth", "w2");
    await prisma.shop.updateMany({ where: { domain: TEST_SHOP }, data: { adminAuthLostAt: new Date("2026-12-01T10:00:00Z"), adminAuthLostReason: "invalid_grant" } });
    expect((await load()).waiting).toEqual({ jobs: 2, since: expect.stringMatching(/2026|Dec/), reason: "invalid_grant" });
    expect((await load()).jobs).toEqual([]); // not failed: nothing to retry by hand
  });

  it("another shop's job is not found and stays failed", async () => {
    await installShop(OTHER_SHOP);
    const theirs = await job(OTHER_SHOP, "failed", "c");
    expect((await load()).jobs).toEqual([]);
    expect((await post({ intent: "retryJob", jobId: theirs.id })).status).toBe(404);
    expect((await prisma.outboxJob.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe("failed");
  });
});
