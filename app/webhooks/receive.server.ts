// The one path every webhook takes: authenticate (HMAC + headers, by Shopify's library), validate the
// payload with zod, then record the delivery and apply its effect in ONE transaction. The unique
// (shop, webhookId) row makes a redelivery a no-op; effects carry their own unique keys too, so a
// retry with a new webhook id for the same event still cannot write twice.
// https://shopify.dev/docs/apps/build/webhooks/ignore-duplicates
import type { z } from "zod";
import { authenticate } from "../shopify.server";
import prisma, { type Db } from "../db.server";
import { log } from "../logger.server";
import { jsonResponse } from "../http.server";

export type Tx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export interface WebhookMeta {
  shop: string;
  topic: string;
  webhookId: string;
  eventId: string | null;
  triggeredAt: string | null;
  apiVersion: string;
}

export type WebhookOutcome = { outcome: "applied" | "skipped"; reason?: string };

export interface WebhookHandler<Schema extends z.ZodTypeAny> {
  topic: string;
  schema: Schema;
  /** Runs inside the delivery's transaction. */
  apply: (tx: Tx, payload: z.infer<Schema>, meta: WebhookMeta) => Promise<WebhookOutcome>;
  /** Runs after commit for work that must not hold the transaction (e.g. deleting sessions). */
  afterCommit?: (payload: z.infer<Schema>, meta: WebhookMeta) => Promise<void>;
}

/**
 * A unique-constraint violation (P2002). Checked by shape, not `instanceof`: the SQLite and the
 * PostgreSQL clients are separate generated packages with separate error classes.
 */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && error.name === "PrismaClientKnownRequestError" && (error as { code?: unknown }).code === "P2002";
}

export async function receiveWebhook<Schema extends z.ZodTypeAny>(
  request: Request,
  handler: WebhookHandler<Schema>,
  db: Db = prisma,
): Promise<Response> {
  // Throws a 401 Response on a bad HMAC and 400 on missing headers: nothing is written.
  const context = await authenticate.webhook(request);
  // The library reports topics as ORDERS_PAID; each route serves exactly one topic.
  const receivedTopic = String(context.topic).toLowerCase().replace("_", "/");
  if (receivedTopic !== handler.topic) {
    log.warn("webhook rejected: topic does not match endpoint", { shop: context.shop, receivedTopic, expected: handler.topic });
    return jsonResponse({ error: `this endpoint receives ${handler.topic}, not ${receivedTopic}` }, 400);
  }
  const meta: WebhookMeta = {
    shop: context.shop,
    topic: handler.topic,
    webhookId: context.webhookId,
    eventId: context.eventId ?? null,
    triggeredAt: context.triggeredAt ?? null,
    apiVersion: context.apiVersion,
  };
  return processWebhook(meta, context.payload, handler, db);
}

/** Everything after authentication; exported for the benchmark and the tests. */
export async function processWebhook<Schema extends z.ZodTypeAny>(
  meta: WebhookMeta,
  rawPayload: unknown,
  handler: WebhookHandler<Schema>,
  db: Db = prisma,
): Promise<Response> {
  const parsed = handler.schema.safeParse(rawPayload);
  if (!parsed.success) {
    const reason = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join(".") || "(payload)"}: ${i.message}`)
      .join("; ");
    log.warn("webhook rejected: malformed payload", { ...meta, reason });
    await recordRejection(db, meta, reason);
    return jsonResponse({ error: "malformed payload", reason }, 422);
  }

  for (let attempt = 1; ; attempt++) {
    try {
      const result = await db.$transaction(async (tx) => {
        const existing = await tx.webhookDelivery.findUnique({
          where: { shop_webhookId: { shop: meta.shop, webhookId: meta.webhookId } },
        });
        if (existing && existing.outcome !== "rejected") return { outcome: "duplicate" as const };
        const applied = await handler.apply(tx, parsed.data, meta);
        const data = { outcome: applied.outcome, reason: applied.reason ?? null, topic: meta.topic, eventId: meta.eventId };
        if (existing) await tx.webhookDelivery.update({ where: { id: existing.id }, data });
        else await tx.webhookDelivery.create({ data: { shop: meta.shop, webhookId: meta.webhookId, ...data } });
        return applied;
      });
      if (result.outcome !== "duplicate" && handler.afterCommit) await handler.afterCommit(parsed.data, meta);
      log.info("webhook", { ...meta, ...result });
      return jsonResponse({ ok: true, ...result }, 200);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error; // 500: Shopify retries later; the transaction left nothing behind.
      // A concurrent transaction committed first: either this very delivery (a duplicate) or another
      // event of the same order/customer. Run again: the second pass sees its work and adds only ours.
      const delivered = await db.webhookDelivery.findUnique({ where: { shop_webhookId: { shop: meta.shop, webhookId: meta.webhookId } } });
      if (delivered && delivered.outcome !== "rejected") {
        log.info("webhook duplicate (concurrent)", { ...meta });
        return jsonResponse({ ok: true, outcome: "duplicate" }, 200);
      }
      if (attempt >= 5) throw error;
    }
  }
}

async function recordRejection(db: Db, meta: WebhookMeta, reason: string): Promise<void> {
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
