// The mandatory privacy webhooks end to end, through the signed routes and the webhook inbox:
// customers/data_request stores an export with everything the app holds about the customer (downloaded
// from the admin, scoped to the shop); customers/redact leaves the customer's email, name, phone and
// address in no table at all, while every other customer, the other shop and the shop's totals stay
// exactly as they were; shop/redact deletes the exports too.
// https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance
import { Prisma } from "@prisma/client";
import { beforeEach, describe, expect, it } from "vitest";
import * as privacyRoute from "../../app/routes/app.privacy";
import * as exportRoute from "../../app/routes/app.privacy.exports.$id";
import * as homeRoute from "../../app/routes/app._index";
import { appendEntries } from "../../app/ledger/ledger.server";
import { verifyBalanceCache } from "../../app/ledger/balances.server";
import { redeemReward } from "../../app/features/codes/codes.server";
import { saveSettings } from "../../app/features/program/save-settings.server";
import { programSettingsSchema } from "../../app/domain/settings";
import { clearDailyCache } from "../../app/admin/dashboard.server";
import { EXPORT_FORMAT, PAYLOAD_REDACTED, REDACTED, type CustomerDataExport } from "../../app/features/privacy/compliance.server";
import { databaseTables } from "../support/database-tables";
import { callLoader, installShop, prisma, resetDatabase } from "../support/app";
import { adminRequest, bearerRequest } from "../../dev/shopify-requests";
import { applyStoredWebhooks, sendWebhook } from "../support/webhooks";
import { orderPayload, refundPayload } from "../../dev/payloads/order-fixtures";
import { customerRedactPayload, dataRequestPayload, shopRedactPayload } from "../../dev/payloads/webhook-samples";
import { TEST_SHOP } from "../../dev/harness/test-env";

const OTHER_SHOP = "other-shop.myshopify.com";

/** The customer whose data is requested and then erased. Unusual strings, so a hit is never a coincidence. */
const PHILIPPA = {
  id: 7001,
  gid: "gid://shopify/Customer/7001",
  email: "philippa.quennell@example.org",
  firstName: "Philippa",
  lastName: "Quennell-Brightwater",
  phone: "+44 7700 900123",
  address: "17 Larkspur Mews",
};
/** Another customer of the same shop: nothing of theirs may change. */
const OSWIN = { id: 7002, email: "oswin.thackeray@example.net", firstName: "Oswin", lastName: "Thackeray", phone: "+1 613 555 0142", address: "4 Birchwood Lane" };
/** Shopify customer 7001 at another shop (its own record there): nothing of it may change either. */
const MARGUERITE = { id: 7001, email: "marguerite.okonkwo@example.com", firstName: "Marguerite", lastName: "Okonkwo", phone: "+33 6 12 34 56 78", address: "9 Rue des Tilleuls" };

type Person = typeof OSWIN;

/** Everything that would identify Philippa, lower-cased: what must be gone after the redaction. */
const PHILIPPA_STRINGS = [PHILIPPA.email, PHILIPPA.firstName, PHILIPPA.lastName, PHILIPPA.phone, PHILIPPA.phone.replace(/\D/g, ""), PHILIPPA.address].map((s) => s.toLowerCase());

/** A real-shaped orders/paid body for `person`, with their name, phone and address everywhere Shopify puts them. */
function orderFor(person: Person, id: number, price: string, processedAt: string) {
  const order = orderPayload({ id, customerId: person.id, email: person.email, processedAt, lines: [{ id: id * 10, price }] }) as any;
  const address = { first_name: person.firstName, last_name: person.lastName, name: `${person.firstName} ${person.lastName}`, address1: person.address, phone: person.phone };
  Object.assign(order.customer, { first_name: person.firstName, last_name: person.lastName, phone: person.phone, default_address: { ...order.customer.default_address, ...address } });
  Object.assign(order, { contact_email: person.email, phone: person.phone, billing_address: { ...order.billing_address, ...address }, shipping_address: { ...order.shipping_address, ...address } });
  return order;
}

/** The customer as the privacy webhooks name them. */
const asComplianceCustomer = (person: Person) => ({ id: person.id, email: person.email, phone: person.phone });

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

/**
 * A delivery stored but not applied yet: sent with the applier held back, then given a retry time in
 * the future, as the applier does after a failed attempt. `failed`: as it is left after the last attempt.
 */
