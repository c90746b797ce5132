// Shopify Flow trigger jobs: one `flow_trigger` job per event, queued in the transaction that records
// the event (ledger entries, a code becoming issued), keyed by the event so a redelivered webhook or a
// retried job queues nothing more. Queued only for a trigger the shop's merchant uses in an enabled
// workflow, as Flow's lifecycle callback last said (FlowTriggerState, app/features/flow/lifecycle.server.ts):
// "send trigger requests to only those stores" (https://shopify.dev/docs/apps/build/flow/track-lifecycle-events).
// Data access: SQL steps (app/platform/sql), inside the caller's transaction.
import { selectRows, type SqlSteps } from "../platform/sql/statements";
import { enqueueJobSteps } from "./outbox.server";

/** The handles of the shop's triggers some enabled workflow starts with. */
export function* enabledFlowTriggersSteps(shopId: string): SqlSteps<Set<string>> {
  const rows = yield* selectRows<{ handle: string }>`SELECT "handle" FROM "FlowTriggerState" WHERE "shopId" = ${shopId} AND "enabled" = ${true}`;
  return new Set(rows.map((r) => r.handle));
}

export interface FlowTriggerJob {
  shopId: string;
  handle: string;
  /** The event, unique per shop and trigger: the same event queues one job, however often it is recorded. */
  eventKey: string;
  payload: Record<string, unknown>;
}

export function flowTriggerDedupeKey(handle: string, eventKey: string): string {
  return `flow:${handle}:${eventKey}`;
}

export function* enqueueFlowTriggerSteps(job: FlowTriggerJob, now: Date): SqlSteps<void> {
  yield* enqueueJobSteps({ shopId: job.shopId, kind: "flow_trigger", payload: { handle: job.handle, event: job.eventKey, payload: job.payload }, dedupeKey: flowTriggerDedupeKey(job.handle, job.eventKey) }, now);
}
