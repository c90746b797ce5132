// The Flow action "Adjust loyalty points" through its route, as Flow posts it: signed with the app's
// secret (Shopify's test helper signs like Flow; the route checks with Shopify's library and
// authenticate.flow), replayed with the same action_run_id, refused when it would overdraw or names
// another shop's customer. Nothing is written by a refused request but the run's own record.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parse } from "smol-toml";
import { setUpValidRequest, RequestType } from "@shopify/shopify-api/test-helpers";
import { callAction, installShop, prisma, resetDatabase, rowCounts } from "../support/app";
import { installAdminFake } from "../support/admin-fake";
import * as adjustRoute from "../../app/routes/flow.actions.adjust-points";
import { verifyBalanceCache } from "../../app/ledger/balances.server";
import { appendEntries } from "../../app/ledger/ledger.server";
import type { ShopifyAdminFake } from "../../dev/shopify-admin-fake";
import { TEST_API_SECRET, TEST_APP_URL, TEST_SHOP } from "../../dev/harness/test-env";

const OTHER_SHOP = "other-shop.myshopify.com";
let fake: ShopifyAdminFake;
let uninstall: () => void;
let shopId: string;

function runBody(overrides: { actionRunId?: string; customerId?: number | string; points?: unknown; reason?: unknown; shop?: string } = {}) {
  return {
    shop_id: 690933842,
    shopify_domain: overrides.shop ?? TEST_SHOP,
    action_run_id: overrides.actionRunId ?? "run-1",
    action_definition_id: "loyalty-adjust-points",
    handle: "loyalty-adjust-points",
    properties: { customer_id: overrides.customerId ?? 9001, points: overrides.points ?? 50, reason: overrides.reason ?? "Thanks for your review" },
  };
}

/** A request signed the way Flow signs action runs (X-Shopify-Hmac-Sha256 over the body, app secret). */
async function flowRun(body: unknown, secret = TEST_API_SECRET): Promise<Response> {
  const request = await setUpValidRequest(
    { type: RequestType.Extension, store: TEST_SHOP, apiSecretKey: secret, body: body as Record<string, unknown> },
    new Request(`${TEST_APP_URL}/flow/actions/adjust-points`, { headers: { "Content-Type": "application/json" } }),
  );
  return callAction(adjustRoute, request);
}

async function member(numeric: number, points = 0, shop = shopId) {
  const c = await prisma.customer.create({ data: { shopId: shop, shopifyCustomerId: `gid://shopify/Customer/${numeric}` } });
  if (points) await prisma.$transaction((tx) => appendEntries(tx, [{ shopId: shop, customerId: c.id, points, kind: "manual", availableAt: new Date(), idempotencyKey: `seed:${c.id}`, actor: "staff:test" }]));
  return c;
}

beforeEach(async () => {
  await resetDatabase();
  shopId = (await installShop()).id;
  ({ fake, uninstall } = installAdminFake());
  fake.seedCustomer(TEST_SHOP, { id: "gid://shopify/Customer/9001" });
});
afterEach(() => uninstall());

