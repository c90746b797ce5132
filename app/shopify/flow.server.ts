// Shopify Flow: sending one trigger (flowTriggerReceive). Sent through ./admin-client.server, so a
// THROTTLED answer, a 5xx or a timeout is the usual retryable error and the worker paces the shop.
import { ADMIN_OPERATION_NAMES } from "./admin-documents";
import { adminRequest, requirePayload, throwIfUserErrors, type AdminCallOptions, type AdminGraphql } from "./admin-client.server";

/**
 * Sends `payload` to the workflows that start with the trigger `handle`. `userErrors` (unknown handle,
 * payload not matching the trigger's fields, too large) are an AdminUserError: not retryable.
 */
export async function sendFlowTrigger(client: AdminGraphql, handle: string, payload: Record<string, unknown>, options: AdminCallOptions = {}): Promise<void> {
  const operation = ADMIN_OPERATION_NAMES.flowTriggerReceive;
  const { data, cost } = await adminRequest(client, "flowTriggerReceive", { handle, payload }, options);
  throwIfUserErrors(requirePayload(data.flowTriggerReceive, "flowTriggerReceive", operation, cost), operation, cost);
}
