// The request side of the UI-extension API: bounded JSON bodies, and answers that always carry the
// CORS headers (the extension runs on Shopify's origin, not the app's).
import type { z } from "zod";
import { jsonResponse } from "../platform/http.server";
import type { ExtensionIdentity } from "./identity.server";

/** Bodies past this are refused unread: 250 lines of checkout figures fit in well under it. */
export const MAX_BODY_BYTES = 64 * 1024;

export type Parsed<T> = { ok: true; data: T } | { ok: false; response: Response };

/** Reads a JSON body of at most MAX_BODY_BYTES and validates it; a bad one is a 400/413/415 with CORS headers. */
export async function readJsonBody<T>(request: Request, schema: z.ZodType<T, z.ZodTypeDef, unknown>, identity: ExtensionIdentity): Promise<Parsed<T>> {
  const refuse = (status: number, error: string): Parsed<T> => ({ ok: false, response: identity.cors(jsonResponse({ error }, status)) });
  if (!(request.headers.get("Content-Type") ?? "").startsWith("application/json")) return refuse(415, "send JSON");
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > MAX_BODY_BYTES) return refuse(413, "body too large");
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) return refuse(413, "body too large");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return refuse(400, "body is not JSON");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return refuse(400, `invalid request: ${parsed.error.issues[0]?.path.join(".") ?? ""} ${parsed.error.issues[0]?.message ?? ""}`.trim());
  return { ok: true, data: parsed.data };
}

/** JSON answer with the CORS headers and no caching (figures change as the order is applied). */
export function answer(identity: ExtensionIdentity, body: unknown, status = 200): Response {
  return identity.cors(jsonResponse(body, { status, headers: { "Cache-Control": "no-store" } }));
}
