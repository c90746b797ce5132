// A storefront-like page for the theme app extension, served on 127.0.0.1: a small mock theme
// (header, product, account section) with the REAL Liquid of the earn-on-product and
// points-balance blocks and the rewards-launcher embed rendered by LiquidJS (the stand-ins in
// dev/shopify-liquid.ts), the extension's assets, and a stand-in for
// the app proxy (/apps/loyalty/balance and /apps/loyalty/redeem with the app's JSON shapes).
// The real proxy routes are tested with the app; this one only has to answer like them.
//
// Shopify identifies the shopper to the app proxy from its own session (logged_in_customer_id);
// here a cookie set by the page plays that part.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import path from "node:path";
import { EXTENSION_DIR, ColorDrop, program, renderBlock, type LocaleCode, type ProgramJson, type RewardJson } from "../../../dev/shopify-liquid";

/** A merchant's browser, not a bot (the Chromium default says "HeadlessChrome"). */
export const DESKTOP_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
export const MOBILE_USER_AGENT = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36";

export type Shopper = "signed-in" | "signed-out" | "in-debt";

/** A code the shopper holds, as the app stores it (the stand-in lists it like the app's activeCodeViews). */
export interface HeldCode {
  code: string;
  source: "welcome" | "redemption";
  title: string;
  discountType: "percentage" | "fixed_amount" | "free_shipping";
  value: string;
  minSubtotal: string | null;
  endsAt: Date;
  status: "issued" | "used";
}

interface Account {
  customerId: number;
  /** What the customer metafield says (Liquid's first render). */
  metafieldBalance: number;
  /** What the app knows now (the proxy's answer): a little newer than the metafield. */
  balance: number;
  pending: number;
  history: { points: number; kind: string; at: string; description: string }[];
  codes: HeldCode[];
}

export interface ProxyCall {
  method: string;
  path: string;
  customerId: number | null;
  body?: unknown;
}

export interface Storefront {
  url: string;
  program: ProgramJson;
  accounts: Record<Exclude<Shopper, "signed-out">, Account>;
  proxyCalls: ProxyCall[];
  /** The next redeem answers with this failure instead of a code. */
  failNextRedeem: (status: number, reason: string) => void;
  /** Balances, history and the call log back to how they started. */
  reset: () => void;
  close: () => Promise<void>;
}

export interface PageOptions {
  shopper: Shopper;
  embed: boolean;
  locale: LocaleCode;
}

const CAMPAIGN_ENDS = new Date(Date.now() + 3 * 86_400_000).toISOString();
const DAY = 86_400_000;
/** The end of a UTC day `days` from now, as the app dates codes (end of the shop's local day; the shop is on UTC here). */
export const endOfDayIn = (days: number) => new Date(Math.floor((Date.now() + days * DAY) / DAY) * DAY + DAY - 1);

/** What the app's activeCodeViews answers: issued, not ended, soonest first, with the seconds left by the server's clock. */
function activeCodes(codes: HeldCode[], now = Date.now()) {
  return codes
    .filter((c) => c.status === "issued" && c.endsAt.getTime() > now)
    .sort((a, b) => a.endsAt.getTime() - b.endsAt.getTime() || (a.code < b.code ? -1 : 1))
    .map((c) => codeView(c, now));
}

function codeView(c: HeldCode, now = Date.now()) {
  return {
    code: c.code,
    source: c.source,
    title: c.title,
    discountType: c.discountType,
    value: c.discountType === "free_shipping" ? "0" : c.value,
    minSubtotal: c.minSubtotal,
    endsAt: c.endsAt.toISOString(),
    secondsLeft: Math.max(0, Math.floor((c.endsAt.getTime() - now) / 1000)),
  };
}

