// Stand-ins for Shopify's admin: the admin frame with the app embedded (session tokens in the URL,
// as Shopify opens an embedded app), App Bridge's script, Shopify's CDN (offline), and the shop's own
// Orders, Customers and Discounts pages (what the app wrote to "Shopify").
import { DEMO_SHOP, apiKey, apiSecret, hostParam } from "../config";
import { appBridgeStandInScript } from "../app-bridge";
import { redirect, send, sendJson, type RouteRequest } from "../http";
import { adminFramePage, type NavItem } from "../pages/admin";
import { esc } from "../pages/html";
import { customerDetailContent, customersListContent, discountsContent, flowTriggersContent, orderDetailContent, ordersListContent } from "../pages/shopify-admin";
import { signSessionToken } from "../session-token";
import { customerFullName } from "../shopify/model";
import type { DemoContext } from "./context";

const APP_PAGES: [string, string][] = [
  ["/app/customers", "Customers"],
  ["/app/campaigns", "Campaigns"],
  ["/app/codes", "Codes"],
  ["/app/flow", "Shopify Flow"],
  ["/app/settings", "Settings"],
];

/** The app's URL inside the admin frame: embedded, with the shop, host and a fresh session token. */
export function appFrameSrc(baseUrl: string, appPath: string): string {
  const target = new URL(appPath.startsWith("/app") ? appPath : "/app", baseUrl);
  target.searchParams.set("embedded", "1");
  target.searchParams.set("shop", DEMO_SHOP);
  target.searchParams.set("host", hostParam());
  target.searchParams.set("locale", "en");
  target.searchParams.set("id_token", signSessionToken({ apiKey: apiKey(), apiSecret: apiSecret() }).token);
  return target.pathname + target.search;
}

const pageParam = (url: URL) => Math.max(1, Number(url.searchParams.get("page") ?? 1) || 1);

export function adminHandlers(ctx: DemoContext) {
  const { shopify } = ctx;

  /** The app's pages the admin's side navigation lists (those the build has). */
  function staticAppNav(): NavItem[] {
    const ids = new Set(ctx.appRoutes());
    return APP_PAGES.filter(([href]) => {
      const id = `routes/${href.slice(1).replace(/\//g, ".")}`;
      return ids.has(id) || ids.has(`${id}._index`);
    }).map(([href, label]) => ({ href, label }));
  }

  function ownPage({ res }: RouteRequest, section: "orders" | "customers" | "discounts" | "flow", title: string, content: string): void {
    send(res, 200, adminFramePage({ section, appNav: staticAppNav(), title, content }));
  }

  return {
    home: ({ res }: RouteRequest) => redirect(res, "/demo/admin"),
    appBridgeScript: ({ res }: RouteRequest) => send(res, 200, appBridgeStandInScript({ apiKey: apiKey() }), "text/javascript; charset=utf-8"),
    cdn: ({ res, url }: RouteRequest) => (url.pathname.endsWith(".css") ? send(res, 200, "/* Shopify CDN stand-in: offline */", "text/css") : send(res, 404, "offline", "text/plain")),
    sessionToken: ({ res, url }: RouteRequest) => {
      const shop = url.searchParams.get("shop") ?? DEMO_SHOP;
      if (shop !== DEMO_SHOP) return sendJson(res, 404, { error: `the demo admin only knows ${DEMO_SHOP}` });
      return sendJson(res, 200, signSessionToken({ apiKey: apiKey(), apiSecret: apiSecret() }));
    },
    appFrame: ({ res, url }: RouteRequest) => {
      const appPath = url.searchParams.get("path") ?? "/app";
      return send(res, 200, adminFramePage({ section: "app", appNav: staticAppNav(), iframeSrc: appFrameSrc(ctx.baseUrl, appPath), appPath }));
    },
    orders: (r: RouteRequest) => ownPage(r, "orders", "Orders", ordersListContent(shopify, pageParam(r.url))),
    order: (r: RouteRequest) => {
      const order = shopify.order(Number(r.params.number));
      return order ? ownPage(r, "orders", `Order #${order.number}`, orderDetailContent(shopify, order)) : ownPage(r, "orders", "Order not found", `<p>No order ${esc(r.params.number!)} in the demo shop.</p>`);
    },
    customers: (r: RouteRequest) => ownPage(r, "customers", "Customers", customersListContent(shopify, pageParam(r.url), r.url.searchParams.get("q") ?? "")),
    customer: (r: RouteRequest) => {
      const customer = shopify.customer(Number(r.params.id));
      return customer
        ? ownPage(r, "customers", customerFullName(customer), customerDetailContent(shopify, customer))
        : ownPage(r, "customers", "Customer not found", `<p>No customer ${esc(r.params.id!)} in the demo shop.</p>`);
    },
    discounts: (r: RouteRequest) => ownPage(r, "discounts", "Discounts", discountsContent(shopify, pageParam(r.url))),
    flow: (r: RouteRequest) => ownPage(r, "flow", "Shopify Flow: triggers received", flowTriggersContent(shopify)),
  };
}
