// Creates an issued code in Shopify. Never twice: the code string is fixed when the row is written,
// so after an unknown outcome (timeout, 5xx after commit) the retry looks the code up first, and a
// TAKEN answer is resolved the same way. A permanent failure marks the code failed and, for a
// redemption, gives the points back in the same transaction.
// Data access: Prisma models.
import { z } from "zod";
import type { JobHandler } from "./job.server";
import { PermanentJobError, shopAdmin } from "./job.server";
import { completeJob } from "../outbox/outbox.server";
import { createCustomerDiscountCode, findDiscountIdByCode } from "../shopify/discounts.server";
import { AdminUserError } from "../shopify/admin-errors";
import { codeTerms, returnRedemptionPoints } from "../features/codes/codes.server";
import { queueRewardCodeIssued } from "../features/flow/triggers.server";

const payloadSchema = z.object({ issuedCodeId: z.string(), customerGid: z.string() });

export const createDiscountCode: JobHandler = {
  async run(job, ctx) {
    const { issuedCodeId, customerGid } = payloadSchema.parse(job.payload);
    const code = await ctx.db.issuedCode.findUnique({ where: { id: issuedCodeId } });
    if (!code) throw new PermanentJobError("issued code row is gone");
    if (code.status === "creating") {
      const { client, options } = await shopAdmin(ctx, code.shopId);
      const terms = codeTerms(code);
      // An earlier attempt may have created it and lost the answer.
      let discountId = job.attempts > 1 ? await findDiscountIdByCode(client, code.code, options) : null;
      if (!discountId) {
        try {
          ({ discountId } = await createCustomerDiscountCode(
            client,
            {
              code: code.code,
              title: terms.title,
              customerGid,
              discountType: terms.discountType,
              value: terms.value,
              minSubtotal: terms.minSubtotal,
              startsAt: code.startsAt,
              endsAt: code.endsAt,
              combinesWith: terms.combinesWith,
            },
            options,
          ));
        } catch (error) {
          if (!(error instanceof AdminUserError && error.isTaken)) throw error;
          discountId = await findDiscountIdByCode(client, code.code, options);
          if (!discountId) throw error;
        }
      }
      await ctx.db.$transaction(async (tx) => {
        const { count } = await tx.issuedCode.updateMany({ where: { id: code.id, status: "creating" }, data: { status: "issued", shopifyDiscountId: discountId } });
        // The code now works at checkout: Shopify Flow may tell the customer (once: only this update matched).
        if (count === 1) await queueRewardCodeIssued(tx, code, ctx.now());
        await completeJob(tx, job);
      });
      return;
    }
    await completeJob(ctx.db, job);
  },
  async onPermanentFailure(tx, job) {
    const { issuedCodeId } = payloadSchema.parse(job.payload);
    const code = await tx.issuedCode.findUnique({ where: { id: issuedCodeId } });
    if (!code || code.status !== "creating") return;
    await tx.issuedCode.update({ where: { id: code.id }, data: { status: "failed" } });
    await returnRedemptionPoints(tx, code, "failed");
  },
};
