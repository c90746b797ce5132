// What one order earns, for the thank-you block (checkout session token) and the order-status block
// (customer-account session token). Applied figures come from the order's row and its ledger entries;
// until orders/paid has been applied, the thank-you block gets a preview computed from the checkout's
// own figures by the plan orders/paid uses (features/orders/earning-plan.server.ts), written nowhere.
// An order is shown only to the customer the token names (`sub`): any other order — another
// customer's, a guest's, another shop's — is answered as unknown (404), like one that does not exist.
// Design: docs/decisions/024-thank-you-preview-then-applied.md.
// Data access: none of its own: the order's facts come from order-facts-sql.server.ts (SQL steps), the
// balance from the shopper summary.
import prisma from "../db.server";
import { orderFacts } from "./order-facts-sql.server";
import { codeWindow, nextReward, type RewardOption } from "../domain/redemption";
import type { ProgramSettings } from "../domain/settings";
import { previewOrderEarning } from "../features/orders/earning-plan.server";
import { shopperSummary, type ShopperSummary } from "../features/shopper/summary.server";
import { codeTerms } from "../features/codes/codes.server";
import { currentSettings } from "../features/program/settings.server";
import { checkoutAsOrder, type CheckoutFigures } from "./checkout-input";
import type { OrderEarnings, WelcomeCodeView } from "./order-earnings-contract";

export type { OrderEarnings };

const DAY_MS = 86_400_000;

export class UnknownOrder extends Error {
  constructor() {
    super("unknown order");
  }
}

interface Shop {
  id: string;
  currencyCode: string;
  ianaTimezone: string;
}

function balanceView(summary: ShopperSummary, addAvailable = 0, addPending = 0): NonNullable<OrderEarnings["balance"]> {
  const available = summary.balance + addAvailable;
  // The summary's rewards are the active ones; the fields nextReward does not read are not needed here.
  const options: RewardOption[] = summary.rewards.map((r) => ({ ...r, discountType: r.discountType as RewardOption["discountType"], minSubtotal: null, validityDays: 0, active: true }));
  const next = nextReward(available, options);
  return { available, pending: summary.pending + addPending, nextReward: next ? { name: next.reward.name, pointsCost: next.reward.pointsCost, pointsNeeded: next.pointsNeeded } : null };
}

/** The welcome code the settings would issue now (terms and end date; no code string yet). */
function expectedWelcomeCode(settings: ProgramSettings, shop: Shop, now: Date): WelcomeCodeView | null {
  const wc = settings.welcomeCode;
  if (!wc.enabled) return null;
  const window = codeWindow({ issuedAt: now, validityDays: wc.validityDays, ianaTimeZone: shop.ianaTimezone });
  return { code: null, discountType: wc.discountType, value: wc.value, minSubtotal: wc.minSubtotal, endsAt: window.endsAt.toISOString() };
}

async function previewAnswer(shop: Shop, customerGid: string | null, orderId: string, figures: CheckoutFigures, now: Date): Promise<OrderEarnings> {
  const signedIn = customerGid !== null;
  if (figures.currency !== shop.currencyCode) {
    // Points are computed on shop money; a checkout in another currency waits for the webhook's figures.
    return { status: "pending", settled: false, signedIn, currency: shop.currencyCode, order: null, welcome: null, balance: null };
  }
  // A guest earns nothing, but the nudge to sign up shows what an order like this earns a member.
  const order = checkoutAsOrder(orderId, customerGid ?? "guest", figures, now);
  const [plan, summary] = await Promise.all([previewOrderEarning(prisma, shop.id, customerGid, order), customerGid ? shopperSummary(shop.id, customerGid, { historyLimit: 0, now }) : null]);
  const { settings, result } = plan;
  const basePoints = result.entries.find((e) => e.kind === "earn")?.points ?? 0;
  const bonusPoints = result.entries.find((e) => e.kind === "campaign_bonus")?.points ?? 0;
  const points = basePoints + bonusPoints;
  const pending = settings.pendingDays > 0;
  const firstOrder = signedIn && figures.isFirstOrder && plan.wantsWelcome && plan.earlierOrders === 0;
  const welcome = firstOrder ? { bonusPoints: settings.welcomeBonusPoints, state: "expected" as const, code: expectedWelcomeCode(settings, shop, now) } : null;
  const welcomePoints = welcome?.bonusPoints ?? 0;
  return {
    status: "preview",
    settled: false,
    signedIn,
    currency: shop.currencyCode,
    order: {
      points,
      basePoints,
      bonusPoints,
      state: points === 0 ? "none" : pending ? "pending" : "available",
      availableAt: points === 0 ? null : new Date(now.getTime() + settings.pendingDays * DAY_MS).toISOString(),
      skipReason: result.outcome === "skipped" ? (result.skipReason ?? null) : null,
    },
    welcome,
    balance: summary ? (pending ? balanceView(summary, 0, points + welcomePoints) : balanceView(summary, points + welcomePoints, 0)) : null,
  };
}

