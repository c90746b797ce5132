// The fake over plain HTTP on 127.0.0.1 (the local demo, and worker or server processes started by
// tests and the bench), and the fetch that sends the app's Admin API calls there.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ShopifyAdminFake } from "./types";

/** Header naming the shop when the fake is reached over HTTP at 127.0.0.1 instead of {shop}.myshopify.com. */
export const FAKE_SHOP_HEADER = "x-fake-shopify-shop";

export interface ShopifyAdminFakeServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `fake` over plain HTTP on 127.0.0.1. The shop is taken from the `X-Fake-Shopify-Shop` header,
 * else from a `*.myshopify.com` Host header. Point the app at it with createFakeServerFetch.
 */
export async function startShopifyAdminFakeServer(fake: ShopifyAdminFake, port = 0): Promise<ShopifyAdminFakeServer> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const hostHeader = (req.headers.host ?? "").replace(/:\d+$/, "");
      const shopHeader = req.headers[FAKE_SHOP_HEADER];
      const shop = typeof shopHeader === "string" ? shopHeader : hostHeader.endsWith(".myshopify.com") ? hostHeader : null;
      if (!shop) {
        res.writeHead(400, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ errors: `shopify-admin-fake server: name the shop with the ${FAKE_SHOP_HEADER} header` }));
        return;
      }
      const controller = new AbortController();
      res.on("close", () => {
        if (!res.writableEnded) controller.abort(new DOMException("client went away", "AbortError"));
      });
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined || ["host", "connection", "content-length", "transfer-encoding", FAKE_SHOP_HEADER].includes(name)) continue;
        headers.set(name, Array.isArray(value) ? value.join(", ") : value);
      }
      const method = req.method ?? "GET";
      const body = method === "GET" || method === "HEAD" ? undefined : Buffer.concat(chunks).toString("utf8");
      fake
        .fetch(`https://${shop}${req.url ?? "/"}`, { method, headers, body, signal: controller.signal })
        .then(async (response) => {
          const text = await response.text();
          const out: Record<string, string> = {};
          response.headers.forEach((value, name) => {
            out[name] = value;
          });
          res.writeHead(response.status, out);
          res.end(text);
        })
        .catch(() => {
          if (!res.headersSent && !res.destroyed) {
            res.writeHead(500, { "Content-Type": "application/json" });
            res.end(JSON.stringify({ errors: "shopify-admin-fake server: handler failed" }));
          } else {
            res.destroy();
          }
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * A fetch that sends `https://{shop}.myshopify.com/admin/...` to a fake server at `baseUrl` (adding
 * the shop header) and everything else to `fallback` — install it with setAbstractFetchFunc for the
 * local demo.
 */
export function createFakeServerFetch(baseUrl: string, fallback: typeof fetch = fetch): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (!url.hostname.endsWith(".myshopify.com") || !url.pathname.startsWith("/admin/")) return fallback(request);
    const headers = new Headers(request.headers);
    headers.set(FAKE_SHOP_HEADER, url.hostname);
    const target = new URL(url.pathname + url.search, baseUrl);
    const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
    return fallback(target, { method: request.method, headers, body, signal: init?.signal ?? request.signal });
  }) as typeof fetch;
}
