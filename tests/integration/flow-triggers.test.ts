// Shopify Flow triggers end to end: Flow's lifecycle callback (signed) turns a trigger on for the shop,
// events queue one job each in their own transaction, the worker sends them with flowTriggerReceive
// to the Admin fake, which checks the document against the pinned Admin schema and the payload against
// the trigger extension's declared fields, throttles like Shopify, and records what it accepted.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHmac } from "node:crypto";
import { callAction, installShop, prisma, resetDatabase } from "../support/app";
import { sendWebhook } from "../support/webhooks";
import { installAdminFake } from "../support/admin-fake";
import { drainJobs } from "../support/jobs";
import { orderPayload } from "../../dev/payloads/order-fixtures";
import { saveSettings } from "../../app/features/program/save-settings.server";
import { programSettingsSchema } from "../../app/domain/settings";
import { redeemReward } from "../../app/features/codes/codes.server";
import { BALANCE_CHANGED, FLOW_TRIGGERS, POINTS_EARNED, REWARD_CODE_ISSUED } from "../../app/domain/flow-triggers";
import * as lifecycleRoute from "../../app/routes/flow.lifecycle";
import type { ShopifyAdminFake } from "../../dev/shopify-admin-fake";
import { TEST_API_SECRET, TEST_APP_URL, TEST_SHOP } from "../../dev/harness/test-env";

let fake: ShopifyAdminFake;
let uninstall: () => void;
let shopId: string;

