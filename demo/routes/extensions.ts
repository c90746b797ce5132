// The app's checkout and customer-account UI extensions in the demo: the thank-you block and the
// order-status block of a demo order, rendered by the UI-extension host (dev/ui-extension-host) from the
// bundles Shopify's CLI built, with session tokens signed with the app's secret for the order's customer.
// /demo/blocks/thank-you/:number and /demo/blocks/order-status/:number register the scenario of that
// order and redirect to its page under /demo/extensions/.
import { createUiExtensionHost } from "../../dev/ui-extension-host/server";
import { orderStatusApi, summaryRows, thankYouApi, type CheckoutSpec } from "../../dev/ui-extension-host/checkout-values";
import { DEMO_SHOP, DEMO_SHOP_NAME, apiKey, apiSecret } from "../config";
import { redirect, send, type RouteRequest } from "../http";
import { money } from "../pages/html";
import { customerFullName, gid } from "../shopify/model";
import type { DemoContext } from "./context";

export const EXTENSION_HOST_PREFIX = "/demo/extensions";

export function extensionHandlers(ctx: DemoContext) {
  const { shopify } = ctx;
  const host = createUiExtensionHost({ prefix: EXTENSION_HOST_PREFIX });

  function scenarioOf(number: number, kind: "thank-you" | "order-status", locale: string) {
    const order = shopify.order(number);
    if (!order) return null;
    const customer = order.customerId === null ? null : (shopify.customer(order.customerId) ?? null);
    const code = order.discountCode;
    const merchandiseDiscount = order.lines.reduce((s, l) => s + Number(l.discount), 0);
    // The checkout as the Thank you page's APIs give it: the order's discount is an order-level allocation.
    const checkout: CheckoutSpec = {
      orderId: order.id,
      lines: order.lines.map((l) => ({ title: l.title, productId: l.productId, quantity: l.quantity, unitPrice: l.price })),
      orderDiscount: merchandiseDiscount > 0 ? merchandiseDiscount.toFixed(2) : undefined,
      discountCodes: code ? [code] : [],
      shipping: Number(order.shipping) - Number(order.shippingDiscount) > 0 ? (Number(order.shipping) - Number(order.shippingDiscount)).toFixed(2) : undefined,
      isFirstOrder: customer !== null && customer.priorOrders === 0 && shopify.orders().filter((o) => o.customerId === customer.id && o.number <= order.number).length === 1,
    };
    const summary = summaryRows(checkout, (amount) => money(amount));
    const token = { shop: DEMO_SHOP, apiKey: apiKey(), secret: apiSecret(), customerGid: customer ? gid(customer.id) : null };
    const chrome = { shopName: DEMO_SHOP_NAME, summary: summary.rows, total: summary.total };
    if (kind === "thank-you") {
      return host.addScenario({
        extension: "loyalty-thank-you",
        target: "purchase.thank-you.block.render",
        page: "thank-you",
        locale,
        appUrl: ctx.baseUrl,
        sessionToken: token,
        api: thankYouApi(checkout),
        chrome: { ...chrome, title: customer ? `Thank you, ${customer.firstName}!` : "Thank you!", subtitle: `Order #${order.number}` },
      });
    }
    if (!customer) return null; // customer accounts have a signed-in customer
    return host.addScenario({
      extension: "loyalty-order-status",
      target: "customer-account.order-status.block.render",
      page: "order-status",
      locale,
      appUrl: ctx.baseUrl,
      sessionToken: token,
      api: orderStatusApi({ orderId: order.id, name: `#${order.number}`, processedAt: order.processedAt }),
      chrome: { ...chrome, title: `Order #${order.number}`, subtitle: `${customerFullName(customer)} · confirmed` },
    });
  }

  const open =
    (kind: "thank-you" | "order-status") =>
    ({ res, url, params }: RouteRequest) => {
      const locale = url.searchParams.get("locale") === "fr" ? "fr" : "en";
      const page = scenarioOf(Number(params.number), kind, locale);
      if (!page) return send(res, 404, `<!doctype html><meta charset="utf-8"><p>No ${kind} block for order #${Number(params.number)}${kind === "order-status" ? " (guest orders have no customer account)" : ""}.</p>`);
      return redirect(res, page);
    };

  return {
    thankYou: open("thank-you"),
    orderStatus: open("order-status"),
    host: ({ req, res }: RouteRequest) => {
      if (!host.handle(req, res)) send(res, 404, "not found", "text/plain");
    },
  };
}
