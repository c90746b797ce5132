// The demo layer's routes, in front of the app: one table, method + path -> handler, first match wins
// (pattern syntax: demo/http.ts pathPattern). Requests under DEMO_PATHS that no route takes get a 404
// page; every other request goes on to the app.
import type http from "node:http";
import { APP_PROXY_PREFIX } from "../config";
import { matchRoute, matchesAny, pathPattern, route, send, type Route } from "../http";
import { esc } from "../pages/html";
import { STORE_ASSET_BASE } from "../pages/storefront";
import { adminHandlers } from "./admin";
import type { DemoContext } from "./context";
import { apiHandlers, simulatorHandlers } from "./simulator";
import { storefrontHandlers } from "./storefront";
import { EXTENSION_HOST_PREFIX, extensionHandlers } from "./extensions";
import { ACCOUNT_HOST_PREFIX, accountHandlers } from "./account";

/** The paths the demo layer owns (the rest is the app's). */
const DEMO_PATHS = ["/demo", "/demo/*", APP_PROXY_PREFIX, `${APP_PROXY_PREFIX}/*`, "/discount/*", "/cart", "/cart/*", "/account/login"].map(pathPattern);

export function demoRouteTable(ctx: DemoContext): Route[] {
  const admin = adminHandlers(ctx);
  const simulator = simulatorHandlers(ctx);
  const api = apiHandlers(ctx);
  const store = storefrontHandlers(ctx);
  const blocks = extensionHandlers(ctx);
  const account = accountHandlers(ctx);
  return [
    // Shopify admin stand-ins
    route("*", ["/demo", "/demo/"], admin.home),
    route("*", "/demo/app-bridge.js", admin.appBridgeScript),
    route("*", "/demo/cdn/*", admin.cdn),
    route("*", "/demo/session-token", admin.sessionToken),
    route("*", "/demo/admin", admin.appFrame),
    route("*", "/demo/admin/orders", admin.orders),
    route("*", "/demo/admin/orders/:number(\\d+)", admin.order),
    route("*", "/demo/admin/customers", admin.customers),
    route("*", "/demo/admin/customers/:id(\\d+)", admin.customer),
    route("*", "/demo/admin/discounts", admin.discounts),
    route("*", "/demo/admin/flow", admin.flow),

    // Order simulator
    route("GET", "/demo/orders", simulator.page),
    route("POST", "/demo/orders/place", simulator.place),
    route("POST", "/demo/orders/update", simulator.update),

    // JSON API (the CLI, demo/simulate.ts, and the browser test)
    route("*", "/demo/api/info", api.info),
    route("GET", "/demo/api/customers/:id(\\d+)", api.customer),
    route("POST", "/demo/api/orders", api.placeOrder),
    route("POST", "/demo/api/orders/:number(\\d+)/:action(refund|cancel|release)", api.updateOrder),
    route("POST", "/demo/api/deliveries", api.recordDeliveries),
    route("POST", "/demo/api/*", api.unknown),

    // The checkout and customer-account UI extensions of an order (dev/ui-extension-host)
    route("GET", "/demo/blocks/thank-you/:number(\\d+)", blocks.thankYou),
    route("GET", "/demo/blocks/order-status/:number(\\d+)", blocks.orderStatus),
    route("*", `${EXTENSION_HOST_PREFIX}/*`, blocks.host),

    // Storefront
    route("*", `${STORE_ASSET_BASE}/*`, store.asset),
    route("GET", "/demo/store", store.store),
    route("*", ["/demo/store", "/demo/store/*"], store.notFound),
    route("*", [APP_PROXY_PREFIX, `${APP_PROXY_PREFIX}/*`], store.appProxy),
    route("GET", "/discount/:code", store.applyDiscount),
    route("GET", "/cart", store.cart),
    route("POST", "/cart/add", store.addToCart),
    route("POST", "/cart/remove", store.removeFromCart),
    route("POST", "/cart/code", store.enterCode),
    route("POST", "/cart/checkout", store.checkout),
    route("GET", "/cart/thanks", store.thankYou),
    route("*", "/account/login", store.signIn),

    // The customer account's Rewards page and profile block (UI extensions, dev/ui-extension-host)
    route("GET", "/demo/account", account.page),
    route("GET", "/demo/account/profile", account.profile),
    route("*", `${ACCOUNT_HOST_PREFIX}/*`, account.host),
  ];
}

/** Express middleware: the demo layer's answer, or `next()` for the app's paths. */
export function demoLayer(ctx: DemoContext) {
  const routes = demoRouteTable(ctx);
  return async (req: http.IncomingMessage, res: http.ServerResponse, next: (error?: unknown) => void): Promise<void> => {
    const url = new URL(req.url ?? "/", ctx.baseUrl);
    const p = url.pathname;
    if (!matchesAny(DEMO_PATHS, p)) return next();
    const found = matchRoute(routes, req.method ?? "GET", p);
    if (found) return found.route.handle({ req, res, url, params: found.params });
    return send(res, 404, `<!doctype html><meta charset="utf-8"><title>Not found</title><p>Nothing at ${esc(p)}. Try <a href="/demo/admin">/demo/admin</a>.</p>`);
  };
}
