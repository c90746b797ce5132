// `npm run worker`: an outbox worker process (as many as you like, beside WORKER_MODE=off web processes).
import { appJobContext, JOB_HANDLERS } from "./handlers.server";
import { startWorker } from "./worker.server";
import { log } from "../logger.server";

const worker = startWorker(appJobContext(), JOB_HANDLERS, { owner: `worker-${process.pid}` });
log.info("outbox worker started", { pid: process.pid });
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    log.info("outbox worker stopping", { signal });
    void worker.stop().then(() => process.exit(0));
  });
}
