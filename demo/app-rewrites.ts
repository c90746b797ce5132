// In front of the app: Shopify's CDN is offline and the admin frame is this origin. The app's HTML
// loads App Bridge and fonts from the demo's stand-ins instead, and its CSP lets this origin frame it.
import type http from "node:http";

type Next = (error?: unknown) => void;

export function appResponseRewrites(_req: http.IncomingMessage, res: http.ServerResponse, next: Next): void {
  const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => http.ServerResponse;
  let mode: "html" | "pass" | null = null;
  const chunks: Buffer[] = [];
  const decide = (): "html" | "pass" => {
    if (mode) return mode;
    const csp = res.getHeader("content-security-policy");
    // Shopify admin is the only frame ancestor the library allows; here the admin frame is this origin.
    if (typeof csp === "string" && csp.includes("frame-ancestors") && !csp.includes("'none'")) res.setHeader("content-security-policy", csp.replace("frame-ancestors", "frame-ancestors 'self'"));
    const link = res.getHeader("link");
    if (typeof link === "string") res.setHeader("link", link.replace("https://cdn.shopify.com/shopifycloud/app-bridge.js", "/demo/app-bridge.js"));
    mode = String(res.getHeader("content-type") ?? "").includes("text/html") ? "html" : "pass";
    if (mode === "html") res.removeHeader("content-length");
    return mode;
  };
  const toBuffer = (chunk: unknown, encoding?: unknown) =>
    Buffer.isBuffer(chunk) ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk) : Buffer.from(String(chunk), typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (decide() === "pass") return write(chunk, ...rest);
    chunks.push(toBuffer(chunk, rest[0]));
    const callback = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof res.write;
  res.end = ((...args: unknown[]) => {
    if (decide() === "pass") return end(...args);
    const [chunk, encoding] = args;
    if (chunk !== undefined && typeof chunk !== "function") chunks.push(toBuffer(chunk, encoding));
    // Only URLs change, never the elements: React hydrates this HTML and must find what it rendered.
    const html = Buffer.concat(chunks).toString("utf8").replaceAll("https://cdn.shopify.com/shopifycloud/app-bridge.js", "/demo/app-bridge.js").replaceAll("https://cdn.shopify.com/", "/demo/cdn/");
    return end(html);
  }) as typeof res.end;
  next();
}