describe("Adjust loyalty points (Flow action)", () => {
  it("the extension's runtime_url path is served by this route", () => {
    const toml = parse(readFileSync("extensions/flow-adjust-points/shopify.extension.toml", "utf8")) as { extensions: Array<{ runtime_url: string }> };
    expect(new URL(toml.extensions[0]!.runtime_url).pathname).toBe("/flow/actions/adjust-points");
  });

  it("a forged signature is 401 and writes nothing", async () => {
    const before = await rowCounts();
    const response = await flowRun(runBody(), "not-the-app-secret");
    expect(response.status).toBe(401);
    expect(await rowCounts()).toEqual(before);
    expect(await prisma.flowActionRun.count()).toBe(0);
  });

  it("a run adds points once, however often Flow sends it (same action_run_id), with its own entry kind and reason", async () => {
    const first = await flowRun(runBody());
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ outcome: "applied", points: 50, balance: 50, replayed: false });
    const again = await flowRun(runBody());
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ outcome: "applied", points: 50, replayed: true });
    const entries = await prisma.ledgerEntry.findMany();
    expect(entries).toEqual([expect.objectContaining({ points: 50, kind: "flow_adjustment", reason: "Thanks for your review", idempotencyKey: "flow-action:run-1" })]);
    // The customer had never ordered: Shopify confirmed they are the shop's, and a member row was made.
    expect(await prisma.customer.findFirstOrThrow()).toMatchObject({ shopifyCustomerId: "gid://shopify/Customer/9001", balance: 50, lifetimeEarned: 50 });
    expect(await verifyBalanceCache(prisma)).toEqual([]);
  });

  it("an adjustment sends no 'balance changed' trigger (a workflow on that trigger running the action would loop), other changes do", async () => {
    await prisma.flowTriggerState.create({ data: { shopId, handle: "loyalty-balance-changed", enabled: true, callbackAt: new Date() } });
    expect((await flowRun(runBody())).status).toBe(200);
    expect(await prisma.outboxJob.count({ where: { kind: "flow_trigger" } })).toBe(0);
    const c = await prisma.customer.findFirstOrThrow();
    await prisma.$transaction((tx) => appendEntries(tx, [{ shopId, customerId: c.id, points: 5, kind: "manual", availableAt: new Date(), idempotencyKey: "staff:1", actor: "staff:test", reason: "goodwill" }]));
    expect(await prisma.outboxJob.count({ where: { kind: "flow_trigger" } })).toBe(1);
  });

  it("two deliveries of the same run at the same moment apply it once", async () => {
    await member(9001, 100);
    const answers = await Promise.all([flowRun(runBody({ points: -30 })), flowRun(runBody({ points: -30 }))]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(await prisma.ledgerEntry.count({ where: { kind: "flow_adjustment" } })).toBe(1);
    expect(await prisma.customer.findFirstOrThrow()).toMatchObject({ balance: 70 });
  });

  it("a body Flow would not send is 400 and writes nothing", async () => {
    const before = await rowCounts();
    for (const body of [
      runBody({ points: 0 }),
      runBody({ points: 100_001 }),
      runBody({ points: 2.5 }),
      runBody({ reason: "" }),
      runBody({ customerId: "abc" }),
      { ...runBody(), action_run_id: undefined },
      { shopify_domain: TEST_SHOP },
    ]) {
      const response = await flowRun(body);
      expect(response.status).toBe(400);
    }
    expect(await rowCounts()).toEqual(before);
    expect(await prisma.flowActionRun.count()).toBe(0);
  });

  it("taking points from a customer the app has never seen is refused without making them a member or asking Shopify", async () => {
    const calls = fake.requests.length;
    const response = await flowRun(runBody({ points: -10, actionRunId: "run-take-unknown" }));
    expect(response.status).toBe(422);
    expect(await prisma.customer.count()).toBe(0);
    expect(await prisma.ledgerEntry.count()).toBe(0);
    expect(await prisma.flowActionRun.findMany()).toEqual([expect.objectContaining({ outcome: "refused" })]);
    expect(fake.requests.length).toBe(calls);
  });

  it("taking more points than the customer has is refused (422), and stays refused when Flow sends the run again", async () => {
    await member(9001, 20);
    const response = await flowRun(runBody({ points: -50, actionRunId: "run-take" }));
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ outcome: "refused", error: "Cannot take 50 points: the customer has 20." });
    expect((await flowRun(runBody({ points: -50, actionRunId: "run-take" }))).status).toBe(422);
    expect(await prisma.ledgerEntry.count({ where: { kind: "flow_adjustment" } })).toBe(0);
    expect(await prisma.customer.findFirstOrThrow()).toMatchObject({ balance: 20 });
  });

  it("another shop's customer is refused: no member row, no entry", async () => {
    const other = await prisma.shop.create({ data: { domain: OTHER_SHOP } });
    await member(7777, 0, other.id); // a member of the other shop; Shopify does not know them in this one
    const response = await flowRun(runBody({ customerId: 7777 }));
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ outcome: "refused", error: "Customer 7777 is not a customer of this shop." });
    expect(await prisma.customer.count({ where: { shopId } })).toBe(0);
    expect(await prisma.ledgerEntry.count()).toBe(0);
  });

  it("when Shopify cannot be asked about an unknown customer, the answer is 503 (Flow tries again) and nothing is recorded", async () => {
    fake.failNext(3, { status: 503 });
    const response = await flowRun(runBody({ actionRunId: "run-later" }));
    expect(response.status).toBe(503);
    expect(await prisma.flowActionRun.count()).toBe(0);
    expect(await prisma.customer.count()).toBe(0);
  });
});
