// Transactional outbox: a ledger transaction that needs an Admin API call writes a job row in the same
// transaction. Workers claim jobs with a lease (a conditional update, so two workers never run the
// same job), retry transient failures with backoff and record permanent failures for the admin.
// Data access: SQL steps (app/platform/sql) on the SQL path, or inside the caller's Prisma transaction.
import { runInPrisma, runSteps, sqlOf, type Db, type Tx } from "../platform/db.server";
import { execute, newId, selectRows, toInt, type SqlSteps } from "../platform/sql/statements";

export const JOB_KINDS = ["first_order_check", "create_discount_code", "sync_customer_metafield", "shop_setup", "sync_program_metafield", "flow_trigger"] as const;
export type JobKind = (typeof JOB_KINDS)[number];

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

interface JobRow {
  id: string;
  shopId: string;
  kind: string;
  payload: string;
  status: string;
  attempts: unknown;
}

/**
 * Claims up to `limit` due jobs (queued, or running with an expired lease: its worker died). Each
 * claim is a conditional update on the row as it was read, so two workers never run the same job; on
 * SQLite the whole claim holds the write lock anyway. SQL steps, not Prisma: a worker claims, paces
 * and completes jobs all day, at Prisma's CPU cost per statement (docs/decisions/010).
 */
export function* claimJobsSteps(options: { owner: string; limit: number; leaseMs: number; now: Date; kinds: readonly JobKind[]; ids?: readonly string[] }): SqlSteps<ClaimedJob[]> {
  const { now, limit } = options;
  if (options.ids?.length === 0 || options.kinds.length === 0) return [];
  const anyId = options.ids === undefined; // else only these (running chosen jobs on demand)
  const candidates = yield* selectRows<JobRow>`
    SELECT "id", "shopId", "kind", "payload", "status", "attempts" FROM "OutboxJob"
    WHERE (${anyId} OR "id" IN ${options.ids ?? []}) AND "kind" IN ${options.kinds}
      AND (("status" = 'queued' AND "runAfter" <= ${now}) OR ("status" = 'running' AND "leaseUntil" < ${now}))
    ORDER BY "runAfter" ASC LIMIT ${limit * 2}`;
  const leaseUntil = new Date(now.getTime() + options.leaseMs);
  const claimed: ClaimedJob[] = [];
  for (const job of candidates) {
    if (claimed.length >= limit) break;
    const attempts = toInt(job.attempts);
    const count = yield* execute`
      UPDATE "OutboxJob" SET "status" = 'running', "leaseOwner" = ${options.owner}, "leaseUntil" = ${leaseUntil}, "attempts" = "attempts" + 1, "updatedAt" = ${now}
      WHERE "id" = ${job.id} AND "status" = ${job.status} AND "attempts" = ${attempts} AND ("status" = 'queued' OR "leaseUntil" < ${now})`;
    if (count === 1) claimed.push({ id: job.id, shopId: job.shopId, kind: job.kind as JobKind, payload: JSON.parse(job.payload) as Record<string, unknown>, attempts: attempts + 1, leaseOwner: options.owner });
  }
  return claimed;
}

export function claimJobs(db: Db, options: { owner: string; limit: number; leaseMs: number; now?: Date; kinds?: readonly JobKind[]; ids?: readonly string[] }): Promise<ClaimedJob[]> {
  return sqlOf(db).transaction(() => claimJobsSteps({ ...options, now: options.now ?? new Date(), kinds: options.kinds ?? JOB_KINDS }));
}

/** Marks a job done, only if this worker still holds its lease. `db` may be a transaction the handler holds. */
export async function completeJob(db: Db | Tx, job: ClaimedJob, now = new Date()): Promise<boolean> {
  const count = await runSteps(
    db,
    () => execute`
      UPDATE "OutboxJob" SET "status" = 'done', "leaseUntil" = NULL, "lastError" = NULL, "updatedAt" = ${now}
      WHERE "id" = ${job.id} AND "leaseOwner" = ${job.leaseOwner} AND "status" = 'running'`,
  );
  return count === 1;
}

export async function retryJob(db: Db, job: ClaimedJob, error: string, delayMs: number, now = new Date()): Promise<void> {
  await sqlOf(db).statement(
    () => execute`
      UPDATE "OutboxJob" SET "status" = 'queued', "leaseOwner" = NULL, "leaseUntil" = NULL, "runAfter" = ${new Date(now.getTime() + delayMs)}, "lastError" = ${error.slice(0, 1000)}, "updatedAt" = ${now}
      WHERE "id" = ${job.id} AND "leaseOwner" = ${job.leaseOwner} AND "status" = 'running'`,
  );
}

