// Keeps the customer's `$app:loyalty.points` metafield (read by the theme extension's Liquid) equal to
// the ledger. Jobs are coalesced per customer and time window; each writes the balance as it is when
// it runs, so a late or repeated job still writes the current value.
// Data access: SQL steps (app/platform/sql) on the SQL path: the most frequent job, part of the worker's
// per-job work (docs/decisions/009-hot-path-sql.md).
import { z } from "zod";
import type { JobHandler } from "./job.server";
import { shopAdmin } from "./job.server";
import { completeJob } from "../outbox/outbox.server";
import { sqlOf } from "../platform/db.server";
import { selectRow, toInt } from "../platform/sql/statements";
import { setCustomerLoyaltyMetafield } from "../shopify/metafields.server";

const payloadSchema = z.object({ customerId: z.string() });

export const syncCustomerMetafield: JobHandler = {
  async run(job, ctx) {
    const { customerId } = payloadSchema.parse(job.payload);
    const customer = await sqlOf(ctx.db).statement(
      () => selectRow<{ shopId: string; shopifyCustomerId: string; balance: unknown; pending: unknown; redactedAt: unknown }>`
        SELECT "shopId", "shopifyCustomerId", "balance", "pending", "redactedAt" FROM "Customer" WHERE "id" = ${customerId}`,
    );
    // Redacted or deleted customers have nobody to show a balance to.
    if (!customer || customer.redactedAt !== null || !customer.shopifyCustomerId.startsWith("gid://shopify/Customer/")) {
      await completeJob(ctx.db, job);
      return;
    }
    const { client, options } = await shopAdmin(ctx, customer.shopId);
    await setCustomerLoyaltyMetafield(client, { customerGid: customer.shopifyCustomerId, balance: toInt(customer.balance), pending: toInt(customer.pending), updatedAt: ctx.now() }, options);
    await completeJob(ctx.db, job);
  },
};
