// "Shopify" for the demo: what the real platform would know about the demo shop and send to the app.
//
// - The Admin API is the stateful fake of dev/shopify-admin-fake (customers with their order counts, the discount
//   codes and metafields the app creates through it). The app reaches it through the same fetch seam
//   as production (`install()` -> setAbstractFetchFunc).
// - Orders, refunds and cancellations happen here and become Shopify-shaped webhook payloads
//   (dev/payloads/order-fixtures.ts, built from Shopify's documented examples), delivered signed
//   by demo/webhooks.ts.
// - Everything is kept in a JSON file next to the SQLite database, so a restart (or a second
//   `npm run demo`) finds the same shop: customers and orders, and the Admin API writes the app made
//   (replayed into a fresh fake at start-up).
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { abstractFetch, setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { createShopifyAdminFake, type FakeDiscount, type ShopifyAdminFake } from "../dev/shopify-admin-fake";
import { cancelledPayload, orderPayload, refundPayload, type OrderSpec } from "../dev/payloads/order-fixtures";
import { databaseTarget } from "../app/db-target";
import { DEMO_ACCESS_TOKEN, DEMO_SHOP, ROOT, readJsonFile } from "./config";
import { newDelivery, type PendingDelivery } from "./webhooks";

// ---------------------------------------------------------------------------------------------
// State

export interface DemoCustomer {
  /** Numeric Shopify customer id (gid://shopify/Customer/<id>). */
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  /** Orders placed before the app was installed (Shopify counts them, the app never saw them). */
  priorOrders: number;
  /** Shopify's `numberOfOrders`: prior orders plus every order placed in the demo. */
  numberOfOrders: number;
}

export interface DemoLine {
  id: number;
  productId: number;
  title: string;
  /** Unit price, "45.00". */
  price: string;
  quantity: number;
  /** The line's share of the order's discount, "4.50". */
  discount: string;
}

export interface DemoRefund {
  id: number;
  amount: string;
  at: string;
}

export interface DemoOrder {
  /** Shopify's order id (large number); the webhook payloads carry it. */
  id: number;
  /** The order number people use: #1042. */
  number: number;
  customerId: number | null;
  processedAt: string;
  lines: DemoLine[];
  shipping: string;
  shippingDiscount: string;
  discountCode: string | null;
  /** Merchandise after discounts + shipping after discounts. */
  total: string;
  refunds: DemoRefund[];
  cancelledAt: string | null;
  /** orders/paid held back to arrive after the next event for this order ("deliver out of order"). */
  held: PendingDelivery[];
  source: "seed" | "simulator" | "storefront" | "cli";
}

interface DemoState {
  version: 1;
  /** The app's Shop row this state belongs to (a re-created database gets a fresh state). */
  shopRowId: string | null;
  seeded: boolean;
  nextCustomerId: number;
  nextOrderNumber: number;
  nextRefundId: number;
  customers: DemoCustomer[];
  orders: DemoOrder[];
  /** Admin API mutations the app made, in order (compacted): replayed into a fresh fake at start-up. */
  replay: { key: string; body: string }[];
}

const FIRST_CUSTOMER_ID = 1001;
const FIRST_ORDER_NUMBER = 1001;
const ORDER_ID_BASE = 5_300_000_000_000;
const REFUND_ID_BASE = 910_000_000_000;

function emptyState(): DemoState {
  return { version: 1, shopRowId: null, seeded: false, nextCustomerId: FIRST_CUSTOMER_ID, nextOrderNumber: FIRST_ORDER_NUMBER, nextRefundId: 1, customers: [], orders: [], replay: [] };
}

/** Next to the SQLite file (prisma/dev.sqlite -> prisma/dev.sqlite.demo-shopify.json, git-ignored with it). */
export function stateFileFor(databaseUrl: string | undefined): string {
  const target = databaseTarget(databaseUrl);
  if (target.provider === "sqlite") return `${target.file}.demo-shopify.json`;
  const name = new URL(target.url).pathname.replace(/\W+/g, "_") || "postgres";
  return path.join(ROOT, "demo", ".state", `${name}.demo-shopify.json`);
}

// ---------------------------------------------------------------------------------------------
// Catalog and names (deterministic)

export interface Product {
  id: number;
  title: string;
  price: string;
}

export const CATALOG: Product[] = [
  { id: 8_100_000_001, title: "Linen shirt", price: "45.00" },
  { id: 8_100_000_002, title: "Canvas tote", price: "28.00" },
  { id: 8_100_000_003, title: "Wool beanie", price: "22.00" },
  { id: 8_100_000_004, title: "Trail sneakers", price: "95.00" },
  { id: 8_100_000_005, title: "Rain jacket", price: "120.00" },
  { id: 8_100_000_006, title: "Cotton socks (3 pack)", price: "14.00" },
  { id: 8_100_000_007, title: "Leather belt", price: "38.00" },
  { id: 8_100_000_008, title: "Ceramic mug", price: "18.00" },
];
/** The simulator's "amount" orders: one line of this product at the amount given. */
export const CUSTOM_ITEM: Product = { id: 8_100_000_099, title: "Gift box (custom amount)", price: "0.00" };

const FIRST_NAMES = ["Ana", "Ben", "Chloé", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Liam", "Maya", "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sami", "Tess", "Uma", "Victor", "Wen", "Yara", "Zoe", "Amir", "Bea", "Carlos", "Dina", "Emil"];
const LAST_NAMES = ["Ruiz", "Okafor", "Martin", "Patel", "Novak", "Haddad", "Kim", "Tanaka", "Silva", "Berg", "Adeyemi", "Murphy", "Cohen", "Jensen", "Ivanova", "Shah", "Walsh", "Costa", "Laine", "Moreau", "Nair", "Duarte", "Li", "Nasser", "Fischer", "Rahimi", "Lopez", "Santos", "Kaur", "Larsen"];

export function customerName(id: number): { firstName: string; lastName: string } {
  const n = id - FIRST_CUSTOMER_ID;
  return { firstName: FIRST_NAMES[n % FIRST_NAMES.length]!, lastName: LAST_NAMES[Math.floor(n / FIRST_NAMES.length + n * 7) % LAST_NAMES.length]! };
}

// ---------------------------------------------------------------------------------------------
// Money in cents

export const toCents = (amount: string | number): number => Math.round(Number(amount) * 100);
export const fromCents = (cents: number): string => (cents / 100).toFixed(2);
export const isAmount = (text: string): boolean => /^\d+(\.\d{1,2})?$/.test(text.trim()) && toCents(text) > 0;

export function lineNet(line: DemoLine): number {
  return toCents(line.price) * line.quantity - toCents(line.discount);
}

export function refundedCents(order: DemoOrder): number {
  return order.refunds.reduce((sum, r) => sum + toCents(r.amount), 0);
}

/** What can still be refunded (merchandise after discounts; shipping is not refunded in the demo). */
export function refundableCents(order: DemoOrder): number {
  return Math.max(0, order.lines.reduce((sum, l) => sum + lineNet(l), 0) - refundedCents(order));
}

export function orderStatus(order: DemoOrder): string {
  if (order.held.some((d) => d.topic === "orders/paid")) return "paid (webhook held)";
  if (order.cancelledAt) return "cancelled";
  const refunded = refundedCents(order);
  if (refunded > 0) return refundableCents(order) === 0 ? "refunded" : "partially refunded";
  return "paid";
}

// ---------------------------------------------------------------------------------------------
// Discounts as checkout sees them

export interface DiscountCheck {
  ok: boolean;
  discount: FakeDiscount | null;
  /** Why checkout would refuse it (ok = false). */
  reason: string;
  /** "10% off", "$5.00 off", "Free shipping". */
  summary: string;
}

export function discountSummary(discount: FakeDiscount): string {
  const v = discount.value;
  if (v.kind === "percentage") return `${Math.round(v.percentage * 10000) / 100}% off`;
  if (v.kind === "fixed_amount") return `$${Number(v.amount).toFixed(2)} off`;
  return "Free shipping";
}

// ---------------------------------------------------------------------------------------------
// The demo shop

export interface PlaceOrderInput {
  /** A customer id, "new" for a first-time customer, or null for a guest checkout. */
  customer: number | "new" | null;
  /** Either lines from the catalog... */
  lines?: { product: Product; quantity: number; price?: string }[];
  /** ...or one line of CUSTOM_ITEM at this amount. */
  amount?: string;
  shipping?: string;
  code?: string | null;
  processedAt?: Date;
  /** Keep orders/paid back until the next event for the order (refund, cancel) or releaseHeld. */
  hold?: boolean;
  /** An order number from reserveOrderNumber() (the seeder numbers a year of orders in time order). */
  number?: number;
  source: DemoOrder["source"];
}

export interface PlaceOrderResult {
  order: DemoOrder;
  customer: DemoCustomer | null;
  deliveries: PendingDelivery[];
  /** About the discount code, when one was given. */
  codeNote: string | null;
}

export class DemoShopify {
  readonly fake: ShopifyAdminFake;
  private state: DemoState;
  private saveTimer: NodeJS.Timeout | null = null;
  private uninstall: (() => void) | null = null;
  private readonly replayKeys = new Map<string, string>();
  private readonly countReads = new Set<string>();
  private cursor = 0;

  constructor(
    readonly stateFile: string,
    private readonly scopes: string[],
    private readonly app: { apiKey: string; apiSecret: string },
  ) {
    // A bucket larger than the fake's default (2000 points, 100/s) so a year of history is not
    // throttled while it is replayed in a minute; the worker's pacing still applies.
    this.fake = createShopifyAdminFake({ oauth: { clientId: app.apiKey, clientSecret: app.apiSecret } });
    this.fake.addShop(DEMO_SHOP, { accessToken: DEMO_ACCESS_TOKEN, scopes: this.scopes, bucket: { maximumAvailable: 20_000, restoreRate: 1_000 } });
    this.state = readJsonFile<DemoState>(stateFile) ?? emptyState();
    if (this.state.version !== 1) this.state = emptyState();
  }

  /**
   * Routes the app's calls to Shopify through the fake: the Admin API and the token endpoint (token
   * exchange on install, refreshes of the expiring offline token, dev/shopify-oauth-fake.ts).
   * Call after the server build was imported (its adapter sets the fetch the fake replaces).
   */
  install(): void {
    const original = abstractFetch;
    this.fake.install();
    this.uninstall = () => setAbstractFetchFunc(original);
  }

  /**
   * The tokens Shopify issued in an earlier run of the demo (the app stored them): the fake's token
   * state lives in memory, so a restart would otherwise forget them and the app would need re-authorising.
   */
  rememberTokens(tokens: { accessToken: string; refreshToken: string | null; expires: Date | null }): void {
    if (!tokens.accessToken) return;
    this.fake.oauth.seed(DEMO_SHOP, {
      accessToken: tokens.accessToken,
      ...(tokens.refreshToken && tokens.expires ? { refreshToken: tokens.refreshToken, accessTokenExpiresAt: tokens.expires.getTime() } : {}),
      scope: this.scopes.join(","),
    });
  }

  /** Forgets everything (the database was re-created). */
  reset(shopRowId: string | null): void {
    this.state = { ...emptyState(), shopRowId };
    this.replayKeys.clear();
    this.saveNow();
  }

  get shopRowId(): string | null {
    return this.state.shopRowId;
  }

  set shopRowId(id: string | null) {
    this.state.shopRowId = id;
    this.scheduleSave();
  }

  get seeded(): boolean {
    return this.state.seeded;
  }

  markSeeded(): void {
    this.state.seeded = true;
    this.saveNow();
  }

  /** Puts the customers and the app's earlier Admin API writes back into the fresh fake. */
  async restore(): Promise<{ customers: number; replayed: number; failed: number }> {
    for (const c of this.state.customers) this.fake.seedCustomer(DEMO_SHOP, { id: gid(c.id), numberOfOrders: c.numberOfOrders });
    const client = this.fake.client(DEMO_SHOP);
    let replayed = 0;
    let failed = 0;
    for (const { key, body } of this.state.replay) {
      this.replayKeys.set(key, body);
      const { query, variables } = JSON.parse(body) as { query: string; variables?: Record<string, unknown> };
      const response = await client(query, variables ? { variables } : {});
      if (response.ok) replayed += 1;
      else failed += 1;
    }
    this.fake.clearRequests();
    this.cursor = 0;
    return { customers: this.state.customers.length, replayed, failed };
  }

  /**
   * Records the app's successful Admin API writes (discount codes, metafields, definitions) so a
   * restart can replay them, and which customers' order counts the app has read (the first-order
   * check). Called every second and by the seeder; clears the fake's request log once it is read.
   */
  collectAdminWrites(): number {
    const records = this.fake.requests;
    let kept = 0;
    let i = this.cursor;
    for (; i < records.length; i++) {
      const r = records[i]!;
      if (r.outcome === undefined) break; // still in flight: read it next time
      if (r.outcome !== "ok") continue;
      if (r.operationType === "query" && r.rootFields.includes("customer") && typeof r.variables?.id === "string") this.countReads.add(r.variables.id);
      if (r.operationType !== "mutation") continue;
      const data = (r.responseBody as { data?: Record<string, { userErrors?: unknown[] } | null> } | undefined)?.data ?? {};
      for (const field of r.rootFields) {
        const payload = data[field];
        if (!payload || (Array.isArray(payload.userErrors) && payload.userErrors.length > 0)) continue;
        const key = replayKey(field, r.variables ?? {}, r.seq);
        if (!key) continue;
        this.replayKeys.delete(key);
        this.replayKeys.set(key, r.rawBody);
        kept += 1;
      }
    }
    this.cursor = i;
    if (this.cursor === records.length) {
      this.fake.clearRequests();
      this.cursor = 0;
    }
    if (kept > 0) {
      this.state.replay = [...this.replayKeys].map(([key, body]) => ({ key, body }));
      this.scheduleSave();
    }
    return kept;
  }

  /** Has the app asked Shopify for this customer's order count (its first-order check) since start-up? */
  hasReadOrderCount(customerId: number): boolean {
    this.collectAdminWrites();
    return this.countReads.has(gid(customerId));
  }

  /**
   * Takes over a database seeded by an earlier run whose state file is gone: its customers (with the
   * orders the app saw as Shopify's count) and orders (one line each: the items are not in the app's
   * database). Discount codes and metafields made before are not in the fake any more.
   */
  adopt(
    customers: { id: number; firstName: string; lastName: string; email: string; ordersSeen: number }[],
    orders: { orderId: number; name: string | null; customerId: number | null; processedAt: string; total: string; cancelledAt: string | null }[],
    refundIds: number[],
  ): void {
    for (const id of refundIds) this.state.nextRefundId = Math.max(this.state.nextRefundId, id - REFUND_ID_BASE + 1);
    for (const c of customers) {
      if (!Number.isInteger(c.id) || this.customer(c.id)) continue;
      this.state.customers.push({ id: c.id, firstName: c.firstName, lastName: c.lastName, email: c.email, priorOrders: 0, numberOfOrders: c.ordersSeen });
      this.state.nextCustomerId = Math.max(this.state.nextCustomerId, c.id + 1);
    }
    for (const o of orders) {
      const number = Number(/^#(\d+)$/.exec(o.name ?? "")?.[1] ?? this.state.nextOrderNumber);
      const total = Number(o.total).toFixed(2);
      this.state.orders.push({
        id: o.orderId,
        number,
        customerId: o.customerId,
        processedAt: o.processedAt,
        lines: [{ id: o.orderId * 10 + 1, productId: CUSTOM_ITEM.id, title: "Order items", price: total, quantity: 1, discount: "0.00" }],
        shipping: "0.00",
        shippingDiscount: "0.00",
        discountCode: null,
        total,
        refunds: [],
        cancelledAt: o.cancelledAt,
        held: [],
        source: "seed",
      });
      this.state.nextOrderNumber = Math.max(this.state.nextOrderNumber, number + 1);
    }
    this.state.seeded = true;
    this.saveNow();
  }

  // ------------------------------------------------------------------------------- customers

  customers(): DemoCustomer[] {
    return this.state.customers;
  }

  customer(id: number): DemoCustomer | undefined {
    return this.state.customers.find((c) => c.id === id);
  }

  createCustomer(priorOrders = 0): DemoCustomer {
    const id = this.state.nextCustomerId++;
    const { firstName, lastName } = customerName(id);
    const email = `${ascii(firstName)}.${ascii(lastName)}.${id}@example.com`.toLowerCase();
    const customer: DemoCustomer = { id, firstName, lastName, email, priorOrders, numberOfOrders: priorOrders };
    this.state.customers.push(customer);
    this.fake.seedCustomer(DEMO_SHOP, { id: gid(id), numberOfOrders: priorOrders });
    this.scheduleSave();
    return customer;
  }

  // ------------------------------------------------------------------------------- orders

  orders(): DemoOrder[] {
    return this.state.orders;
  }

  /** Orders, newest number first. */
  recentOrders(): DemoOrder[] {
    return [...this.state.orders].sort((a, b) => b.number - a.number);
  }

  reserveOrderNumber(): number {
    return this.state.nextOrderNumber++;
  }

  order(numberOrId: number): DemoOrder | undefined {
    return this.state.orders.find((o) => o.number === numberOrId || o.id === numberOrId);
  }

  /** Is `code` usable at checkout for this customer now (exists, active, theirs, not used up)? */
  checkDiscount(code: string, customerId: number | null, now = new Date()): DiscountCheck {
    const discount = this.fake.findDiscountByCode(DEMO_SHOP, code) ?? null;
    if (!discount) return { ok: false, discount: null, reason: "This discount code doesn't exist in the shop.", summary: "" };
    const summary = discountSummary(discount);
    const fail = (reason: string): DiscountCheck => ({ ok: false, discount, reason, summary });
    if (Date.parse(discount.startsAt) > now.getTime()) return fail("This code isn't active yet.");
    if (discount.endsAt && Date.parse(discount.endsAt) <= now.getTime()) return fail("This code has expired.");
    if (discount.customers !== "all" && (customerId === null || !discount.customers.includes(gid(customerId)))) {
      return fail(customerId === null ? "Sign in to use this code: it belongs to a customer account." : "This code belongs to another customer.");
    }
    const uses = this.state.orders.filter((o) => o.discountCode?.toUpperCase() === discount.code.toUpperCase() && !o.cancelledAt);
    if (discount.usageLimit !== null && uses.length >= discount.usageLimit) return fail("This code has already been used.");
    if (discount.appliesOncePerCustomer && customerId !== null && uses.some((o) => o.customerId === customerId)) return fail("You've already used this code.");
    return { ok: true, discount, reason: "", summary };
  }

  placeOrder(input: PlaceOrderInput): PlaceOrderResult {
    const customer = input.customer === null ? null : input.customer === "new" ? this.createCustomer(0) : this.customer(input.customer);
    if (input.customer !== null && !customer) throw new DemoInputError(`No customer ${input.customer} in the demo shop.`);
    const number = input.number ?? this.state.nextOrderNumber++;
    const id = ORDER_ID_BASE + number;
    const specLines = input.lines ?? [{ product: CUSTOM_ITEM, quantity: 1, price: input.amount }];
    const lines: DemoLine[] = specLines.map((l, i) => ({
      id: id * 10 + i + 1,
      productId: l.product.id,
      title: l.product.title,
      price: Number(l.price ?? l.product.price).toFixed(2),
      quantity: l.quantity,
      discount: "0.00",
    }));
    if (lines.some((l) => !(toCents(l.price) > 0) || l.quantity < 1)) throw new DemoInputError("Enter an amount greater than 0.");
    const shippingCents = toCents(input.shipping ?? "0");
    let shippingDiscountCents = 0;
    let codeNote: string | null = null;
    const code = input.code?.trim().toUpperCase() || null;
    if (code) {
      const discount = this.fake.findDiscountByCode(DEMO_SHOP, code);
      if (!discount) {
        codeNote = `${code} is not a discount in the demo shop: sent on the order with no discount amount.`;
      } else {
        const check = this.checkDiscount(code, customer?.id ?? null, input.processedAt ?? new Date());
        codeNote = check.ok ? `${discount.code}: ${check.summary}` : `${discount.code}: ${check.reason} (sent anyway: the simulator does what you ask)`;
        const merchandise = lines.reduce((s, l) => s + toCents(l.price) * l.quantity, 0);
        if (discount.value.kind === "free_shipping") {
          shippingDiscountCents = shippingCents;
        } else {
          const totalOff = discount.value.kind === "percentage" ? Math.round(merchandise * discount.value.percentage) : Math.min(merchandise, toCents(discount.value.amount));
          allocate(totalOff, lines);
        }
      }
    }
    const merchandiseNet = lines.reduce((s, l) => s + lineNet(l), 0);
    const order: DemoOrder = {
      id,
      number,
      customerId: customer?.id ?? null,
      processedAt: (input.processedAt ?? new Date()).toISOString(),
      lines,
      shipping: fromCents(shippingCents),
      shippingDiscount: fromCents(shippingDiscountCents),
      discountCode: code,
      total: fromCents(merchandiseNet + shippingCents - shippingDiscountCents),
      refunds: [],
      cancelledAt: null,
      held: [],
      source: input.source,
    };
    this.state.orders.push(order);
    if (customer) {
      customer.numberOfOrders += 1;
      this.fake.setCustomerOrderCount(DEMO_SHOP, gid(customer.id), customer.numberOfOrders);
    }
    const paid = newDelivery("orders/paid", this.paidPayload(order, customer ?? null), `orders/paid #${number}`, new Date(order.processedAt));
    const deliveries: PendingDelivery[] = [];
    if (input.hold) order.held.push(paid);
    else deliveries.push(paid);
    this.scheduleSave();
    return { order, customer: customer ?? null, deliveries, codeNote };
  }

  /**
   * A partial (or full) refund of merchandise. Its webhook is delivered now, followed by any the order
   * had held back (they arrive out of order); with `hold` it is held back itself.
   */
  refundOrder(numberOrId: number, amount: string, options: { hold?: boolean; at?: Date } = {}): { order: DemoOrder; refund: DemoRefund; deliveries: PendingDelivery[] } {
    const at = options.at ?? new Date();
    const order = this.requireOrder(numberOrId);
    if (order.cancelledAt) throw new DemoInputError(`Order #${order.number} is cancelled.`);
    if (!isAmount(amount)) throw new DemoInputError("Enter a refund amount greater than 0, like 10.00.");
    const refundable = refundableCents(order);
    if (refundable === 0) throw new DemoInputError(`Order #${order.number} is fully refunded already.`);
    let remaining = Math.min(toCents(amount), refundable);
    const refund: DemoRefund = { id: REFUND_ID_BASE + this.state.nextRefundId++, amount: fromCents(remaining), at: at.toISOString() };
    // Take the amount from the lines in order, each up to what is left of it.
    const alreadyByLine = new Map<number, number>();
    let already = refundedCents(order);
    for (const line of order.lines) {
      const take = Math.min(already, lineNet(line));
      alreadyByLine.set(line.id, take);
      already -= take;
    }
    const refundLines: { lineItemId: number; quantity: number; subtotal: string }[] = [];
    for (const line of order.lines) {
      if (remaining === 0) break;
      const left = lineNet(line) - (alreadyByLine.get(line.id) ?? 0);
      const take = Math.min(left, remaining);
      if (take <= 0) continue;
      // A whole line refunded returns its quantity; a partial amount is a refund of value on one unit.
      refundLines.push({ lineItemId: line.id, quantity: take === lineNet(line) ? line.quantity : 0, subtotal: fromCents(take) });
      remaining -= take;
    }
    order.refunds.push(refund);
    const payload = refundPayload({ id: refund.id, orderId: order.id, createdAt: refund.at, lines: refundLines });
    const deliveries = this.deliverOrHold(order, newDelivery("refunds/create", payload, `refunds/create #${order.number} $${refund.amount}`, at), options.hold);
    this.scheduleSave();
    return { order, refund, deliveries };
  }

  /** Cancels the order (orders/cancelled); held webhooks and `hold` as for refunds. */
  cancelOrder(numberOrId: number, options: { hold?: boolean; at?: Date } = {}): { order: DemoOrder; deliveries: PendingDelivery[] } {
    const at = options.at ?? new Date();
    const order = this.requireOrder(numberOrId);
    if (order.cancelledAt) throw new DemoInputError(`Order #${order.number} is cancelled already.`);
    order.cancelledAt = at.toISOString();
    const customer = order.customerId === null ? null : (this.customer(order.customerId) ?? null);
    // Shopify's orders/cancelled body is the order itself, now with cancelled_at and cancel_reason.
    const { cancel_reason } = cancelledPayload(this.spec(order, customer));
    const payload = { ...this.paidPayload(order, customer), cancelled_at: order.cancelledAt, cancel_reason, financial_status: "voided" };
    const deliveries = this.deliverOrHold(order, newDelivery("orders/cancelled", payload, `orders/cancelled #${order.number}`, at), options.hold);
    this.scheduleSave();
    return { order, deliveries };
  }

  /** The held webhooks of an order, now. */
  releaseHeld(numberOrId: number): PendingDelivery[] {
    const order = this.requireOrder(numberOrId);
    const held = this.takeHeld(order);
    if (held.length === 0) throw new DemoInputError(`Order #${order.number} has no held webhooks.`);
    return held;
  }

  /** The orders/paid payload of an order as Shopify would send it. */
  paidPayload(order: DemoOrder, customer: DemoCustomer | null): Record<string, unknown> {
    const payload = orderPayload(this.spec(order, customer)) as Record<string, unknown> & {
      line_items: Record<string, unknown>[];
      shipping_lines: Record<string, unknown>[];
      customer: Record<string, unknown> | null;
    };
    const money = (amount: string) => ({ shop_money: { amount, currency_code: "USD" }, presentment_money: { amount, currency_code: "USD" } });
    const subtotal = fromCents(order.lines.reduce((s, l) => s + lineNet(l), 0));
    const discounts = fromCents(order.lines.reduce((s, l) => s + toCents(l.discount), 0) + toCents(order.shippingDiscount));
    order.lines.forEach((line, i) => {
      const item = payload.line_items[i]!;
      Object.assign(item, { title: line.title, name: line.title, variant_title: null, sku: `DEMO-${line.productId}`, vendor: "Demo Shop", product_id: line.productId, variant_id: line.productId + 1_000_000 });
    });
    const firstShipping = payload.shipping_lines[0];
    if (firstShipping) {
      Object.assign(firstShipping, { title: "Standard", code: "Standard" });
      if (toCents(order.shippingDiscount) > 0) firstShipping.discount_allocations = [{ amount: order.shippingDiscount, amount_set: money(order.shippingDiscount), discount_application_index: 0 }];
    }
    const discount = order.discountCode ? this.fake.findDiscountByCode(DEMO_SHOP, order.discountCode) : undefined;
    Object.assign(payload, {
      name: `#${order.number}`,
      order_number: order.number,
      number: order.number - 1000,
      email: customer?.email ?? "guest@example.com",
      contact_email: customer?.email ?? "guest@example.com",
      currency: "USD",
      presentment_currency: "USD",
      subtotal_price: subtotal,
      subtotal_price_set: money(subtotal),
      total_discounts: discounts,
      total_discounts_set: money(discounts),
      total_price: order.total,
      total_price_set: money(order.total),
      current_total_price: order.total,
      current_total_price_set: money(order.total),
      total_tax: "0.00",
      total_tax_set: money("0.00"),
      discount_codes: order.discountCode
        ? [{ code: order.discountCode, amount: discounts, type: discount?.value.kind === "percentage" ? "percentage" : discount?.value.kind === "free_shipping" ? "shipping" : "fixed_amount" }]
        : [],
      source_name: order.source === "storefront" ? "web" : "shopify_draft_order",
    });
    if (payload.customer && customer) {
      Object.assign(payload.customer, { first_name: customer.firstName, last_name: customer.lastName, email: customer.email, orders_count: customer.numberOfOrders });
    }
    return payload;
  }

  private spec(order: DemoOrder, customer: DemoCustomer | null): OrderSpec {
    return {
      id: order.id,
      customerId: customer ? customer.id : null,
      email: customer?.email ?? "guest@example.com",
      processedAt: order.processedAt,
      lines: order.lines.map((l) => ({ id: l.id, price: l.price, quantity: l.quantity, productId: l.productId, ...(toCents(l.discount) > 0 ? { discount: l.discount } : {}) })),
      ...(toCents(order.shipping) > 0 ? { shipping: order.shipping } : {}),
      discountCodes: order.discountCode ? [order.discountCode] : [],
    };
  }

  private deliverOrHold(order: DemoOrder, delivery: PendingDelivery, hold: boolean | undefined): PendingDelivery[] {
    if (hold) {
      order.held.push(delivery);
      return [];
    }
    return [delivery, ...this.takeHeld(order)];
  }

  private takeHeld(order: DemoOrder): PendingDelivery[] {
    const held = order.held;
    order.held = [];
    return held;
  }

  private requireOrder(numberOrId: number): DemoOrder {
    const order = this.order(numberOrId);
    if (!order) throw new DemoInputError(`No order #${numberOrId} in the demo shop.`);
    return order;
  }

  // ------------------------------------------------------------------------------- persistence

  scheduleSave(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.saveNow();
    }, 300);
    this.saveTimer.unref();
  }

  saveNow(): void {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
    }
    const dir = path.dirname(this.stateFile);
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
    const tmp = `${this.stateFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state));
    renameSync(tmp, this.stateFile);
  }

  close(): void {
    this.collectAdminWrites();
    this.saveNow();
    this.uninstall?.();
  }
}

export class DemoInputError extends Error {}

export const gid = (customerId: number) => `gid://shopify/Customer/${customerId}`;

function ascii(text: string): string {
  return text.normalize("NFD").replace(/[^A-Za-z]/g, "");
}

/** Spreads an order-level amount off over the lines in proportion to their value (cents add up exactly). */
function allocate(totalOffCents: number, lines: DemoLine[]): void {
  const values = lines.map((l) => toCents(l.price) * l.quantity);
  const total = values.reduce((a, b) => a + b, 0);
  let left = Math.min(totalOffCents, total);
  lines.forEach((line, i) => {
    const share = i === lines.length - 1 ? left : Math.min(left, Math.round((totalOffCents * values[i]!) / total));
    line.discount = fromCents(share);
    left -= share;
  });
}

/** Which earlier write a mutation replaces when replayed (the last metafield value per owner wins). */
function replayKey(field: string, variables: Record<string, unknown>, seq: number): string | null {
  if (field === "discountCodeBasicCreate" || field === "discountCodeFreeShippingCreate") {
    const input = (variables.basicCodeDiscount ?? variables.freeShippingCodeDiscount) as { code?: string } | undefined;
    return `discount:${(input?.code ?? String(seq)).toUpperCase()}`;
  }
  if (field === "metafieldsSet") {
    const list = (variables.metafields as { ownerId?: string; namespace?: string; key?: string }[] | undefined) ?? [];
    return list.length === 1 ? `metafield:${list[0]!.ownerId}:${list[0]!.namespace}:${list[0]!.key}` : `metafields:${seq}`;
  }
  if (field === "metafieldDefinitionCreate") return `definition:${seq}`;
  return null;
}