function signed(path: string, body: unknown, secret = TEST_API_SECRET): Request {
  const text = JSON.stringify(body);
  return new Request(`${TEST_APP_URL}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Hmac-Sha256": createHmac("sha256", secret).update(text, "utf8").digest("base64") },
    body: text,
  });
}

function lifecycle(handle: string, enabled: boolean, timestamp = new Date().toISOString()) {
  return { flow_trigger_definition_id: handle, has_enabled_flow: enabled, shop_id: "690933842", shopify_domain: TEST_SHOP, timestamp };
}

async function enable(...handles: string[]) {
  for (const handle of handles) expect((await callAction(lifecycleRoute, signed("/flow/lifecycle", lifecycle(handle, true)))).status).toBe(200);
}

const flowJobs = () => prisma.outboxJob.findMany({ where: { kind: "flow_trigger" }, orderBy: { createdAt: "asc" } });
const delivered = (handle: string) => fake.flowTriggerDeliveries(TEST_SHOP).filter((d) => d.handle === handle);
const flowCalls = () => fake.requests.filter((r) => r.operationName === "LoyaltyFlowTriggerReceive");

beforeEach(async () => {
  await resetDatabase();
  shopId = (await installShop()).id;
  ({ fake, uninstall } = installAdminFake());
  await prisma.$transaction((tx) =>
    saveSettings(tx, shopId, programSettingsSchema.parse({ welcomeBonusPoints: 50, welcomeCode: { enabled: true, discountType: "percentage", value: "15", validityDays: 30 } }), "staff:test"),
  );
  fake.seedCustomer(TEST_SHOP, { id: "gid://shopify/Customer/9001", numberOfOrders: 1 });
});
afterEach(() => uninstall());

describe("the trigger lifecycle callback", () => {
  it("a forged callback is refused with 401 and writes nothing", async () => {
    const response = await callAction(lifecycleRoute, signed("/flow/lifecycle", lifecycle(POINTS_EARNED.handle, true), "not-the-secret"));
    expect(response.status).toBe(401);
    expect(await prisma.flowTriggerState.count()).toBe(0);
  });

  it("a body that is not Flow's callback is 400; the newest callback wins, an older one arriving late is ignored", async () => {
    expect((await callAction(lifecycleRoute, signed("/flow/lifecycle", { has_enabled_flow: "yes" }))).status).toBe(400);
    await callAction(lifecycleRoute, signed("/flow/lifecycle", lifecycle(POINTS_EARNED.handle, true, "2026-12-01T10:00:00.000Z")));
    await callAction(lifecycleRoute, signed("/flow/lifecycle", lifecycle(POINTS_EARNED.handle, false, "2026-12-01T12:00:00.000Z")));
    const late = await callAction(lifecycleRoute, signed("/flow/lifecycle", lifecycle(POINTS_EARNED.handle, true, "2026-12-01T11:00:00.000Z")));
    expect(late.status).toBe(200);
    expect(await late.json()).toMatchObject({ applied: false });
    expect(await prisma.flowTriggerState.findMany()).toEqual([expect.objectContaining({ handle: POINTS_EARNED.handle, enabled: false })]);
  });

  it("a callback for a shop that uninstalled the app is answered 200 and brings back no shop row", async () => {
    await prisma.shop.updateMany({ data: { uninstalledAt: new Date() } });
    const response = await callAction(lifecycleRoute, signed("/flow/lifecycle", lifecycle(POINTS_EARNED.handle, true)));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ applied: false });
    expect(await prisma.flowTriggerState.count()).toBe(0);
    await prisma.shop.deleteMany();
    expect((await callAction(lifecycleRoute, signed("/flow/lifecycle", lifecycle(POINTS_EARNED.handle, true)))).status).toBe(200);
    expect(await prisma.shop.count()).toBe(0);
    expect(await prisma.flowTriggerState.count()).toBe(0);
  });

  it("a trigger no workflow uses queues nothing: an order and its welcome code send no trigger", async () => {
    await sendWebhook("orders/paid", orderPayload({ id: 7001, customerId: 9001, lines: [{ id: 1, price: "40.00" }] }));
    await drainJobs();
    expect(await prisma.issuedCode.count()).toBe(1);
    expect(await flowJobs()).toEqual([]);
    expect(flowCalls()).toEqual([]);
  });

  it("the trigger's title is accepted as its identifier too", async () => {
    await enable(REWARD_CODE_ISSUED.title);
    expect(await prisma.flowTriggerState.findMany()).toEqual([expect.objectContaining({ handle: REWARD_CODE_ISSUED.handle, enabled: true })]);
  });
});

describe("sending triggers", () => {
  beforeEach(() => enable(...FLOW_TRIGGERS.map((t) => t.handle)));

  it("a first order sends points earned, the welcome bonus, balance changes and the welcome code, each once, in the declared shape", async () => {
    await sendWebhook("orders/paid", orderPayload({ id: 7001, customerId: 9001, lines: [{ id: 1, price: "40.00" }] }));
    await drainJobs();
    // The fake accepted every call: documents valid for the pinned schema, payloads equal to the tomls' fields.
    expect(flowCalls().every((r) => r.outcome === "ok")).toBe(true);
    expect(delivered(POINTS_EARNED.handle).map((d) => d.payload)).toEqual([
      expect.objectContaining({ customer_id: 9001, order_id: 7001, "Order name": "#7001", Points: 40, "Points status": "available", "New balance": 40, Reason: "Points earned on an order" }),
      expect.objectContaining({ customer_id: 9001, order_id: 7001, Points: 50, "New balance": 90, Reason: "Welcome bonus" }),
    ]);
    expect(delivered(BALANCE_CHANGED.handle).map((d) => [d.payload.Change, d.payload["New balance"]])).toEqual([
      [40, 40],
      [50, 90],
    ]);
    const code = await prisma.issuedCode.findFirstOrThrow();
    expect(delivered(REWARD_CODE_ISSUED.handle).map((d) => d.payload)).toEqual([
      { customer_id: 9001, Code: code.code, Reward: "Thank you for your first order", Value: "15% off", "Minimum subtotal": "", "Ends at": code.endsAt.toISOString(), Source: "welcome", "Points spent": 0 },
    ]);
  });

  it("a webhook delivered again and a trigger job retried after a 502 still send each trigger once", async () => {
    const payload = orderPayload({ id: 7002, customerId: 9001, lines: [{ id: 1, price: "25.00" }] });
    await sendWebhook("orders/paid", payload, { webhookId: "first" });
    await sendWebhook("orders/paid", payload, { webhookId: "again" });
    await drainJobs(0, ["first_order_check", "create_discount_code"]);
    fake.failNext(1, { status: 502 }); // the next trigger call fails before Shopify ran it
    await drainJobs(0, ["flow_trigger"]);
    await drainJobs(120_000, ["flow_trigger"]);
    expect(fake.requests.filter((r) => r.status === 502)).toHaveLength(1);
    expect(delivered(POINTS_EARNED.handle)).toHaveLength(2); // the order's points and the welcome bonus
    expect(delivered(BALANCE_CHANGED.handle)).toHaveLength(2);
    expect(delivered(REWARD_CODE_ISSUED.handle)).toHaveLength(1);
    expect((await flowJobs()).every((j) => j.status === "done")).toBe(true);
  });

  it("a lost answer (Shopify ran it, the app saw a 503) is retried and delivered twice: flowTriggerReceive has no idempotency key", async () => {
    await prisma.flowTriggerState.updateMany({ where: { handle: { not: BALANCE_CHANGED.handle } }, data: { enabled: false } });
    const member = await prisma.customer.create({ data: { shopId, shopifyCustomerId: "gid://shopify/Customer/9001" } });
    await prisma.$transaction((tx) =>
      import("../../app/ledger/ledger.server").then(({ appendEntries }) =>
        appendEntries(tx, [{ shopId, customerId: member.id, points: 10, kind: "manual", availableAt: new Date(), idempotencyKey: "staff:1", actor: "staff:test", reason: "goodwill" }]),
      ),
    );
    fake.failAfterCommit(1, { status: 503 });
    await drainJobs(0, ["flow_trigger"]);
    await drainJobs(120_000, ["flow_trigger"]);
    expect(delivered(BALANCE_CHANGED.handle)).toHaveLength(2);
    expect(delivered(BALANCE_CHANGED.handle)[0]!.payload).toMatchObject({ Change: 10, Reason: "Manual adjustment: goodwill" });
    expect(await flowJobs()).toEqual([expect.objectContaining({ status: "done", attempts: 2 })]);
  });

  it("a reward code's trigger waits until the code exists in Shopify", async () => {
    const member = await prisma.customer.create({ data: { shopId, shopifyCustomerId: "gid://shopify/Customer/9001" } });
    const { appendEntries } = await import("../../app/ledger/ledger.server");
    await prisma.$transaction((tx) => appendEntries(tx, [{ shopId, customerId: member.id, points: 600, kind: "manual", availableAt: new Date(), idempotencyKey: "seed", actor: "staff:test" }]));
    const reward = await prisma.reward.create({ data: { shopId, name: "$5 off", pointsCost: 500, discountType: "fixed_amount", value: "5.00", validityDays: 30 } });
    const redeemed = await redeemReward(prisma, { shopId, customerId: member.id, rewardId: reward.id, actor: "shopper" });
    expect(redeemed.ok).toBe(true);
    const queued = await flowJobs();
    expect(queued.map((j) => (JSON.parse(j.payload) as { handle: string }).handle)).not.toContain(REWARD_CODE_ISSUED.handle);
    fake.failNext(1, { status: 503 }); // Shopify is down when the code is first created
    await drainJobs(0, ["create_discount_code"]);
    expect(await prisma.issuedCode.findFirstOrThrow()).toMatchObject({ status: "creating" });
    expect((await flowJobs()).map((j) => (JSON.parse(j.payload) as { handle: string }).handle)).not.toContain(REWARD_CODE_ISSUED.handle);
    await drainJobs(120_000);
    expect(await prisma.issuedCode.findFirstOrThrow()).toMatchObject({ status: "issued" });
    expect(delivered(REWARD_CODE_ISSUED.handle).map((d) => d.payload)).toEqual([expect.objectContaining({ Source: "redemption", Value: "5.00 off", "Points spent": 500, Reward: "$5 off" })]);
    expect(delivered(BALANCE_CHANGED.handle).map((d) => d.payload.Change)).toEqual([600, -500]);
  });

  it("a trigger job under the rate limit is throttled, waits for the bucket, then succeeds", async () => {
    const member = await prisma.customer.create({ data: { shopId, shopifyCustomerId: "gid://shopify/Customer/9001" } });
    const { appendEntries } = await import("../../app/ledger/ledger.server");
    await prisma.$transaction((tx) => appendEntries(tx, [{ shopId, customerId: member.id, points: 5, kind: "manual", availableAt: new Date(), idempotencyKey: "t1", actor: "staff:test" }]));
    fake.throttleNext(1, { currentlyAvailable: 0 });
    await drainJobs(0, ["flow_trigger"]);
    expect(flowCalls().map((r) => r.outcome)).toEqual(["throttled"]);
    const waiting = (await flowJobs())[0]!;
    expect(waiting).toMatchObject({ status: "queued", lastError: expect.stringContaining("throttled") });
    expect(waiting.runAfter.getTime()).toBeGreaterThan(Date.now());
    await drainJobs(60_000, ["flow_trigger"]);
    expect(flowCalls().map((r) => r.outcome)).toEqual(["throttled", "ok"]);
    expect(delivered(BALANCE_CHANGED.handle)).toHaveLength(1);
  });

  it("Shopify refusing the payload (a trigger this app version no longer declares) fails the job for good, visible in the admin", async () => {
    await prisma.outboxJob.create({ data: { shopId, kind: "flow_trigger", dedupeKey: "flow:x", payload: JSON.stringify({ handle: BALANCE_CHANGED.handle, event: "x", payload: { customer_id: 1, Change: "ten" } }) } });
    await drainJobs(0, ["flow_trigger"]);
    expect(await flowJobs()).toEqual([expect.objectContaining({ status: "failed", lastError: expect.stringContaining("payload does not match") })]);
    expect(flowCalls()).toEqual([]);
  });
});
