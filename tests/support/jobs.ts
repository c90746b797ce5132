import { appJobContext, JOB_HANDLERS } from "../../app/jobs/handlers.server";
import { runWorkerOnce, ShopPacer } from "../../app/jobs/worker.server";

/** Runs the outbox worker until nothing is due, with the clock `aheadMs` in the future. */
export async function drainJobs(aheadMs = 0): Promise<number> {
  let total = 0;
  const pacer = new ShopPacer();
  for (let i = 0; i < 20; i++) {
    const n = await runWorkerOnce({ ...appJobContext(), now: () => new Date(Date.now() + aheadMs) }, JOB_HANDLERS, { pacer });
    total += n;
    if (n === 0) break;
  }
  return total;
}
