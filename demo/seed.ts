// First-run seeding of the demo shop. The merchant's setup (program settings, rewards, one past
// campaign) is written with the app's own functions; everything that happens at the shop (a year of
// orders, refunds and cancellations of a few hundred customers) reaches the app the way production
// traffic does: signed webhooks over HTTP to the running server, and shopper redemptions through the
// signed app proxy. The app's inline worker drains the jobs they queue (first-order checks, welcome
// codes, metafield syncs) against the Admin API fake.
import type { Db } from "../app/platform/db.server";
import { saveSettings } from "../app/features/program/save-settings.server";
import { programSettingsSchema } from "../app/domain/settings";
import { DEMO_STAFF_USER_ID } from "./config";
import { signedProxyUrl } from "./app-proxy";
import { CATALOG } from "./shopify/catalog";
import { gid, type DemoCustomer } from "./shopify/model";
import type { DemoShopify } from "./shopify/shop";
import { deliver, post, type DeliveryResult, type PendingDelivery } from "./webhooks";
import { advanceClock, clockNow, setClock } from "./clock";

/** Real time, whatever the demo clock says. */
const realNow = () => performance.timeOrigin + performance.now();

export interface SeedOptions {
  shopify: DemoShopify;
  db: Db;
  shopId: string;
  /** Where the app listens (webhooks and the app proxy go there). */
  baseUrl: string;
  secret: string;
  customers: number;
  concurrency?: number;
  log: (message: string) => void;
}

export interface SeedSummary {
  customers: number;
  orders: number;
  refunds: number;
  cancellations: number;
  redemptions: number;
  webhooks: number;
  failures: number;
  seconds: number;
}

const DAY = 86_400_000;

/** Deterministic pseudo-random numbers (mulberry32), so every fresh demo has the same history. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The merchant's setup, as they would make it in Settings (1 point per $1, a welcome bonus and code),
 * Rewards and Campaigns, written with the app's own functions in one transaction that also queues the
 * storefront's program metafield, as the admin's saves do.
 */
export async function seedProgram(db: Db, shopId: string): Promise<void> {
  const settings = programSettingsSchema.parse({
    pointsPerUnit: "1",
    welcomeBonusPoints: 100,
    welcomeCode: { enabled: true, discountType: "percentage", value: "10", validityDays: 30 },
  });
  const programSync = await import("../app/features/program/program-sync.server").catch(() => null);
  await db.$transaction(async (tx) => {
    // Only on a shop never configured: what the merchant changed since stays.
    if ((await tx.programSettings.count({ where: { shopId } })) === 0) await saveSettings(tx, shopId, settings, `staff:${DEMO_STAFF_USER_ID}`);
    if ((await tx.reward.count({ where: { shopId } })) === 0) {
      await tx.reward.createMany({
        data: [
          { shopId, name: "$5 off", pointsCost: 500, discountType: "fixed_amount", value: "5" },
          { shopId, name: "10% off", pointsCost: 800, discountType: "percentage", value: "10" },
          { shopId, name: "Free shipping", pointsCost: 300, discountType: "free_shipping", value: "0" },
        ],
      });
    }
    if ((await tx.campaign.count({ where: { shopId } })) === 0) {
      const start = new Date(realNow() - 120 * DAY);
      start.setUTCHours(0, 0, 0, 0);
      await tx.campaign.create({ data: { shopId, name: "Spring double points", multiplier: "2", startsAt: start, endsAt: new Date(start.getTime() + 7 * DAY) } });
    }
    await programSync?.programChanged(tx, shopId);
  });
}

interface PlannedOrder {
  customer: DemoCustomer;
  at: Date;
  lines: { product: (typeof CATALOG)[number]; quantity: number }[];
  refund: { at: Date; fraction: number } | null;
  cancel: Date | null;
  /** Use the customer's welcome code (a second order within its 30 days). */
  useWelcomeCode: boolean;
}

