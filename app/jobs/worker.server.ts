// The worker: applies stored webhook deliveries (the inbox) and claims due outbox jobs with a lease, runs their handler, and retries, completes or
// fails them. Runs inside the web process by default (WORKER_MODE=inline) and as `npm run worker`
// processes in larger deployments; every bit of coordination lives in the database.
import { randomUUID } from "node:crypto";
import { sqlOf, type Db } from "../db.server";
import { execute, selectRow, toDateOrNull } from "../sql/statements";
import type { Tx } from "../webhooks/receive.server";
import { type AdminGraphql, msUntilAvailable } from "../shopify/admin-client.server";
import { AdminGatewayError, AdminThrottledError, isRetryableAdminError, type AdminQueryCost } from "../shopify/admin-errors";
import { backoffMs, claimJobs, completeJob, failJob, MAX_ATTEMPTS, parkJobForReauthorization, retryJob, type ClaimedJob, type JobKind } from "./outbox.server";
import { ReauthorizationRequired } from "../shopify/offline-token.server";
import { releaseMaturedPoints } from "../ledger/ledger.server";
import { expireCodes } from "../codes/codes.server";
import { log } from "../logger.server";
import { applyReceivedWebhooks } from "../webhooks/inbox.server";
import { onDeliveryStored } from "../webhooks/inbox-signal.server";

export interface JobContext {
  db: Db;
  /** An Admin API client for the shop (its offline session). */
  admin: (shopDomain: string) => Promise<AdminGraphql>;
  /** Report the cost extension of each Admin call so the worker paces that shop. */
  onCost: (shopDomain: string, cost: AdminQueryCost) => void;
  now: () => Date;
  /** Renews the offline tokens about to expire (scheduled, so tokens never lapse between jobs). */
  renewOfflineTokens?: () => Promise<number>;
}

export interface JobHandler {
  /** Does the work; must finish with completeJob(tx, job) inside its own final transaction. */
  run: (job: ClaimedJob, ctx: JobContext) => Promise<void>;
  /** Runs in the transaction that marks the job failed for good (e.g. give points back). */
  onPermanentFailure?: (tx: Tx, job: ClaimedJob) => Promise<void>;
}

export type JobHandlers = Partial<Record<JobKind, JobHandler>>;

/** A job that cannot succeed, whatever the retries (bad data, shop gone). */
export class PermanentJobError extends Error {}

/** The shop a job belongs to, an Admin client for it, and call options that report cost to the pacer. */
export async function shopAdmin(ctx: JobContext, shopId: string) {
  const shop = await sqlOf(ctx.db).statement(() => selectRow<{ id: string; domain: string }>`SELECT "id", "domain" FROM "Shop" WHERE "id" = ${shopId}`);
  if (!shop) throw new PermanentJobError("shop no longer installed");
  const client = await ctx.admin(shop.domain);
  return { shop, client, options: { onCost: (cost: AdminQueryCost) => ctx.onCost(shop.domain, cost) } };
}

export interface WorkerOptions {
  owner?: string;
  /** Claim only these jobs (running one job on demand). */
  onlyJobIds?: string[];
  batchSize?: number;
  leaseMs?: number;
}

/**
 * Per-shop pacing from Shopify's cost extension, shared by every worker process through the shop row
 * (Shopify's leaky bucket is per app and shop, not per process): when any worker sees a shop's bucket
 * run low, it writes until when to hold off, and every worker's jobs for that shop wait until then
 * instead of spending calls on THROTTLED answers.
 */
