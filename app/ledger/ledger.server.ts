// The append-only points ledger. Balance = sum of available entries; the per-customer cache
// (Customer.balance / pending / lifetimeEarned) changes only in this folder, in the same transaction
// as the entries it sums (here on append, in balances.server.ts when pending points mature), and
// verifyBalanceCache (balances.server.ts) proves it equals the sum.
// Data access: SQL steps (app/platform/sql), on the webhook hot path; appendEntries runs them inside
// the caller's Prisma transaction.
import { runInPrisma, type Tx } from "../platform/db.server";
import { isEarningKind, type EntryKind } from "../domain/entry-kinds";
import { enqueueJobSteps } from "../outbox/outbox.server";
import { execute, newId, type SqlSteps } from "../platform/sql/statements";
import { ledgerFlowTriggersSteps } from "./flow-triggers.server";

/**
 * The storefront reads a customer's balance from a customer metafield. A burst of ledger changes for
 * one customer within this window produces ONE metafield write, made at the end of the window with
 * the balance as it is then (docs/decisions/006-storefront-data.md).
 */
export const METAFIELD_SYNC_WINDOW_MS = 10_000;

/** The coalesced metafield write a change of this customer's balance calls for. */
export function metafieldSyncJob(shopId: string, customerId: string, now: Date) {
  const window = Math.floor(now.getTime() / METAFIELD_SYNC_WINDOW_MS);
  return {
    shopId,
    kind: "sync_customer_metafield" as const,
    payload: { customerId },
    dedupeKey: `metafield:${customerId}:${window}`,
    runAfter: new Date((window + 1) * METAFIELD_SYNC_WINDOW_MS),
  };
}

export interface NewEntry {
  shopId: string;
  customerId: string;
  points: number;
  kind: EntryKind;
  reverses?: string | null;
  /** When the points may be spent; later than now means pending. */
  availableAt: Date;
  /** Unique per shop: the same logical event can never write twice. */
  idempotencyKey: string;
  orderId?: string | null;
  refundId?: string | null;
  campaignId?: string | null;
  redemptionId?: string | null;
  webhookId?: string | null;
  eventId?: string | null;
  actor: string;
  settingsVersion?: number | null;
  ruleSnapshot?: string | null;
  reason?: string | null;
}

/**
 * Appends entries and moves the customers' cached sums by the same amounts, in the caller's
 * transaction. A repeated idempotencyKey is a unique violation: the same event never writes twice.
 */
export function* appendEntrySteps(entries: NewEntry[], now = new Date()): SqlSteps<void> {
  const deltas = new Map<string, { shopId: string; balance: number; pending: number; lifetime: number }>();
  for (const entry of entries) {
    if (!Number.isSafeInteger(entry.points) || entry.points === 0) throw new Error(`ledger entry ${entry.idempotencyKey} has invalid points ${entry.points}`);
    const pending = entry.availableAt.getTime() > now.getTime();
    yield* execute`
      INSERT INTO "LedgerEntry" ("id", "shopId", "customerId", "points", "kind", "reverses", "status", "availableAt", "idempotencyKey", "orderId", "refundId",
        "campaignId", "redemptionId", "webhookId", "eventId", "actor", "settingsVersion", "ruleSnapshot", "reason", "createdAt")
      VALUES (${newId()}, ${entry.shopId}, ${entry.customerId}, ${entry.points}, ${entry.kind}, ${entry.reverses ?? null}, ${pending ? "pending" : "available"},
        ${entry.availableAt}, ${entry.idempotencyKey}, ${entry.orderId ?? null}, ${entry.refundId ?? null}, ${entry.campaignId ?? null},
        ${entry.redemptionId ?? null}, ${entry.webhookId ?? null}, ${entry.eventId ?? null}, ${entry.actor}, ${entry.settingsVersion ?? null},
        ${entry.ruleSnapshot ?? null}, ${entry.reason ?? null}, ${now})`;
    const delta = deltas.get(entry.customerId) ?? { shopId: entry.shopId, balance: 0, pending: 0, lifetime: 0 };
    if (pending) delta.pending += entry.points;
    else delta.balance += entry.points;
    if (entry.points > 0 && isEarningKind(entry.kind)) delta.lifetime += entry.points;
    deltas.set(entry.customerId, delta);
  }
  for (const [customerId, delta] of deltas) {
    const changed = yield* execute`
      UPDATE "Customer" SET "balance" = "balance" + ${delta.balance}, "pending" = "pending" + ${delta.pending},
        "lifetimeEarned" = "lifetimeEarned" + ${delta.lifetime}, "lastActivityAt" = ${now}, "updatedAt" = ${now}
      WHERE "id" = ${customerId}`;
    if (changed !== 1) throw new Error(`ledger entries for customer ${customerId}, who does not exist`);
    yield* enqueueJobSteps(metafieldSyncJob(delta.shopId, customerId, now), now);
    // Shopify Flow triggers for this event, only when the shop uses them (./flow-triggers.server.ts).
    yield* ledgerFlowTriggersSteps(
      delta.shopId,
      customerId,
      entries.filter((e) => e.customerId === customerId),
      now,
    );
  }
}

/** appendEntrySteps inside a Prisma transaction the caller holds. */
export async function appendEntries(tx: Tx, entries: NewEntry[], now = new Date()): Promise<void> {
  await runInPrisma(tx, appendEntrySteps(entries, now));
}
