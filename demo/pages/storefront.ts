// GET /demo/store: a storefront for the demo shop with the REAL theme app extension
// (extensions/loyalty-theme) rendered by LiquidJS with Shopify-shaped objects
// (dev/shopify-liquid.ts): the points-balance and earn-on-product blocks and
// the rewards-launcher app embed. The launcher talks to /apps/loyalty/*, which the demo forwards to the
// app's /proxy/* signed like Shopify's app proxy (demo/app-proxy.ts).
import { DEMO_SHOP_NAME } from "../config";
import { CATALOG, type Product } from "../shopify/catalog";
import type { DemoCustomer } from "../shopify/model";
import { esc, money } from "./html";

/** The data contract of the extension (what the app writes to metafields). */
export interface StorefrontProgram {
  pointsPerUnit: string;
  rounding: "down" | "nearest";
  currencyCode: string;
  programName: string;
  campaign: { name: string; multiplier: string; endsAt: string; startsAt?: string } | null;
  rewards: { id: string; name: string; pointsCost: number; discountType: string; value: string }[];
  enabled: boolean;
}

export interface StorefrontPoints {
  balance: number;
  pending: number;
  updatedAt: string;
}

interface LiquidModule {
  renderBlock: (name: "points-balance" | "earn-on-product" | "rewards-launcher", options: Record<string, unknown>) => Promise<string>;
  ColorDrop: new (hex: string) => unknown;
}

let liquidModule: Promise<LiquidModule> | null = null;
/** The LiquidJS renderer of the extension's tests; loaded on first use. */
function liquid(): Promise<LiquidModule> {
  liquidModule ??= import("../../dev/shopify-liquid") as unknown as Promise<LiquidModule>;
  return liquidModule;
}

export const STORE_ASSET_BASE = "/demo/store/assets";

export interface StorefrontPageOptions {
  customer: DemoCustomer | null;
  customers: DemoCustomer[];
  program: StorefrontProgram;
  /** The customer metafield `$app:loyalty.points`; null when missing. */
  points: StorefrontPoints | null;
  /** Where the points shown by Liquid came from, for the demo bar. */
  pointsSource: "metafield" | "database" | "none";
  product: Product;
  cartCount: number;
  notice: string | null;
}

export async function storefrontPage(options: StorefrontPageOptions): Promise<string> {
  const { renderBlock, ColorDrop } = await liquid();
  const common = {
    locale: "en",
    program: options.program,
    customer: options.customer ? { id: options.customer.id, first_name: options.customer.firstName } : null,
    points: options.points,
    product: { title: options.product.title, price: Math.round(Number(options.product.price) * 100) },
    assetBase: STORE_ASSET_BASE,
  };
  const [earn, balance, embed] = await Promise.all([
    renderBlock("earn-on-product", { ...common, blockId: "earn1" }),
    renderBlock("points-balance", { ...common, blockId: "balance1", settings: { accent_color: new ColorDrop("#1F4E79") } }),
    renderBlock("rewards-launcher", { ...common, blockId: "embed1" }),
  ]);
  const others = CATALOG.filter((p) => p.id !== options.product.id).slice(0, 4);
  const body = `
  <section class="product">
    <div class="product__media" aria-hidden="true">${esc(options.product.title)}</div>
    <div class="product__info">
      <h1 class="product__title">${esc(options.product.title)}</h1>
      <p class="product__price">${money(options.product.price)}</p>
      ${earn}
      <form method="post" action="/cart/add"><input type="hidden" name="product" value="${options.product.id}"><button class="product__button" type="submit">Add to cart</button></form>
      <p class="product__text">Made to be worn and loved. Every order earns points: ${esc(options.program.pointsPerUnit)} per $1 spent on merchandise.</p>
    </div>
  </section>
  <section class="more">
    <h2 class="section-title">More to love</h2>
    <div class="more__grid">${others
      .map((p) => `<a class="tile" href="/demo/store?product=${p.id}"><span class="tile__media">${esc(p.title)}</span><span class="tile__title">${esc(p.title)}</span><span>${money(p.price)}</span></a>`)
      .join("")}</div>
  </section>
  <section class="account" aria-labelledby="account-title">
    <h2 class="section-title" id="account-title">My account</h2>
    <div class="grid">
      ${balance}
      <div class="orders"><strong>${options.customer ? `Signed in as ${esc(`${options.customer.firstName} ${options.customer.lastName}`)}` : "Not signed in"}</strong>
        <p>${options.customer ? `${esc(options.customer.email)} · ${options.customer.numberOfOrders} order${options.customer.numberOfOrders === 1 ? "" : "s"}` : "Pick a customer in the bar above to sign in as them."}</p></div>
    </div>
  </section>`;
  const assets = [
    `<link rel="stylesheet" href="${STORE_ASSET_BASE}/loyalty-blocks.css">`,
    `<link rel="stylesheet" href="${STORE_ASSET_BASE}/loyalty-launcher.css">`,
    `<script src="${STORE_ASSET_BASE}/loyalty-launcher.js" defer></script>`,
  ];
  const pointsNote =
    options.pointsSource === "metafield"
      ? "Balance from the customer's points metafield (synced by the app)"
      : options.pointsSource === "database"
        ? "Points metafield not synced yet: balance from the app's database"
        : options.customer
          ? "No points yet"
          : "";
  return storeLayout({ ...options, title: options.product.title, body, head: assets.join("\n  "), tail: embed, pointsSource: pointsNote });
}

