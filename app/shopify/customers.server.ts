// Customers: what the app reads about a customer (their order count, for the first-order bonus).
// Sent through ./admin-client.server.
import { ADMIN_OPERATION_NAMES } from "./admin-documents";
import { adminRequest, stringifyShort, type AdminCallOptions, type AdminGraphql } from "./admin-client.server";
import { AdminPermanentError } from "./admin-errors";
import { assertCustomerGid } from "./admin-input";

/**
 * The customer's lifetime order count (`Customer.numberOfOrders`, an UnsignedInt64 sent as a string),
 * or null when the customer does not exist (deleted / wrong shop).
 */
export async function getCustomerOrderCount(client: AdminGraphql, customerGid: string, options: AdminCallOptions = {}): Promise<number | null> {
  assertCustomerGid(customerGid, "getCustomerOrderCount");
  const operation = ADMIN_OPERATION_NAMES.customerOrderCount;
  const { data, cost } = await adminRequest(client, "customerOrderCount", { id: customerGid }, options);
  if (!data.customer) return null;
  // Typed as the string UnsignedInt64 is serialized as; a number is accepted too (older clients parse it).
  const raw: unknown = data.customer.numberOfOrders;
  const count = typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : typeof raw === "number" ? raw : Number.NaN;
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new AdminPermanentError(`${operation}: numberOfOrders is not an unsigned integer: ${stringifyShort(raw)}`, {
      operation,
      cost,
    });
  }
  return count;
}
