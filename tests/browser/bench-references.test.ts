// The webhook benchmark's reference lines (bench/reference/) measure what their names say: the
// "stack ceiling" server answers every delivery through server.mjs without doing any of its work,
// and the "template style" server checks the delivery with authenticate.webhook and writes the
// points inside the request. The bench's open-loop sender reads both kinds of answer (the
// template's comes chunked, through express and Remix) without miscounting them as errors.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type RunningApp } from "../../dev/harness/app-server";
import { runRate } from "../../bench/lib";
import { createPrismaClient, type Db } from "../../app/platform/db.server";
import { offlineSession, offlineSessionRow, webhookHeaders } from "../../dev/shopify-requests";
import { orderPayload } from "../../dev/payloads/order-fixtures";

let ceiling: RunningApp;
let template: RunningApp;
let ceilingDb: Db;
let templateDb: Db;

let orderNo = 0;
function delivery(baseUrl: string, options: { badHmac?: boolean } = {}) {
  const n = ++orderNo;
  const body = JSON.stringify(orderPayload({ id: 60_000_000 + n, customerId: 81_000 + (n % 3), lines: [{ id: n * 10 + 1, price: "40.00" }], shipping: "5.00" }));
  const headers = webhookHeaders("orders/paid", body, { webhookId: `ref-${n}` });
  if (options.badHmac) headers["X-Shopify-Hmac-Sha256"] = "bm90IHRoZSBobWFj";
  return { url: `${baseUrl}/webhooks/orders/paid`, init: { method: "POST", body, headers } };
}

async function send(baseUrl: string, options: { badHmac?: boolean } = {}) {
  const { url, init } = delivery(baseUrl, options);
  const res = await fetch(url, init);
  return { status: res.status, body: await res.text() };
}

beforeAll(async () => {
  ceiling = await startApp({ WORKER_MODE: "off" }, { build: "bench/reference/ceiling-build.mjs" });
  const previousArgs = process.env.APP_NODE_ARGS;
  process.env.APP_NODE_ARGS = "--import tsx"; // the template's action is TypeScript
  try {
    template = await startApp({ WORKER_MODE: "off" }, { build: "bench/reference/template-build.mjs" });
  } finally {
    if (previousArgs === undefined) delete process.env.APP_NODE_ARGS;
    else process.env.APP_NODE_ARGS = previousArgs;
  }
  ceilingDb = createPrismaClient(ceiling.databaseUrl);
  templateDb = createPrismaClient(template.databaseUrl);
  await templateDb.session.create({ data: offlineSessionRow(offlineSession()) });
});

afterAll(async () => {
  await ceilingDb?.$disconnect();
  await templateDb?.$disconnect();
  await ceiling?.stop();
  await template?.stop();
});

describe("the webhook benchmark's reference lines", () => {
  it("stack ceiling: answers as the app answers a stored delivery, without checking or storing anything", async () => {
    await expect(send(ceiling.url)).resolves.toEqual({ status: 200, body: '{"ok":true,"outcome":"received"}' });
    // A delivery the app would refuse (401) is answered the same: no HMAC check ran.
    await expect(send(ceiling.url, { badHmac: true })).resolves.toEqual({ status: 200, body: '{"ok":true,"outcome":"received"}' });
    expect(await ceilingDb.webhookDelivery.count()).toBe(0);
    expect(await ceilingDb.ledgerEntry.count()).toBe(0);
  });

  it("template style: refuses a bad HMAC, and the points are in the ledger when it answers, with no inbox", async () => {
    expect((await send(template.url, { badHmac: true })).status).toBe(401);
    expect(await templateDb.ledgerEntry.count()).toBe(0);

    const answer = await send(template.url);
    expect(answer.status).toBe(200);
    const entries = await templateDb.ledgerEntry.findMany({ select: { points: true, kind: true, customerId: true } });
    expect(entries).toEqual([{ points: 45, kind: "earn", customerId: expect.any(String) }]);
    const customer = await templateDb.customer.findUniqueOrThrow({ where: { id: entries[0]!.customerId } });
    expect(customer.balance).toBe(45);
    expect(await templateDb.webhookDelivery.count()).toBe(0);
  });

  it("the open-loop sender counts every answer of both servers as answered, none as an error", async () => {
    for (const server of [ceiling, template]) {
      const before = await templateDb.ledgerEntry.count();
      const result = await runRate(() => delivery(server.url), 50, 1, 4);
      expect(result.requests).toBe(50);
      expect(result.errors).toBe(0);
      if (server === template) expect(await templateDb.ledgerEntry.count()).toBe(before + 50);
    }
  });
});
