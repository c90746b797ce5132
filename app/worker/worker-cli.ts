// `npm run worker`: an outbox worker process (as many as you like, beside WORKER_MODE=off web processes).
import { JOB_HANDLERS } from "../jobs/handlers.server";
import { appJobContext } from "./app-context.server";
import { startWorker } from "./worker.server";
import { log } from "../platform/logger.server";
import os from "node:os";
import { env } from "../platform/env.server";

// A worker shares the machine's cores with the web processes it serves: the kernel gives them the
// CPU first, so Shopify's answers stay fast under load and the applier uses what is left.
try {
  os.setPriority(Math.max(os.getPriority(), env().WORKER_NICE)); // never raises it
} catch (error) {
  log.warn("could not lower the worker's CPU priority", { error: String(error) });
}

const worker = startWorker(appJobContext(), JOB_HANDLERS, { owner: `worker-${process.pid}` });
log.info("outbox worker started", { pid: process.pid });
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    log.info("outbox worker stopping", { signal });
    void worker.stop().then(() => process.exit(0));
  });
}
