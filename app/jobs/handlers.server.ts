// Every outbox job kind and the handler that runs it.
import type { JobHandlers } from "./job.server";
import { firstOrderCheck } from "./first-order.server";
import { createDiscountCode } from "./create-code.server";
import { syncCustomerMetafield } from "./sync-metafield.server";
import { shopSetup, syncProgramMetafield } from "./shop-setup.server";
import { flowTrigger } from "./flow-trigger.server";

export const JOB_HANDLERS: JobHandlers = {
  first_order_check: firstOrderCheck,
  create_discount_code: createDiscountCode,
  sync_customer_metafield: syncCustomerMetafield,
  shop_setup: shopSetup,
  sync_program_metafield: syncProgramMetafield,
  flow_trigger: flowTrigger,
};
