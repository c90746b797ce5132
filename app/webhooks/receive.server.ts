// The one path every webhook takes (docs/decisions/007-webhook-inbox.md): check the HMAC and headers
// with Shopify's library, validate the payload with zod, store the delivery in the inbox with ONE
// insert, answer. The applier (inbox.server.ts) turns stored deliveries into ledger effects in their
// own transaction within milliseconds. Shopify asks for a quick answer and at-least-once tolerance:
// https://shopify.dev/docs/apps/build/webhooks/best-practices (respond within 5 s, queue the work)
// https://shopify.dev/docs/apps/build/webhooks/ignore-duplicates
// Data access: SQL steps (app/platform/sql) on the SQL path: this is the webhook hot path
// (docs/decisions/009-hot-path-sql.md).
import type { z } from "zod";
import { WebhookType, WebhookValidationErrorReason } from "@shopify/shopify-api";
import { validateWebhook } from "../shopify.server";
import prisma from "../db.server";
import { sqlOf, type Db } from "../platform/db.server";
import { execute, newId, type SqlSteps } from "../platform/sql/statements";
import type { WebhookHandler, WebhookMeta } from "../platform/webhook-handler";
import { log } from "../platform/logger.server";
import { jsonResponse } from "../platform/http.server";
import { notifyDeliveryStored } from "./inbox-signal.server";

/** A delivery as any HTTP layer hands it over: the Remix route (a Request) or server.mjs (Node's message). */
export interface WebhookDelivery {
  method: string;
  url: string;
  /** Header name (any case) to value; repeated headers as arrays, as Node gives them. */
  headers: Iterable<[string, string | string[] | undefined]>;
  rawBody: string;
}

export interface WebhookAnswer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * The request as shopify-api's check reads it: its method, URL and Shopify's own headers. The
 * library finds each header by canonicalising the name of every header it was given, for each of its
 * dozen lookups (runtime/http/headers.mjs); handed only X-Shopify-* (and the newer shopify-*) headers,
 * the same check costs less than half as much (docs/decisions/009-hot-path-sql.md). And
 * only what its Web API adapter reads (adapters/web-api/adapter.mjs: method, url, headers.entries()),
 * not a whole Fetch Request, which costs more to build than the rest of the check.
 */
function shopifyHeadersOnly(delivery: WebhookDelivery): Request {
  const headers: [string, string][] = [];
  for (const [rawName, value] of delivery.headers) {
    const name = rawName.toLowerCase();
    if (value === undefined || !(name.startsWith("x-shopify-") || name.startsWith("shopify-"))) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.push([name, v]);
  }
  const request = { method: delivery.method, url: delivery.url, headers: { entries: () => headers.values() } };
  return request as unknown as Request;
}

/** The Remix route's way in (webhooks.<topic>.tsx). */
export async function receiveWebhook<Schema extends z.ZodTypeAny>(request: Request, handler: WebhookHandler<Schema>, db: Db = prisma): Promise<Response> {
  const rawBody = request.method === "POST" ? await request.text() : "";
  const answer = await answerWebhook({ method: request.method, url: request.url, headers: request.headers.entries(), rawBody }, handler, db);
  return jsonResponse(answer.body, answer.status);
}

