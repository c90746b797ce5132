// What Shopify Flow does when the demo's merchant turns workflows on: one signed trigger lifecycle
// callback per trigger to the app (https://shopify.dev/docs/apps/build/flow/track-lifecycle-events),
// so the app sends its triggers to the demo shop (the Admin fake records them: /demo/admin/flow).
import { getHmac } from "@shopify/shopify-api/test-helpers";
import { FLOW_TRIGGERS } from "../app/domain/flow-triggers";
import { DEMO_SHOP } from "./config";

export async function turnOnFlowWorkflows(baseUrl: string, secret: string): Promise<number> {
  let on = 0;
  for (const trigger of FLOW_TRIGGERS) {
    const body = JSON.stringify({ flow_trigger_definition_id: trigger.handle, has_enabled_flow: true, shop_id: 1, shopify_domain: DEMO_SHOP, timestamp: new Date().toISOString() });
    const res = await fetch(`${baseUrl}/flow/lifecycle`, { method: "POST", body, headers: { "Content-Type": "application/json", "X-Shopify-Hmac-Sha256": getHmac(body, secret) } });
    if (res.ok) on += 1;
  }
  return on;
}
