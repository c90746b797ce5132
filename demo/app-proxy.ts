// Shopify's app proxy for the demo storefront: /apps/loyalty/<path> on the shop's domain is forwarded
// to the app's proxy URL (/proxy/<path>, shopify.app.toml [app_proxy]) with `shop`, `path_prefix`,
// `timestamp`, `logged_in_customer_id` and `signature` added: the hex HMAC-SHA256, with the app's
// secret, of the sorted `key=value` pairs joined with no separator (multiple values of a key joined
// with ","). The shopper's identity comes from the storefront session (here the demo's customer
// cookie), never from the request. https://shopify.dev/docs/apps/build/online-store/app-proxies/authenticate-app-proxies
import { createHmac } from "node:crypto";
import http from "node:http";
import { APP_PROXY_PREFIX, DEMO_SHOP } from "./config";

export function appProxySignature(params: URLSearchParams, secret: string): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (key === "signature") continue;
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  const message = [...grouped.entries()]
    .map(([key, values]) => `${key}=${values.join(",")}`)
    .sort()
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

/** The URL the app receives for a storefront request to /apps/loyalty/<rest>. */
export function signedProxyUrl(storefrontUrl: URL, options: { appBaseUrl: string; secret: string; customerId: number | null; now?: Date }): URL {
  const rest = storefrontUrl.pathname.slice(APP_PROXY_PREFIX.length) || "/";
  const target = new URL(`/proxy${rest}`, options.appBaseUrl);
  const params = new URLSearchParams(storefrontUrl.search);
  for (const key of ["shop", "path_prefix", "timestamp", "signature", "logged_in_customer_id"]) params.delete(key);
  params.set("shop", DEMO_SHOP);
  params.set("logged_in_customer_id", options.customerId === null ? "" : String(options.customerId));
  params.set("path_prefix", APP_PROXY_PREFIX);
  params.set("timestamp", String(Math.floor((options.now ?? new Date()).getTime() / 1000)));
  params.set("signature", appProxySignature(params, options.secret));
  target.search = params.toString();
  return target;
}

/** Forwards the storefront request to the app and streams its answer back, as Shopify's proxy does. */
export function forwardToApp(req: http.IncomingMessage, res: http.ServerResponse, target: URL): void {
  const headers: Record<string, string> = {};
  for (const name of ["content-type", "accept", "accept-language", "user-agent"]) {
    const value = req.headers[name];
    if (typeof value === "string") headers[name] = value;
  }
  headers["x-forwarded-host"] = DEMO_SHOP;
  // Cookies stay on the storefront: Shopify strips them from proxied requests.
  const upstream = http.request(target, { method: req.method, headers }, (answer) => {
    const out: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value === undefined || ["connection", "transfer-encoding", "set-cookie", "content-security-policy", "link"].includes(name)) continue;
      out[name] = value;
    }
    res.writeHead(answer.statusCode ?? 502, out);
    answer.pipe(res);
  });
  upstream.on("error", (error) => {
    if (!res.headersSent) res.writeHead(502, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ error: `app proxy: ${error.message}` }));
  });
  if (req.method === "GET" || req.method === "HEAD") upstream.end();
  else req.pipe(upstream);
}