export async function startStorefront(): Promise<Storefront> {
  const loyaltyProgram = program({
    rounding: "nearest",
    campaign: { name: "Double points weekend", multiplier: "2", endsAt: CAMPAIGN_ENDS },
    rewards: [
      { id: "r1", name: "$5 off", pointsCost: 500, discountType: "fixed_amount", value: "5" },
      { id: "r2", name: "$15 off", pointsCost: 1500, discountType: "fixed_amount", value: "15" },
      { id: "r3", name: "Free shipping", pointsCost: 300, discountType: "percentage", value: "100" },
    ] satisfies RewardJson[],
  });
  const accounts: Storefront["accounts"] = {
    "signed-in": {
      customerId: 7,
      metafieldBalance: 600,
      balance: 620,
      pending: 30,
      history: [
        { points: 50, kind: "earn", at: "2026-11-20T10:00:00Z", description: "Order #1001" },
        { points: 20, kind: "earn", at: "2026-11-22T10:00:00Z", description: "Order #1004" },
      ],
      codes: [
        {
          code: "WELCOME-7K3MPQ2X",
          source: "welcome",
          title: "Thank you for your first order",
          discountType: "percentage",
          value: "15",
          minSubtotal: "50.00",
          endsAt: endOfDayIn(13),
          status: "issued",
        },
        { code: "REWARD-5Q8ZR2MX", source: "redemption", title: "Free shipping", discountType: "free_shipping", value: "100", minSubtotal: null, endsAt: endOfDayIn(2), status: "issued" },
        // Used by an order: the app leaves it out.
        { code: "REWARD-USED0001", source: "redemption", title: "$5 off", discountType: "fixed_amount", value: "5.00", minSubtotal: null, endsAt: endOfDayIn(20), status: "used" },
      ],
    },
    "in-debt": {
      customerId: 8,
      metafieldBalance: -40,
      balance: -40,
      pending: 0,
      history: [{ points: -90, kind: "clawback", at: "2026-11-21T10:00:00Z", description: "Refund on order #1002" }],
      codes: [],
    },
  };
  const initial = structuredClone(accounts);
  const byCustomer = new Map(Object.values(accounts).map((a) => [a.customerId, a]));
  const proxyCalls: ProxyCall[] = [];
  let nextFailure: { status: number; reason: string } | null = null;
  const pages = new Map<string, string>();

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { "Content-Type": "text/plain" });
      res.end(String(error instanceof Error ? error.stack : error));
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const customerId = Number(/(?:^|;\s*)customer_id=(\d+)/.exec(req.headers.cookie ?? "")?.[1] ?? NaN) || null;
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
      res.end(JSON.stringify(body));
    };

    if (req.method === "GET" && (url.pathname === "/" || url.pathname === "/fr")) {
      const shopper = (url.searchParams.get("shopper") ?? "signed-in") as Shopper;
      const options: PageOptions = {
        shopper,
        embed: url.searchParams.get("embed") !== "0",
        locale: url.pathname === "/fr" ? "fr" : "en",
      };
      const account = shopper === "signed-out" ? null : accounts[shopper];
      // Rendered once per variant, so LiquidJS's time doesn't show up in the page metrics
      // (Shopify renders and caches on its side); only the metafield snapshot goes into it.
      const key = JSON.stringify(options);
      if (!pages.has(key)) pages.set(key, await storefrontHtml(options, loyaltyProgram, account));
      const gzip = /\bgzip\b/.test(String(req.headers["accept-encoding"]));
      res.writeHead(200, {
        "Content-Type": "text/html; charset=utf-8",
        "Set-Cookie": account ? `customer_id=${account.customerId}; Path=/; SameSite=Lax` : "customer_id=; Path=/; Max-Age=0",
        ...(gzip ? { "Content-Encoding": "gzip" } : {}),
      });
      res.end(gzip ? gzipSync(pages.get(key)!) : pages.get(key));
      return;
    }
    if (req.method === "GET" && url.pathname.startsWith("/assets/")) {
      const name = path.basename(url.pathname);
      const type = name.endsWith(".js") ? "text/javascript" : name.endsWith(".css") ? "text/css" : null;
      if (!type) return void res.writeHead(404).end();
      // Compressed like Shopify's CDN serves them.
      const body = await readFile(path.join(EXTENSION_DIR, "assets", name));
      const gzip = /\bgzip\b/.test(String(req.headers["accept-encoding"]));
      res.writeHead(200, { "Content-Type": `${type}; charset=utf-8`, "Cache-Control": "no-store", ...(gzip ? { "Content-Encoding": "gzip" } : {}) });
      res.end(gzip ? gzipSync(body) : body);
      return;
    }
    if (url.pathname === "/apps/loyalty/balance" && req.method === "GET") {
      proxyCalls.push({ method: "GET", path: url.pathname, customerId });
      const account = customerId === null ? undefined : byCustomer.get(customerId);
      if (!account) return json(401, { loggedIn: false });
      const sorted = [...loyaltyProgram.rewards].sort((a, b) => a.pointsCost - b.pointsCost);
      const affordable = account.balance < 0 ? [] : sorted.filter((r) => r.pointsCost <= account.balance).map((r) => r.id);
      const next = sorted.find((r) => r.pointsCost > account.balance);
      return json(200, {
        loggedIn: true,
        balance: account.balance,
        pending: account.pending,
        rewards: sorted,
        affordable,
        nextReward: next ? { id: next.id, name: next.name, pointsNeeded: next.pointsCost - account.balance } : null,
        history: [...account.history].reverse(),
        activeCodes: activeCodes(account.codes),
      });
    }
    if (url.pathname === "/apps/loyalty/redeem" && req.method === "POST") {
      const raw = await new Promise<string>((resolve) => {
        let data = "";
        req.on("data", (chunk: Buffer) => (data += chunk.toString("utf8")));
        req.on("end", () => resolve(data));
      });
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
      proxyCalls.push({ method: "POST", path: url.pathname, customerId, body });
      const account = customerId === null ? undefined : byCustomer.get(customerId);
      if (!account) return json(401, { ok: false, reason: "not_logged_in", message: "Sign in first." });
      // A JSON content type can't be sent cross-site without a CORS preflight.
      if (!String(req.headers["content-type"]).startsWith("application/json")) {
        return json(415, { ok: false, reason: "unsupported_media_type", message: "Send JSON." });
      }
      if (nextFailure) {
        const failure = nextFailure;
        nextFailure = null;
        return json(failure.status, { ok: false, reason: failure.reason, message: `Stand-in failure: ${failure.reason}` });
      }
      const reward = loyaltyProgram.rewards.find((r) => r.id === (body as { rewardId?: unknown })?.rewardId);
      if (!reward) return json(404, { ok: false, reason: "unknown_reward", message: "No such reward." });
      if (account.balance < 0) return json(409, { ok: false, reason: "in_debt", message: "Balance below zero." });
      if (account.balance < reward.pointsCost) return json(409, { ok: false, reason: "insufficient_points", message: "Not enough points." });
      account.balance -= reward.pointsCost;
      account.history.push({ points: -reward.pointsCost, kind: "redeem", at: new Date().toISOString(), description: `Redeemed ${reward.name}` });
      const code = `REWARD-${randomBytes(4).toString("hex").toUpperCase()}`;
      const held: HeldCode = {
        code,
        source: "redemption",
        title: reward.name,
        discountType: reward.discountType,
        value: reward.value,
        minSubtotal: null,
        endsAt: endOfDayIn(30),
        status: "issued",
      };
      account.codes.push(held);
      return json(200, {
        ok: true,
        code,
        status: "issued",
        endsAt: held.endsAt.toISOString(),
        applyUrl: `/discount/${code}?redirect=/cart`,
        balance: account.balance,
        activeCode: codeView(held),
      });
    }
    if (url.pathname.startsWith("/discount/")) {
      res.writeHead(302, { Location: url.searchParams.get("redirect") ?? "/" }).end();
      return;
    }
    if (url.pathname === "/cart" || url.pathname === "/account/login" || url.pathname === "/favicon.ico") {
      res.writeHead(url.pathname === "/favicon.ico" ? 204 : 200, { "Content-Type": "text/html; charset=utf-8" });
      res.end(url.pathname === "/favicon.ico" ? "" : `<!doctype html><title>${url.pathname}</title><h1>${url.pathname}</h1>`);
      return;
    }
    res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    program: loyaltyProgram,
    accounts,
    proxyCalls,
    failNextRedeem: (status, reason) => {
      nextFailure = { status, reason };
    },
    reset: () => {
      for (const [shopper, account] of Object.entries(structuredClone(initial))) Object.assign(accounts[shopper as keyof typeof accounts], account);
      proxyCalls.length = 0;
      nextFailure = null;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const THEME_CSS = `
  *, *::before, *::after { box-sizing: border-box; }
  body { margin: 0; font-family: "Helvetica Neue", Arial, sans-serif; color: #121212; background: #fff; line-height: 1.5; }
  a { color: inherit; }
  .page-width { max-width: 1100px; margin: 0 auto; padding: 0 24px; }
  .announcement { background: #121212; color: #fff; text-align: center; font-size: 13px; padding: 8px; letter-spacing: .04em; }
  .header { display: flex; align-items: center; justify-content: space-between; padding: 18px 24px; border-bottom: 1px solid #e6e6e6; max-width: 1100px; margin: 0 auto; }
  .header__logo { font-size: 22px; font-weight: 700; text-decoration: none; letter-spacing: .02em; }
  .header nav { display: flex; gap: 20px; font-size: 15px; }
  .product { display: grid; grid-template-columns: 1.1fr 1fr; gap: 40px; padding: 36px 0 24px; }
  .product__media { aspect-ratio: 16 / 10; border-radius: 6px; background: linear-gradient(135deg, #e9e4da 0%, #cfc6b6 100%); display: grid; place-items: center; color: #5c5346; font-size: 14px; }
  .product__title { font-size: 36px; line-height: 1.15; margin: 0 0 8px; font-weight: 600; }
  .product__price { font-size: 20px; margin: 0 0 16px; }
  .product__button { display: block; width: 100%; max-width: 420px; padding: 14px; margin: 16px 0; border: 0; background: #121212; color: #fff; font-size: 16px; border-radius: 4px; }
  .product__text { max-width: 46ch; color: #3d3d3d; }
  .account { padding: 8px 0 48px; }
  .account h2.section-title { font-size: 24px; margin: 0 0 16px; }
  .account .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; align-items: start; }
  .account .orders { border: 1px solid #e6e6e6; border-radius: 8px; padding: 16px 20px; }
  .footer { border-top: 1px solid #e6e6e6; padding: 24px; text-align: center; font-size: 14px; color: #555; }
  @media (max-width: 749px) {
    .product, .account .grid { grid-template-columns: 1fr; gap: 20px; }
    .product { padding-top: 20px; }
    .product__title { font-size: 28px; }
    .header nav { display: none; }
  }
`;

export async function storefrontHtml(options: PageOptions, loyaltyProgram: ProgramJson, account: Account | null): Promise<string> {
  const common = {
    locale: options.locale,
    program: loyaltyProgram,
    customer: account ? { id: account.customerId, first_name: "Ana" } : null,
    points: account ? { balance: account.metafieldBalance, pending: account.pending, updatedAt: "2026-11-23T10:00:00Z" } : null,
    product: { title: "Linen shirt", price: 2499 },
    assetBase: "/assets",
  };
  const earn = await renderBlock("earn-on-product", { ...common, blockId: "earn1" });
  const balance = await renderBlock("points-balance", { ...common, blockId: "balance1", settings: { accent_color: new ColorDrop("#1F4E79") } });
  const embed = options.embed ? await renderBlock("rewards-launcher", { ...common, blockId: "embed1" }) : "";
  const fr = options.locale === "fr";
  // Shopify includes an app block's schema "stylesheet" once per page (the blocks'); the
  // embed links its own assets in its markup.
  const assets = [`<link rel="stylesheet" href="/assets/loyalty-blocks.css">`];
  return `<!doctype html>
<html lang="${options.locale}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Linen shirt – Test shop</title>
  <style>${THEME_CSS}</style>
  ${assets.join("\n  ")}
</head>
<body>
  <div class="announcement">${fr ? "Livraison offerte dès 50 $" : "Free shipping on orders over $50"}</div>
  <header class="header">
    <a class="header__logo" href="/">Test shop</a>
    <nav aria-label="Main"><a href="#">${fr ? "Boutique" : "Shop"}</a><a href="#">${fr ? "À propos" : "About"}</a><a href="/account/login">${fr ? "Compte" : "Account"}</a></nav>
  </header>
  <main class="page-width">
    <section class="product">
      <div class="product__media" aria-hidden="true">Linen shirt</div>
      <div class="product__info">
        <h1 class="product__title">Linen shirt</h1>
        <p class="product__price">$24.99</p>
        ${earn}
        <button class="product__button" type="button">${fr ? "Ajouter au panier" : "Add to cart"}</button>
        <p class="product__text">${fr ? "Une chemise légère en lin lavé, coupe droite." : "A light shirt in washed linen with a relaxed, straight fit. Breathable, easy to care for and made to be worn all summer."}</p>
      </div>
    </section>
    <section class="account" aria-labelledby="account-title">
      <h2 class="section-title" id="account-title">${fr ? "Mon compte" : "My account"}</h2>
      <div class="grid">
        ${balance}
        <div class="orders"><strong>${fr ? "Commandes" : "Orders"}</strong><p>${fr ? "Commande #1004 — expédiée" : "Order #1004 — shipped"}</p></div>
      </div>
    </section>
  </main>
  <footer class="footer">© 2026 Test shop</footer>
  ${embed}
</body>
</html>`;
}
