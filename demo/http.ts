// The demo layer's HTTP plumbing: answers (HTML, JSON, redirects), request bodies and cookies, and
// the route table's matching (method + path pattern -> handler, first match wins).
import type http from "node:http";
import { DemoInputError } from "./shopify/model";

// ------------------------------------------------------------------------------------------------
// Answers

export function send(res: http.ServerResponse, status: number, body: string, type = "text/html; charset=utf-8", headers: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store", ...headers });
  res.end(body);
}
export const sendJson = (res: http.ServerResponse, status: number, value: unknown) => send(res, status, JSON.stringify(value), "application/json");
export const redirect = (res: http.ServerResponse, location: string, headers: Record<string, string | string[]> = {}) => {
  res.writeHead(303, { Location: location, "Cache-Control": "no-store", ...headers });
  res.end();
};

// ------------------------------------------------------------------------------------------------
// Requests

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > 1_000_000) reject(new Error("body too large"));
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
export const readForm = async (req: http.IncomingMessage) => new URLSearchParams(await readBody(req));
export async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req);
  try {
    const value = JSON.parse(text || "{}") as unknown;
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    throw new DemoInputError("Send a JSON object.");
  }
}

export function cookies(req: http.IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}
export const cookie = (name: string, value: string) => `${name}=${encodeURIComponent(value)}; Path=/; SameSite=Lax; HttpOnly`;

// ------------------------------------------------------------------------------------------------
// Routes

export interface RouteRequest {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  /** The request URL (path as sent: not percent-decoded). */
  url: URL;
  /** The pattern's named parts (`:number`, `:code`…), as in the path. */
  params: Record<string, string>;
}
export type RouteHandler = (request: RouteRequest) => Promise<void> | void;
export interface Route {
  method: "GET" | "POST" | "*";
  paths: RegExp[];
  handle: RouteHandler;
}

/**
 * A path pattern as a RegExp. `/a/:name` matches one segment (`[^/]+`), `/a/:name(\\d+)` what the
 * parenthesised expression allows; a pattern ending in `/*` matches every path that starts with it
 * (`/a/*`: `/a/`, `/a/b`, `/a/b/c`). Anything else is literal.
 */
export function pathPattern(pattern: string): RegExp {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  if (pattern.endsWith("/*")) return new RegExp(`^${escape(pattern.slice(0, -1))}`);
  let source = "";
  let last = 0;
  for (const m of pattern.matchAll(/:(\w+)(?:\(([^)]+)\))?/g)) {
    source += `${escape(pattern.slice(last, m.index))}(?<${m[1]}>${m[2] ?? "[^/]+"})`;
    last = m.index + m[0].length;
  }
  return new RegExp(`^${source}${escape(pattern.slice(last))}$`);
}

export function route(method: Route["method"], path: string | string[], handle: RouteHandler): Route {
  return { method, paths: (Array.isArray(path) ? path : [path]).map(pathPattern), handle };
}

/** The first route whose method and path match, with its path parameters. */
export function matchRoute(routes: readonly Route[], method: string, pathname: string): { route: Route; params: Record<string, string> } | null {
  for (const r of routes) {
    if (r.method !== "*" && r.method !== method) continue;
    for (const re of r.paths) {
      const m = re.exec(pathname);
      if (m) return { route: r, params: { ...m.groups } };
    }
  }
  return null;
}

/** Whether `pathname` matches any of these patterns. */
export function matchesAny(patterns: readonly RegExp[], pathname: string): boolean {
  return patterns.some((re) => re.test(pathname));
}
