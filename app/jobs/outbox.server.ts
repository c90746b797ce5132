// Transactional outbox: a ledger transaction that needs an Admin API call writes a job row in the same
// transaction. Workers claim jobs with a lease (a conditional update, so two workers never run the
// same job), retry transient failures with backoff and record permanent failures for the admin.
import type { Db } from "../db.server";
import type { Tx } from "../webhooks/receive.server";
import { execute, newId, type SqlSteps } from "../sql/statements";
import { runInPrisma } from "../sql/run.server";

export type JobKind = "first_order_check" | "create_discount_code" | "sync_customer_metafield" | "shop_setup" | "sync_program_metafield";

export interface EnqueueJob {
  shopId: string;
  kind: JobKind;
  payload: Record<string, unknown>;
  /** Unique per shop: the same effect is queued once, however often the event repeats. */
  dedupeKey: string;
  runAfter?: Date;
}

/** Queues the job unless the same (shop, dedupeKey) is already queued or done. */
export function* enqueueJobSteps(job: EnqueueJob, now = new Date()): SqlSteps<void> {
  yield* execute`
    INSERT INTO "OutboxJob" ("id", "shopId", "kind", "payload", "dedupeKey", "status", "attempts", "runAfter", "createdAt", "updatedAt")
    VALUES (${newId()}, ${job.shopId}, ${job.kind}, ${JSON.stringify(job.payload)}, ${job.dedupeKey}, 'queued', 0, ${job.runAfter ?? now}, ${now}, ${now})
    ON CONFLICT ("shopId", "dedupeKey") DO NOTHING`;
}

export async function enqueueJob(tx: Tx, job: EnqueueJob): Promise<void> {
  await runInPrisma(tx, enqueueJobSteps(job));
}

export interface ClaimedJob {
  id: string;
  shopId: string;
  kind: JobKind;
  payload: Record<string, unknown>;
  attempts: number;
  leaseOwner: string;
}

/** Claims up to `limit` due jobs (queued, or running with an expired lease: its worker died). */
export async function claimJobs(db: Db, options: { owner: string; limit: number; leaseMs: number; now?: Date; kinds?: JobKind[]; ids?: string[] }): Promise<ClaimedJob[]> {
  const now = options.now ?? new Date();
  const due = {
    OR: [
      { status: "queued", runAfter: { lte: now } },
      { status: "running", leaseUntil: { lt: now } },
    ],
    ...(options.kinds ? { kind: { in: options.kinds } } : {}),
    ...(options.ids ? { id: { in: options.ids } } : {}),
  };
  const candidates = await db.outboxJob.findMany({ where: due, orderBy: { runAfter: "asc" }, take: options.limit * 2 });
  const claimed: ClaimedJob[] = [];
  for (const job of candidates) {
    if (claimed.length >= options.limit) break;
    const { count } = await db.outboxJob.updateMany({
      where: { id: job.id, status: job.status, attempts: job.attempts, ...(job.status === "running" ? { leaseUntil: { lt: now } } : {}) },
      data: { status: "running", leaseOwner: options.owner, leaseUntil: new Date(now.getTime() + options.leaseMs), attempts: { increment: 1 } },
    });
    if (count === 1) {
      claimed.push({ id: job.id, shopId: job.shopId, kind: job.kind as JobKind, payload: JSON.parse(job.payload), attempts: job.attempts + 1, leaseOwner: options.owner });
    }
  }
  return claimed;
}

/** Marks a job done, only if this worker still holds its lease. */
export async function completeJob(db: Db | Tx, job: ClaimedJob): Promise<boolean> {
  const { count } = await db.outboxJob.updateMany({
    where: { id: job.id, leaseOwner: job.leaseOwner, status: "running" },
    data: { status: "done", leaseUntil: null, lastError: null },
  });
  return count === 1;
}

export const MAX_ATTEMPTS = 8;

/** Exponential backoff with jitter: 2 s, 4 s, 8 s ... capped at 10 minutes. */
export function backoffMs(attempts: number, random = Math.random): number {
  const base = Math.min(600_000, 2_000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.75 + random() * 0.5));
}

export async function retryJob(db: Db, job: ClaimedJob, error: string, delayMs: number, now = new Date()): Promise<void> {
  await db.outboxJob.updateMany({
    where: { id: job.id, leaseOwner: job.leaseOwner, status: "running" },
    data: { status: "queued", leaseOwner: null, leaseUntil: null, runAfter: new Date(now.getTime() + delayMs), lastError: error.slice(0, 1000) },
  });
}

/** Permanent failure: visible in the admin, with `compensate` run in the same transaction. */
export async function failJob(db: Db, job: ClaimedJob, error: string, compensate?: (tx: Tx) => Promise<void>): Promise<void> {
  await db.$transaction(async (tx) => {
    const { count } = await tx.outboxJob.updateMany({
      where: { id: job.id, leaseOwner: job.leaseOwner, status: "running" },
      data: { status: "failed", leaseUntil: null, lastError: error.slice(0, 1000) },
    });
    if (count === 1 && compensate) await compensate(tx);
  });
}

/** A merchant's "retry" on a failed job from the admin. */
export async function requeueFailedJob(db: Db, shopId: string, jobId: string): Promise<boolean> {
  const { count } = await db.outboxJob.updateMany({
    where: { id: jobId, shopId, status: "failed" },
    data: { status: "queued", attempts: 0, runAfter: new Date(), lastError: null },
  });
  return count === 1;
}
