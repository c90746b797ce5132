// The embedded default runs the outbox worker inside the web process; WORKER_MODE=off leaves the jobs
// to separate `npm run worker` processes (they coordinate through the database, so any mix works).
import { env } from "../env.server";
import { appJobContext, JOB_HANDLERS } from "./handlers.server";
import { startWorker, type RunningWorker } from "./worker.server";
import { log } from "../logger.server";

declare global {
  // eslint-disable-next-line no-var
  var inlineWorker: RunningWorker | undefined;
}

export function startInlineWorker(): void {
  if (env().WORKER_MODE !== "inline" || globalThis.inlineWorker) return;
  globalThis.inlineWorker = startWorker(appJobContext(), JOB_HANDLERS);
  log.info("inline outbox worker started");
}
