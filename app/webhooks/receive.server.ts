// The one path every webhook takes (docs/decisions/007-webhook-inbox.md): check the HMAC and headers
// with Shopify's library, validate the payload with zod, store the delivery in the inbox with ONE
// insert, answer. The applier (inbox.server.ts) turns stored deliveries into ledger effects in their
// own transaction within milliseconds. Shopify asks for a quick answer and at-least-once tolerance:
// https://shopify.dev/docs/apps/build/webhooks/best-practices (respond within 5 s, queue the work)
// https://shopify.dev/docs/apps/build/webhooks/ignore-duplicates
import type { z } from "zod";
import { WebhookType, WebhookValidationErrorReason } from "@shopify/shopify-api";
import { validateWebhook } from "../shopify.server";
import prisma, { sqlOf, type Db } from "../db.server";
import { execute, isUniqueViolation, newId, type SqlSteps } from "../sql/statements";
import { log } from "../logger.server";
import { jsonResponse } from "../http.server";
import { notifyDeliveryStored } from "./inbox-signal.server";

export type Tx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export interface WebhookMeta {
  shop: string;
  topic: string;
  webhookId: string;
  eventId: string | null;
}

export type WebhookOutcome = { outcome: "applied" | "skipped"; reason?: string };

/**
 * How a topic's deliveries are applied, inside the transaction that marks the stored delivery applied:
 * `steps` (SQL steps on the database driver: the order topics, where the volume is) or `apply`
 * (Prisma: the rare lifecycle and compliance topics). docs/decisions/009-hot-path-sql.md
 */
export type WebhookHandler<Schema extends z.ZodTypeAny> = { topic: string; schema: Schema } & (
  | { steps: (payload: z.infer<Schema>, meta: WebhookMeta, now: Date) => SqlSteps<WebhookOutcome>; apply?: never }
  | { apply: (tx: Tx, payload: z.infer<Schema>, meta: WebhookMeta) => Promise<WebhookOutcome>; steps?: never }
);

export async function receiveWebhook<Schema extends z.ZodTypeAny>(request: Request, handler: WebhookHandler<Schema>, db: Db = prisma): Promise<Response> {
  if (request.method !== "POST") return jsonResponse({ error: "webhooks are POSTed" }, 405);
  const rawBody = await request.text();
  // Shopify's own check (HMAC over the raw body, required X-Shopify-* headers). authenticate.webhook
  // would also load the shop's offline session for an Admin client on every delivery; webhook routes
  // never call the Admin API (slow work is queued), so they skip that read.
  const check = await validateWebhook({ rawBody, rawRequest: request });
  if (!check.valid) {
    const status = check.reason === WebhookValidationErrorReason.InvalidHmac ? 401 : 400;
    log.warn("webhook refused", { reason: check.reason, status, path: new URL(request.url).pathname });
    return jsonResponse({ error: status === 401 ? "invalid HMAC" : `invalid webhook request: ${check.reason}` }, status);
  }
  if (check.webhookType !== WebhookType.Webhooks) return jsonResponse({ error: "this endpoint receives webhooks, not events" }, 400);
  // The library reports topics as ORDERS_PAID; each route serves exactly one topic.
  const receivedTopic = String(check.topic).toLowerCase().replace("_", "/");
  if (receivedTopic !== handler.topic) {
    log.warn("webhook rejected: topic does not match endpoint", { shop: check.domain, receivedTopic, expected: handler.topic });
    return jsonResponse({ error: `this endpoint receives ${handler.topic}, not ${receivedTopic}` }, 400);
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
    return jsonResponse({ error: "malformed payload", reason }, 422);
  }
  const stored = await recordDelivery(db, meta, rawBody);
  if (stored) notifyDeliveryStored();
  log.debug("webhook received", { ...meta, duplicate: !stored });
  return jsonResponse({ ok: true, outcome: stored ? "received" : "duplicate" }, 200);
}

/**
 * Stores a validated delivery, waiting to be applied. One statement: an existing (shop, webhookId)
 * row makes it a no-op (a redelivery), unless that row was a rejection, which a corrected delivery
 * may replace. Returns whether the delivery was stored.
 */
export async function recordDelivery(db: Db, meta: WebhookMeta, rawBody: string, now = new Date()): Promise<boolean> {
  const stored = await sqlOf(db).statement(
    () => execute`
      INSERT INTO "WebhookDelivery" ("id", "shop", "webhookId", "eventId", "topic", "outcome", "payload", "attempts", "receivedAt")
      VALUES (${newId()}, ${meta.shop}, ${meta.webhookId}, ${meta.eventId}, ${meta.topic}, 'received', ${rawBody}, 0, ${now})
      ON CONFLICT ("shop", "webhookId") DO UPDATE
        SET "outcome" = 'received', "reason" = NULL, "payload" = excluded."payload", "topic" = excluded."topic", "receivedAt" = excluded."receivedAt"
        WHERE "WebhookDelivery"."outcome" = 'rejected'`,
  );
  return stored > 0;
}

export async function recordRejection(db: Db, meta: WebhookMeta, reason: string): Promise<void> {
  try {
    await db.webhookDelivery.upsert({
      where: { shop_webhookId: { shop: meta.shop, webhookId: meta.webhookId } },
      create: { shop: meta.shop, webhookId: meta.webhookId, eventId: meta.eventId, topic: meta.topic, outcome: "rejected", reason },
      update: {},
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
}
