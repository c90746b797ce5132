// The webhook inbox (docs/decisions/007): the route stores and answers; the applier applies each
// stored delivery exactly once, survives racing appliers, and retries a delivery it cannot apply
// without holding up the others.
import { beforeEach, describe, expect, it } from "vitest";
import { installShop, prisma, resetDatabase } from "../support/app";
import { applyStoredWebhooks, sendWebhook } from "../support/webhooks";
import { orderPayload } from "../../dev/payloads/order-fixtures";
import { applyReceivedWebhooks } from "../../app/webhooks/inbox.server";
import { MAX_ATTEMPTS } from "../../app/platform/retry";
import { recordDelivery } from "../../app/webhooks/receive.server";
import { verifyBalanceCache } from "../../app/ledger/balances.server";
import { TEST_SHOP } from "../../dev/harness/test-env";

const order = (id: number, customerId = 7101) => orderPayload({ id, customerId, lines: [{ id: id * 10 + 1, price: "40.00" }], shipping: "5.00" });
const balanceOf = async (customerId: number) => (await prisma.customer.findFirst({ where: { shopifyCustomerId: `gid://shopify/Customer/${customerId}` } }))?.balance ?? 0;

describe("webhook inbox", () => {
  beforeEach(async () => {
    await resetDatabase();
    await installShop();
  });

  it("the route answers once the delivery is stored; the points appear when the applier has run, and the payload is then cleared", async () => {
    const res = await sendWebhook("orders/paid", order(5001), { webhookId: "in-1", apply: false });
    expect(res).toMatchObject({ status: 200, body: { ok: true, outcome: "received" }, outcome: "received" });
    expect(await balanceOf(7101)).toBe(0);
    const stored = await prisma.webhookDelivery.findFirstOrThrow({ where: { webhookId: "in-1" } });
    expect(JSON.parse(stored.payload!)).toMatchObject({ id: 5001 });

    await applyStoredWebhooks();
    expect(await balanceOf(7101)).toBe(40);
    const applied = await prisma.webhookDelivery.findFirstOrThrow({ where: { webhookId: "in-1" } });
    expect(applied).toMatchObject({ outcome: "applied", payload: null, attempts: 0 });
    expect(applied.appliedAt).toBeInstanceOf(Date);

    const again = await sendWebhook("orders/paid", order(5001), { webhookId: "in-1" });
    expect(again.body).toMatchObject({ outcome: "duplicate" });
    expect(await balanceOf(7101)).toBe(40);
  });

  it("appliers racing over the same deliveries apply each exactly once", async () => {
    for (let i = 0; i < 30; i++) {
      await sendWebhook("orders/paid", order(6000 + i, 7200 + (i % 3)), { webhookId: `race-${i}`, apply: false });
      if (i % 4 === 0) await sendWebhook("orders/paid", order(6000 + i, 7200 + (i % 3)), { webhookId: `race-${i}-again`, apply: false });
    }
    await Promise.all([applyReceivedWebhooks(prisma), applyReceivedWebhooks(prisma), applyReceivedWebhooks(prisma)]);
    await applyStoredWebhooks();
    expect(await prisma.webhookDelivery.count({ where: { outcome: "received" } })).toBe(0);
    expect(await prisma.ledgerEntry.count({ where: { kind: "earn" } })).toBe(30);
    for (const c of [7200, 7201, 7202]) expect(await balanceOf(c)).toBe(400);
    expect(await verifyBalanceCache(prisma)).toEqual([]);
  });

  it("a delivery that cannot be applied is retried with backoff, then marked failed with its payload kept, and never blocks the others", async () => {
    const meta = { shop: TEST_SHOP, topic: "orders/paid", webhookId: "poison", eventId: null };
    await recordDelivery(prisma, meta, "{ not json");
    await sendWebhook("orders/paid", order(5002), { webhookId: "fine", apply: false });

    let clock = Date.now();
    await applyReceivedWebhooks(prisma, { now: () => new Date(clock) });
    expect(await balanceOf(7101)).toBe(40);
    const first = await prisma.webhookDelivery.findFirstOrThrow({ where: { webhookId: "poison" } });
    expect(first).toMatchObject({ outcome: "received", attempts: 1 });
    expect(first.lastError).toMatch(/JSON/);
    expect(first.nextAttemptAt!.getTime()).toBeGreaterThan(clock);

    // Not due yet: a second pass right away leaves it alone.
    await applyReceivedWebhooks(prisma, { now: () => new Date(clock) });
    expect(await prisma.webhookDelivery.findFirstOrThrow({ where: { webhookId: "poison" } })).toMatchObject({ attempts: 1 });

    for (let i = 1; i < MAX_ATTEMPTS; i++) {
      clock += 13 * 60_000; // past the longest backoff (10 min + 25 % jitter)
      await applyReceivedWebhooks(prisma, { now: () => new Date(clock) });
    }
    expect(await prisma.webhookDelivery.findFirstOrThrow({ where: { webhookId: "poison" } })).toMatchObject({ outcome: "failed", attempts: MAX_ATTEMPTS, payload: "{ not json" });
    clock += 60 * 60_000;
    expect(await applyReceivedWebhooks(prisma, { now: () => new Date(clock) })).toBe(0);
  });

  it("a delivery rejected as malformed can be replaced by a corrected redelivery with the same webhook id", async () => {
    const bad = await sendWebhook("orders/paid", { ...order(5003), line_items: "nope" }, { webhookId: "fixme" });
    expect(bad.status).toBe(422);
    expect(bad.outcome).toBe("rejected");
    const fixed = await sendWebhook("orders/paid", order(5003), { webhookId: "fixme" });
    expect(fixed).toMatchObject({ status: 200, body: { outcome: "received" }, outcome: "applied" });
    expect(await balanceOf(7101)).toBe(40);
  });
  it("deliveries arriving together are stored in one commit, each answered for itself: a repeat inside the same batch is a duplicate", async () => {
    const sends = [
      ...Array.from({ length: 8 }, (_, i) => sendWebhook("orders/paid", order(5100 + i, 7300 + i), { webhookId: `together-${i}`, apply: false })),
      sendWebhook("orders/paid", order(5100, 7300), { webhookId: "together-0", apply: false }),
      sendWebhook("orders/paid", order(5100, 7300), { webhookId: "together-0", apply: false }),
    ];
    const answers = await Promise.all(sends);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const outcomes = answers.filter((a) => (a.body as { outcome: string }).outcome === "received");
    expect(outcomes).toHaveLength(8); // the two repeats of together-0 are answered "duplicate"
    expect(await prisma.webhookDelivery.count({ where: { webhookId: { startsWith: "together-" } } })).toBe(8);
    await applyStoredWebhooks();
    for (let i = 0; i < 8; i++) expect(await balanceOf(7300 + i)).toBe(40);
  });

  it("an applier whose batches may hold the database only briefly still applies every delivery, each exactly once", async () => {
    for (let i = 0; i < 12; i++) await sendWebhook("orders/paid", order(5200 + i, 7400 + (i % 2)), { webhookId: `short-${i}`, apply: false });
    const pauses: number[] = [];
    // batchMaxMs 0: every transaction stops after its first delivery
    const looked = await applyReceivedWebhooks(prisma, { batchMaxMs: 0, beforeEachBatch: async () => void pauses.push(1) });
    expect(looked).toBe(12);
    expect(pauses).toHaveLength(12); // one transaction per delivery
    expect(await prisma.webhookDelivery.count({ where: { webhookId: { startsWith: "short-" }, outcome: "applied" } })).toBe(12);
    expect(await balanceOf(7400)).toBe(240);
    expect(await balanceOf(7401)).toBe(240);
    expect(await verifyBalanceCache(prisma)).toEqual([]);
  });
});
