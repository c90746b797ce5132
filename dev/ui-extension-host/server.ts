// A host for the app's checkout and customer-account UI extensions, as Shopify renders them, for tests,
// screenshots and the demo. It loads the bundle `shopify app build` wrote (extensions/<handle>/dist/
// <handle>.js, the file Shopify would serve), gives it a `shopify` global with the target's APIs (values
// from the scenario, signals Preact can subscribe to, i18n from the extension's locales/, session tokens
// signed with the app's secret) and draws the s-* Polaris web components with local styles inside a
// page that looks like the surface (thank-you page, order status page, customer account page).
//
// Generic on purpose: a scenario names the extension, the target, the page around it and the API values;
// nothing here knows what the loyalty blocks show. Why our own host and not Shopify's
// @shopify/ui-extensions-tester: docs/decisions/022-ui-extension-host.md.
//
// Mount `handle` under a prefix in another server (the demo), or `startUiExtensionHost` on its own port.
import { readFileSync, existsSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { extensionSessionToken } from "./session-token";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CLIENT = path.join(import.meta.dirname, "client");

/** A value the extension reads as a signal (`shopify.x.value`); everything else is given as is. */
export interface SignalValue<T = unknown> {
  $signal: T;
}

export const signal = <T>(value: T): SignalValue<T> => ({ $signal: value });

export interface ExtensionScenario {
  /** extensions/<handle>: its dist/<handle>.js and locales/ are used. */
  extension: string;
  /** The target the bundle registers with shopify.extend(), e.g. purchase.thank-you.block.render. */
  target: string;
  /** The page drawn around the block. */
  page?: "thank-you" | "order-status" | "account-page" | "plain";
  /** The buyer's language: locales/<locale>.json, falling back to en.default.json key by key. */
  locale?: string;
  /** What the bundle reads as process.env.APP_URL (Shopify's CLI bakes it in under `shopify app dev`). */
  appUrl: string;
  /** The session token shopify.sessionToken.get() returns. */
  sessionToken: { shop: string; apiKey: string; secret: string; customerGid?: string | null; ttlSeconds?: number };
  /** The target's API values beside what the host provides (i18n, localization, sessionToken, extension, storage). */
  api: Record<string, unknown>;
  /** Text of the page around the block (shop name, order name, buyer name, summary lines). */
  chrome?: { shopName?: string; title?: string; subtitle?: string; summary?: { label: string; amount: string }[]; total?: string };
}

export interface UiExtensionHost {
  /** Serves the host's paths (under `prefix`); false when the request is not one of them. */
  handle: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
  /** Registers a scenario; returns the path of its page. */
  addScenario: (scenario: ExtensionScenario, id?: string) => string;
  prefix: string;
}

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer) {
  res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
  res.end(body);
}

/** Deep merge of a locale over the default one, so a missing key still reads in the default language. */
function mergeLocale(base: unknown, over: unknown): unknown {
  if (typeof base !== "object" || base === null || typeof over !== "object" || over === null) return over ?? base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(over as Record<string, unknown>)) out[key] = mergeLocale(out[key], value);
  return out;
}

function extensionDir(handle: string): string {
  if (!/^[a-z0-9-]+$/.test(handle)) throw new Error(`bad extension handle ${handle}`);
  return path.join(ROOT, "extensions", handle);
}

function locales(handle: string, locale: string): unknown {
  const dir = path.join(extensionDir(handle), "locales");
  const read = (file: string) => (existsSync(path.join(dir, file)) ? (JSON.parse(readFileSync(path.join(dir, file), "utf8")) as unknown) : {});
  const language = locale.split("-")[0]!;
  return mergeLocale(mergeLocale(read("en.default.json"), read(`${language}.json`)), locale === language ? {} : read(`${locale}.json`));
}

const esc = (text: string) => text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function page(prefix: string, id: string, scenario: ExtensionScenario): string {
  const chrome = scenario.chrome ?? {};
  const kind = scenario.page ?? "plain";
  const summary = (chrome.summary ?? []).map((line) => `<div class="row"><span>${esc(line.label)}</span><span>${esc(line.amount)}</span></div>`).join("");
  const frame = `<iframe id="extension" title="${esc(scenario.target)}" src="${prefix}/frame/${id}"></iframe>`;
  const main =
    kind === "thank-you"
      ? `<div class="confirm"><div class="check" aria-hidden="true">✓</div><div><div class="muted">${esc(chrome.subtitle ?? "")}</div><h1>${esc(chrome.title ?? "Thank you!")}</h1></div></div>
         <section class="card"><h2>Your order is confirmed</h2><p class="muted">You'll receive a confirmation email with your order number shortly.</p></section>
         ${frame}
         <section class="card"><h2>Order details</h2><p class="muted">Shipping and payment details appear here.</p></section>`
      : kind === "order-status"
        ? `<div class="status-head"><div class="muted">${esc(chrome.subtitle ?? "")}</div><h1>${esc(chrome.title ?? "Order")}</h1></div>
           <section class="card"><h2>Confirmed</h2><p class="muted">We've received your order.</p></section>
           ${frame}`
        : kind === "account-page"
          ? `<div class="status-head"><h1>${esc(chrome.title ?? "")}</h1></div>${frame}`
          : frame;
  const aside =
    kind === "thank-you" || kind === "order-status"
      ? `<aside class="summary"><h2>Order summary</h2>${summary}${chrome.total ? `<div class="row total"><span>Total</span><span>${esc(chrome.total)}</span></div>` : ""}</aside>`
      : "";
  return `<!doctype html><html lang="${esc(scenario.locale ?? "en")}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(chrome.title ?? scenario.target)}</title><link rel="stylesheet" href="${prefix}/static/chrome.css"></head>
<body class="page-${kind}"><header class="shop-header">${esc(chrome.shopName ?? "")}${kind === "order-status" || kind === "account-page" ? "<nav><span>Orders</span><span>Profile</span></nav>" : ""}</header>
<div class="layout"><main>${main}</main>${aside}</div>
<script src="${prefix}/static/chrome.js"></script></body></html>`;
}

