// "Shopify" for the demo: what the real platform would know about the demo shop and send to the app.
// DemoShopify is the shop: its customers and orders; placing, refunding and cancelling an order
// gives the webhooks Shopify would send (delivered signed by demo/webhooks.ts). What it is made of:
//   model.ts        customers, orders, lines, refunds and the arithmetic on them
//   catalog.ts      products and customers' names
//   state-file.ts   the state and its JSON file next to the database (a restart finds the same shop)
//   admin-api.ts    the Admin API fake in the app's fetch seam, the app's writes recorded and replayed
//   discounts.ts    discount codes as checkout sees them
//   payloads.ts     orders as Shopify's webhook bodies
import type { ShopifyAdminFake } from "../../dev/shopify-admin-fake";
import { refundPayload } from "../../dev/payloads/order-fixtures";
import { DEMO_SHOP } from "../config";
import { newDelivery, type PendingDelivery } from "../webhooks";
import { DemoAdminApi } from "./admin-api";
import { CUSTOM_ITEM, ascii, customerName, type Product } from "./catalog";
import { allocate, checkDiscount, type DiscountCheck } from "./discounts";
import { DemoInputError, ORDER_ID_BASE, REFUND_ID_BASE, fromCents, gid, isAmount, lineNet, refundableCents, refundedCents, toCents, type DemoCustomer, type DemoLine, type DemoOrder, type DemoRefund } from "./model";
import { cancelledOrderPayload, paidPayload } from "./payloads";
import { DemoStateFile } from "./state-file";

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
  private readonly file: DemoStateFile;
  private readonly adminApi: DemoAdminApi;

  constructor(
    readonly stateFile: string,
    scopes: string[],
    app: { apiKey: string; apiSecret: string },
  ) {
    this.file = new DemoStateFile(stateFile);
    this.adminApi = new DemoAdminApi(this.file, scopes, app);
  }

  /** The Admin API fake (what the app wrote to "Shopify"). */
  get fake(): ShopifyAdminFake {
    return this.adminApi.fake;
  }

  /**
   * Routes the app's calls to Shopify through the fake (admin-api.ts). Call after the server build
   * was imported (its adapter sets the fetch the fake replaces).
   */
  install(): void {
    this.adminApi.install();
  }

  /** The tokens Shopify issued in an earlier run of the demo (the app stored them). */
  rememberTokens(tokens: { accessToken: string; refreshToken: string | null; expires: Date | null }): void {
    this.adminApi.rememberTokens(tokens);
  }

  /** Forgets everything (the database was re-created). */
  reset(shopRowId: string | null): void {
    this.adminApi.forgetWrites();
    this.file.reset(shopRowId);
  }

  get shopRowId(): string | null {
    return this.file.state.shopRowId;
  }

  set shopRowId(id: string | null) {
    this.file.state.shopRowId = id;
    this.file.scheduleSave();
  }

  get seeded(): boolean {
    return this.file.state.seeded;
  }

  markSeeded(): void {
    this.file.state.seeded = true;
    this.file.saveNow();
  }

  /** Puts the customers and the app's earlier Admin API writes back into the fresh fake. */
  restore(): Promise<{ customers: number; replayed: number; failed: number }> {
    return this.adminApi.restore();
  }

  /** Records the app's successful Admin API writes so a restart can replay them (admin-api.ts). */
  collectAdminWrites(): number {
    return this.adminApi.collectAdminWrites();
  }

  /** Has the app asked Shopify for this customer's order count (its first-order check) since start-up? */
  hasReadOrderCount(customerId: number): boolean {
    return this.adminApi.hasReadOrderCount(customerId);
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
    for (const id of refundIds) this.file.state.nextRefundId = Math.max(this.file.state.nextRefundId, id - REFUND_ID_BASE + 1);
    for (const c of customers) {
      if (!Number.isInteger(c.id) || this.customer(c.id)) continue;
      this.file.state.customers.push({ id: c.id, firstName: c.firstName, lastName: c.lastName, email: c.email, priorOrders: 0, numberOfOrders: c.ordersSeen });
      this.file.state.nextCustomerId = Math.max(this.file.state.nextCustomerId, c.id + 1);
    }
    for (const o of orders) {
      const number = Number(/^#(\d+)$/.exec(o.name ?? "")?.[1] ?? this.file.state.nextOrderNumber);
      const total = Number(o.total).toFixed(2);
      this.file.state.orders.push({
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
      this.file.state.nextOrderNumber = Math.max(this.file.state.nextOrderNumber, number + 1);
    }
    this.file.state.seeded = true;
    this.file.saveNow();
  }

  // ------------------------------------------------------------------------------- customers

  customers(): DemoCustomer[] {
    return this.file.state.customers;
  }

  customer(id: number): DemoCustomer | undefined {
    return this.file.state.customers.find((c) => c.id === id);
  }

  createCustomer(priorOrders = 0): DemoCustomer {
    const id = this.file.state.nextCustomerId++;
    const { firstName, lastName } = customerName(id);
    const email = `${ascii(firstName)}.${ascii(lastName)}.${id}@example.com`.toLowerCase();
    const customer: DemoCustomer = { id, firstName, lastName, email, priorOrders, numberOfOrders: priorOrders };
    this.file.state.customers.push(customer);
    this.fake.seedCustomer(DEMO_SHOP, { id: gid(id), numberOfOrders: priorOrders });
    this.file.scheduleSave();
    return customer;
  }

  // ------------------------------------------------------------------------------- orders

  orders(): DemoOrder[] {
    return this.file.state.orders;
  }

  /** Orders, newest number first. */
  recentOrders(): DemoOrder[] {
    return [...this.file.state.orders].sort((a, b) => b.number - a.number);
  }

  reserveOrderNumber(): number {
    return this.file.state.nextOrderNumber++;
  }

  order(numberOrId: number): DemoOrder | undefined {
    return this.file.state.orders.find((o) => o.number === numberOrId || o.id === numberOrId);
  }

  /** Is `code` usable at checkout for this customer now (exists, active, theirs, not used up)? */
  checkDiscount(code: string, customerId: number | null, now = new Date()): DiscountCheck {
    return checkDiscount(this.fake.findDiscountByCode(DEMO_SHOP, code) ?? null, this.file.state.orders, customerId, now);
  }

  placeOrder(input: PlaceOrderInput): PlaceOrderResult {
    const customer = input.customer === null ? null : input.customer === "new" ? this.createCustomer(0) : this.customer(input.customer);
    if (input.customer !== null && !customer) throw new DemoInputError(`No customer ${input.customer} in the demo shop.`);
    const number = input.number ?? this.file.state.nextOrderNumber++;
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
    this.file.state.orders.push(order);
    if (customer) {
      customer.numberOfOrders += 1;
      this.fake.setCustomerOrderCount(DEMO_SHOP, gid(customer.id), customer.numberOfOrders);
    }
    const paid = newDelivery("orders/paid", this.paidPayload(order, customer ?? null), `orders/paid #${number}`, new Date(order.processedAt));
    const deliveries: PendingDelivery[] = [];
    if (input.hold) order.held.push(paid);
    else deliveries.push(paid);
    this.file.scheduleSave();
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
    const refund: DemoRefund = { id: REFUND_ID_BASE + this.file.state.nextRefundId++, amount: fromCents(remaining), at: at.toISOString() };
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
    this.file.scheduleSave();
    return { order, refund, deliveries };
  }

  /** Cancels the order (orders/cancelled); held webhooks and `hold` as for refunds. */
  cancelOrder(numberOrId: number, options: { hold?: boolean; at?: Date } = {}): { order: DemoOrder; deliveries: PendingDelivery[] } {
    const at = options.at ?? new Date();
    const order = this.requireOrder(numberOrId);
    if (order.cancelledAt) throw new DemoInputError(`Order #${order.number} is cancelled already.`);
    order.cancelledAt = at.toISOString();
    const customer = order.customerId === null ? null : (this.customer(order.customerId) ?? null);
    const payload = cancelledOrderPayload(order, customer, this.codeDiscount(order));
    const deliveries = this.deliverOrHold(order, newDelivery("orders/cancelled", payload, `orders/cancelled #${order.number}`, at), options.hold);
    this.file.scheduleSave();
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
    return paidPayload(order, customer, this.codeDiscount(order));
  }

  /** The discount of the order's code in the Admin API, if any. */
  private codeDiscount(order: DemoOrder) {
    return order.discountCode ? this.fake.findDiscountByCode(DEMO_SHOP, order.discountCode) : undefined;
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

  close(): void {
    this.collectAdminWrites();
    this.file.saveNow();
    this.adminApi.uninstallFetch();
  }
}
