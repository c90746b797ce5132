// The applier: turns stored deliveries (outcome "received") into ledger effects. Each delivery is
// applied in a savepoint (batches of them share a transaction) that first takes the delivery (a
// conditional update), so a delivery is applied once even with several appliers (web processes,
// `npm run worker`) racing for it. A crash mid-way rolls the transaction back and the deliveries are
// simply still "received". docs/decisions/007-webhook-inbox.md, 009-hot-path-sql.md
// Data access: SQL steps (app/platform/sql) on the SQL path; a topic applied with Prisma gets a Prisma
// transaction, which the inbox's own steps join (runInPrisma).
import { runInPrisma, sqlOf, type Db } from "../platform/db.server";
import type { WebhookMeta, WebhookOutcome } from "../platform/webhook-handler";
import { execute, isUniqueViolation, selectRows, toInt, TransactionMemo, type SqlSteps } from "../platform/sql/statements";
import { WEBHOOK_HANDLERS } from "./handlers.server";
import { log } from "../platform/logger.server";
import { backoffMs, MAX_ATTEMPTS } from "../platform/retry";

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

/** A stored delivery with its handler and its payload parsed again for the typed shape. */
interface Prepared {
  delivery: StoredDelivery;
  meta: WebhookMeta;
  handler: (typeof WEBHOOK_HANDLERS)[string] | undefined;
  data: unknown;
  /** Set when it cannot be applied at all: it is marked skipped with this reason. */
  unusable: WebhookOutcome | null;
  /** The stored body is not even JSON: an apply failure (retried, then "failed" with the body kept). */
  unreadable?: unknown;
}

function prepare(delivery: StoredDelivery): Prepared {
  const handler = WEBHOOK_HANDLERS[delivery.topic];
  const meta: WebhookMeta = { shop: delivery.shop, topic: delivery.topic, webhookId: delivery.webhookId, eventId: delivery.eventId };
  let json: unknown;
  try {
    json = delivery.payload === null ? null : JSON.parse(delivery.payload);
  } catch (error) {
    return { delivery, meta, handler, data: null, unusable: null, unreadable: error };
  }
  // Validated when it was received; parsed again for its typed shape (and in case the code changed).
  const parsed = handler && delivery.payload !== null ? handler.schema.safeParse(json) : null;
  const unusable: WebhookOutcome | null = !handler || !parsed?.success ? { outcome: "skipped", reason: !handler ? `no handler for ${delivery.topic}` : "stored payload no longer valid" } : null;
  return { delivery, meta, handler, data: parsed?.success ? parsed.data : null, unusable };
}

function* applyWithSteps(p: Prepared, now: Date, memo: TransactionMemo): SqlSteps<ApplyResult> {
  if ((yield* takeDelivery(p.delivery.id)) === 0) return { outcome: "taken" };
  const result = p.unusable ?? (yield* p.handler!.steps!(p.data, p.meta, now, memo));
  yield* finishDelivery(p.delivery.id, result, now);
  return result;
}

/** At most this many deliveries share one transaction... */
export const APPLY_BATCH_SIZE = 20;
/**
 * ...and a batch stops taking deliveries once it has held the transaction this long. On SQLite the
 * batch holds the database's one write lock, which the web processes need to store new deliveries:
 * a bound in time (not only in count) keeps their wait short on any machine (docs/decisions/010).
 */
export const APPLY_BATCH_MAX_MS = 4;

type BatchOutcome = { result: ApplyResult } | { error: unknown };

/**
 * Applies deliveries from the front of `batch` in ONE transaction, each inside its own savepoint: a
 * delivery that fails rolls back alone and the others commit. Stops early when `maxMs` has passed;
 * returns the outcomes of those it went through, in order. A unique violation means a concurrent
 * applier committed an effect of the same order or customer first (PostgreSQL): that delivery runs
 * again, and the second pass sees that work and adds only its own.
 */
