// Foreign keys (docs/decisions/020-foreign-keys-and-schema-checks.md), on SQLite (`npm test`) and
// PostgreSQL (`npm run test:pg`): every path to the database enforces them, and shop/redact, which
// deletes the Shop row and lets the keys cascade, leaves no row of the shop in any table and changes
// nothing of another shop. The tables are read from the Prisma schema and the database, not listed
// here: a table added later is covered (and the test fails until it is seeded below and says how its
// rows name their shop).
import { Prisma } from "@prisma/client";
import { beforeEach, describe, expect, it } from "vitest";
import { appendEntries, appendEntrySteps } from "../../app/ledger/ledger.server";
import { sqlOf } from "../../app/platform/db.server";
import { redeemReward } from "../../app/features/codes/codes.server";
import { saveSettings } from "../../app/features/program/save-settings.server";
import { programSettingsSchema } from "../../app/domain/settings";
import { databaseTables } from "../support/database-tables";
import { installShop, prisma, resetDatabase } from "../support/app";
import { sendWebhook } from "../support/webhooks";
import { orderPayload } from "../../dev/payloads/order-fixtures";
import { dataRequestPayload, shopRedactPayload } from "../../dev/payloads/webhook-samples";
import { TEST_SHOP } from "../../dev/harness/test-env";

const OTHER_SHOP = "other-shop.myshopify.com";

type Row = Record<string, unknown>;
type Delegate = { findMany: (args?: unknown) => Promise<Row[]> };
const delegateOf = (model: string) => (prisma as unknown as Record<string, Delegate>)[model.charAt(0).toLowerCase() + model.slice(1)]!;

/**
 * How a model's rows name their shop: by the Shop row's id (`shopId`), by its domain (`shop`), or the
 * Shop model itself. A model with neither cannot be checked: the test says so.
 */
function shopFilter(model: Prisma.DMMF.Model, shop: { id: string; domain: string }): Row {
  const fields = new Set(model.fields.map((f) => f.name));
  if (model.name === "Shop") return { id: shop.id };
  if (fields.has("shopId")) return { shopId: shop.id };
  if (fields.has("shop") && model.fields.find((f) => f.name === "shop")!.kind === "scalar") return { shop: shop.domain };
  throw new Error(`model ${model.name} has no shopId or shop column: say in this test how its rows belong to a shop`);
}

/** Rows kept on purpose after shop/redact, and what must hold of them. */
const KEPT: Record<string, (row: Row) => void> = {
  // The webhook log: shop, topic, webhook id and outcome make a late redelivery a no-op; bodies go.
  WebhookDelivery: (row) => expect(row.payload, `WebhookDelivery ${String(row.webhookId)}`).toBeNull(),
};

async function rowsOf(shop: { id: string; domain: string }): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {};
  for (const model of Prisma.dmmf.datamodel.models) out[model.name] = await delegateOf(model.name).findMany({ where: shopFilter(model, shop), orderBy: { id: "asc" } });
  return out;
}

/** A shop with a row in every table, written the way the app writes them. */
async function seedShop(domain: string, orderId: number) {
  const shop = await installShop(domain); // Session, Shop
  await prisma.$transaction((tx) => saveSettings(tx, shop.id, programSettingsSchema.parse({ welcomeBonusPoints: 100 }), "staff:test")); // ProgramSettings, OutboxJob
  // Customer, OrderRecord, LedgerEntry, WebhookDelivery (applied; then one left waiting with its body)
  const order = orderPayload({ id: orderId, customerId: orderId + 1, email: `member-${orderId}@example.org`, lines: [{ id: orderId * 10, price: "40.00" }] });
  expect(await sendWebhook("orders/paid", order, { shop: domain })).toMatchObject({ status: 200 });
  expect(
    await sendWebhook("orders/paid", orderPayload({ id: orderId + 5, customerId: orderId + 1, lines: [{ id: orderId * 10 + 5, price: "9.00" }] }), { shop: domain, webhookId: `waiting-${orderId}`, apply: false }),
  ).toMatchObject({ status: 200 });
  await prisma.webhookDelivery.updateMany({ where: { shop: domain, webhookId: `waiting-${orderId}` }, data: { attempts: 1, nextAttemptAt: new Date(Date.now() + 3_600_000) } });
  const customer = await prisma.customer.findFirstOrThrow({ where: { shopId: shop.id } });
  await prisma.$transaction((tx) => appendEntries(tx, [{ shopId: shop.id, customerId: customer.id, points: 500, kind: "manual", availableAt: new Date(), idempotencyKey: "seed:gift", actor: "staff:1", reason: "gift" }]));
  const reward = await prisma.reward.create({ data: { shopId: shop.id, name: "$5 off", pointsCost: 50, discountType: "fixed_amount", value: "5.00" } });
  expect(await redeemReward(prisma, { shopId: shop.id, customerId: customer.id, rewardId: reward.id, actor: "shopper" })).toMatchObject({ ok: true }); // IssuedCode
  await prisma.campaign.create({ data: { shopId: shop.id, name: "Double", multiplier: "2", startsAt: new Date(), endsAt: new Date(Date.now() + 86_400_000) } });
  await prisma.proxyRequest.create({ data: { shopId: shop.id, signature: `sig-${orderId}`, customerId: `gid://shopify/Customer/${orderId + 1}` } });
  await prisma.flowTriggerState.create({ data: { shopId: shop.id, handle: "loyalty-balance-changed", enabled: true, callbackAt: new Date() } });
  await prisma.flowActionRun.create({ data: { shopId: shop.id, actionRunId: `run-${orderId}`, customerGid: `gid://shopify/Customer/${orderId + 1}`, points: 5, reason: "review", outcome: "applied" } });
  const dataRequest = dataRequestPayload({ customer: { id: orderId + 1, email: `member-${orderId}@example.org`, phone: null }, shop: domain, dataRequestId: orderId });
  expect(await sendWebhook("customers/data_request", dataRequest, { shop: domain })).toMatchObject({ status: 200, outcome: "applied" }); // DataRequestExport
  return shop;
}

