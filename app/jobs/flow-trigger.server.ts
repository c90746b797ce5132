// Sends one Shopify Flow trigger queued by the event that caused it (app/outbox/flow-triggers.server.ts):
// paced per shop with the other Admin calls, retried with backoff on THROTTLED, 5xx, network errors
// and timeouts. flowTriggerReceive takes no idempotency key: a retry after a lost answer (Shopify ran
// the mutation, the app never heard) sends the trigger again and the merchant's workflow may run
// twice for that event. Everything else is exactly once: one job per event (its dedupe key), and
// the job is marked done in the same step that saw Shopify's answer. docs/decisions/021-shopify-flow.md
// Data access: none of its own (the outbox's completeJob).
import { z } from "zod";
import { flowTriggerByHandle, payloadSchemaOf, FLOW_TRIGGER_PAYLOAD_LIMIT_BYTES } from "../domain/flow-triggers";
import { completeJob } from "../outbox/outbox.server";
import { sendFlowTrigger } from "../shopify/flow.server";
import { PermanentJobError, shopAdmin, type JobHandler } from "./job.server";

const jobPayloadSchema = z.object({ handle: z.string(), event: z.string(), payload: z.record(z.unknown()) });

export const flowTrigger: JobHandler = {
  async run(job, ctx) {
    const { handle, payload } = jobPayloadSchema.parse(job.payload);
    const declaration = flowTriggerByHandle(handle);
    if (!declaration) throw new PermanentJobError(`no Flow trigger ${handle} in this app version`);
    const checked = payloadSchemaOf(declaration).safeParse(payload);
    if (!checked.success) throw new PermanentJobError(`${handle} payload does not match its fields: ${checked.error.issues[0]?.message ?? "invalid"}`);
    if (Buffer.byteLength(JSON.stringify(checked.data)) > FLOW_TRIGGER_PAYLOAD_LIMIT_BYTES) throw new PermanentJobError(`${handle} payload is over Flow's 50 KB`);
    const { client, options } = await shopAdmin(ctx, job.shopId);
    await sendFlowTrigger(client, handle, checked.data, options);
    await completeJob(ctx.db, job);
  },
};
