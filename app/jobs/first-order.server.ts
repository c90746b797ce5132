// Welcome bonus: "first order" means first EVER at the shop, which only Shopify knows (the customer
// may have ordered before the app was installed). orders/paid queues this check; it asks the Admin
// API for the customer's order count and, if this order is the first, appends the welcome bonus
// (once per customer: unique key) and queues the thank-you code.
// Data access: Prisma models.
import type { ClaimedJob } from "../outbox/outbox.server";
import { completeJob } from "../outbox/outbox.server";
import { issueWelcomeCode } from "../features/codes/codes.server";
import type { JobContext, JobHandler } from "./job.server";
import { shopAdmin } from "./job.server";
import { getCustomerOrderCount } from "../shopify/customers.server";
import { appendEntries } from "../ledger/ledger.server";
import { currentSettings } from "../features/program/settings.server";
import { orderFullyReversed } from "../features/orders/orders.server";
import { z } from "zod";

const payloadSchema = z.object({ customerId: z.string(), customerGid: z.string(), orderId: z.string() });

export const firstOrderCheck: JobHandler = {
  async run(job: ClaimedJob, ctx: JobContext) {
    const { customerId, customerGid, orderId } = payloadSchema.parse(job.payload);
    const { client, options } = await shopAdmin(ctx, job.shopId);
    const numberOfOrders = await getCustomerOrderCount(client, customerGid, options);

    await ctx.db.$transaction(async (tx) => {
      const record = await tx.orderRecord.update({ where: { shopId_orderId: { shopId: job.shopId, orderId } }, data: { lockVersion: { increment: 1 } } });
      // Orders after this one that Shopify already counts do not make this one any less "first".
      const laterOrders = await tx.orderRecord.count({ where: { shopId: job.shopId, customerId, paidAt: { not: null }, processedAt: { gt: record.processedAt ?? new Date(0) } } });
      const isFirst = numberOfOrders !== null && numberOfOrders - laterOrders <= 1;
      const already = await tx.ledgerEntry.findUnique({ where: { shopId_idempotencyKey: { shopId: job.shopId, idempotencyKey: `welcome:${customerGid}` } } });
      if (isFirst && !already && !orderFullyReversed(record)) {
        const { version, settings } = await currentSettings(tx, job.shopId);
        const earn = await tx.ledgerEntry.findFirst({ where: { shopId: job.shopId, orderId, kind: "earn" } });
        const now = ctx.now();
        if (settings.welcomeBonusPoints > 0) {
          await appendEntries(
            tx,
            [
              {
                shopId: job.shopId,
                customerId,
                points: settings.welcomeBonusPoints,
                kind: "welcome_bonus",
                // Pending like the order's own points, so a refund in the pending period nets out.
                availableAt: earn && earn.availableAt > now ? earn.availableAt : now,
                idempotencyKey: `welcome:${customerGid}`,
                orderId,
                actor: "system:first-order-check",
                settingsVersion: version,
                reason: `first order at the shop (Shopify counts ${numberOfOrders} order(s))`,
              },
            ],
            now,
          );
        }
        if (settings.welcomeCode.enabled) {
          await issueWelcomeCode(tx, { shopId: job.shopId, customerId, customerGid, orderProcessedAt: record.processedAt ?? now });
        }
      }
      await completeJob(tx, job);
    });
  },
};