/** Checks, validates and stores one delivery; the answer for Shopify. Knows nothing of HTTP objects. */
export async function answerWebhook<Schema extends z.ZodTypeAny>(delivery: WebhookDelivery, handler: WebhookHandler<Schema>, db: Db = prisma): Promise<WebhookAnswer> {
  if (delivery.method !== "POST") return { status: 405, body: { error: "webhooks are POSTed" } };
  const { rawBody } = delivery;
  // Shopify's own check (HMAC over the raw body, required X-Shopify-* headers). authenticate.webhook
  // would also load the shop's offline session for an Admin client on every delivery; webhook routes
  // never call the Admin API (slow work is queued), so they skip that read.
  const check = await validateWebhook({ rawBody, rawRequest: shopifyHeadersOnly(delivery) });
  if (!check.valid) {
    const status = check.reason === WebhookValidationErrorReason.InvalidHmac ? 401 : 400;
    log.warn("webhook refused", { reason: check.reason, status, path: new URL(delivery.url).pathname });
    return { status, body: { error: status === 401 ? "invalid HMAC" : `invalid webhook request: ${check.reason}` } };
  }
  if (check.webhookType !== WebhookType.Webhooks) return { status: 400, body: { error: "this endpoint receives webhooks, not events" } };
  // The library reports topics as ORDERS_PAID; each route serves exactly one topic.
  const receivedTopic = String(check.topic).toLowerCase().replace("_", "/");
  if (receivedTopic !== handler.topic) {
    log.warn("webhook rejected: topic does not match endpoint", { shop: check.domain, receivedTopic, expected: handler.topic });
    return { status: 400, body: { error: `this endpoint receives ${handler.topic}, not ${receivedTopic}` } };
  }
  const meta: WebhookMeta = { shop: check.domain, topic: handler.topic, webhookId: check.webhookId, eventId: check.eventId ?? null };
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch {
    payload = undefined;
  }
  const parsed = handler.schema.safeParse(payload);
  if (!parsed.success) {
    const reason = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join(".") || "(payload)"}: ${i.message}`)
      .join("; ");
    log.warn("webhook rejected: malformed payload", { ...meta, reason });
    await recordRejection(db, meta, reason);
    return { status: 422, body: { error: "malformed payload", reason } };
  }
  const stored = await inboxWriter(db).store(meta, rawBody);
  if (stored) notifyDeliveryStored();
  log.debug("webhook received", { ...meta, duplicate: !stored });
  return { status: 200, body: { ok: true, outcome: stored ? "received" : "duplicate" } };
}

/**
 * Stores a validated delivery, waiting to be applied. One statement: an existing (shop, webhookId)
 * row makes it a no-op (a redelivery), unless that row was a rejection, which a corrected delivery
 * may replace. Returns whether the delivery was stored.
 */
function recordDeliverySteps(meta: WebhookMeta, rawBody: string, now: Date): SqlSteps<number> {
  return execute`
    INSERT INTO "WebhookDelivery" ("id", "shop", "webhookId", "eventId", "topic", "outcome", "payload", "attempts", "receivedAt")
    VALUES (${newId()}, ${meta.shop}, ${meta.webhookId}, ${meta.eventId}, ${meta.topic}, 'received', ${rawBody}, 0, ${now})
    ON CONFLICT ("shop", "webhookId") DO UPDATE
      SET "outcome" = 'received', "reason" = NULL, "payload" = excluded."payload", "topic" = excluded."topic", "receivedAt" = excluded."receivedAt"
      WHERE "WebhookDelivery"."outcome" = 'rejected'`;
}

export async function recordDelivery(db: Db, meta: WebhookMeta, rawBody: string, now = new Date()): Promise<boolean> {
  return (await sqlOf(db).statement(() => recordDeliverySteps(meta, rawBody, now))) > 0;
}

interface WaitingDelivery {
  meta: WebhookMeta;
  rawBody: string;
  settle: (stored: Promise<boolean>) => void;
}

/**
 * Group commit for the inbox: deliveries that arrive while a write is in progress (or in the same
 * turn of the event loop) are stored together in ONE transaction, and each is answered once that
 * transaction has committed. One commit instead of one per delivery (on SQLite one write-lock
 * acquisition and one set of WAL pages, on PostgreSQL one WAL flush); at low rates a batch is one
 * delivery and nothing waits. Should the batch fail, each delivery is tried alone, so one bad row
 * cannot fail the others (docs/decisions/010).
 */
class InboxWriter {
  private waiting: WaitingDelivery[] = [];
  private writing = false;
  constructor(private readonly db: Db) {}

  store(meta: WebhookMeta, rawBody: string): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.waiting.push({ meta, rawBody, settle: (stored) => void stored.then(resolve, reject) });
      if (!this.writing) {
        this.writing = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, INBOX_BATCH_SIZE);
      const now = new Date();
      try {
        const counts = await sqlOf(this.db).transaction(function* () {
          const stored: number[] = [];
          for (const d of batch) stored.push(yield* recordDeliverySteps(d.meta, d.rawBody, now));
          return stored;
        });
        batch.forEach((d, i) => d.settle(Promise.resolve(counts[i]! > 0)));
      } catch {
        for (const d of batch) d.settle(recordDelivery(this.db, d.meta, d.rawBody, now));
      }
    }
    this.writing = false;
  }
}

/** At most this many deliveries per inbox transaction. */
const INBOX_BATCH_SIZE = 100;

const INBOX_WRITER = Symbol.for("loyalty-app.inbox-writer");

/** The inbox writer of the database `db` (one per client, kept on it like its SQL path). */
function inboxWriter(db: Db): InboxWriter {
  const holder = db as unknown as { [INBOX_WRITER]?: InboxWriter };
  if (!holder[INBOX_WRITER]) Object.defineProperty(holder, INBOX_WRITER, { value: new InboxWriter(db) });
  return holder[INBOX_WRITER]!;
}

/** Keeps a trace of a delivery refused for its payload (a corrected redelivery may replace it); a row already stored for it stays as it is. */
export async function recordRejection(db: Db, meta: WebhookMeta, reason: string): Promise<void> {
  await sqlOf(db).statement(
    () => execute`
      INSERT INTO "WebhookDelivery" ("id", "shop", "webhookId", "eventId", "topic", "outcome", "reason", "attempts", "receivedAt")
      VALUES (${newId()}, ${meta.shop}, ${meta.webhookId}, ${meta.eventId}, ${meta.topic}, 'rejected', ${reason}, 0, ${new Date()})
      ON CONFLICT ("shop", "webhookId") DO NOTHING`,
  );
}