function frame(prefix: string, id: string, scenario: ExtensionScenario): string {
  return `<!doctype html><html lang="${esc(scenario.locale ?? "en")}" data-prefix="${esc(prefix)}" data-scenario="${esc(id)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="${prefix}/static/polaris.css"></head>
<body><script src="${prefix}/static/host.js"></script></body></html>`;
}

export function createUiExtensionHost(options: { prefix?: string } = {}): UiExtensionHost {
  const prefix = (options.prefix ?? "").replace(/\/$/, "");
  const scenarios = new Map<string, ExtensionScenario>();

  const addScenario = (scenario: ExtensionScenario, id: string = randomUUID()) => {
    scenarios.set(id, scenario);
    return `${prefix}/scenario/${id}`;
  };

  const handle = (req: http.IncomingMessage, res: http.ServerResponse): boolean => {
    const url = new URL(req.url ?? "/", "http://host.local");
    if (prefix && !url.pathname.startsWith(`${prefix}/`)) return false;
    const route = url.pathname.slice(prefix.length);
    const match = (pattern: RegExp) => pattern.exec(route);
    let m: RegExpExecArray | null;
    const scenarioOf = (id: string) => {
      const found = scenarios.get(id);
      if (!found) send(res, 404, "text/plain", `no scenario ${id}`);
      return found;
    };
    if ((m = match(/^\/scenario\/([\w-]+)$/))) {
      const scenario = scenarioOf(m[1]!);
      if (scenario) send(res, 200, "text/html; charset=utf-8", page(prefix, m[1]!, scenario));
      return true;
    }
    if ((m = match(/^\/frame\/([\w-]+)$/))) {
      const scenario = scenarioOf(m[1]!);
      if (scenario) send(res, 200, "text/html; charset=utf-8", frame(prefix, m[1]!, scenario));
      return true;
    }
    if ((m = match(/^\/spec\/([\w-]+)\.json$/))) {
      const scenario = scenarioOf(m[1]!);
      // The secret stays on this server: the page gets the token, never what signs it.
      if (scenario) send(res, 200, "application/json", JSON.stringify({ ...scenario, sessionToken: undefined, messages: locales(scenario.extension, scenario.locale ?? "en") }));
      return true;
    }
    if ((m = match(/^\/session-token\/([\w-]+)$/)) && req.method === "POST") {
      const scenario = scenarioOf(m[1]!);
      if (scenario)
        void extensionSessionToken(scenario.sessionToken).then(
          (token) => send(res, 200, "application/json", JSON.stringify(token)),
          (error: unknown) => send(res, 500, "text/plain", String(error)),
        );
      return true;
    }
    if ((m = match(/^\/bundle\/([a-z0-9-]+)\.js$/))) {
      const file = path.join(extensionDir(m[1]!), "dist", `${m[1]!}.js`);
      if (!existsSync(file)) send(res, 404, "text/plain", `${path.relative(ROOT, file)} is missing: run \`npx shopify app build --skip-dependencies-installation\``);
      else send(res, 200, "text/javascript", readFileSync(file));
      return true;
    }
    if ((m = match(/^\/static\/(host\.js|chrome\.js|polaris\.css|chrome\.css)$/))) {
      send(res, 200, m[1]!.endsWith(".js") ? "text/javascript" : "text/css", readFileSync(path.join(CLIENT, m[1]!)));
      return true;
    }
    if (prefix) {
      send(res, 404, "text/plain", "not found");
      return true;
    }
    return false;
  };

  return { handle, addScenario, prefix };
}

export interface RunningUiExtensionHost {
  url: string;
  addScenario: (scenario: ExtensionScenario, id?: string) => string;
  close: () => Promise<void>;
}

/** The host on its own port of 127.0.0.1 (a different origin from the app: CORS is exercised as on Shopify). */
export async function startUiExtensionHost(port = 0): Promise<RunningUiExtensionHost> {
  const host = createUiExtensionHost();
  const server = http.createServer((req, res) => {
    if (!host.handle(req, res)) send(res, 404, "text/plain", "not found");
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: bound } = server.address() as { port: number };
  const url = `http://127.0.0.1:${bound}`;
  return {
    url,
    addScenario: (scenario, id) => `${url}${host.addScenario(scenario, id)}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