async function storeWaiting(topic: "orders/paid" | "refunds/create" | "customers/data_request", payload: unknown, shop: string, webhookId: string, failed = false) {
  const sent = await sendWebhook(topic, payload, { shop, webhookId, apply: false });
  expect(sent.status).toBe(200);
  const row = await prisma.webhookDelivery.update({
    where: { shop_webhookId: { shop, webhookId } },
    data: failed ? { outcome: "failed", attempts: 8, lastError: "SocketError: other side closed" } : { attempts: 1, lastError: "SocketError: other side closed", nextAttemptAt: new Date(Date.now() + 3_600_000) },
  });
  expect(row.payload).not.toBeNull();
  return row;
}

interface World {
  shopId: string;
  otherShopId: string;
  philippaId: string;
  oswinId: string;
}

/** Two shops with real histories through the signed routes, plus stored bodies still waiting for each customer. */
async function seed(): Promise<World> {
  const shop = await installShop(TEST_SHOP);
  const other = await installShop(OTHER_SHOP);
  // A welcome bonus: first orders queue a first-order check naming the customer's Shopify id.
  await prisma.$transaction((tx) => saveSettings(tx, shop.id, programSettingsSchema.parse({ welcomeBonusPoints: 100 }), "staff:test"));
  const reward = await prisma.reward.create({ data: { shopId: shop.id, name: "$5 off", pointsCost: 50, discountType: "fixed_amount", value: "5.00" } });

  // Philippa: two paid orders, one partly refunded; Oswin: one order. Marguerite at the other shop.
  for (const [person, id, price, days, shopDomain] of [
    [PHILIPPA, 5001, "120.00", 40, TEST_SHOP],
    [PHILIPPA, 5002, "80.00", 3, TEST_SHOP],
    [OSWIN, 6001, "45.00", 2, TEST_SHOP],
    [MARGUERITE, 8001, "300.00", 5, OTHER_SHOP],
  ] as const) {
    const sent = await sendWebhook("orders/paid", orderFor(person, id, price, daysAgo(days)), { shop: shopDomain });
    expect(sent, JSON.stringify(sent)).toMatchObject({ status: 200, outcome: "applied" });
  }
  const refund = await sendWebhook("refunds/create", refundPayload({ id: 50021, orderId: 5002, lines: [{ lineItemId: 50020, subtotal: "20.00" }] }));
  expect(refund).toMatchObject({ status: 200, outcome: "applied" });

  const philippa = await prisma.customer.findUniqueOrThrow({ where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId: PHILIPPA.gid } } });
  const oswin = await prisma.customer.findUniqueOrThrow({ where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId: `gid://shopify/Customer/${OSWIN.id}` } } });
  expect(philippa).toMatchObject({ email: PHILIPPA.email, firstName: PHILIPPA.firstName, lastName: PHILIPPA.lastName });
  // A staff adjustment whose reason quotes her, one for Oswin, and a reward she bought with points.
  await prisma.$transaction((tx) =>
    appendEntries(tx, [
      {
        shopId: shop.id,
        customerId: philippa.id,
        points: 25,
        kind: "manual",
        availableAt: new Date(),
        idempotencyKey: "seed:goodwill",
        actor: "staff:1",
        reason: `Goodwill for ${PHILIPPA.firstName} ${PHILIPPA.lastName} (${PHILIPPA.email}), parcel late`,
      },
      { shopId: shop.id, customerId: oswin.id, points: 10, kind: "manual", availableAt: new Date(), idempotencyKey: "seed:oswin", actor: "staff:1", reason: `Welcome gift for ${OSWIN.firstName}` },
    ]),
  );
  const redeemed = await redeemReward(prisma, { shopId: shop.id, customerId: philippa.id, rewardId: reward.id, actor: "shopper" });
  expect(redeemed.ok).toBe(true);
  // Her code's creation failed once, with an error that quotes her (as an Admin API message might).
  await prisma.outboxJob.updateMany({
    where: { shopId: shop.id, kind: "create_discount_code" },
    data: { attempts: 1, lastError: `userErrors: customer ${PHILIPPA.email} is not eligible` },
  });
  // Her storefront redemption request (replay guard row) and one of Oswin's.
  await prisma.proxyRequest.createMany({
    data: [
      { shopId: shop.id, signature: "sig-7001", customerId: PHILIPPA.gid },
      { shopId: shop.id, signature: "sig-7002", customerId: `gid://shopify/Customer/${OSWIN.id}` },
    ],
  });
  // Stored bodies: her third order still waiting for a retry, a refund of her order that failed for
  // good, and Oswin's next order waiting too; Marguerite's at the other shop.
  await storeWaiting("orders/paid", orderFor(PHILIPPA, 5003, "60.00", daysAgo(0)), TEST_SHOP, "wait-7001-5003");
  await storeWaiting("refunds/create", refundPayload({ id: 50011, orderId: 5001, lines: [{ lineItemId: 50010, subtotal: "10.00" }] }), TEST_SHOP, "failed-7001-refund", true);
  await storeWaiting("orders/paid", orderFor(OSWIN, 6002, "70.00", daysAgo(0)), TEST_SHOP, "wait-7002-6002");
  await storeWaiting("orders/paid", orderFor(MARGUERITE, 8002, "90.00", daysAgo(0)), OTHER_SHOP, "wait-other-8002");
  return { shopId: shop.id, otherShopId: other.id, philippaId: philippa.id, oswinId: oswin.id };
}

