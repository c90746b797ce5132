// What an outbox job handler is given and must do. The worker (app/worker/) claims jobs and calls
// the handler registered for their kind (./handlers.server.ts).
import type { Db, Tx } from "../platform/db.server";
import type { AdminGraphql } from "../shopify/admin-client.server";
import type { AdminQueryCost } from "../shopify/admin-errors";
import type { ClaimedJob, JobKind } from "../outbox/outbox.server";
import { shopById } from "../features/shops/shops.server";

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
  const shop = await shopById(ctx.db, shopId);
  if (!shop) throw new PermanentJobError("shop no longer installed");
  const client = await ctx.admin(shop.domain);
  return { shop, client, options: { onCost: (cost: AdminQueryCost) => ctx.onCost(shop.domain, cost) } };
}
