// Shopify Flow's trigger lifecycle callback (extensions/flow-trigger-lifecycle): a merchant turned a
// workflow that uses one of the app's triggers on or off. Must answer 2xx within 5 seconds or the
// merchant cannot turn the workflow on (https://shopify.dev/docs/apps/build/flow/track-lifecycle-events).
// Signature checked with Shopify's library; no Admin call, one short transaction.
import type { ActionFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { validateFlowRequest } from "../shopify.server";
import { jsonAnswer, readSignedFlowRequest } from "../features/flow/flow-request.server";
import { lifecycleCallbackSchema, recordLifecycleCallback } from "../features/flow/lifecycle.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const read = await readSignedFlowRequest(request, validateFlowRequest, lifecycleCallbackSchema, "Flow trigger lifecycle callback");
  if (!read.ok) return read.response;
  const { applied, handle } = await recordLifecycleCallback(prisma, read.body);
  return jsonAnswer(200, { trigger: handle, enabled: read.body.has_enabled_flow, applied });
};
