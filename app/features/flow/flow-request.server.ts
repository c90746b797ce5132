// What every request Shopify Flow sends the app goes through before it is read: POST only, the
// X-Shopify-Hmac-Sha256 signature of the raw body checked with Shopify's library (the app's secret),
// then the body as JSON against a zod schema. The routes hand in the library's functions (a feature
// does not import shopify.server). https://shopify.dev/docs/apps/build/flow/actions/endpoints#verifying-requests
// https://shopify.dev/docs/apps/build/flow/track-lifecycle-events (step 1: verify the HMAC header)
import type { z } from "zod";
import { log } from "../../platform/logger.server";

/** `flow.validate` of @shopify/shopify-api: the HMAC check authenticate.flow also runs. */
export type ValidateFlowHmac = (args: { rawBody: string; rawRequest: Request }) => Promise<{ valid: boolean; reason?: string }>;

export type FlowRequestResult<T> = { ok: true; body: T } | { ok: false; response: Response };

export function jsonAnswer(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

/** Checks method, signature and body; nothing is written whatever the outcome. */
export async function readSignedFlowRequest<S extends z.ZodTypeAny>(request: Request, validateHmac: ValidateFlowHmac, schema: S, what: string): Promise<FlowRequestResult<z.infer<S>>> {
  if (request.method !== "POST") return { ok: false, response: new Response(null, { status: 405, headers: { Allow: "POST" } }) };
  const rawBody = await request.clone().text();
  const signature = await validateHmac({ rawBody, rawRequest: request });
  if (!signature.valid) {
    log.warn(`refused a ${what} with a bad signature`, { reason: signature.reason ?? "invalid" });
    return { ok: false, response: jsonAnswer(401, { error: "Invalid signature." }) };
  }
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return { ok: false, response: jsonAnswer(400, { error: "The body is not JSON." }) };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`);
    log.warn(`refused a ${what} with an invalid body`, { issues });
    return { ok: false, response: jsonAnswer(400, { error: "Invalid body.", issues }) };
  }
  return { ok: true, body: parsed.data as z.infer<S> };
}
