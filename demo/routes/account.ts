// The customer account's Rewards page and profile block in the demo, rendered by the UI-extension host
// (dev/ui-extension-host) from the bundles Shopify's CLI built, with session tokens signed with the
// app's secret whose `sub` is the demo customer. /demo/account?customer=<id> (the storefront's signed-in
// shopper when omitted; &locale=fr for French) opens the page; /demo/account/profile the profile block.
// Redeeming there spends the customer's points through the app, and the code is created in the demo's
// Shopify as on the storefront.
import type http from "node:http";
import { createUiExtensionHost } from "../../dev/ui-extension-host/server";
import { DEMO_SHOP, DEMO_SHOP_NAME, apiKey, apiSecret } from "../config";
import { cookies, redirect, send, type RouteRequest } from "../http";
import { esc } from "../pages/html";
import { customerFullName, gid } from "../shopify/model";
import type { DemoContext } from "./context";

export const ACCOUNT_HOST_PREFIX = "/demo/account-host";

export function accountHandlers(ctx: DemoContext) {
  const host = createUiExtensionHost({ prefix: ACCOUNT_HOST_PREFIX });

  function customerOf(req: http.IncomingMessage, url: URL) {
    const id = Number(url.searchParams.get("customer") ?? cookies(req).demo_customer);
    return Number.isInteger(id) ? (ctx.shopify.customer(id) ?? null) : null;
  }

  const open =
    (kind: "page" | "profile") =>
    ({ req, res, url }: RouteRequest) => {
      const customer = customerOf(req, url);
      if (!customer) {
        const list = ctx.shopify
          .customers()
          .slice(-8)
          .map((c) => `<li><a href="${url.pathname}?customer=${c.id}">${esc(customerFullName(c))}</a></li>`)
          .join("");
        return send(res, 200, `<!doctype html><meta charset="utf-8"><title>Customer account</title><p>Customer accounts have a signed-in customer: choose one.</p><ul>${list}</ul>`);
      }
      const page = host.addScenario({
        extension: kind === "page" ? "loyalty-rewards-page" : "loyalty-profile-block",
        target: kind === "page" ? "customer-account.page.render" : "customer-account.profile.block.render",
        page: "account-page",
        locale: url.searchParams.get("locale") === "fr" ? "fr" : "en",
        appUrl: ctx.baseUrl,
        sessionToken: { shop: DEMO_SHOP, apiKey: apiKey(), secret: apiSecret(), customerGid: gid(customer.id) },
        api: {},
        chrome: { shopName: DEMO_SHOP_NAME, title: kind === "profile" ? customerFullName(customer) : "" },
      });
      return redirect(res, page);
    };

  return {
    page: open("page"),
    profile: open("profile"),
    host: ({ req, res }: RouteRequest) => {
      if (!host.handle(req, res)) send(res, 404, "not found", "text/plain");
    },
  };
}
