// The scheduled tasks the worker runs every `scheduledEveryMs` (30 s by default) on each worker
// process. Each must be idempotent and safe on several workers at once: it works in bounded batches
// with conditional updates, so two workers running it together do each effect once.
import type { JobContext } from "./job.server";
import { releaseMaturedPoints } from "../ledger/balances.server";
import { expireCodes } from "../features/codes/codes.server";
import { forgetOldRedeemRequests } from "../features/codes/redeem-requests.server";

/** What a scheduled task is given: the job context without the Admin client (tasks make no Admin calls). */
export type ScheduledContext = Pick<JobContext, "db" | "now" | "renewOfflineTokens">;

export interface ScheduledTask {
  /** Shown in the log when the task fails. */
  name: string;
  /** Does one round; returns how many things it changed. */
  run: (ctx: ScheduledContext) => Promise<number>;
}

export const SCHEDULED_TASKS: readonly ScheduledTask[] = [
  { name: "release matured points", run: (ctx) => releaseMaturedPoints(ctx.db, ctx.now()) },
  { name: "expire unused codes", run: (ctx) => expireCodes(ctx.db, ctx.now()) },
  { name: "renew offline tokens", run: async (ctx) => (await ctx.renewOfflineTokens?.()) ?? 0 },
  { name: "forget old redeem requests", run: (ctx) => forgetOldRedeemRequests(ctx.db, ctx.now()) },
];
