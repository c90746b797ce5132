// The outbox worker: claims due jobs with a lease, runs their handler, and retries, completes or
// fails them. Runs inside the web process by default (WORKER_MODE=inline) and as `npm run worker`
// processes in larger deployments; every bit of coordination lives in the database.
import { randomUUID } from "node:crypto";
import type { Db } from "../db.server";
import type { Tx } from "../webhooks/receive.server";
import { type AdminGraphql, AdminGatewayError, AdminThrottledError, isRetryableAdminError, msUntilAvailable, type AdminQueryCost } from "../shopify/admin-gateway.server";
import { backoffMs, claimJobs, completeJob, failJob, MAX_ATTEMPTS, retryJob, type ClaimedJob, type JobKind } from "./outbox.server";
import { releaseMaturedPoints } from "../ledger/ledger.server";
import { expireCodes } from "../codes/codes.server";
import { log } from "../logger.server";

export interface JobContext {
  db: Db;
  /** An Admin API client for the shop (its offline session). */
  admin: (shopDomain: string) => Promise<AdminGraphql>;
  /** Report the cost extension of each Admin call so the worker paces that shop. */
  onCost: (shopDomain: string, cost: AdminQueryCost) => void;
  now: () => Date;
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
  const shop = await ctx.db.shop.findUnique({ where: { id: shopId } });
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
 * Per-shop pacing from Shopify's cost extension: when a shop's bucket runs low, its jobs wait until
 * enough has leaked back instead of spending calls on THROTTLED answers.
 */
export class ShopPacer {
  private readonly notBefore = new Map<string, number>();
  record(shop: string, cost: AdminQueryCost, nowMs: number, nextCost = 50): void {
    const wait = cost.throttleStatus ? msUntilAvailable(cost.throttleStatus, nextCost) : 0;
    if (wait > 0) this.notBefore.set(shop, nowMs + wait);
  }
  delayFor(shop: string, nowMs: number): number {
    return Math.max(0, (this.notBefore.get(shop) ?? 0) - nowMs);
  }
}

export async function runWorkerOnce(
  ctx: Omit<JobContext, "onCost">,
  handlers: JobHandlers,
  options: WorkerOptions & { pacer?: ShopPacer } = {},
): Promise<number> {
  const owner = options.owner ?? `worker-${process.pid}-${randomUUID().slice(0, 8)}`;
  const pacer = options.pacer ?? new ShopPacer();
  const jobs = await claimJobs(ctx.db, {
    owner,
    limit: options.batchSize ?? 10,
    leaseMs: options.leaseMs ?? 60_000,
    now: ctx.now(),
    kinds: Object.keys(handlers) as JobKind[],
    ...(options.onlyJobIds ? { ids: options.onlyJobIds } : {}),
  });
  const shopDomains = new Map<string, string>();
  for (const job of jobs) {
    const handler = handlers[job.kind];
    if (!handler) continue;
    let domain = shopDomains.get(job.shopId);
    if (!domain) {
      domain = (await ctx.db.shop.findUnique({ where: { id: job.shopId } }))?.domain ?? "";
      shopDomains.set(job.shopId, domain);
    }
    const wait = pacer.delayFor(domain, ctx.now().getTime());
    if (wait > 0) {
      // Not an attempt: give the lease back and come back when the shop's bucket has refilled.
      await ctx.db.outboxJob.updateMany({ where: { id: job.id, leaseOwner: owner }, data: { status: "queued", leaseOwner: null, leaseUntil: null, runAfter: new Date(ctx.now().getTime() + wait), attempts: { decrement: 1 } } });
      continue;
    }
    try {
      await handler.run(job, { ...ctx, onCost: (shop, cost) => pacer.record(shop, cost, ctx.now().getTime()) });
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
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

export interface RunningWorker {
  stop: () => Promise<void>;
}

/** Polls for jobs and runs the scheduled tasks (pending points release) until stopped. */
export function startWorker(ctx: Omit<JobContext, "onCost">, handlers: JobHandlers, options: WorkerOptions & { idleMs?: number; scheduledEveryMs?: number } = {}): RunningWorker {
  let stopped = false;
  const pacer = new ShopPacer();
  const owner = options.owner ?? `worker-${process.pid}-${randomUUID().slice(0, 8)}`;
  let lastScheduled = 0;
  const loop = (async () => {
    while (!stopped) {
      let processed = 0;
      try {
        if (Date.now() - lastScheduled > (options.scheduledEveryMs ?? 30_000)) {
          lastScheduled = Date.now();
          await releaseMaturedPoints(ctx.db, ctx.now());
          await expireCodes(ctx.db, ctx.now());
          await ctx.db.proxyRequest.deleteMany({ where: { createdAt: { lt: new Date(ctx.now().getTime() - 3_600_000) } } });
        }
        processed = await runWorkerOnce(ctx, handlers, { ...options, owner, pacer });
      } catch (error) {
        log.error("worker loop error", { error: String(error) });
      }
      if (processed === 0 && !stopped) await new Promise((r) => setTimeout(r, options.idleMs ?? 500));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}
