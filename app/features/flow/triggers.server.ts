// The "Loyalty reward code issued" trigger, queued when a code becomes usable: the transaction that
// moves an issued code from `creating` to `issued` (app/jobs/create-code.server.ts, after Shopify
// created the discount), never earlier. The ledger's triggers (points earned, balance changed) are
// queued by the ledger itself (app/ledger/flow-triggers.server.ts).
// Data access: SQL steps (app/platform/sql), inside the caller's Prisma transaction.
import type { IssuedCode } from "@prisma/client";
import { runInPrisma, type Tx } from "../../platform/db.server";
import { selectRow, type SqlSteps } from "../../platform/sql/statements";
import { REWARD_CODE_ISSUED, rewardCodeIssuedPayload } from "../../domain/flow-triggers";
import { enabledFlowTriggersSteps, enqueueFlowTriggerSteps } from "../../outbox/flow-triggers.server";
import { codeTerms } from "../codes/codes.server";

type IssuedCodeFacts = Pick<IssuedCode, "id" | "shopId" | "customerId" | "code" | "source" | "rewardSnapshot" | "endsAt" | "pointsSpent">;

function* rewardCodeIssuedSteps(code: IssuedCodeFacts, now: Date): SqlSteps<boolean> {
  if (!(yield* enabledFlowTriggersSteps(code.shopId)).has(REWARD_CODE_ISSUED.handle)) return false;
  const customer = yield* selectRow<{ gid: string }>`SELECT "shopifyCustomerId" AS "gid" FROM "Customer" WHERE "id" = ${code.customerId}`;
  if (!customer) return false;
  const terms = codeTerms(code);
  yield* enqueueFlowTriggerSteps(
    {
      shopId: code.shopId,
      handle: REWARD_CODE_ISSUED.handle,
      eventKey: `code:${code.id}`,
      payload: rewardCodeIssuedPayload({
        customerGid: customer.gid,
        code: code.code,
        reward: terms.title,
        discountType: terms.discountType,
        value: terms.value,
        minSubtotal: terms.minSubtotal,
        endsAt: code.endsAt,
        source: code.source === "welcome" ? "welcome" : "redemption",
        pointsSpent: code.pointsSpent,
      }),
    },
    now,
  );
  return true;
}

/** Queues the trigger for a code that just became issued (if the shop uses it); once per code. */
export function queueRewardCodeIssued(tx: Tx, code: IssuedCodeFacts, now = new Date()): Promise<boolean> {
  return runInPrisma(tx, rewardCodeIssuedSteps(code, now));
}
