// Every outbox job kind and the handler that runs it.
import prisma from "../db.server";
import { unauthenticated } from "../shopify.server";
import type { AdminGraphql } from "../shopify/admin-gateway.server";
import type { JobContext, JobHandlers } from "./worker.server";
import { firstOrderCheck } from "./first-order.server";
import { createDiscountCode } from "./create-code.server";
import { syncCustomerMetafield } from "./sync-metafield.server";
import { shopSetup, syncProgramMetafield } from "./shop-setup.server";

export const JOB_HANDLERS: JobHandlers = {
  first_order_check: firstOrderCheck,
  create_discount_code: createDiscountCode,
  sync_customer_metafield: syncCustomerMetafield,
  shop_setup: shopSetup,
  sync_program_metafield: syncProgramMetafield,
};

/** The production job context: the app's database and Admin clients from the shops' offline sessions. */
export function appJobContext(): Omit<JobContext, "onCost"> {
  return {
    db: prisma,
    admin: async (shopDomain) => {
      const { admin } = await unauthenticated.admin(shopDomain);
      return admin.graphql as unknown as AdminGraphql;
    },
    now: () => new Date(),
  };
}
