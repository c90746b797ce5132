// Codes used by orders: orders/paid lists the discount codes the order used, and those of ours become
// "used". Applied with the order's other effects by the webhook applier.
// Data access: SQL steps (app/platform/sql), on the webhook hot path (docs/decisions/009-hot-path-sql.md).
import { execute, type SqlSteps } from "../../platform/sql/statements";

/** orders/paid lists the codes the order used: those of ours become "used", with the order and its revenue. */
export function* markCodesUsedSteps(input: { shopId: string; codes: string[]; orderId: string; revenue: string | null }, now = new Date()): SqlSteps<number> {
  if (input.codes.length === 0) return 0;
  return yield* execute`
    UPDATE "IssuedCode" SET "status" = 'used', "usedByOrderId" = ${input.orderId}, "usedRevenue" = ${input.revenue}, "updatedAt" = ${now}
    WHERE "shopId" = ${input.shopId} AND "code" IN ${input.codes.map((c) => c.toUpperCase())} AND "status" IN ('issued', 'creating')`;
}