export async function seedHistory(options: SeedOptions): Promise<SeedSummary> {
  const started = performance.now();
  const rand = random(20_261_123);
  const { shopify, log, db, shopId } = options;
  const now = realNow();
  const concurrency = options.concurrency ?? 8;

  // Customers: about a third had ordered before the app was installed (no welcome bonus for them).
  const plans: PlannedOrder[] = [];
  for (let i = 0; i < options.customers; i++) {
    const prior = rand() < 0.3 ? 1 + Math.floor(rand() * 6) : 0;
    const customer = shopify.createCustomer(prior);
    const r = rand();
    const count = r < 0.35 ? 1 : r < 0.6 ? 2 : r < 0.75 ? 3 : r < 0.92 ? 4 + Math.floor(rand() * 3) : 7 + Math.floor(rand() * 8);
    let at = now - (2 + rand() * 360) * DAY;
    const mine: PlannedOrder[] = [];
    for (let k = 0; k < count && at < now - 0.1 * DAY; k++) {
      const lines = Array.from({ length: 1 + Math.floor(rand() * (rand() < 0.7 ? 1 : 3)) }, () => ({ product: CATALOG[Math.floor(rand() * CATALOG.length)]!, quantity: rand() < 0.85 ? 1 : 2 }));
      const when = new Date(Math.floor(at));
      const refund = rand() < 0.06 ? { at: new Date(when.getTime() + (1 + rand() * 10) * DAY), fraction: 0.2 + rand() * 0.8 } : null;
      const cancel = !refund && rand() < 0.02 ? new Date(when.getTime() + (0.1 + rand()) * DAY) : null;
      mine.push({ customer, at: when, lines, refund, cancel, useWelcomeCode: false });
      at += (4 + rand() * 55) * DAY;
    }
    // A second order soon after the first uses the thank-you code, more often than not.
    if (prior === 0 && mine.length > 1 && mine[1]!.at.getTime() - mine[0]!.at.getTime() < 25 * DAY && rand() < 0.6) mine[1]!.useWelcomeCode = true;
    plans.push(...mine);
  }
  log(`seeding: ${options.customers} customers, ${plans.length} orders over the last year`);

  let sent = 0;
  let failures = 0;
  const failureSamples: DeliveryResult[] = [];
  const progress = setInterval(() => log(`seeding: ${sent} webhooks delivered (shop clock at ${new Date(clockNow()).toISOString().slice(0, 10)})`), 5000);
  const send = async (deliveries: PendingDelivery[]) => {
    for (const d of deliveries) {
      const result = await deliver(options.baseUrl, d, options.secret);
      sent += 1;
      if (result.status !== 200) {
        failures += 1;
        if (failureSamples.length < 3) failureSamples.push(result);
      }
    }
  };

  // Every event of the year in time order, sent by `concurrency` senders. The shop's clock follows the
  // events. A customer's next order waits until the app has read their order count from Shopify (its
  // first-order check), as it would have days before that order in real life.
  type Event = { at: number; customer: DemoCustomer | null; run: () => Promise<PendingDelivery[]> };
  const orderNumbers = new Map<PlannedOrder, number>();
  const placedBefore = new Set<number>();
  const events: Event[] = [];
  const numbers = new Map<PlannedOrder, number>();
  for (const p of [...plans].sort((a, b) => a.at.getTime() - b.at.getTime())) numbers.set(p, shopify.reserveOrderNumber());
  for (const p of plans) {
    events.push({
      at: p.at.getTime(),
      customer: p.customer,
      run: async () => {
        const merchandise = p.lines.reduce((s, l) => s + Number(l.product.price) * l.quantity, 0);
        const code = p.useWelcomeCode ? await welcomeCodeOf(db, shopId, p.customer) : null;
        const placed = shopify.placeOrder({ customer: p.customer.id, lines: p.lines, shipping: merchandise < 50 ? "5.00" : "0.00", code, processedAt: p.at, number: numbers.get(p)!, source: "seed" });
        orderNumbers.set(p, placed.order.number);
        return placed.deliveries;
      },
    });
    if (p.refund && p.refund.at.getTime() < now) {
      const refund = p.refund;
      events.push({
        at: refund.at.getTime(),
        customer: null,
        run: async () => {
          const number = orderNumbers.get(p);
          const order = number === undefined ? undefined : shopify.order(number);
          if (!order || order.cancelledAt) return [];
          const merchandise = order.lines.reduce((s, l) => s + Number(l.price) * l.quantity - Number(l.discount), 0);
          return shopify.refundOrder(order.number, Math.max(1, merchandise * refund.fraction).toFixed(2), { at: refund.at }).deliveries;
        },
      });
    }
    if (p.cancel && p.cancel.getTime() < now) {
      const at = p.cancel;
      events.push({ at: at.getTime(), customer: null, run: async () => (orderNumbers.has(p) ? shopify.cancelOrder(orderNumbers.get(p)!, { at }).deliveries : []) });
    }
  }
  events.sort((a, b) => a.at - b.at);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, events.length) }, async () => {
      while (next < events.length) {
        const event = events[next++]!;
        advanceClock(event.at);
        const customer = event.customer;
        if (customer) {
          if (placedBefore.has(customer.id)) await waitFor(() => shopify.hasReadOrderCount(customer.id), 5_000);
          placedBefore.add(customer.id);
        }
        await send(await event.run());
      }
    }),
  );

  // Back to the present: the worker catches up with whatever came due.
  setClock(realNow());
  await waitForJobs(db, shopId, null, 30_000, log);

  // A few shoppers spent points on rewards through the storefront (the signed app proxy) in the last
  // days; some of those codes were used on an order since.
  const redemptions = await seedRedemptions(options, rand);
  for (const r of redemptions.slice(0, Math.ceil(redemptions.length / 2))) {
    const product = CATALOG[Math.floor(rand() * CATALOG.length)]!;
    await send(shopify.placeOrder({ customer: r.customerId, lines: [{ product, quantity: 1 }], shipping: "5.00", code: r.code, source: "seed" }).deliveries);
  }
  clearInterval(progress);
  if (failures > 0) log(`seeding: ${failures} webhook(s) were not accepted, e.g. ${JSON.stringify(failureSamples.map((f) => ({ label: f.label, status: f.status, body: f.body })))}`);

  const orders = shopify.orders();
  return {
    customers: options.customers,
    orders: orders.length,
    refunds: orders.reduce((s, o) => s + o.refunds.length, 0),
    cancellations: orders.filter((o) => o.cancelledAt).length,
    redemptions: redemptions.length,
    webhooks: sent,
    failures,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

/** The customer's welcome code, if the app issued one. */
async function welcomeCodeOf(db: Db, shopId: string, customer: DemoCustomer): Promise<string | null> {
  const row = await db.customer.findUnique({ where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId: gid(customer.id) } }, select: { id: true } });
  if (!row) return null;
  const code = await db.issuedCode.findFirst({ where: { shopId, customerId: row.id, source: "welcome" }, select: { code: true } });
  return code?.code ?? null;
}