async function dataRequest(person: Person, shop: string, dataRequestId: number, options: { webhookId?: string; ordersRequested?: number[] } = {}) {
  return sendWebhook("customers/data_request", dataRequestPayload({ customer: asComplianceCustomer(person), shop, ordersRequested: options.ordersRequested ?? [], dataRequestId }), {
    shop,
    webhookId: options.webhookId,
  });
}

// ---------------------------------------------------------------------------------------------
// Every row of every model, as JSON: what the "nothing left" scan reads.

const jsonReplacer = (_key: string, value: unknown) => (typeof value === "bigint" ? value.toString() : value);

function delegateOf(model: string): { findMany: (args?: unknown) => Promise<Record<string, unknown>[]> } {
  return (prisma as unknown as Record<string, { findMany: (args?: unknown) => Promise<Record<string, unknown>[]> }>)[model.charAt(0).toLowerCase() + model.slice(1)]!;
}

async function dumpAllRows(): Promise<{ model: string; row: Record<string, unknown>; json: string }[]> {
  const out: { model: string; row: Record<string, unknown>; json: string }[] = [];
  for (const model of Prisma.dmmf.datamodel.models) {
    for (const row of await delegateOf(model.name).findMany()) out.push({ model: model.name, row, json: JSON.stringify(row, jsonReplacer).toLowerCase() });
  }
  return out;
}

/** A shop's or customer's rows, for "exactly as before" comparisons. */
async function snapshot(where: { shopId?: string; customerId?: string; shop?: string }) {
  const shopScoped = where.shopId ? { shopId: where.shopId } : {};
  return {
    customers: await prisma.customer.findMany({ where: where.customerId ? { id: where.customerId } : shopScoped, orderBy: { id: "asc" } }),
    entries: await prisma.ledgerEntry.findMany({ where: where.customerId ? { customerId: where.customerId } : shopScoped, orderBy: { id: "asc" } }),
    codes: await prisma.issuedCode.findMany({ where: where.customerId ? { customerId: where.customerId } : shopScoped, orderBy: { id: "asc" } }),
    orders: await prisma.orderRecord.findMany({ where: where.customerId ? { customerId: where.customerId } : shopScoped, orderBy: { id: "asc" } }),
    ...(where.customerId
      ? {}
      : {
          jobs: await prisma.outboxJob.findMany({ where: shopScoped, orderBy: { id: "asc" } }),
          exports: await prisma.dataRequestExport.findMany({ where: shopScoped, orderBy: { id: "asc" } }),
          proxy: await prisma.proxyRequest.findMany({ where: shopScoped, orderBy: { id: "asc" } }),
          deliveries: await prisma.webhookDelivery.findMany({ where: { shop: where.shop }, orderBy: { id: "asc" } }),
          settings: await prisma.programSettings.findMany({ where: shopScoped, orderBy: { id: "asc" } }),
          rewards: await prisma.reward.findMany({ where: shopScoped, orderBy: { id: "asc" } }),
        }),
  };
}

async function dashboard(shop = TEST_SHOP) {
  clearDailyCache();
  const data = (await homeRoute.loader({ request: await adminRequest("/app", {}, shop), params: {}, context: {} })) as { dashboard: unknown };
  return data.dashboard;
}

async function totals(shopId: string) {
  const sums = await prisma.customer.aggregate({ where: { shopId }, _sum: { balance: true, pending: true, lifetimeEarned: true }, _count: { _all: true } });
  const ledger = await prisma.ledgerEntry.aggregate({ where: { shopId }, _sum: { points: true }, _count: { _all: true } });
  return { sums, ledger, dashboard: await dashboard() };
}

