import { JOB_HANDLERS } from "../../app/jobs/handlers.server";
import { appJobContext } from "../../app/worker/app-context.server";
import { runWorkerOnce, ShopPacer } from "../../app/worker/worker.server";
import type { JobKind } from "../../app/outbox/outbox.server";

/** Runs the outbox worker (optionally only some job kinds) until nothing is due, with the clock `aheadMs` in the future. */
export async function drainJobs(aheadMs = 0, kinds?: JobKind[]): Promise<number> {
  let total = 0;
  const pacer = new ShopPacer(appJobContext().db);
  const handlers = kinds ? Object.fromEntries(kinds.map((k) => [k, JOB_HANDLERS[k]])) : JOB_HANDLERS;
  for (let i = 0; i < 20; i++) {
    const n = await runWorkerOnce({ ...appJobContext(), now: () => new Date(Date.now() + aheadMs) }, handlers, { pacer });
    total += n;
    if (n === 0) break;
  }
  return total;
}
