import type { WebhookHandler } from "./receive.server";
import { orderPayload, refundPayload } from "../shopify/order-payloads";
import { applyOrderCancelled, applyOrderPaid, applyRefund } from "../ledger/orders.server";

export const ordersPaid: WebhookHandler<typeof orderPayload> = { topic: "orders/paid", schema: orderPayload, apply: (tx, payload, meta) => applyOrderPaid(tx, payload, meta) };
export const ordersCancelled: WebhookHandler<typeof orderPayload> = { topic: "orders/cancelled", schema: orderPayload, apply: (tx, payload, meta) => applyOrderCancelled(tx, payload, meta) };
export const refundsCreate: WebhookHandler<typeof refundPayload> = { topic: "refunds/create", schema: refundPayload, apply: (tx, payload, meta) => applyRefund(tx, payload, meta) };
