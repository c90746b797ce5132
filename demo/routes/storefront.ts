// The demo storefront: the theme with the app's extension (its assets, the balance and program as
// the app published them), the app proxy (/apps/loyalty/* -> the app's /proxy/*, signed), discount
// links, a cart and checkout that place the order and send its webhooks, and a sign-in picker.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type http from "node:http";
import { currentSettings } from "../../app/features/program/settings.server";
import { DEMO_SHOP, ROOT, apiSecret } from "../config";
import { forwardToApp, signedProxyUrl } from "../app-proxy";
import { cookie, cookies, readForm, redirect, send, type RouteRequest } from "../http";
import { esc } from "../pages/html";
import { cartPage, storefrontPage, thankYouPage, type StorefrontPoints, type StorefrontProgram } from "../pages/storefront";
import { CATALOG } from "../shopify/catalog";
import { customerFullName, fromCents, gid, toCents, type DemoCustomer } from "../shopify/model";
import { describeResult } from "../webhooks";
import type { DemoContext } from "./context";

interface Cart {
  items: [number, number][];
  code: string | null;
}
function readCart(req: http.IncomingMessage): Cart {
  try {
    const cart = JSON.parse(Buffer.from(cookies(req).demo_cart ?? "", "base64url").toString("utf8")) as Cart;
    return { items: Array.isArray(cart.items) ? cart.items.filter((i) => CATALOG.some((p) => p.id === i[0]) && i[1] > 0) : [], code: typeof cart.code === "string" && cart.code ? cart.code : null };
  } catch {
    return { items: [], code: null };
  }
}
const cartCookie = (cart: Cart) => cookie("demo_cart", Buffer.from(JSON.stringify(cart)).toString("base64url"));
const cartCount = (cart: Cart) => cart.items.reduce((s, [, q]) => s + q, 0);