describe("shop/redact", () => {
  beforeEach(async () => {
    await resetDatabase();
  });

  it("leaves no row of the shop in any table (only the webhook log, without bodies) and changes nothing of the other shop", async () => {
    expect(await databaseTables(prisma)).toEqual(Prisma.dmmf.datamodel.models.map((m) => m.name).sort());
    const shop = await seedShop(TEST_SHOP, 4001);
    const other = await seedShop(OTHER_SHOP, 5001);

    const before = await rowsOf(shop);
    const empty = Object.entries(before)
      .filter(([, rows]) => rows.length === 0)
      .map(([model]) => model);
    expect(empty, "tables the seed leaves empty: seed them, or the check below proves nothing for them").toEqual([]);
    const otherBefore = await rowsOf(other);

    expect(await sendWebhook("shop/redact", shopRedactPayload(TEST_SHOP), { shop: TEST_SHOP, webhookId: "shop-redact-1" })).toMatchObject({ status: 200, outcome: "applied" });

    const after = await rowsOf(shop);
    for (const [model, rows] of Object.entries(after)) {
      if (KEPT[model]) rows.forEach(KEPT[model]);
      else expect(rows, `${model} rows of the redacted shop`).toEqual([]);
    }
    expect(after.WebhookDelivery!.find((row) => row.webhookId === "waiting-4001")).toMatchObject({ outcome: "failed", reason: "payload redacted" });
    expect(await rowsOf(other)).toEqual(otherBefore);
  });

  it("a shop with no Shop row yet (only a stored delivery and a session) is redacted too", async () => {
    await prisma.session.create({ data: { id: "offline_new-shop.myshopify.com", shop: "new-shop.myshopify.com", state: "", accessToken: "x" } });
    expect(await sendWebhook("orders/paid", orderPayload({ id: 6001, customerId: 6002, lines: [{ id: 60010, price: "5.00" }] }), { shop: "new-shop.myshopify.com", webhookId: "first", apply: false })).toMatchObject({
      status: 200,
    });
    // Waiting for a retry (its first attempt failed), so the Shop row is not created before the redaction.
    await prisma.webhookDelivery.updateMany({ where: { webhookId: "first" }, data: { attempts: 1, nextAttemptAt: new Date(Date.now() + 3_600_000) } });
    expect(await sendWebhook("shop/redact", shopRedactPayload("new-shop.myshopify.com"), { shop: "new-shop.myshopify.com" })).toMatchObject({ status: 200, outcome: "skipped" });
    expect(await prisma.session.count()).toBe(0);
    expect(await prisma.webhookDelivery.findFirstOrThrow({ where: { webhookId: "first" } })).toMatchObject({ payload: null, outcome: "failed" });
  });
});

describe("the keys hold on every path to the database", () => {
  beforeEach(async () => {
    await resetDatabase();
  });

  const entryFor = (shopId: string, customerId: string) => ({ shopId, customerId, points: 5, kind: "manual" as const, availableAt: new Date(), idempotencyKey: `k-${shopId}-${customerId}`, actor: "staff:1" });

  it("a ledger entry cannot name a member of another shop, nor a shop that does not exist: Prisma, its raw SQL, and the direct SQL path", async () => {
    const shop = await installShop(TEST_SHOP);
    const other = await installShop(OTHER_SHOP);
    const theirs = await prisma.customer.create({ data: { shopId: other.id, shopifyCustomerId: "gid://shopify/Customer/1" } });
    const foreignKey = /foreign key|ForeignKeyConstraintViolation|P2003/i;
    await expect(prisma.ledgerEntry.create({ data: { ...entryFor(shop.id, theirs.id), status: "available" } })).rejects.toThrow(foreignKey);
    await expect(prisma.$transaction((tx) => appendEntries(tx, [entryFor(shop.id, theirs.id)]))).rejects.toThrow(foreignKey);
    await expect(sqlOf(prisma).transaction(() => appendEntrySteps([entryFor(shop.id, theirs.id)], new Date()))).rejects.toThrow(foreignKey);
    await expect(prisma.outboxJob.create({ data: { shopId: "no-such-shop", kind: "shop_setup", payload: "{}", dedupeKey: "d" } })).rejects.toThrow(foreignKey);
    expect(await prisma.ledgerEntry.count()).toBe(0);
    // The same entry in its own shop is fine.
    await sqlOf(prisma).transaction(() => appendEntrySteps([entryFor(other.id, theirs.id)], new Date()));
    expect(await prisma.ledgerEntry.count({ where: { shopId: other.id } })).toBe(1);
  });

  it("a member with ledger entries cannot be deleted on its own (customers/redact anonymises instead)", async () => {
    const shop = await installShop(TEST_SHOP);
    const member = await prisma.customer.create({ data: { shopId: shop.id, shopifyCustomerId: "gid://shopify/Customer/2" } });
    await prisma.$transaction((tx) => appendEntries(tx, [entryFor(shop.id, member.id)]));
    await expect(prisma.customer.delete({ where: { id: member.id } })).rejects.toThrow();
    expect(await prisma.customer.count()).toBe(1);
  });
});
