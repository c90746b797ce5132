// The embedded default runs the outbox worker inside the web process; WORKER_MODE=off leaves the jobs
// to separate `npm run worker` processes (they coordinate through the database, so any mix works).
import { env } from "../platform/env.server";
import { JOB_HANDLERS } from "../jobs/handlers.server";
import { appJobContext } from "./app-context.server";
import { startWorker, type RunningWorker } from "./worker.server";
import { log } from "../platform/logger.server";

declare global {
  var inlineWorker: RunningWorker | undefined;
}

export function startInlineWorker(): void {
  if (env().WORKER_MODE !== "inline" || globalThis.inlineWorker) return;
  const worker = startWorker(appJobContext(), JOB_HANDLERS);
  globalThis.inlineWorker = worker;
  // server.mjs (npm start) closes its HTTP server on SIGTERM/SIGINT and lets the process end once
  // nothing is left to do: stop the worker's loops too (the current transaction finishes) or it never ends.
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void worker.stop());
  log.info("inline worker started (webhook inbox + outbox)");
}
