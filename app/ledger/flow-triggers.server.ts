// What one append tells Shopify Flow, decided where every balance change passes (the ledger), in the
// same transaction: "Loyalty points balance changed" once per customer per append, and "Loyalty
// points earned" for the points an order earned (earn and campaign bonus of orders/paid, or the
// welcome bonus), each keyed by its event's first entry (entry keys are unique per shop), so a
// redelivered webhook or a retried job, which appends nothing, queues nothing. Nothing is read or
// queued for a shop that uses neither trigger. docs/decisions/021-shopify-flow.md
// Data access: SQL steps (app/platform/sql), inside appendEntrySteps.
import { BALANCE_CHANGED, POINTS_EARNED, balanceChangedPayload, pointsEarnedPayload } from "../domain/flow-triggers";
import { merchantEntryLabel } from "../domain/entry-kinds";
import { enabledFlowTriggersSteps, enqueueFlowTriggerSteps } from "../outbox/flow-triggers.server";
import { selectRow, toInt, type SqlSteps } from "../platform/sql/statements";

/** What this module reads of a NewEntry (./ledger.server.ts), named here so the two files import one way. */
interface AppendedEntry {
  points: number;
  kind: string;
  idempotencyKey: string;
  availableAt: Date;
  orderId?: string | null;
  reason?: string | null;
}

const ORDER_EARNING_KINDS = new Set(["earn", "campaign_bonus", "welcome_bonus"]);

/** `entries`: this append's entries of one customer, in order; runs after the customer's sums moved. */
export function* ledgerFlowTriggersSteps(shopId: string, customerId: string, entries: readonly AppendedEntry[], now: Date): SqlSteps<void> {
  const first = entries[0];
  if (!first) return;
  const enabled = yield* enabledFlowTriggersSteps(shopId);
  if (!enabled.has(POINTS_EARNED.handle) && !enabled.has(BALANCE_CHANGED.handle)) return;
  const customer = yield* selectRow<{ balance: unknown; pending: unknown; gid: string }>`
    SELECT "balance", "pending", "shopifyCustomerId" AS "gid" FROM "Customer" WHERE "id" = ${customerId}`;
  if (!customer) return;
  const newBalance = toInt(customer.balance);
  const newPending = toInt(customer.pending);

  // An append made only by the Flow action sends no "balance changed": a workflow "balance changed →
  // adjust points" would otherwise feed itself without end. The workflow that ran the action knows.
  const onlyFromFlowAction = entries.every((e) => e.kind === "flow_adjustment");
  if (enabled.has(BALANCE_CHANGED.handle) && !onlyFromFlowAction) {
    const change = entries.reduce((sum, e) => sum + e.points, 0);
    const label = merchantEntryLabel(first.kind);
    yield* enqueueFlowTriggerSteps(
      {
        shopId,
        handle: BALANCE_CHANGED.handle,
        eventKey: `${customerId}:${first.idempotencyKey}`,
        payload: balanceChangedPayload({ customerGid: customer.gid, change, newBalance, newPending, reason: first.reason ? `${label}: ${first.reason}` : label }),
      },
      now,
    );
  }

  const earned = entries.filter((e) => e.points > 0 && e.orderId && ORDER_EARNING_KINDS.has(e.kind));
  const firstEarned = earned[0];
  if (enabled.has(POINTS_EARNED.handle) && firstEarned?.orderId) {
    const orderId = firstEarned.orderId;
    const points = earned.filter((e) => e.orderId === orderId).reduce((sum, e) => sum + e.points, 0);
    const pending = firstEarned.availableAt.getTime() > now.getTime();
    const order = yield* selectRow<{ orderName: string | null }>`SELECT "orderName" FROM "OrderRecord" WHERE "shopId" = ${shopId} AND "orderId" = ${orderId}`;
    const kinds = new Set(earned.map((e) => e.kind));
    const reason = kinds.has("welcome_bonus") ? merchantEntryLabel("welcome_bonus") : kinds.has("campaign_bonus") ? `${merchantEntryLabel("earn")} (with a campaign bonus)` : merchantEntryLabel("earn");
    yield* enqueueFlowTriggerSteps(
      {
        shopId,
        handle: POINTS_EARNED.handle,
        eventKey: firstEarned.idempotencyKey,
        payload: pointsEarnedPayload({
          customerGid: customer.gid,
          orderGid: orderId,
          orderName: order?.orderName ?? null,
          points,
          pending,
          availableAt: pending ? firstEarned.availableAt : now,
          newBalance,
          newPending,
          reason,
        }),
      },
      now,
    );
  }
}