export function storefrontHandlers(ctx: DemoContext) {
  const { shopify, db, shopRow, deliveries } = ctx;

  /** The signed-in shopper: the storefront session (a cookie here), as Shopify knows it for the app proxy. */
  function shopper(req: http.IncomingMessage): DemoCustomer | null {
    const id = Number(cookies(req).demo_customer);
    return Number.isInteger(id) ? (shopify.customer(id) ?? null) : null;
  }

  /** The app-data metafield `loyalty.program` if the app wrote one, else the same data from the app's database. */
  async function storefrontProgram(): Promise<StorefrontProgram> {
    const written = shopify.fake.metafields(DEMO_SHOP).find((m) => m.key === "program" && /(^|--)loyalty$/.test(m.namespace));
    if (written) {
      try {
        return JSON.parse(written.value) as StorefrontProgram;
      } catch {
        /* fall through */
      }
    }
    const now = new Date();
    const [{ settings }, rewards, campaign] = await Promise.all([
      currentSettings(db, shopRow.id),
      db.reward.findMany({ where: { shopId: shopRow.id, active: true }, orderBy: { pointsCost: "asc" } }),
      db.campaign.findFirst({ where: { shopId: shopRow.id, startsAt: { lte: now }, endsAt: { gt: now }, endedAt: null }, orderBy: { multiplier: "desc" } }),
    ]);
    return {
      pointsPerUnit: settings.pointsPerUnit,
      rounding: settings.rounding,
      currencyCode: shopRow.currencyCode,
      programName: "Rewards",
      campaign: campaign ? { name: campaign.name, multiplier: campaign.multiplier, startsAt: campaign.startsAt.toISOString(), endsAt: campaign.endsAt.toISOString() } : null,
      rewards: rewards.map((r) => ({ id: r.id, name: r.name, pointsCost: r.pointsCost, discountType: r.discountType, value: r.value })),
      enabled: settings.enabled,
    };
  }

  /** The customer metafield `$app:loyalty.points` as the app synced it, else the balance in the app's database. */
  async function storefrontPoints(customer: DemoCustomer): Promise<{ points: StorefrontPoints | null; source: "metafield" | "database" | "none" }> {
    const field = shopify.fake.getMetafield(DEMO_SHOP, gid(customer.id), "$app:loyalty", "points");
    if (field) {
      try {
        return { points: JSON.parse(field.value) as StorefrontPoints, source: "metafield" };
      } catch {
        /* fall through */
      }
    }
    const row = await db.customer.findUnique({ where: { shopId_shopifyCustomerId: { shopId: shopRow.id, shopifyCustomerId: gid(customer.id) } } });
    return row ? { points: { balance: row.balance, pending: row.pending, updatedAt: row.updatedAt.toISOString() }, source: "database" } : { points: null, source: "none" };
  }

  function cartTotals(cart: Cart, customer: DemoCustomer | null) {
    const lines = cart.items.map(([id, quantity]) => ({ product: CATALOG.find((p) => p.id === id)!, quantity }));
    const subtotal = lines.reduce((s, l) => s + toCents(l.product.price) * l.quantity, 0);
    const shipping = lines.length ? 500 : 0;
    const check = cart.code ? shopify.checkDiscount(cart.code, customer?.id ?? null) : null;
    let discount = 0;
    let shippingDiscount = 0;
    if (check?.ok && check.discount) {
      const v = check.discount.value;
      if (v.kind === "percentage") discount = Math.round(subtotal * v.percentage);
      else if (v.kind === "fixed_amount") discount = Math.min(subtotal, toCents(v.amount));
      else shippingDiscount = shipping;
    }

    return { lines, check, subtotal, shipping, discount, shippingDiscount, total: subtotal - discount + shipping - shippingDiscount };
  }

  return {
    asset: ({ res, url }: RouteRequest) => {
      const name = path.basename(url.pathname);
      const file = path.join(ROOT, "extensions/loyalty-theme/assets", name);
      const type = name.endsWith(".js") ? "text/javascript; charset=utf-8" : name.endsWith(".css") ? "text/css; charset=utf-8" : null;
      if (!type || !existsSync(file)) return send(res, 404, "not found", "text/plain");
      return send(res, 200, readFileSync(file, "utf8"), type);
    },
    store: async ({ req, res, url }: RouteRequest) => {
      const param = url.searchParams.get("customer");
      const headers: Record<string, string> = {};
      let customer = shopper(req);
      if (param !== null) {
        customer = param === "guest" ? null : (shopify.customer(Number(param)) ?? null);
        headers["Set-Cookie"] = cookie("demo_customer", customer ? String(customer.id) : "");
      }
      const product = CATALOG.find((x) => x.id === Number(url.searchParams.get("product"))) ?? CATALOG[0]!;
      const [program, points] = await Promise.all([storefrontProgram(), customer ? storefrontPoints(customer) : Promise.resolve({ points: null, source: "none" as const })]);
      const html = await storefrontPage({ customer, customers: shopify.customers(), program, points: points.points, pointsSource: points.source, product, cartCount: cartCount(readCart(req)), notice: null });
      return send(res, 200, html, "text/html; charset=utf-8", headers);
    },
    notFound: ({ res }: RouteRequest) => send(res, 404, "not found", "text/plain"),
    appProxy: ({ req, res, url }: RouteRequest) => {
      const customer = shopper(req);
      return forwardToApp(req, res, signedProxyUrl(url, { appBaseUrl: ctx.internalUrl, secret: apiSecret(), customerId: customer?.id ?? null }));
    },
    applyDiscount: ({ req, res, url, params }: RouteRequest) => {
      const code = decodeURIComponent(params.code!).trim().toUpperCase();
      const target = url.searchParams.get("redirect") ?? "/";
      const safe = target.startsWith("/") && !target.startsWith("//") ? target : "/";
      return redirect(res, safe === "/" ? "/demo/store" : safe, { "Set-Cookie": cartCookie({ ...readCart(req), code }) });
    },
    cart: ({ req, res, url }: RouteRequest) => {
      const cart = readCart(req);
      const customer = shopper(req);
      const totals = cartTotals(cart, customer);
      const html = cartPage({
        customer,
        customers: shopify.customers(),
        lines: totals.lines,
        code: cart.code,
        codeStatus: totals.check ? { ok: totals.check.ok, summary: totals.check.summary, reason: totals.check.reason } : null,
        subtotal: fromCents(totals.subtotal),
        discount: fromCents(totals.discount),
        shipping: fromCents(totals.shipping),
        shippingDiscount: fromCents(totals.shippingDiscount),
        total: fromCents(totals.total),
        notice: url.searchParams.get("notice"),
        cartCount: cartCount(cart),
      });
      return send(res, 200, html);
    },
    addToCart: async ({ req, res }: RouteRequest) => {
      const form = await readForm(req);
      const cart = readCart(req);
      const id = Number(form.get("product"));
      if (CATALOG.some((x) => x.id === id)) {
        const line = cart.items.find((i) => i[0] === id);
        if (line) line[1] += 1;
        else cart.items.push([id, 1]);
      }
      return redirect(res, "/cart", { "Set-Cookie": cartCookie(cart) });
    },
    removeFromCart: async ({ req, res }: RouteRequest) => {
      const form = await readForm(req);
      const cart = readCart(req);
      cart.items = cart.items.filter((i) => i[0] !== Number(form.get("product")));
      return redirect(res, "/cart", { "Set-Cookie": cartCookie(cart) });
    },
    enterCode: async ({ req, res }: RouteRequest) => {
      const form = await readForm(req);
      const code = (form.get("code") ?? "").trim().toUpperCase();
      return redirect(res, "/cart", { "Set-Cookie": cartCookie({ ...readCart(req), code: code || null }) });
    },
    checkout: async ({ req, res }: RouteRequest) => {
      const cart = readCart(req);
      const customer = shopper(req);
      const totals = cartTotals(cart, customer);
      if (totals.lines.length === 0) return redirect(res, "/cart?notice=" + encodeURIComponent("Your cart is empty."));
      const code = totals.check?.ok ? cart.code : null;
      const placed = shopify.placeOrder({ customer: customer?.id ?? null, lines: totals.lines, shipping: fromCents(totals.shipping), code, source: "storefront" });
      const delivered = await deliveries.deliverNow(placed.deliveries, false);
      const summary = delivered.map((d) => `${d.topic} → ${describeResult(d)}`).join(", ");
      const id = deliveries.storeResult({ ok: delivered.every((d) => d.status === 200), message: summary, deliveries: delivered });
      return redirect(res, `/cart/thanks?order=${placed.order.number}&result=${id}`, { "Set-Cookie": cartCookie({ items: [], code: null }) });
    },
    thankYou: ({ res, url }: RouteRequest) => {
      const order = shopify.order(Number(url.searchParams.get("order")));
      if (!order) return redirect(res, "/cart");
      const result = deliveries.result(url.searchParams.get("result") ?? "");
      const customer = order.customerId === null ? null : (shopify.customer(order.customerId) ?? null);
      return send(res, 200, thankYouPage({ customer, customers: shopify.customers(), orderNumber: order.number, total: order.total, code: order.discountCode, delivered: result?.message ?? "delivered", cartCount: 0 }));
    },
    signIn: ({ res }: RouteRequest) => {
      const list = shopify
        .customers()
        .slice(-12)
        .reverse()
        .map((c) => `<li><a href="/demo/store?customer=${c.id}">${esc(customerFullName(c))}</a></li>`)
        .join("");
      return send(
        res,
        200,
        `<!doctype html><meta charset="utf-8"><title>Sign in</title><body style="font-family:system-ui;max-width:520px;margin:40px auto"><h1>Sign in</h1><p>Customer accounts are simulated in the demo: pick who to be.</p><ul>${list}</ul><p><a href="/demo/store">Back to the store</a></p></body>`,
      );
    },
  };
}