/**
 * The shop's Admin bucket is low: the job gives its lease back without spending an attempt and runs
 * again at `until`.
 */
export async function deferJob(db: Db, job: ClaimedJob, until: Date, now = new Date()): Promise<void> {
  await sqlOf(db).statement(
    () => execute`
      UPDATE "OutboxJob" SET "status" = 'queued', "leaseOwner" = NULL, "leaseUntil" = NULL, "runAfter" = ${until}, "attempts" = "attempts" - 1, "updatedAt" = ${now}
      WHERE "id" = ${job.id} AND "leaseOwner" = ${job.leaseOwner}`,
  );
}

/** Gives back every job `owner` holds (its loop lost the database mid-batch): they run again at once. */
export async function releaseLeasesOf(db: Db, owner: string, now = new Date()): Promise<void> {
  await sqlOf(db).statement(
    () => execute`
      UPDATE "OutboxJob" SET "status" = 'queued', "leaseOwner" = NULL, "leaseUntil" = NULL, "runAfter" = ${now}, "updatedAt" = ${now}
      WHERE "leaseOwner" = ${owner} AND "status" = 'running'`,
  );
}

/** Permanent failure: visible in the admin, with `compensate` run in the same transaction. */
export async function failJob(db: Db, job: ClaimedJob, error: string, compensate?: (tx: Tx) => Promise<void>, now = new Date()): Promise<void> {
  await db.$transaction(async (tx) => {
    const count = await runInPrisma(
      tx,
      execute`
        UPDATE "OutboxJob" SET "status" = 'failed', "leaseUntil" = NULL, "lastError" = ${error.slice(0, 1000)}, "updatedAt" = ${now}
        WHERE "id" = ${job.id} AND "leaseOwner" = ${job.leaseOwner} AND "status" = 'running'`,
    );
    if (count === 1 && compensate) await compensate(tx);
  });
}

/**
 * Shopify refused the shop's offline grant (app/shopify/offline-token.server.ts): the job waits, not
 * failed and without spending an attempt, until the merchant opens the app. Parked only while the shop
 * is still marked: if the merchant's token exchange cleared the mark (and resumed the shop's parked
 * jobs) while this job ran, it is queued again instead, so no job waits with nothing to wake it.
 */
export async function parkJobForReauthorization(db: Db, job: ClaimedJob, reason: string, now = new Date()): Promise<void> {
  await sqlOf(db).statement(
    () => execute`
      UPDATE "OutboxJob" SET
        "status" = CASE WHEN EXISTS (SELECT 1 FROM "Shop" WHERE "Shop"."id" = ${job.shopId} AND "Shop"."adminAuthLostAt" IS NOT NULL) THEN 'needs_reauth' ELSE 'queued' END,
        "leaseOwner" = NULL, "leaseUntil" = NULL, "runAfter" = ${now}, "attempts" = "attempts" - 1, "lastError" = ${reason.slice(0, 1000)}, "updatedAt" = ${now}
      WHERE "id" = ${job.id} AND "leaseOwner" = ${job.leaseOwner} AND "status" = 'running'`,
  );
}

/** The merchant opened the app and a new token pair was stored: parked jobs run again, now. */
export async function resumeJobsAfterReauthorization(tx: Tx, shopId: string, now = new Date()): Promise<void> {
  await runInPrisma(
    tx,
    execute`
      UPDATE "OutboxJob" SET "status" = 'queued', "runAfter" = ${now}, "lastError" = NULL, "updatedAt" = ${now}
      WHERE "shopId" = ${shopId} AND "status" = 'needs_reauth'`,
  );
}

/** A merchant's "retry" on a failed job from the admin. */
export async function requeueFailedJob(db: Db, shopId: string, jobId: string, now = new Date()): Promise<boolean> {
  const count = await sqlOf(db).statement(
    () => execute`
      UPDATE "OutboxJob" SET "status" = 'queued', "attempts" = 0, "runAfter" = ${now}, "lastError" = NULL, "updatedAt" = ${now}
      WHERE "id" = ${jobId} AND "shopId" = ${shopId} AND "status" = 'failed'`,
  );
  return count === 1;
}
