// The customer's loyalty metafield (`$app:loyalty.points`, read by the theme extension) and its
// definition, plus the one metafieldsSet upsert both metafield writers use. Sent through
// ./admin-client.server.
import { ADMIN_OPERATION_NAMES } from "./admin-documents";
import { adminRequest, readUserErrors, requirePayload, throwIfUserErrors, type AdminCallOptions, type AdminGraphql } from "./admin-client.server";
import { AdminInvalidInputError, AdminPermanentError, AdminUserError } from "./admin-errors";
import { assertCustomerGid } from "./admin-input";

/** The app-owned metafield that mirrors a customer's points for the storefront (theme extension). */
export const LOYALTY_METAFIELD = {
  /** Shopify expands `$app:loyalty` to `app--{api-client-id}--loyalty`. */
  namespace: "$app:loyalty",
  key: "points",
  type: "json",
} as const;

export interface CustomerLoyaltyMetafieldInput {
  customerGid: string;
  balance: number;
  pending: number;
  updatedAt: Date;
}

/** The JSON stored in the customer's `$app:loyalty.points` metafield (read by the theme extension). */
export interface LoyaltyMetafieldValue {
  balance: number;
  pending: number;
  updatedAt: string;
}

/**
 * Writes `{ balance, pending, updatedAt }` to the customer's `$app:loyalty.points` json metafield
 * (last write wins: no compareDigest). https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/metafieldsSet
 */
export async function setCustomerLoyaltyMetafield(client: AdminGraphql, input: CustomerLoyaltyMetafieldInput, options: AdminCallOptions = {}): Promise<{ metafieldId: string }> {
  assertCustomerGid(input.customerGid, "setCustomerLoyaltyMetafield");
  for (const [field, n] of [
    ["balance", input.balance],
    ["pending", input.pending],
  ] as const) {
    if (!Number.isSafeInteger(n)) throw new AdminInvalidInputError(`setCustomerLoyaltyMetafield: ${field} must be an integer, got ${n}`);
  }
  if (!(input.updatedAt instanceof Date) || Number.isNaN(input.updatedAt.getTime())) {
    throw new AdminInvalidInputError("setCustomerLoyaltyMetafield: updatedAt must be a valid Date");
  }
  const value: LoyaltyMetafieldValue = {
    balance: input.balance,
    pending: input.pending,
    updatedAt: input.updatedAt.toISOString(),
  };
  return setOneMetafield(
    client,
    {
      ownerId: input.customerGid,
      namespace: LOYALTY_METAFIELD.namespace,
      key: LOYALTY_METAFIELD.key,
      type: LOYALTY_METAFIELD.type,
      value: JSON.stringify(value),
    },
    options,
  );
}

/** One `metafieldsSet` upsert; userErrors -> AdminUserError. Also writes the program's app-data metafield (./program-metafield.server). */
export async function setOneMetafield(client: AdminGraphql, metafield: { ownerId: string; namespace: string; key: string; type: string; value: string }, options: AdminCallOptions): Promise<{ metafieldId: string }> {
  const operation = ADMIN_OPERATION_NAMES.metafieldsSet;
  const { data, cost } = await adminRequest(client, "metafieldsSet", { metafields: [metafield] }, options);
  const payload = requirePayload(data.metafieldsSet, "metafieldsSet", operation, cost);
  throwIfUserErrors(payload, operation, cost);
  const first = payload.metafields?.[0];
  if (!first || typeof first.id !== "string") {
    throw new AdminPermanentError(`${operation}: no userErrors but no metafield either`, { operation, cost });
  }
  return { metafieldId: first.id };
}

/**
 * Creates the CUSTOMER metafield definition for `$app:loyalty.points` (type json) with storefront
 * access PUBLIC_READ so Liquid / the Storefront API can read it. Idempotent: a definition that
 * already exists (userError TAKEN) counts as success.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/metafieldDefinitionCreate
 * https://shopify.dev/docs/apps/build/custom-data/permissions (storefront access of app-owned definitions)
 */
export async function ensureLoyaltyMetafieldDefinition(client: AdminGraphql, options: AdminCallOptions = {}): Promise<{ status: "created" | "exists"; definitionId: string | null }> {
  const operation = ADMIN_OPERATION_NAMES.metafieldDefinitionCreate;
  const { data, cost } = await adminRequest(
    client,
    "metafieldDefinitionCreate",
    {
      definition: {
        name: "Loyalty points",
        description: "Points balance and pending points, maintained by the loyalty app.",
        namespace: LOYALTY_METAFIELD.namespace,
        key: LOYALTY_METAFIELD.key,
        type: LOYALTY_METAFIELD.type,
        ownerType: "CUSTOMER",
        access: { storefront: "PUBLIC_READ" },
      },
    },
    options,
  );
  const payload = requirePayload(data.metafieldDefinitionCreate, "metafieldDefinitionCreate", operation, cost);
  const userErrors = readUserErrors(payload);
  if (userErrors.length > 0) {
    if (userErrors.every((e) => e.code === "TAKEN")) return { status: "exists", definitionId: null };
    throw new AdminUserError(operation, userErrors, { cost });
  }
  const created = payload.createdDefinition;
  if (!created || typeof created.id !== "string") {
    throw new AdminPermanentError(`${operation}: no userErrors but no createdDefinition either`, { operation, cost });
  }
  return { status: "created", definitionId: created.id };
}
