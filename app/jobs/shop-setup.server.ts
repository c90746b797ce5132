// After install (and re-auth): learn the shop's time zone and currency, make the customer balance
// metafield readable by the storefront (definition with PUBLIC_READ storefront access), and publish
// the program for the theme extension.
// Data access: Prisma models.
import { shopAdmin, type JobHandler } from "./job.server";
import { completeJob, enqueueJob } from "../outbox/outbox.server";
import { ensureLoyaltyMetafieldDefinition } from "../shopify/metafields.server";
import { getAppInstallationId, setProgramMetafield } from "../shopify/program-metafield.server";
import { getShopInfo } from "../shopify/shop.server";
import { programMetafieldValue } from "../features/program/program.server";
import { programChanged } from "../features/program/program-sync.server";

export const shopSetup: JobHandler = {
  async run(job, ctx) {
    const { shop, client, options } = await shopAdmin(ctx, job.shopId);
    const info = await getShopInfo(client, options);
    await ensureLoyaltyMetafieldDefinition(client, options);
    await ctx.db.$transaction(async (tx) => {
      await tx.shop.update({ where: { id: shop.id }, data: { ianaTimezone: info.ianaTimezone, currencyCode: info.currencyCode } });
      await programChanged(tx, shop.id, ctx.now());
      await completeJob(tx, job);
    });
  },
};

export const syncProgramMetafield: JobHandler = {
  async run(job, ctx) {
    const { shop, client, options } = await shopAdmin(ctx, job.shopId);
    const now = ctx.now();
    const { value, nextChangeAt } = await programMetafieldValue(ctx.db, shop.id, now);
    await setProgramMetafield(client, { appInstallationId: await getAppInstallationId(client, options), value }, options);
    await ctx.db.$transaction(async (tx) => {
      // A campaign starting or ending changes what product pages should promise: sync again then.
      if (nextChangeAt) await enqueueJob(tx, { shopId: shop.id, kind: "sync_program_metafield", payload: {}, dedupeKey: `program-at:${nextChangeAt.getTime()}`, runAfter: nextChangeAt });
      await completeJob(tx, job);
    });
  },
};
