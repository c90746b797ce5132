// Delivering webhooks the way Shopify does: a POST of the JSON payload to the subscription's URI with
// X-Shopify-Hmac-Sha256 = base64(HMAC-SHA256(raw body, app secret)) and Shopify's other headers
// (https://shopify.dev/docs/apps/build/webhooks/verify). Shared by the demo server (seeding, the order
// simulator, the storefront checkout) and the CLI (demo/simulate.ts).
import { randomUUID } from "node:crypto";
import http from "node:http";
import { getHmac } from "@shopify/shopify-api/test-helpers";
import { DEMO_SHOP } from "./config";
import type { Db } from "../app/platform/db.server";
import { PINNED_API_VERSION } from "../app/shopify/api-version";

export type DemoTopic = "orders/paid" | "orders/cancelled" | "refunds/create";

/** One event Shopify has to deliver: the same webhook id on every attempt (redeliveries included). */
export interface PendingDelivery {
  topic: DemoTopic;
  webhookId: string;
  eventId: string;
  triggeredAt: string;
  payload: unknown;
  /** What it is, for people: "orders/paid #1042". */
  label: string;
}

export interface DeliveryResult {
  topic: DemoTopic;
  webhookId: string;
  label: string;
  attempt: number;
  status: number;
  /** The app's answer (JSON when it is JSON). */
  body: unknown;
  ms: number;
  at: string;
  /** What the app's applier then did with the stored delivery (docs/decisions/007), when it answered "received". */
  applied?: { outcome: string; reason: string | null };
}

let reader: Db | null = null;
/** The demo server reads the app's database to show what became of each delivery; the CLI does not. */
export function readDeliveryOutcomesFrom(db: Db): void {
  reader = db;
}

/** Waits (up to 10 s) until the app has applied a stored delivery, and says how it ended. */
async function appliedOutcome(webhookId: string): Promise<{ outcome: string; reason: string | null } | undefined> {
  if (!reader) return undefined;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const row = await reader.webhookDelivery.findUnique({ where: { shop_webhookId: { shop: DEMO_SHOP, webhookId } }, select: { outcome: true, reason: true } });
    if (row && row.outcome !== "received") return row;
    if (Date.now() > deadline) return row ?? undefined;
    await new Promise((r) => setTimeout(r, 15));
  }
}

/** `at`: when the event happened at the shop (X-Shopify-Triggered-At); now by default. */
export function newDelivery(topic: DemoTopic, payload: unknown, label: string, at: Date = new Date()): PendingDelivery {
  const webhookId = randomUUID();
  return { topic, webhookId, eventId: randomUUID(), triggeredAt: at.toISOString(), payload, label };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

/** POSTs one signed delivery to `${baseUrl}/webhooks/<topic>`. */
export async function deliver(baseUrl: string, delivery: PendingDelivery, secret: string, attempt = 1): Promise<DeliveryResult> {
  const body = JSON.stringify(delivery.payload);
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "X-Shopify-Topic": delivery.topic,
    "X-Shopify-Shop-Domain": DEMO_SHOP,
    "X-Shopify-Api-Version": PINNED_API_VERSION,
    "X-Shopify-Webhook-Id": delivery.webhookId,
    "X-Shopify-Event-Id": delivery.eventId,
    "X-Shopify-Triggered-At": delivery.triggeredAt,
    "X-Shopify-Hmac-Sha256": getHmac(body, secret),
    "User-Agent": "Shopify-Captain-Hook",
  };
  const started = performance.now();
  const { status, text } = await post(new URL(`/webhooks/${delivery.topic}`, baseUrl), body, headers);
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  const ms = Math.round(performance.now() - started);
  const applied = status === 200 && (parsed as { outcome?: unknown })?.outcome === "received" ? await appliedOutcome(delivery.webhookId) : undefined;
  return { topic: delivery.topic, webhookId: delivery.webhookId, label: delivery.label, attempt, status, body: parsed, ms, at: new Date().toISOString(), ...(applied ? { applied } : {}) };
}

/** Delivers in order; `duplicate` sends each one twice (same webhook id), as Shopify's at-least-once delivery may. */
export async function deliverAll(baseUrl: string, deliveries: PendingDelivery[], secret: string, options: { duplicate?: boolean } = {}): Promise<DeliveryResult[]> {
  const results: DeliveryResult[] = [];
  for (const delivery of deliveries) {
    results.push(await deliver(baseUrl, delivery, secret, 1));
    if (options.duplicate) results.push(await deliver(baseUrl, delivery, secret, 2));
  }
  return results;
}

/** A short human summary of the app's answer and what became of it: "200 received → applied", "200 duplicate", "401". */
export function describeResult(result: DeliveryResult): string {
  const body = result.body as { outcome?: unknown; reason?: unknown; error?: unknown } | null;
  const parts = [String(result.status)];
  if (body && typeof body === "object") {
    if (typeof body.outcome === "string") parts.push(body.outcome);
    if (typeof body.reason === "string") parts.push(`(${body.reason})`);
    if (typeof body.error === "string") parts.push(body.error);
  }
  if (result.applied) parts.push(`→ ${result.applied.outcome}${result.applied.reason ? ` (${result.applied.reason})` : ""}`);
  return parts.join(" ");
}

export function post(url: URL, body: string, headers: Record<string, string>): Promise<{ status: number; text: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", agent, headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), headers: res.headers }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`timeout posting to ${url.pathname}`)));
    req.end(body);
  });
}

export function get(url: URL, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "GET", agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`timeout getting ${url.pathname}`)));
    req.end();
  });
}