export class ShopPacer {
  constructor(private readonly db: Db) {}
  /** Records a cost answer; resolves once the hold-off (if any) is stored or could not be. */
  async record(shop: string, cost: AdminQueryCost, nowMs: number, nextCost = 50): Promise<void> {
    const wait = cost.throttleStatus ? msUntilAvailable(cost.throttleStatus, nextCost) : 0;
    if (wait <= 0) return;
    const until = new Date(nowMs + wait);
    // Only ever extends the hold-off: a later, shorter estimate from another worker does not shorten it.
    // Advisory: never rejects (the job's own outcome must not hang on it, and a rejection nobody awaits
    // would end the process); a lost hold-off costs at most a THROTTLED answer, which is retried.
    await this.db.shop
      .updateMany({ where: { domain: shop, OR: [{ adminApiNotBefore: null }, { adminApiNotBefore: { lt: until } }] }, data: { adminApiNotBefore: until } })
      .catch((error: unknown) => log.warn("could not record the shop's Admin API hold-off", { shop, error: String(error) }));
  }
  async delayFor(shopId: string, nowMs: number): Promise<number> {
    const shop = await sqlOf(this.db).statement(() => selectRow<{ notBefore: unknown }>`SELECT "adminApiNotBefore" AS "notBefore" FROM "Shop" WHERE "id" = ${shopId}`);
    return Math.max(0, (toDateOrNull(shop?.notBefore)?.getTime() ?? 0) - nowMs);
  }
}

export async function runWorkerOnce(
  ctx: Omit<JobContext, "onCost">,
  handlers: JobHandlers,
  options: WorkerOptions & { pacer?: ShopPacer } = {},
): Promise<number> {
  const owner = options.owner ?? `worker-${process.pid}-${randomUUID().slice(0, 8)}`;
  const pacer = options.pacer ?? new ShopPacer(ctx.db);
  const jobs = await claimJobs(ctx.db, {
    owner,
    limit: options.batchSize ?? 10,
    leaseMs: options.leaseMs ?? 60_000,
    now: ctx.now(),
    kinds: Object.keys(handlers) as JobKind[],
    ...(options.onlyJobIds ? { ids: options.onlyJobIds } : {}),
  });
  // One Admin client per shop for the batch: loading the shop's offline session is a Prisma read.
  const clients = new Map<string, Promise<AdminGraphql>>();
  const admin = (shopDomain: string) => clients.get(shopDomain) ?? clients.set(shopDomain, ctx.admin(shopDomain)).get(shopDomain)!;
  for (const job of jobs) {
    const handler = handlers[job.kind];
    if (!handler) continue;
    const wait = await pacer.delayFor(job.shopId, ctx.now().getTime());
    if (wait > 0) {
      // Not an attempt: give the lease back and come back when the shop's bucket has refilled.
      const now = ctx.now();
      await sqlOf(ctx.db).statement(
        () => execute`
          UPDATE "OutboxJob" SET "status" = 'queued', "leaseOwner" = NULL, "leaseUntil" = NULL, "runAfter" = ${new Date(now.getTime() + wait)}, "attempts" = "attempts" - 1, "updatedAt" = ${now}
          WHERE "id" = ${job.id} AND "leaseOwner" = ${owner}`,
      );
      continue;
    }
    try {
      const recorded: Promise<void>[] = [];
      await handler.run(job, { ...ctx, admin, onCost: (shop, cost) => void recorded.push(pacer.record(shop, cost, ctx.now().getTime())) });
      await Promise.all(recorded);
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      if (error instanceof ReauthorizationRequired) {
        log.info("job waits for the merchant to open the app (Shopify access)", { job: job.id, kind: job.kind, shop: error.shop });
        await parkJobForReauthorization(ctx.db, job, message, ctx.now());
        continue;
      }
      const retryable = !(error instanceof PermanentJobError) && (!(error instanceof AdminGatewayError) || isRetryableAdminError(error));
      if (retryable && job.attempts < MAX_ATTEMPTS) {
        const delay = error instanceof AdminThrottledError ? error.retryAfterMs : backoffMs(job.attempts);
        log.warn("job retry", { job: job.id, kind: job.kind, attempts: job.attempts, delayMs: delay, error: message });
        await retryJob(ctx.db, job, message, delay, ctx.now());
      } else {
        log.error("job failed", { job: job.id, kind: job.kind, attempts: job.attempts, error: message });
        await failJob(ctx.db, job, message, handler.onPermanentFailure ? (tx) => handler.onPermanentFailure!(tx, job) : undefined);
      }
    }
  }
  return jobs.length;
}