export interface CartLine {
  product: Product;
  quantity: number;
}

export interface CartPageOptions {
  customer: DemoCustomer | null;
  customers: DemoCustomer[];
  lines: CartLine[];
  code: string | null;
  /** Checkout's verdict on the code. */
  codeStatus: { ok: boolean; summary: string; reason: string } | null;
  subtotal: string;
  discount: string;
  shipping: string;
  shippingDiscount: string;
  total: string;
  notice: string | null;
  cartCount: number;
}

export function cartPage(options: CartPageOptions): string {
  const lines = options.lines
    .map(
      (l) => `<tr><td>${esc(l.product.title)}</td><td class="num">${l.quantity}</td><td class="num">${money(Number(l.product.price) * l.quantity)}</td>
        <td class="num"><form method="post" action="/cart/remove"><input type="hidden" name="product" value="${l.product.id}"><button class="link" type="submit">Remove</button></form></td></tr>`,
    )
    .join("");
  const codeBanner = options.code
    ? options.codeStatus?.ok
      ? `<div class="notice notice--ok" role="status" data-demo-discount>Discount <strong>${esc(options.code)}</strong> applied: ${esc(options.codeStatus.summary)}. <form class="inline" method="post" action="/cart/code"><input type="hidden" name="code" value=""><button class="link" type="submit">Remove</button></form></div>`
      : `<div class="notice notice--error" role="alert" data-demo-discount>Discount <strong>${esc(options.code)}</strong> can't be used: ${esc(options.codeStatus?.reason ?? "unknown code")} <form class="inline" method="post" action="/cart/code"><input type="hidden" name="code" value=""><button class="link" type="submit">Remove</button></form></div>`
    : "";
  const suggestions = CATALOG.slice(0, 4)
    .map(
      (p) =>
        `<form method="post" action="/cart/add"><input type="hidden" name="product" value="${p.id}"><input type="hidden" name="redirect" value="/cart"><button class="chip" type="submit">+ ${esc(p.title)} ${money(p.price)}</button></form>`,
    )
    .join("");
  const body = `
  <section class="cart">
    <h1 class="product__title">Your cart</h1>
    ${codeBanner}
    ${options.lines.length ? `<table class="cart__table"><thead><tr><th>Product</th><th class="num">Qty</th><th class="num">Price</th><th></th></tr></thead><tbody>${lines}</tbody></table>` : `<p>Your cart is empty.</p>`}
    <div class="cart__add"><span class="muted">Add:</span> ${suggestions}</div>
    ${
      options.lines.length
        ? `<div class="cart__totals">
          <div><span>Subtotal</span><span>${money(options.subtotal)}</span></div>
          ${Number(options.discount) > 0 ? `<div><span>Discount ${esc(options.code ?? "")}</span><span>−${money(options.discount)}</span></div>` : ""}
          <div><span>Shipping</span><span>${money(options.shipping)}${Number(options.shippingDiscount) > 0 ? ` − ${money(options.shippingDiscount)}` : ""}</span></div>
          <div class="cart__total"><span>Total</span><span data-demo-total>${money(options.total)}</span></div>
          <form class="cart__code" method="post" action="/cart/code"><input name="code" placeholder="Discount code" value="${esc(options.code ?? "")}" aria-label="Discount code"><button class="btn-secondary" type="submit">Apply</button></form>
          <form method="post" action="/cart/checkout"><button class="product__button" type="submit">Place order${options.customer ? ` as ${esc(options.customer.firstName)}` : " as guest"}</button></form>
          <p class="muted small">Checkout is simulated: placing the order sends the app Shopify's orders/paid webhook for it.</p>
        </div>`
        : ""
    }
  </section>`;
  return storeLayout({ customer: options.customer, customers: options.customers, cartCount: options.cartCount, notice: options.notice, title: "Cart", body, head: "", tail: "" });
}

