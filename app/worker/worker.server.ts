// The worker: applies stored webhook deliveries (the inbox), claims due outbox jobs with a lease, runs
// their handler, and retries, completes or fails them, and runs the scheduled tasks. Runs inside the
// web process by default (WORKER_MODE=inline) and as `npm run worker` processes in larger deployments;
// every bit of coordination lives in the database. Data access: none of its own (outbox, inbox and
// the shops' pacing rows through their modules).
import { randomUUID } from "node:crypto";
import type { Db } from "../platform/db.server";
import { type AdminGraphql, msUntilAvailable } from "../shopify/admin-client.server";
import { AdminGatewayError, AdminThrottledError, isRetryableAdminError, type AdminQueryCost } from "../shopify/admin-errors";
import { claimJobs, deferJob, failJob, parkJobForReauthorization, releaseLeasesOf, retryJob, type JobKind } from "../outbox/outbox.server";
import { backoffMs, MAX_ATTEMPTS } from "../platform/retry";
import { ReauthorizationRequired } from "../shopify/offline-token.server";
import { log } from "../platform/logger.server";
import { applyReceivedWebhooks } from "../webhooks/inbox.server";
import { onDeliveryStored } from "../webhooks/inbox-signal.server";
import { PermanentJobError, type JobContext, type JobHandlers } from "../jobs/job.server";
import { SCHEDULED_TASKS, type ScheduledTask } from "../jobs/scheduled.server";
import { adminHoldOffUntil, extendAdminHoldOff } from "../features/shops/admin-pacing.server";

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
    await extendAdminHoldOff(this.db, shop, until).catch((error: unknown) => log.warn("could not record the shop's Admin API hold-off", { shop, error: String(error) }));
  }
  async delayFor(shopId: string, nowMs: number): Promise<number> {
    return Math.max(0, ((await adminHoldOffUntil(this.db, shopId))?.getTime() ?? 0) - nowMs);
  }
}

export async function runWorkerOnce(ctx: Omit<JobContext, "onCost">, handlers: JobHandlers, options: WorkerOptions & { pacer?: ShopPacer } = {}): Promise<number> {
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
      await deferJob(ctx.db, job, new Date(now.getTime() + wait), now);
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
        await failJob(ctx.db, job, message, handler.onPermanentFailure ? (tx) => handler.onPermanentFailure!(tx, job) : undefined, ctx.now());
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

/** Runs each scheduled task once; one task's failure is logged and does not keep the others from running. */
async function runScheduledTasks(ctx: Omit<JobContext, "onCost">, tasks: readonly ScheduledTask[]): Promise<void> {
  for (const task of tasks) {
    try {
      await task.run(ctx);
    } catch (error) {
      log.error("scheduled task failed", { task: task.name, error: String(error) });
    }
  }
}

/**
 * Two loops until stopped: the webhook inbox (stored deliveries become points; woken at once by a
 * route in this process, else polled) and the outbox (Admin API jobs, plus the scheduled tasks of
 * app/jobs/scheduled.server.ts). Separate so a slow or throttled Admin call never delays points.
 */
export function startWorker(
  ctx: Omit<JobContext, "onCost">,
  handlers: JobHandlers,
  options: WorkerOptions & { idleMs?: number; scheduledEveryMs?: number; scheduledTasks?: readonly ScheduledTask[] } = {},
): RunningWorker {
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
          await releaseLeasesOf(ctx.db, owner, ctx.now());
          releaseOwnLeases = false;
        }
        if (Date.now() - lastScheduled > (options.scheduledEveryMs ?? 30_000)) {
          lastScheduled = Date.now();
          await runScheduledTasks(ctx, options.scheduledTasks ?? SCHEDULED_TASKS);
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