/**
 * The applied figures of an order of this customer, or null when orders/paid has not been applied.
 * Throws UnknownOrder for an order that belongs to anyone else.
 */
async function appliedAnswer(shop: Shop, customerGid: string, orderId: string, now: Date): Promise<OrderEarnings | null> {
  const facts = await orderFacts(prisma, shop.id, orderId, customerGid);
  if (!facts) return null;
  const { record, memberId } = facts;
  // A row made by a refund that came first has no customer yet: not applied, and not provably theirs.
  if (!record.paidAt) {
    if (record.customerId && record.customerId !== memberId) throw new UnknownOrder();
    return null;
  }
  if (!memberId || record.customerId !== memberId) throw new UnknownOrder();

  const summary = await shopperSummary(shop.id, customerGid, { historyLimit: 0, now });
  const { entries, job, code } = facts;
  const mine = entries.filter((e) => e.customerId === memberId);
  const sumOf = (kind: string) => mine.filter((e) => e.kind === kind || e.reverses === kind).reduce((s, e) => s + e.points, 0);
  const basePoints = sumOf("earn");
  const bonusPoints = sumOf("campaign_bonus");
  const earned = mine.filter((e) => (e.kind === "earn" || e.kind === "campaign_bonus") && e.points > 0);
  const stillPending = earned.filter((e) => e.status === "pending");
  const lastAvailableAt = earned.reduce<Date | null>((at, e) => (at === null || e.availableAt > at ? e.availableAt : at), null);

  // The first-order check names the order that triggered it: only that order shows the welcome.
  const checkedOrderId = job ? (JSON.parse(job.payload) as { orderId?: string }).orderId : undefined;
  const welcomeEntry = mine.find((e) => e.kind === "welcome_bonus");
  let welcome: OrderEarnings["welcome"] = null;
  let welcomeSettled = true;
  if (checkedOrderId === orderId && job && (job.status === "queued" || job.status === "running" || job.status === "needs_reauth")) {
    const { settings } = await currentSettings(prisma, shop.id);
    welcome = { bonusPoints: settings.welcomeBonusPoints, state: "expected", code: expectedWelcomeCode(settings, shop, record.processedAt ?? now) };
    welcomeSettled = false;
  } else if (welcomeEntry || (checkedOrderId === orderId && code)) {
    const usable = code && code.status !== "failed" ? code : null;
    const terms = usable ? codeTerms(usable) : null;
    welcome = {
      bonusPoints: welcomeEntry?.points ?? 0,
      state: "granted",
      code: usable && terms ? { code: usable.status === "creating" ? null : usable.code, discountType: terms.discountType, value: terms.value, minSubtotal: terms.minSubtotal, endsAt: usable.endsAt.toISOString() } : null,
    };
    welcomeSettled = usable?.status !== "creating";
  }
  const points = basePoints + bonusPoints;
  return {
    status: "applied",
    settled: welcomeSettled,
    signedIn: true,
    currency: shop.currencyCode,
    order: {
      points,
      basePoints,
      bonusPoints,
      state: points <= 0 ? "none" : stillPending.length > 0 ? "pending" : "available",
      availableAt: points <= 0 ? null : (lastAvailableAt?.toISOString() ?? null),
      skipReason: record.earnOutcome?.startsWith("skipped:") ? record.earnOutcome.slice("skipped:".length) : null,
    },
    welcome,
    balance: balanceView(summary),
  };
}

/** POST /extension-api/thank-you */
export async function thankYouEarnings(shop: Shop, customerGid: string | null, orderId: string, figures: CheckoutFigures | undefined, now = new Date()): Promise<OrderEarnings> {
  // A guest cannot be shown to own any applied order: guests only ever get the preview.
  const applied = customerGid ? await appliedAnswer(shop, customerGid, orderId, now) : null;
  if (applied) return applied;
  if (!figures) throw new UnknownOrder();
  return previewAnswer(shop, customerGid, orderId, figures, now);
}

/** GET /extension-api/order-status: applied figures only (the order status page comes after the webhook). */
export async function orderStatusEarnings(shop: Shop, customerGid: string, orderId: string, now = new Date()): Promise<OrderEarnings> {
  const applied = await appliedAnswer(shop, customerGid, orderId, now);
  if (!applied) throw new UnknownOrder();
  return applied;
}