export function thankYouPage(options: { customer: DemoCustomer | null; customers: DemoCustomer[]; orderNumber: number; total: string; code: string | null; delivered: string; cartCount: number }): string {
  const body = `
  <section class="cart">
    <h1 class="product__title">Thank you${options.customer ? `, ${esc(options.customer.firstName)}` : ""}!</h1>
    <p class="thanks" role="status">Order <strong>#${options.orderNumber}</strong> is confirmed and paid: ${money(options.total)}${options.code ? ` with discount <strong>${esc(options.code)}</strong>` : ""}.</p>
    <p class="muted">Shopify → app: ${esc(options.delivered)}</p>
    <p>The app's blocks for this order, as Shopify shows them: <a href="/demo/blocks/thank-you/${options.orderNumber}">thank-you page</a>${options.customer ? ` · <a href="/demo/blocks/order-status/${options.orderNumber}">order status page</a>` : ""}</p>
    <p><a class="product__button" style="display:inline-block;width:auto;padding:12px 24px;text-decoration:none;text-align:center" href="/demo/store">Continue shopping</a></p>
  </section>`;
  return storeLayout({ customer: options.customer, customers: options.customers, cartCount: options.cartCount, notice: null, title: "Thank you", body, head: "", tail: "" });
}

function storeLayout(options: {
  customer: DemoCustomer | null;
  customers: DemoCustomer[];
  cartCount: number;
  notice: string | null;
  title: string;
  body: string;
  head: string;
  tail: string;
  pointsSource?: string;
}): string {
  const choices = options.customers
    .slice(-60)
    .reverse()
    .map((c) => `<option value="${c.id}"${options.customer?.id === c.id ? " selected" : ""}>${esc(`${c.firstName} ${c.lastName}`)} (${c.id})</option>`)
    .join("");
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${esc(options.title)} – ${esc(DEMO_SHOP_NAME)}</title>
  <style>${THEME_CSS}</style>
  ${options.head}
</head>
<body>
  <form class="demobar" method="get" action="/demo/store" aria-label="Demo controls">
    <strong>Demo storefront</strong>
    <label for="demo-customer">Viewing as</label>
    <select id="demo-customer" name="customer" onchange="this.form.submit()">
      <option value="guest"${options.customer ? "" : " selected"}>Guest (signed out)</option>
      ${options.customer && !options.customers.slice(-60).some((c) => c.id === options.customer!.id) ? `<option value="${options.customer.id}" selected>${esc(`${options.customer.firstName} ${options.customer.lastName}`)} (${options.customer.id})</option>` : ""}
      ${choices}
    </select>
    <noscript><button type="submit">Go</button></noscript>
    ${options.pointsSource ? `<span class="demobar__note">${esc(options.pointsSource)}</span>` : ""}
    <span class="demobar__links"><a href="/demo/admin">Admin</a><a href="/demo/orders">Order simulator</a>${options.customer ? `<a href="/demo/account?customer=${options.customer.id}">Account: Rewards page</a>` : ""}</span>
  </form>
  <div class="announcement">Free returns · Members earn points on every order</div>
  <header class="header">
    <a class="header__logo" href="/demo/store">${esc(DEMO_SHOP_NAME)}</a>
    <nav aria-label="Main"><a href="/demo/store">Shop</a><a href="/cart">Cart (${options.cartCount})</a><a href="/account/login">${options.customer ? esc(options.customer.firstName) : "Account"}</a></nav>
  </header>
  ${options.notice ? `<div class="page-width"><div class="notice" role="status">${esc(options.notice)}</div></div>` : ""}
  <main class="page-width">${options.body}</main>
  <footer class="footer">© ${new Date().getUTCFullYear()} ${esc(DEMO_SHOP_NAME)} · a local demo storefront</footer>
  ${options.tail}
</body>
</html>`;
}

const THEME_CSS = `
  *, *::before, *::after { box-sizing: border-box; }
  body { margin: 0; font-family: "Helvetica Neue", Arial, sans-serif; color: #121212; background: #fff; line-height: 1.5; }
  a { color: inherit; }
  .muted { color: #666; } .small { font-size: 13px; }
  .demobar { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; background: #1a1a1a; color: #eee; padding: 8px 24px; font: 13px system-ui, sans-serif; }
  .demobar select { font: inherit; padding: 3px 6px; border-radius: 6px; max-width: 260px; }
  .demobar__note { color: #b5b5b5; }
  .demobar__links { margin-left: auto; display: flex; gap: 14px; }
  .demobar a { color: #fff; }
  .page-width { max-width: 1100px; margin: 0 auto; padding: 0 24px; }
  .announcement { background: #f3efe7; color: #3d3d3d; text-align: center; font-size: 13px; padding: 8px; letter-spacing: .04em; }
  .header { display: flex; align-items: center; justify-content: space-between; padding: 18px 24px; border-bottom: 1px solid #e6e6e6; max-width: 1100px; margin: 0 auto; }
  .header__logo { font-size: 22px; font-weight: 700; text-decoration: none; letter-spacing: .02em; }
  .header nav { display: flex; gap: 20px; font-size: 15px; }
  .product { display: grid; grid-template-columns: 1.1fr 1fr; gap: 40px; padding: 36px 0 24px; }
  .product__media { aspect-ratio: 4 / 4; border-radius: 6px; background: linear-gradient(135deg, #e9e4da 0%, #cfc6b6 100%); display: grid; place-items: center; color: #5c5346; font-size: 14px; }
  .product__title { font-size: 34px; line-height: 1.15; margin: 0 0 8px; font-weight: 600; }
  .product__price { font-size: 20px; margin: 0 0 16px; }
  .product__button { display: block; width: 100%; max-width: 420px; padding: 14px; margin: 16px 0; border: 0; background: #121212; color: #fff; font-size: 16px; border-radius: 4px; cursor: pointer; }
  .product__text { max-width: 46ch; color: #3d3d3d; }
  .section-title { font-size: 22px; margin: 0 0 16px; }
  .more { padding: 8px 0 24px; }
  .more__grid { display: grid; grid-template-columns: repeat(4, 1fr); gap: 16px; }
  .tile { display: flex; flex-direction: column; gap: 4px; text-decoration: none; font-size: 14px; }
  .tile__media { aspect-ratio: 1; border-radius: 6px; background: linear-gradient(135deg, #ebe8f2 0%, #cfcadb 100%); display: grid; place-items: center; color: #57506a; font-size: 12px; }
  .tile__title { font-weight: 600; }
  .account { padding: 8px 0 48px; }
  .account .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; align-items: start; }
  .account .orders { border: 1px solid #e6e6e6; border-radius: 8px; padding: 16px 20px; }
  .cart { padding: 32px 0 56px; max-width: 720px; }
  .cart__table { width: 100%; border-collapse: collapse; margin: 8px 0 16px; }
  .cart__table th, .cart__table td { text-align: left; padding: 10px 6px; border-bottom: 1px solid #e6e6e6; }
  .cart__table .num { text-align: right; }
  .cart__add { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; margin: 8px 0 20px; }
  .chip { border: 1px solid #d0d0d0; background: #fff; border-radius: 999px; padding: 6px 12px; cursor: pointer; font-size: 13px; }
  .cart__totals { max-width: 420px; margin-left: auto; }
  .cart__totals > div { display: flex; justify-content: space-between; padding: 4px 0; }
  .cart__total { font-size: 20px; font-weight: 700; border-top: 1px solid #e6e6e6; margin-top: 6px; padding-top: 10px !important; }
  .cart__code { display: flex; gap: 8px; margin-top: 14px; }
  .cart__code input { flex: 1; padding: 10px; border: 1px solid #bbb; border-radius: 4px; font: inherit; }
  .btn-secondary { padding: 10px 16px; border: 1px solid #121212; background: #fff; border-radius: 4px; cursor: pointer; font: inherit; }
  .notice { border-radius: 6px; padding: 12px 16px; margin: 16px 0; background: #eef4fb; border: 1px solid #c4d8ee; }
  .notice--ok { background: #e8f6ee; border-color: #a8d8bc; }
  .notice--error { background: #fdecea; border-color: #f2b8b0; }
  .inline { display: inline; }
  .link { background: none; border: 0; padding: 0; color: #1F4E79; text-decoration: underline; cursor: pointer; font: inherit; }
  .thanks { font-size: 18px; }
  .footer { border-top: 1px solid #e6e6e6; padding: 24px; text-align: center; font-size: 14px; color: #555; }
  @media (max-width: 749px) {
    .product, .account .grid { grid-template-columns: 1fr; gap: 20px; }
    .more__grid { grid-template-columns: repeat(2, 1fr); }
    .header nav { display: none; }
  }
`;
