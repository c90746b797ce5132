// The order simulator (/demo/orders: place, refund, cancel, deliver twice or out of order) and its
// JSON API for the CLI (demo/simulate.ts) and the browser test. Both send Shopify's webhooks to the app.
import { APP_NAME, DEMO_SHOP } from "../config";
import { readForm, readJson, redirect, send, sendJson, type RouteHandler, type RouteRequest } from "../http";
import { simulatorPage, type SimulatorResult } from "../pages/simulator";
import { DemoInputError, customerFullName } from "../shopify/model";
import type { DeliveryResult } from "../webhooks";
import type { DemoContext } from "./context";

export function simulatorHandlers(ctx: DemoContext) {
  const { shopify, deliveries } = ctx;
  return {
    page: ({ res, url }: RouteRequest) => {
      const result = deliveries.result(url.searchParams.get("result") ?? "") ?? null;
      const order = Number(url.searchParams.get("order"));
      return send(res, 200, simulatorPage({ shopify, result, log: deliveries.entries, selectedCustomer: url.searchParams.get("customer"), selectedOrder: Number.isInteger(order) ? order : null }));
    },
    place: async ({ req, res }: RouteRequest) => {
      const form = await readForm(req);
      const choice = form.get("customer") ?? "new";
      const duplicate = form.get("duplicate") === "1";
      let id: string;
      let selected = choice;
      try {
        const placed = shopify.placeOrder({
          customer: choice === "new" ? "new" : choice === "guest" ? null : Number(choice),
          amount: (form.get("amount") ?? "").trim(),
          code: form.get("code"),
          hold: form.get("hold") === "1",
          source: "simulator",
        });
        const delivered = await deliveries.deliverNow(placed.deliveries, duplicate);
        const who = placed.customer ? `${customerFullName(placed.customer)} (${choice === "new" ? "new customer " : "customer "}${placed.customer.id})` : "a guest";
        const notes = [placed.codeNote, placed.order.held.length ? "orders/paid is held: it will arrive after the next refund or cancellation of this order (or use Deliver held webhooks)." : null].filter(Boolean);
        id = deliveries.storeResult({ ok: delivered.every((d) => d.status === 200), message: `Order #${placed.order.number} placed for ${who}: $${placed.order.total}. ${notes.join(" ")}`.trim(), deliveries: delivered });
        selected = placed.customer ? String(placed.customer.id) : choice;
        return redirect(res, `/demo/orders?result=${id}&customer=${encodeURIComponent(selected)}&order=${placed.order.number}`);
      } catch (error) {
        if (!(error instanceof DemoInputError)) throw error;
        id = deliveries.storeResult({ ok: false, message: error.message, deliveries: [] });
        return redirect(res, `/demo/orders?result=${id}&customer=${encodeURIComponent(selected)}`);
      }
    },
    update: async ({ req, res }: RouteRequest) => {
      const form = await readForm(req);
      const number = Number(form.get("order"));
      const action = form.get("action");
      const hold = form.get("hold") === "1";
      let result: SimulatorResult;
      try {
        if (action === "refund") {
          const { refund, order, deliveries: pending } = shopify.refundOrder(number, (form.get("amount") ?? "").trim(), { hold });
          const delivered = await deliveries.deliverNow(pending, form.get("duplicate") === "1");
          result = {
            ok: delivered.every((d) => d.status === 200),
            message: `Refunded $${refund.amount} of order #${order.number}.${hold ? " refunds/create is held until the next event for this order." : ""}`,
            deliveries: delivered,
          };
        } else if (action === "cancel") {
          const { order, deliveries: pending } = shopify.cancelOrder(number, { hold });
          const delivered = await deliveries.deliverNow(pending, form.get("duplicate") === "1");
          result = { ok: delivered.every((d) => d.status === 200), message: `Order #${order.number} cancelled.${hold ? " orders/cancelled is held until the next event for this order." : ""}`, deliveries: delivered };
        } else {
          const delivered = await deliveries.deliverNow(shopify.releaseHeld(number), form.get("duplicate") === "1");
          result = { ok: delivered.every((d) => d.status === 200), message: `Delivered the held webhooks of order #${number}.`, deliveries: delivered };
        }
      } catch (error) {
        if (!(error instanceof DemoInputError)) throw error;
        result = { ok: false, message: error.message, deliveries: [] };
      }
      return redirect(res, `/demo/orders?result=${deliveries.storeResult(result)}&order=${number}`);
    },
  };
}

/**
 * A JSON API handler: the body is read as a JSON object first, and a DemoInputError (bad input, no
 * such order…) answers 400 with its message.
 */
function jsonApi(handle: (request: RouteRequest, body: Record<string, unknown>) => Promise<void> | void): RouteHandler {
  return async (request) => {
    try {
      const body = await readJson(request.req);
      await handle(request, body);
    } catch (error) {
      if (error instanceof DemoInputError) return sendJson(request.res, 400, { error: error.message });
      throw error;
    }
  };
}

export function apiHandlers(ctx: DemoContext) {
  const { shopify, baseUrl } = ctx;
  return {
    info: ({ res }: RouteRequest) =>
      sendJson(res, 200, {
        shop: DEMO_SHOP,
        appName: APP_NAME,
        appRoutes: ctx.appRoutes(),
        seeded: shopify.seeded,
        customers: shopify.customers().length,
        orders: shopify.orders().length,
        urls: { admin: `${baseUrl}/demo/admin`, storefront: `${baseUrl}/demo/store`, simulator: `${baseUrl}/demo/orders` },
      }),
    customer: ({ res, params }: RouteRequest) => {
      const customer = shopify.customer(Number(params.id));
      return customer ? sendJson(res, 200, customer) : sendJson(res, 404, { error: "no such customer" });
    },
    placeOrder: jsonApi(({ res }, body) => {
      const c = body.customer;
      const placed = shopify.placeOrder({
        customer: c === "new" ? "new" : c === "guest" || c === null ? null : Number(c),
        amount: String(body.amount ?? ""),
        code: typeof body.code === "string" ? body.code : null,
        hold: body.hold === true,
        source: "cli",
      });
      return sendJson(res, 200, {
        order: { number: placed.order.number, id: placed.order.id, total: placed.order.total },
        customer: placed.customer,
        codeNote: placed.codeNote,
        deliveries: placed.deliveries,
        held: placed.order.held.map((d) => d.label),
      });
    }),
    updateOrder: jsonApi(({ res, params }, body) => {
      const number = Number(params.number);
      const hold = body.hold === true;
      if (params.action === "refund") {
        const { order, refund, deliveries } = shopify.refundOrder(number, String(body.amount ?? ""), { hold });
        return sendJson(res, 200, { order: { number: order.number, id: order.id }, refund, deliveries });
      }
      if (params.action === "cancel") {
        const { order, deliveries } = shopify.cancelOrder(number, { hold });
        return sendJson(res, 200, { order: { number: order.number, id: order.id }, deliveries });
      }
      return sendJson(res, 200, { deliveries: shopify.releaseHeld(number) });
    }),
    recordDeliveries: jsonApi(({ res }, body) => {
      ctx.deliveries.record(Array.isArray(body.results) ? (body.results as DeliveryResult[]).slice(0, 20) : []);
      return sendJson(res, 200, { ok: true });
    }),
    unknown: jsonApi(({ res }) => sendJson(res, 404, { error: "unknown demo API route" })),
  };
}