// ---------------------------------------------------------------------------------------------

describe("customers/data_request", () => {
  let world: World;
  beforeEach(async () => {
    await resetDatabase();
    world = await seed();
  });

  it("stores an export of everything the app holds about the customer, in the delivery's transaction", async () => {
    const sent = await dataRequest(PHILIPPA, TEST_SHOP, 9001, { ordersRequested: [5001, 5002] });
    expect(sent).toMatchObject({ status: 200, outcome: "applied" });
    const stored = await prisma.dataRequestExport.findUniqueOrThrow({ where: { shopId_dataRequestId: { shopId: world.shopId, dataRequestId: "9001" } } });
    expect(stored).toMatchObject({ shopifyCustomerId: PHILIPPA.gid });
    const doc = JSON.parse(stored.document) as CustomerDataExport;
    expect(doc).toMatchObject({
      format: EXPORT_FORMAT,
      shop: { domain: TEST_SHOP },
      request: { dataRequestId: "9001", shopifyCustomerId: PHILIPPA.gid, email: PHILIPPA.email, phone: PHILIPPA.phone, ordersRequested: ["5001", "5002"] },
    });

    // The member record, whole.
    const customer = await prisma.customer.findUniqueOrThrow({ where: { id: world.philippaId } });
    expect(doc.customer).toEqual(JSON.parse(JSON.stringify(customer)));
    expect(doc.customer).toMatchObject({ email: PHILIPPA.email, firstName: PHILIPPA.firstName, lastName: PHILIPPA.lastName });
    // Every ledger entry of hers, with its reason and a description of its kind; none of anyone else's.
    const entries = await prisma.ledgerEntry.findMany({ where: { customerId: world.philippaId } });
    expect(doc.ledgerEntries.map((e) => e.id).sort()).toEqual(entries.map((e) => e.id).sort());
    expect(new Set(doc.ledgerEntries.map((e) => e.kind))).toEqual(new Set(["earn", "refund_reversal", "manual", "redemption"]));
    expect(doc.ledgerEntries.find((e) => e.kind === "manual")).toMatchObject({ reason: expect.stringContaining("Goodwill for Philippa"), description: "Manual adjustment", points: 25 });
    expect(doc.ledgerEntries.find((e) => e.kind === "refund_reversal")).toMatchObject({ reason: expect.stringContaining("refund"), points: -20 });
    // Codes and redemptions.
    const codes = await prisma.issuedCode.findMany({ where: { customerId: world.philippaId } });
    expect(codes).toHaveLength(1);
    expect(doc.issuedCodes).toEqual([expect.objectContaining({ id: codes[0]!.id, code: codes[0]!.code, source: "redemption", rewardSnapshot: expect.objectContaining({ discountType: "fixed_amount" }) })]);
    const redemption = entries.find((e) => e.kind === "redemption")!;
    expect(doc.redemptions).toEqual([expect.objectContaining({ redemptionId: codes[0]!.redemptionId, code: codes[0]!.code, pointsSpent: 50, ledgerEntryIds: [redemption.id] })]);
    // Her order records (with their parsed facts), not Oswin's.
    expect(doc.orders.map((o) => o.orderId).sort()).toEqual(["gid://shopify/Order/5001", "gid://shopify/Order/5002"]);
    expect(doc.orders.find((o) => o.orderId === "gid://shopify/Order/5002")).toMatchObject({ refunds: [expect.objectContaining({ refundId: "gid://shopify/Refund/50021" })] });
    // Outbox jobs that name her (first-order check by GID, points sync by row id, her code's creation by code id).
    const allJobs = await prisma.outboxJob.findMany({ where: { shopId: world.shopId } });
    const hers = allJobs.filter((j) => j.payload.includes(PHILIPPA.gid) || j.payload.includes(world.philippaId) || j.payload.includes(codes[0]!.id));
    expect(new Set(hers.map((j) => j.kind))).toEqual(new Set(["first_order_check", "sync_customer_metafield", "create_discount_code"]));
    expect(doc.outboxJobs.map((j) => j.id).sort()).toEqual(hers.map((j) => j.id).sort());
    expect(doc.outboxJobs.every((j) => !JSON.stringify(j).includes(world.oswinId))).toBe(true);
    // Webhook bodies still stored about her: the waiting order and the failed refund of her order, parsed.
    expect(doc.webhookDeliveries.map((d) => d.webhookId).sort()).toEqual(["failed-7001-refund", "wait-7001-5003"]);
    expect(doc.webhookDeliveries.find((d) => d.webhookId === "wait-7001-5003")).toMatchObject({ outcome: "received", payload: expect.objectContaining({ id: 5003, contact_email: PHILIPPA.email }) });
    // Her storefront request rows.
    expect(doc.proxyRequests).toEqual([expect.objectContaining({ signature: "sig-7001" })]);
    // Nothing of Oswin's or Marguerite's anywhere in it.
    for (const other of [OSWIN, MARGUERITE]) {
      for (const text of [other.email, other.firstName, other.lastName, other.address]) expect(stored.document.toLowerCase()).not.toContain(text.toLowerCase());
    }
    expect(JSON.parse(stored.summary)).toEqual({ customerFound: true, ledgerEntries: entries.length, issuedCodes: 1, redemptions: 1, orders: 2, outboxJobs: hers.length, webhookDeliveries: 2, proxyRequests: 1 });
    // The applied delivery keeps no body of its own.
    expect(await prisma.webhookDelivery.findFirstOrThrow({ where: { topic: "customers/data_request" } })).toMatchObject({ outcome: "applied", payload: null });
  });

  it("a redelivery of the same data request (same or new webhook id) stores no second export", async () => {
    expect(await dataRequest(PHILIPPA, TEST_SHOP, 9001, { webhookId: "dr-1" })).toMatchObject({ status: 200, outcome: "applied" });
    const first = await prisma.dataRequestExport.findFirstOrThrow();
    expect(await dataRequest(PHILIPPA, TEST_SHOP, 9001, { webhookId: "dr-1" })).toMatchObject({ status: 200, body: { outcome: "duplicate" } });
    expect(await dataRequest(PHILIPPA, TEST_SHOP, 9001, { webhookId: "dr-2" })).toMatchObject({ status: 200, outcome: "skipped", reason: "export already stored for this data request" });
    expect(await prisma.dataRequestExport.findMany()).toEqual([first]);
    // A new request of the same customer is a new export.
    expect(await dataRequest(PHILIPPA, TEST_SHOP, 9002)).toMatchObject({ outcome: "applied" });
    expect(await prisma.dataRequestExport.count({ where: { shopId: world.shopId, shopifyCustomerId: PHILIPPA.gid } })).toBe(2);
  });

  it("a customer the app never stored gets an export that says so; the same id at the other shop is that shop's", async () => {
    const stranger = { ...OSWIN, id: 99999, email: "nobody@example.com", phone: "+1 999 555 0000" };
    expect(await dataRequest(stranger, TEST_SHOP, 9100)).toMatchObject({ status: 200, outcome: "skipped", reason: "no data stored for this customer (an empty export was stored)" });
    const doc = JSON.parse((await prisma.dataRequestExport.findFirstOrThrow({ where: { dataRequestId: "9100" } })).document) as CustomerDataExport;
    expect(doc).toMatchObject({ customer: null, ledgerEntries: [], issuedCodes: [], orders: [], outboxJobs: [], webhookDeliveries: [], proxyRequests: [] });

    expect(await dataRequest(MARGUERITE, OTHER_SHOP, 9001)).toMatchObject({ status: 200, outcome: "applied" });
    const theirs = await prisma.dataRequestExport.findFirstOrThrow({ where: { shopId: world.otherShopId } });
    const theirDoc = JSON.parse(theirs.document) as CustomerDataExport;
    expect(theirDoc.customer).toMatchObject({ email: MARGUERITE.email });
    expect(theirDoc.webhookDeliveries.map((d) => d.webhookId)).toEqual(["wait-other-8002"]);
    expect(theirs.document).not.toContain(PHILIPPA.email);
  });

  it("the Privacy page lists waiting and ready requests, and the download is JSON as an attachment, only for the shop's own exports", async () => {
    // One request applied, one still waiting to be applied.
    await dataRequest(PHILIPPA, TEST_SHOP, 9001);
    await dataRequest(MARGUERITE, OTHER_SHOP, 9001);
    await sendWebhook("customers/data_request", dataRequestPayload({ customer: asComplianceCustomer(OSWIN), dataRequestId: 9003 }), { webhookId: "dr-waiting", apply: false });
    const mine = await prisma.dataRequestExport.findFirstOrThrow({ where: { shopId: world.shopId } });
    const theirs = await prisma.dataRequestExport.findFirstOrThrow({ where: { shopId: world.otherShopId } });

    const page = (await privacyRoute.loader({ request: await adminRequest("/app/privacy"), params: {}, context: {} })) as Awaited<ReturnType<typeof privacyRoute.loader>>;
    expect(page.total).toBe(1);
    expect(page.rows).toEqual([
      expect.objectContaining({ status: "waiting", dataRequestId: "9003", shopifyCustomerId: String(OSWIN.id), downloadUrl: null }),
      expect.objectContaining({
        id: mine.id,
        status: "ready",
        dataRequestId: "9001",
        shopifyCustomerId: String(PHILIPPA.id),
        member: { id: world.philippaId, name: `${PHILIPPA.firstName} ${PHILIPPA.lastName}` },
        downloadUrl: `/app/privacy/exports/${mine.id}`,
        summary: expect.objectContaining({ customerFound: true, orders: 2 }),
      }),
    ]);
    expect(JSON.stringify(page)).not.toContain(theirs.id);

    // The download, as the page fetches it (session token as a bearer).
    const response = (await callLoader(exportRoute, await bearerRequest(`/app/privacy/exports/${mine.id}`), { id: mine.id })) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="customer-${PHILIPPA.id}-data-request-9001.json"`);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(await response.json()).toEqual(JSON.parse(mine.document));

    // Another shop's export id, and an unknown one: 404, with nothing of the export in the answer.
    for (const id of [theirs.id, "no-such-export"]) {
      const refused = (await callLoader(exportRoute, await bearerRequest(`/app/privacy/exports/${id}`), { id })) as Response;
      expect(refused.status).toBe(404);
      expect(await refused.text()).not.toContain(MARGUERITE.email);
    }
    // The owner gets it.
    const owner = (await callLoader(exportRoute, await bearerRequest(`/app/privacy/exports/${theirs.id}`, {}, OTHER_SHOP), { id: theirs.id })) as Response;
    expect(owner.status).toBe(200);
    expect(((await owner.json()) as CustomerDataExport).customer).toMatchObject({ email: MARGUERITE.email });

    // Once the waiting request is applied it is ready too.
    await applyStoredWebhooks();
    const after = (await privacyRoute.loader({ request: await adminRequest("/app/privacy"), params: {}, context: {} })) as Awaited<ReturnType<typeof privacyRoute.loader>>;
    expect(after.rows.map((r) => r.status)).toEqual(["ready", "ready"]);
  });
});

describe("customers/redact", () => {
  let world: World;
  beforeEach(async () => {
    await resetDatabase();
    world = await seed();
  });

  it("leaves Philippa's email, name, phone and address in no row of any table; everyone else and every total stay as they were", async () => {
    // Her data request was answered first (the export holds her personal data too).
    await dataRequest(PHILIPPA, TEST_SHOP, 9001);
    await dataRequest(OSWIN, TEST_SHOP, 9002);
    await dataRequest(MARGUERITE, OTHER_SHOP, 9001);

    const hits = (rows: Awaited<ReturnType<typeof dumpAllRows>>) => rows.filter((r) => PHILIPPA_STRINGS.some((s) => r.json.includes(s))).map((r) => r.model);
    // The scan finds her before (so it would find her after): customer, ledger reason, export, stored bodies.
    expect(new Set(hits(await dumpAllRows()))).toEqual(new Set(["Customer", "LedgerEntry", "OutboxJob", "DataRequestExport", "WebhookDelivery"]));
    // Every table of the database is a model the scan reads.
    expect(await databaseTables(prisma)).toEqual(Prisma.dmmf.datamodel.models.map((m) => m.name).sort());

    const before = {
      totals: await totals(world.shopId),
      philippa: await snapshot({ customerId: world.philippaId }),
      oswin: await snapshot({ customerId: world.oswinId }),
      otherShop: await snapshot({ shopId: world.otherShopId, shop: OTHER_SHOP }),
      oswinExport: await prisma.dataRequestExport.findFirstOrThrow({ where: { shopId: world.shopId, dataRequestId: "9002" } }),
      oswinWaiting: await prisma.webhookDelivery.findUniqueOrThrow({ where: { shop_webhookId: { shop: TEST_SHOP, webhookId: "wait-7002-6002" } } }),
      oswinProxy: await prisma.proxyRequest.findFirstOrThrow({ where: { signature: "sig-7002" } }),
    };

    const sent = await sendWebhook("customers/redact", customerRedactPayload({ customer: asComplianceCustomer(PHILIPPA), ordersToRedact: [5001, 5002, 5003] }), { webhookId: "redact-1" });
    expect(sent).toMatchObject({ status: 200, outcome: "applied" });

    // Nothing identifying her is left, in any model.
    const after = await dumpAllRows();
    expect(
      hits(after),
      JSON.stringify(
        after.filter((r) => PHILIPPA_STRINGS.some((s) => r.json.includes(s))),
        null,
        2,
      ),
    ).toEqual([]);

    // Her member record stays, anonymous, with every point where it was; her entries keep their
    // points, kinds and keys; only the reason that quoted her changed.
    const philippa = await prisma.customer.findUniqueOrThrow({ where: { id: world.philippaId } });
    expect(philippa).toMatchObject({ email: null, firstName: null, lastName: null, shopifyCustomerId: `redacted:${world.philippaId}`, redactedAt: expect.any(Date) });
    const beforeCustomer = before.philippa.customers[0]!;
    expect(philippa).toMatchObject({ balance: beforeCustomer.balance, pending: beforeCustomer.pending, lifetimeEarned: beforeCustomer.lifetimeEarned });
    const entriesAfter = await prisma.ledgerEntry.findMany({ where: { customerId: world.philippaId }, orderBy: { id: "asc" } });
    expect(entriesAfter.map(({ reason: _r, ...e }) => e)).toEqual(before.philippa.entries.map(({ reason: _r, ...e }) => e));
    expect(entriesAfter.find((e) => e.kind === "manual")!.reason).toBe(`Goodwill for ${REDACTED} (${REDACTED}), parcel late`);
    expect(await prisma.issuedCode.findMany({ where: { customerId: world.philippaId }, orderBy: { id: "asc" } })).toEqual(before.philippa.codes);
    expect(await prisma.outboxJob.findFirstOrThrow({ where: { shopId: world.shopId, kind: "create_discount_code" } })).toMatchObject({ lastError: `userErrors: customer ${REDACTED} is not eligible`, status: "queued" });
    expect(await prisma.orderRecord.findMany({ where: { customerId: world.philippaId }, orderBy: { id: "asc" } })).toEqual(before.philippa.orders);

    // Her stored bodies are gone: the waiting order can no longer be applied, the failed refund stays failed.
    expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { shop_webhookId: { shop: TEST_SHOP, webhookId: "wait-7001-5003" } } })).toMatchObject({
      payload: null,
      outcome: "failed",
      reason: PAYLOAD_REDACTED,
    });
    expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { shop_webhookId: { shop: TEST_SHOP, webhookId: "failed-7001-refund" } } })).toMatchObject({ payload: null, outcome: "failed" });
    expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { shop_webhookId: { shop: TEST_SHOP, webhookId: "redact-1" } } })).toMatchObject({ payload: null, outcome: "applied" });
    // Her export is deleted (not scrubbed: it is nothing but her data); her proxy rows too.
    expect(await prisma.dataRequestExport.count({ where: { shopId: world.shopId, shopifyCustomerId: PHILIPPA.gid } })).toBe(0);
    expect(await prisma.proxyRequest.count({ where: { customerId: PHILIPPA.gid } })).toBe(0);

    // Oswin: untouched, including his export, his waiting order and his proxy row.
    expect(await snapshot({ customerId: world.oswinId })).toEqual(before.oswin);
    expect(await prisma.dataRequestExport.findUniqueOrThrow({ where: { id: before.oswinExport.id } })).toEqual(before.oswinExport);
    expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: before.oswinWaiting.id } })).toEqual(before.oswinWaiting);
    expect(await prisma.proxyRequest.findUniqueOrThrow({ where: { id: before.oswinProxy.id } })).toEqual(before.oswinProxy);
    // The other shop (where Shopify customer 7001 is someone else): every row exactly as it was.
    expect(await snapshot({ shopId: world.otherShopId, shop: OTHER_SHOP })).toEqual(before.otherShop);

    // The shop's totals: cached sums, ledger sum and count, and every dashboard figure.
    expect(await totals(world.shopId)).toEqual(before.totals);
    expect(await verifyBalanceCache(prisma)).toEqual([]);

    // Oswin's waiting order still applies normally afterwards.
    await prisma.webhookDelivery.update({ where: { id: before.oswinWaiting.id }, data: { nextAttemptAt: null } });
    await applyStoredWebhooks();
    expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: before.oswinWaiting.id } })).toMatchObject({ outcome: "applied", payload: null });
    expect(await prisma.orderRecord.count({ where: { customerId: world.oswinId } })).toBe(2);
  });

  it("a repeat of the redaction is harmless, and a data request afterwards finds nothing of hers", async () => {
    expect(await sendWebhook("customers/redact", customerRedactPayload({ customer: asComplianceCustomer(PHILIPPA) }), { webhookId: "redact-1" })).toMatchObject({ outcome: "applied" });
    const state = await snapshot({ shopId: world.shopId, shop: TEST_SHOP });
    expect(await sendWebhook("customers/redact", customerRedactPayload({ customer: asComplianceCustomer(PHILIPPA) }), { webhookId: "redact-2" })).toMatchObject({
      status: 200,
      outcome: "skipped",
      reason: "no data stored for this customer",
    });
    const again = await snapshot({ shopId: world.shopId, shop: TEST_SHOP });
    expect({ ...again, deliveries: again.deliveries!.filter((d) => d.webhookId !== "redact-2") }).toEqual(state);

    await dataRequest(PHILIPPA, TEST_SHOP, 9005);
    const doc = JSON.parse((await prisma.dataRequestExport.findFirstOrThrow({ where: { dataRequestId: "9005" } })).document) as CustomerDataExport;
    expect(doc).toMatchObject({ customer: null, ledgerEntries: [], orders: [], webhookDeliveries: [], proxyRequests: [] });
  });

  it("with no member record, the bodies that name the customer are still scrubbed", async () => {
    // A guest-like case: only a stored, waiting order for a customer the app has no row for yet.
    const newcomer = { ...OSWIN, id: 7777, email: "newcomer@example.org", firstName: "Ignatius", lastName: "Featherstonehaugh", address: "1 Quince Court", phone: "+1 202 555 0199" };
    await storeWaiting("orders/paid", orderFor(newcomer, 7771, "30.00", daysAgo(0)), TEST_SHOP, "wait-newcomer");
    expect(await sendWebhook("customers/redact", customerRedactPayload({ customer: asComplianceCustomer(newcomer), ordersToRedact: [7771] }))).toMatchObject({ status: 200, outcome: "applied" });
    expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { shop_webhookId: { shop: TEST_SHOP, webhookId: "wait-newcomer" } } })).toMatchObject({ payload: null, outcome: "failed", reason: PAYLOAD_REDACTED });
    const rows = await dumpAllRows();
    expect(rows.filter((r) => [newcomer.email, newcomer.lastName, newcomer.address].some((s) => r.json.includes(s.toLowerCase())))).toEqual([]);
    // Philippa's waiting order is not hers: untouched.
    expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { shop_webhookId: { shop: TEST_SHOP, webhookId: "wait-7001-5003" } } })).toMatchObject({ outcome: "received", payload: expect.any(String) });
  });
});

describe("shop/redact", () => {
  beforeEach(async () => {
    await resetDatabase();
  });

  it("deletes the shop's exports and every stored webhook body of the shop; the other shop keeps its own", async () => {
    const world = await seed();
    await dataRequest(PHILIPPA, TEST_SHOP, 9001);
    await dataRequest(MARGUERITE, OTHER_SHOP, 9001);
    const otherBefore = await snapshot({ shopId: world.otherShopId, shop: OTHER_SHOP });

    expect(await sendWebhook("shop/redact", shopRedactPayload(TEST_SHOP), { webhookId: "shop-redact-1" })).toMatchObject({ status: 200, outcome: "applied" });
    expect(await prisma.dataRequestExport.count({ where: { shopId: world.shopId } })).toBe(0);
    expect(await prisma.shop.count({ where: { domain: TEST_SHOP } })).toBe(0);
    expect(await prisma.webhookDelivery.count({ where: { shop: TEST_SHOP, payload: { not: null } } })).toBe(0);
    expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { shop_webhookId: { shop: TEST_SHOP, webhookId: "wait-7002-6002" } } })).toMatchObject({ outcome: "failed", reason: PAYLOAD_REDACTED });
    // No personal data of the shop's customers anywhere.
    const rows = await dumpAllRows();
    for (const person of [PHILIPPA, OSWIN]) {
      expect(rows.filter((r) => [person.email, person.lastName, person.address].some((s) => r.json.includes(s.toLowerCase()))).map((r) => r.model)).toEqual([]);
    }
    expect(await snapshot({ shopId: world.otherShopId, shop: OTHER_SHOP })).toEqual(otherBefore);
  });
});
