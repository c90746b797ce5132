import type { WebhookHandler } from "../../platform/webhook-handler";
import { orderCancelledPayload, orderPayload, refundPayload } from "../../shopify/order-payloads";
import { applyOrderCancelledSteps, applyOrderPaidSteps, applyRefundSteps } from "./orders.server";

export const ordersPaid: WebhookHandler<typeof orderPayload> = { topic: "orders/paid", schema: orderPayload, steps: applyOrderPaidSteps };
export const ordersCancelled: WebhookHandler<typeof orderCancelledPayload> = { topic: "orders/cancelled", schema: orderCancelledPayload, steps: applyOrderCancelledSteps };
export const refundsCreate: WebhookHandler<typeof refundPayload> = { topic: "refunds/create", schema: refundPayload, steps: applyRefundSteps };
