// The Shopify Flow action "Adjust loyalty points" (extensions/flow-adjust-points): a merchant's workflow
// adds or takes points (a review, a birthday, any event Flow sees). Flow posts each run to the
// action's runtime_url, signed like a webhook (X-Shopify-Hmac-Sha256 over the raw body with the app's
// secret), with `shopify_domain`, `action_run_id` and the merchant's `properties`; a run may arrive
// again with the same action_run_id. https://shopify.dev/docs/apps/build/flow/actions/endpoints
//
// Order of checks, each answering before anything is written: POST only (405); the signature, checked
// by Shopify's library (401); the body (zod, 400); the shop's offline session through
// `authenticate.flow` (its own 400 when the shop has none). Then, once per action_run_id: a FlowActionRun
// row is written in the same transaction as the ledger entry, or as the refusal, so a repeated run
// answers what the first one did and writes nothing.
//
// Decisions (docs/decisions/021-shopify-flow.md):
// - a customer with no member row yet gets one (a review or a birthday can come before any order),
//   once Shopify confirms the customer is the shop's (one Admin read, only for customers the app has
//   never seen): a customer of another shop is refused;
// - taking more points than the customer has is refused (422): unlike a refund, nothing was bought
//   with points the customer never had, so the app does not create a debt on a workflow's say-so;
// - the entry's kind is `flow_adjustment`, its reason the merchant's text.
// Data access: Prisma models (the entry itself through the ledger's appendEntries).
import { z } from "zod";
import type { Db } from "../../platform/db.server";
import { isUniqueViolation } from "../../platform/sql/statements";
import { appendEntries } from "../../ledger/ledger.server";
import { log } from "../../platform/logger.server";

export const ADJUST_POINTS_HANDLE = "loyalty-adjust-points";
/** The bound the action's field states (extensions/flow-adjust-points/shopify.extension.toml). */
export const MAX_ADJUSTMENT = 100_000;

const numericId = z.union([z.number().int().positive().safe(), z.string().regex(/^[1-9]\d{0,18}$/)]).transform((v) => Number(v));

/** The body Flow posts for a run of this action (extra top-level fields Flow adds are ignored). */
export const adjustPointsRequestSchema = z.object({
  shopify_domain: z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/),
  action_run_id: z.string().min(1).max(255),
  handle: z.literal(ADJUST_POINTS_HANDLE).optional(),
  properties: z.object({
    customer_id: numericId.refine((n) => Number.isSafeInteger(n), "customer_id out of range"),
    points: z
      .number()
      .int()
      .min(-MAX_ADJUSTMENT)
      .max(MAX_ADJUSTMENT)
      .refine((n) => n !== 0, "points must not be 0"),
    reason: z.string().trim().min(1).max(255),
  }),
});
export type AdjustPointsRequest = z.infer<typeof adjustPointsRequestSchema>;

export type AdjustPointsAnswer =
  | { status: 200; body: { outcome: "applied"; points: number; balance: number; replayed: boolean } }
  | { status: 422; body: { outcome: "refused"; error: string; replayed: boolean } }
  | { status: 503; body: { error: string } };

export interface AdjustPointsDeps {
  db: Db;
  /** Whether the customer exists in this shop, asked of Shopify (null: could not tell now). */
  customerInShop: (customerGid: string) => Promise<boolean | null>;
  now?: () => Date;
}

function refused(error: string, replayed: boolean): AdjustPointsAnswer {
  return { status: 422, body: { outcome: "refused", error, replayed } };
}

async function storedAnswer(db: Db, shopId: string, actionRunId: string): Promise<AdjustPointsAnswer | null> {
  const run = await db.flowActionRun.findUnique({ where: { shopId_actionRunId: { shopId, actionRunId } } });
  if (!run) return null;
  if (run.outcome !== "applied") return refused(run.refusal ?? "refused", true);
  const customer = await db.customer.findUnique({ where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId: run.customerGid } } });
  return { status: 200, body: { outcome: "applied", points: run.points, balance: customer?.balance ?? 0, replayed: true } };
}

/** Applies one verified, validated run for the shop `shopId`. */
export async function adjustPoints(deps: AdjustPointsDeps, shopId: string, request: AdjustPointsRequest): Promise<AdjustPointsAnswer> {
  const { db } = deps;
  const now = deps.now?.() ?? new Date();
  const { action_run_id: actionRunId, properties } = request;
  const customerGid = `gid://shopify/Customer/${properties.customer_id}`;
  const base = { shopId, actionRunId, customerGid, points: properties.points, reason: properties.reason };

  const earlier = await storedAnswer(db, shopId, actionRunId);
  if (earlier) return earlier;

  // A customer the app has never seen: Shopify says whether it is this shop's (outside the transaction).
  const known = await db.customer.findUnique({ where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId: customerGid } }, select: { id: true } });
  if (!known && properties.points < 0) {
    // Nothing to take from a customer with no points: refused without making them a member.
    const error = `Cannot take ${-properties.points} points: the customer has 0.`;
    return record(db, shopId, actionRunId, async (tx) => {
      await tx.flowActionRun.create({ data: { ...base, outcome: "refused", refusal: error } });
      return refused(error, false);
    });
  }
  if (!known) {
    const inShop = await deps.customerInShop(customerGid);
    if (inShop === null) return { status: 503, body: { error: "Could not reach Shopify to look the customer up; Flow may try again." } };
    if (!inShop) {
      const error = `Customer ${properties.customer_id} is not a customer of this shop.`;
      return record(db, shopId, actionRunId, async (tx) => {
        await tx.flowActionRun.create({ data: { ...base, outcome: "refused", refusal: error } });
        return refused(error, false);
      });
    }
  }

  return record(db, shopId, actionRunId, async (tx) => {
    const member = await tx.customer.upsert({
      where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId: customerGid } },
      create: { shopId, shopifyCustomerId: customerGid },
      // Takes the row lock (PostgreSQL) before the balance is read: two runs cannot both spend it.
      update: { updatedAt: now },
    });
    if (properties.points < 0 && member.balance + properties.points < 0) {
      const error = `Cannot take ${-properties.points} points: the customer has ${member.balance}.`;
      await tx.flowActionRun.create({ data: { ...base, outcome: "refused", refusal: error } });
      return refused(error, false);
    }
    await tx.flowActionRun.create({ data: { ...base, outcome: "applied" } });
    await appendEntries(
      tx,
      [
        {
          shopId,
          customerId: member.id,
          points: properties.points,
          kind: "flow_adjustment",
          availableAt: now,
          idempotencyKey: `flow-action:${actionRunId}`,
          actor: "flow:loyalty-adjust-points",
          reason: properties.reason,
        },
      ],
      now,
    );
    return { status: 200, body: { outcome: "applied", points: properties.points, balance: member.balance + properties.points, replayed: false } };
  });
}

/** Runs `write` in a transaction; the same run arriving twice at once: the loser answers the winner's outcome. */
async function record(db: Db, shopId: string, actionRunId: string, write: (tx: Parameters<Parameters<Db["$transaction"]>[0]>[0]) => Promise<AdjustPointsAnswer>): Promise<AdjustPointsAnswer> {
  try {
    return await db.$transaction(write);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    log.info("flow action run recorded by a concurrent delivery", { shopId, actionRunId });
    const winner = await storedAnswer(db, shopId, actionRunId);
    if (!winner) throw error;
    return winner;
  }
}
