// The applier: turns stored deliveries (outcome "received") into ledger effects, each in its own
// transaction that first takes the delivery (a conditional update), so a delivery is applied once
// even with several appliers (web processes, `npm run worker`) racing for it. A crash mid-way rolls
// the transaction back and the delivery is simply still "received". docs/decisions/007-webhook-inbox.md
import { sqlOf, type Db } from "../db.server";
import type { WebhookMeta, WebhookOutcome } from "./receive.server";
import { execute, isUniqueViolation, selectRows, toInt, type SqlSteps } from "../sql/statements";
import { runInPrisma } from "../sql/run.server";
import { WEBHOOK_HANDLERS } from "./handlers.server";
import { log } from "../logger.server";
import { backoffMs, MAX_ATTEMPTS } from "../jobs/outbox.server";

export interface StoredDelivery {
  id: string;
  shop: string;
  topic: string;
  webhookId: string;
  eventId: string | null;
  payload: string | null;
  attempts: number;
}

type ApplyResult = WebhookOutcome | { outcome: "taken" };

/** Takes the delivery for this transaction: 0 rows means another applier has it (or had it). */
function takeDelivery(id: string): SqlSteps<number> {
  return execute`UPDATE "WebhookDelivery" SET "outcome" = 'applying' WHERE "id" = ${id} AND "outcome" = 'received'`;
}

function finishDelivery(id: string, result: WebhookOutcome, now: Date): SqlSteps<number> {
  return execute`
    UPDATE "WebhookDelivery" SET "outcome" = ${result.outcome}, "reason" = ${result.reason ?? null}, "payload" = NULL, "appliedAt" = ${now}, "lastError" = NULL
    WHERE "id" = ${id}`;
}

/** Applies one stored delivery. "taken": another applier already did (or is doing) it. */
export async function applyDelivery(db: Db, delivery: StoredDelivery, now = new Date()): Promise<ApplyResult> {
  const handler = WEBHOOK_HANDLERS[delivery.topic];
  const meta: WebhookMeta = { shop: delivery.shop, topic: delivery.topic, webhookId: delivery.webhookId, eventId: delivery.eventId };
  // Validated when it was received; parsed again for its typed shape (and in case the code changed).
  const parsed = handler && delivery.payload !== null ? handler.schema.safeParse(JSON.parse(delivery.payload)) : null;
  const unusable: WebhookOutcome | null =
    !handler || !parsed?.success ? { outcome: "skipped", reason: !handler ? `no handler for ${delivery.topic}` : "stored payload no longer valid" } : null;
  for (let attempt = 1; ; attempt++) {
    try {
      if (unusable || handler!.steps) {
        return await sqlOf(db).transaction(function* (): SqlSteps<ApplyResult> {
          if ((yield* takeDelivery(delivery.id)) === 0) return { outcome: "taken" };
          const result = unusable ?? (yield* handler!.steps!(parsed!.data, meta, now));
          yield* finishDelivery(delivery.id, result, now);
          return result;
        });
      }
      return await db.$transaction(async (tx) => {
        if ((await runInPrisma(tx, takeDelivery(delivery.id))) === 0) return { outcome: "taken" as const };
        const result = await handler!.apply!(tx, parsed!.data, meta);
        await runInPrisma(tx, finishDelivery(delivery.id, result, now));
        return result;
      });
    } catch (error) {
      // A concurrent transaction committed an effect of the same order or customer first: run again,
      // the second pass sees that work and adds only this delivery's.
      if (!isUniqueViolation(error) || attempt >= 5) throw error;
    }
  }
}

/** Deliveries waiting to be applied, oldest first. */
async function dueDeliveries(db: Db, limit: number, now = new Date()): Promise<StoredDelivery[]> {
  const rows = await sqlOf(db).statement(
    () => selectRows<StoredDelivery & { attempts: unknown }>`
      SELECT "id", "shop", "topic", "webhookId", "eventId", "payload", "attempts" FROM "WebhookDelivery"
      WHERE "outcome" = 'received' AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= ${now})
      ORDER BY "receivedAt" ASC LIMIT ${limit}`,
  );
  return rows.map((row) => ({ ...row, attempts: toInt(row.attempts) }));
}

/**
 * Applies up to `limit` due deliveries; returns how many it looked at. A delivery whose apply fails
 * (database down, a bug) is retried with the outbox's backoff and, after as many attempts as a job
 * gets (MAX_ATTEMPTS), marked "failed" with its payload kept for a replay.
 */
export async function applyReceivedWebhooks(db: Db, options: { limit?: number; now?: () => Date; beforeEachDelivery?: () => Promise<void> } = {}): Promise<number> {
  const now = options.now ?? (() => new Date());
  const due = await dueDeliveries(db, options.limit ?? 50, now());
  // Several appliers read the same oldest rows: start at a random one so they mostly take different
  // deliveries instead of queueing behind each other's row locks.
  const start = due.length > 1 ? Math.floor(Math.random() * due.length) : 0;
  for (let i = 0; i < due.length; i++) {
    if (options.beforeEachDelivery) await options.beforeEachDelivery();
    const delivery = due[(start + i) % due.length]!;
    try {
      const result = await applyDelivery(db, delivery, now());
      if (result.outcome !== "taken") log.info("webhook applied", { shop: delivery.shop, topic: delivery.topic, webhookId: delivery.webhookId, ...result });
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const attempts = delivery.attempts + 1;
      const failed = attempts >= MAX_ATTEMPTS;
      log.error(failed ? "webhook apply failed for good" : "webhook apply failed, will retry", { shop: delivery.shop, webhookId: delivery.webhookId, attempts, error: message });
      await db.webhookDelivery
        .updateMany({
          where: { id: delivery.id, outcome: "received" },
          data: { attempts, lastError: message.slice(0, 1000), ...(failed ? { outcome: "failed" } : { nextAttemptAt: new Date(now().getTime() + backoffMs(attempts)) }) },
        })
        .catch((e: unknown) => log.error("could not record the apply failure", { error: String(e) }));
    }
  }
  return due.length;
}