/** How soon the applier looks again after a round that found deliveries. */
const BUSY_POLL_MS = 2;

export interface RunningWorker {
  stop: () => Promise<void>;
}

/**
 * Two loops until stopped: the webhook inbox (stored deliveries become points; woken at once by a
 * route in this process, else polled) and the outbox (Admin API jobs, plus the scheduled tasks:
 * pending points release, code expiry). Separate so a slow or throttled Admin call never delays points.
 */
export function startWorker(ctx: Omit<JobContext, "onCost">, handlers: JobHandlers, options: WorkerOptions & { idleMs?: number; scheduledEveryMs?: number } = {}): RunningWorker {
  let stopped = false;
  const pacer = new ShopPacer(ctx.db);
  const owner = options.owner ?? `worker-${process.pid}-${randomUUID().slice(0, 8)}`;
  const idleMs = options.idleMs ?? 500;
  let lastScheduled = 0;

  let wakeInbox: (() => void) | null = null;
  let lastStoredAt = 0;
  const stopListening = onDeliveryStored(() => {
    lastStoredAt = Date.now();
    wakeInbox?.();
  });
  // Between two batches of deliveries the applier pauses 1 ms: the routes of this process get the
  // event loop, and on SQLite the web processes get the write lock, which they need to store new
  // deliveries (a batch holds it for at most APPLY_BATCH_MAX_MS; docs/decisions/010).
  const routesBusy = () => Date.now() - lastStoredAt < 100;
  const pauseBetweenBatches = () => new Promise<void>((resolve) => setTimeout(resolve, 1));
  const inboxLoop = (async () => {
    // Nothing wakes an applier in another process than the routes: it polls, soon after it last found
    // work (a few ms: deliveries keep arriving) and more and more rarely while idle, up to idleMs.
    let pollMs = idleMs;
    while (!stopped) {
      let applied = 0;
      try {
        applied = await applyReceivedWebhooks(ctx.db, { now: ctx.now, beforeEachBatch: pauseBetweenBatches });
      } catch (error) {
        log.error("inbox loop error", { error: String(error) });
      }
      pollMs = applied > 0 ? BUSY_POLL_MS : Math.min(idleMs, pollMs * 2);
      if (!stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          wakeInbox = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wakeInbox = null;
      }
    }
  })();

  // When the database goes away mid-batch (restart, failover), recording a job's outcome fails too, and
  // the jobs this worker claimed stay "running" under its lease although nothing runs them: nobody
  // could take them before the lease expires (60 s). Give them back as soon as the database answers.
  let releaseOwnLeases = false;
  const jobsLoop = (async () => {
    while (!stopped) {
      let processed = 0;
      try {
        if (releaseOwnLeases) {
          await ctx.db.outboxJob.updateMany({ where: { leaseOwner: owner, status: "running" }, data: { status: "queued", leaseOwner: null, leaseUntil: null, runAfter: ctx.now() } });
          releaseOwnLeases = false;
        }
        if (Date.now() - lastScheduled > (options.scheduledEveryMs ?? 30_000)) {
          lastScheduled = Date.now();
          await releaseMaturedPoints(ctx.db, ctx.now());
          await expireCodes(ctx.db, ctx.now());
          await ctx.renewOfflineTokens?.();
          await ctx.db.proxyRequest.deleteMany({ where: { createdAt: { lt: new Date(ctx.now().getTime() - 3_600_000) } } });
        }
        // Admin API jobs can wait: while webhooks arrive, a short pause before each batch.
        if (routesBusy()) await new Promise((r) => setTimeout(r, 100));
        processed = await runWorkerOnce(ctx, handlers, { ...options, owner, pacer });
      } catch (error) {
        releaseOwnLeases = true;
        log.error("worker loop error", { error: String(error) });
      }
      if (processed === 0 && !stopped) await new Promise((r) => setTimeout(r, idleMs));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      wakeInbox?.();
      stopListening();
      await Promise.all([inboxLoop, jobsLoop]);
    },
  };
}