function* applyBatch(batch: Prepared[], now: Date, maxMs: number): SqlSteps<BatchOutcome[]> {
  const started = performance.now();
  const memo = new TransactionMemo();
  const outcomes: BatchOutcome[] = [];
  for (const p of batch) {
    if (outcomes.length > 0 && performance.now() - started > maxMs) break;
    for (let attempt = 1; ; attempt++) {
      yield* execute`SAVEPOINT delivery`;
      try {
        const result = yield* applyWithSteps(p, now, memo);
        yield* execute`RELEASE SAVEPOINT delivery`;
        outcomes.push({ result });
        break;
      } catch (error) {
        yield* execute`ROLLBACK TO SAVEPOINT delivery`;
        memo.clear();
        yield* execute`RELEASE SAVEPOINT delivery`;
        if (isUniqueViolation(error) && attempt < 5) continue;
        outcomes.push({ error });
        break;
      }
    }
  }
  return outcomes;
}

/** A delivery of a Prisma-handled topic (lifecycle, compliance), in its own Prisma transaction. */
async function applyWithPrisma(db: Db, p: Prepared, now: Date): Promise<ApplyResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(async (tx) => {
        if ((await runInPrisma(tx, takeDelivery(p.delivery.id))) === 0) return { outcome: "taken" as const };
        const result = await p.handler!.apply!(tx, p.data, p.meta);
        await runInPrisma(tx, finishDelivery(p.delivery.id, result, now));
        return result;
      });
    } catch (error) {
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
export async function applyReceivedWebhooks(db: Db, options: { limit?: number; now?: () => Date; beforeEachBatch?: () => Promise<void>; batchMaxMs?: number } = {}): Promise<number> {
  const now = options.now ?? (() => new Date());
  const due = await dueDeliveries(db, options.limit ?? 100, now());
  // Several appliers read the same oldest rows: start at a random one so they mostly take different
  // deliveries instead of queueing behind each other's row locks.
  const start = due.length > 1 ? Math.floor(Math.random() * due.length) : 0;
  const ordered = due.map((_, i) => prepare(due[(start + i) % due.length]!));
  const unreadable = ordered.filter((p) => p.unreadable !== undefined);
  const withSteps = ordered.filter((p) => p.unreadable === undefined && (p.unusable || p.handler?.steps));
  const withPrisma = ordered.filter((p) => p.unreadable === undefined && !p.unusable && p.handler?.apply);

  const settle = async (p: Prepared, outcome: BatchOutcome) => {
    if ("result" in outcome) {
      if (outcome.result.outcome !== "taken") log.info("webhook applied", { shop: p.meta.shop, topic: p.meta.topic, webhookId: p.meta.webhookId, ...outcome.result });
      return;
    }
    const message = outcome.error instanceof Error ? `${outcome.error.name}: ${outcome.error.message}` : String(outcome.error);
    const attempts = p.delivery.attempts + 1;
    const failed = attempts >= MAX_ATTEMPTS;
    log.error(failed ? "webhook apply failed for good" : "webhook apply failed, will retry", { shop: p.meta.shop, webhookId: p.meta.webhookId, attempts, error: message });
    await db.webhookDelivery
      .updateMany({
        where: { id: p.delivery.id, outcome: "received" },
        data: { attempts, lastError: message.slice(0, 1000), ...(failed ? { outcome: "failed" } : { nextAttemptAt: new Date(now().getTime() + backoffMs(attempts)) }) },
      })
      .catch((e: unknown) => log.error("could not record the apply failure", { error: String(e) }));
  };

  for (const p of unreadable) await settle(p, { error: p.unreadable });
  for (let i = 0; i < withSteps.length;) {
    if (options.beforeEachBatch) await options.beforeEachBatch();
    const batch = withSteps.slice(i, i + APPLY_BATCH_SIZE);
    let outcomes: BatchOutcome[];
    try {
      outcomes = await sqlOf(db).transaction(() => applyBatch(batch, now(), options.batchMaxMs ?? APPLY_BATCH_MAX_MS));
    } catch (error) {
      outcomes = batch.map(() => ({ error })); // the transaction itself failed (database gone): none applied
    }
    for (let j = 0; j < outcomes.length; j++) await settle(batch[j]!, outcomes[j]!);
    i += outcomes.length;
  }
  for (const p of withPrisma) {
    if (options.beforeEachBatch) await options.beforeEachBatch();
    let outcome: BatchOutcome;
    try {
      outcome = { result: await applyWithPrisma(db, p, now()) };
    } catch (error) {
      outcome = { error };
    }
    await settle(p, outcome);
  }
  return due.length;
}
