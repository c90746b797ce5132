// Queues a rewrite of the storefront's program metafield (app/jobs/shop-setup.server.ts).
import type { Tx } from "../../platform/db.server";
import { enqueueJob } from "../../outbox/outbox.server";

/** Call in the transaction that changes settings, campaigns or rewards. Coalesced per 5 s. */
export async function programChanged(tx: Tx, shopId: string, at = new Date()): Promise<void> {
  const window = Math.floor(at.getTime() / 5_000);
  await enqueueJob(tx, { shopId, kind: "sync_program_metafield", payload: {}, dedupeKey: `program:${window}`, runAfter: new Date((window + 1) * 5_000) });
}
