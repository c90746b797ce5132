// Runs one shop's queued job right away (e.g. creating a code while the shopper waits), through the
// same claim/lease path as the worker, so it can never run twice alongside it.
// Data access: Prisma models.
import { JOB_HANDLERS } from "../jobs/handlers.server";
import { appJobContext } from "./app-context.server";
import { runWorkerOnce } from "./worker.server";
import prisma from "../db.server";
import type { CreateCodeNow } from "../features/codes/shopper-redeem.server";

export async function runJobsNow(shopId: string, dedupeKey: string, timeoutMs: number): Promise<void> {
  const job = await prisma.outboxJob.findUnique({ where: { shopId_dedupeKey: { shopId, dedupeKey } } });
  if (!job || job.status !== "queued") return;
  await Promise.race([
    runWorkerOnce(appJobContext(), JOB_HANDLERS, { onlyJobIds: [job.id], batchSize: 1 }),
    new Promise((_, reject) => setTimeout(() => reject(new Error(`job ${job.id} still running after ${timeoutMs} ms`)), timeoutMs)),
  ]);
}

/** A shopper's redeemed code, created in Shopify while they wait (at most 8 s; the worker retries after that). */
export const createCodeNow: CreateCodeNow = (shopId, jobDedupeKey) => runJobsNow(shopId, jobDedupeKey, 8_000);