async function seedRedemptions(options: SeedOptions, rand: () => number): Promise<{ customerId: number; code: string }[]> {
  const rich = await options.db.customer.findMany({ where: { shopId: options.shopId, balance: { gte: 300 } }, orderBy: { balance: "desc" }, take: 40, select: { shopifyCustomerId: true, balance: true } });
  const rewards = await options.db.reward.findMany({ where: { shopId: options.shopId, active: true } });
  const picked = rich.filter(() => rand() < 0.35).slice(0, 12);
  const out: { customerId: number; code: string }[] = [];
  for (const c of picked) {
    const affordable = rewards.filter((r) => r.pointsCost <= c.balance);
    const reward = affordable[Math.floor(rand() * affordable.length)];
    const customerId = Number(c.shopifyCustomerId.split("/").pop());
    if (!reward || !Number.isInteger(customerId)) continue;
    const url = signedProxyUrl(new URL("http://shop/apps/loyalty/redeem"), { appBaseUrl: options.baseUrl, secret: options.secret, customerId });
    const answer = await post(url, JSON.stringify({ rewardId: reward.id }), { "Content-Type": "application/json", Accept: "application/json" });
    try {
      const body = JSON.parse(answer.text) as { ok?: boolean; code?: string };
      if (answer.status === 200 && body.ok && body.code) out.push({ customerId, code: body.code });
      else options.log(`seeding: a redemption was refused: ${answer.status} ${answer.text.slice(0, 200)}`);
    } catch {
      options.log(`seeding: a redemption answered ${answer.status} ${answer.text.slice(0, 200)}`);
    }
  }
  return out;
}

/** Waits until no job of these kinds is due (queued or running), or the timeout. */
export async function waitForJobs(db: Db, shopId: string, kinds: string[] | null, timeoutMs: number, log?: (message: string) => void): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  let lastLog = performance.now();
  for (;;) {
    const left = await db.outboxJob.count({
      where: { shopId, status: { in: ["queued", "running"] }, runAfter: { lte: new Date() }, ...(kinds ? { kind: { in: kinds } } : {}) },
    });
    if (left === 0 || performance.now() > deadline) return left;
    if (log && performance.now() - lastLog > 5000) {
      lastLog = performance.now();
      log(`seeding: waiting for the app's worker, ${left} job(s) to go`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
