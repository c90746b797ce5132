// Discount codes: the single-use code a customer gets for a reward, and finding a code that an
// earlier attempt may have created already. Sent through ./admin-client.server.
import { ADMIN_OPERATION_NAMES, type AdminVariables } from "./admin-documents";
import { adminRequest, requirePayload, throwIfUserErrors, type AdminCallOptions, type AdminGraphql } from "./admin-client.server";
import { AdminInvalidInputError, AdminPermanentError } from "./admin-errors";
import { DECIMAL, assertCustomerGid } from "./admin-input";

export type LoyaltyDiscountType = "percentage" | "fixed_amount" | "free_shipping";

export interface CustomerDiscountCodeInput {
  /** The code the customer types at checkout. Unique per shop (case-insensitively). */
  code: string;
  /** Name shown to the merchant in the admin and to the customer at checkout. */
  title: string;
  /** gid://shopify/Customer/123 — the only customer who may use the code. */
  customerGid: string;
  discountType: LoyaltyDiscountType;
  /** "10" = 10 % for percentage, 10.00 in the shop's currency for fixed_amount; ignored for free_shipping. */
  value: string;
  /** Minimum order subtotal in the shop's currency, or null for none. */
  minSubtotal: string | null;
  startsAt: Date;
  endsAt: Date;
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
}

export interface CreatedDiscountCode {
  discountId: string;
  code: string;
}

/** Shopify limits discount codes to 255 characters. */
const MAX_CODE_LENGTH = 255;

/** One of the two creation mutations, with variables of the types generated for it. */
export type CustomerDiscountCodeRequest =
  { name: "discountCodeBasicCreate"; variables: AdminVariables<"discountCodeBasicCreate"> } | { name: "discountCodeFreeShippingCreate"; variables: AdminVariables<"discountCodeFreeShippingCreate"> };

/**
 * The mutation and variables `createCustomerDiscountCode` sends (exported for tests).
 * Single use for one customer: `usageLimit: 1`, `appliesOncePerCustomer: true`, and
 * `context: { customers: { add: [customerGid] } }` (the replacement, since 2025-10, of the deprecated
 * `customerSelection`; DiscountContextInput is @oneOf). The amount-off discount applies to the
 * whole order (`items: { all: true }`).
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/discountCodeBasicCreate
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/discountCodeFreeShippingCreate
 */
export function buildCustomerDiscountCodeRequest(input: CustomerDiscountCodeInput): CustomerDiscountCodeRequest {
  assertValidDiscountInput(input);
  const common = {
    title: input.title.trim(),
    code: input.code,
    startsAt: input.startsAt.toISOString(),
    endsAt: input.endsAt.toISOString(),
    context: { customers: { add: [input.customerGid] } },
    usageLimit: 1,
    appliesOncePerCustomer: true,
    combinesWith: {
      orderDiscounts: input.combinesWith.orderDiscounts,
      productDiscounts: input.combinesWith.productDiscounts,
      shippingDiscounts: input.combinesWith.shippingDiscounts,
    },
    ...(input.minSubtotal === null ? {} : { minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: input.minSubtotal } } }),
  };

  if (input.discountType === "free_shipping") {
    return {
      name: "discountCodeFreeShippingCreate",
      variables: { freeShippingCodeDiscount: { ...common, destination: { all: true } } },
    };
  }
  const value =
    input.discountType === "percentage"
      ? // DiscountCustomerGetsValueInput.percentage: "Value must be between 0.00 - 1.00".
        { percentage: percentageFraction(input.value) }
      : { discountAmount: { amount: input.value, appliesOnEachItem: false } };
  return {
    name: "discountCodeBasicCreate",
    variables: { basicCodeDiscount: { ...common, customerGets: { value, items: { all: true } } } },
  };
}

/**
 * Creates a single-use discount code that only `customerGid` can use. Throws AdminUserError on
 * `userErrors`; `error.isTaken` means the code exists already (possibly made by an earlier attempt
 * whose answer was lost — use findDiscountIdByCode to check before creating another).
 */
export async function createCustomerDiscountCode(client: AdminGraphql, input: CustomerDiscountCodeInput, options: AdminCallOptions = {}): Promise<CreatedDiscountCode> {
  const request = buildCustomerDiscountCodeRequest(input);
  const operation = ADMIN_OPERATION_NAMES[request.name];
  const { payload, cost } =
    request.name === "discountCodeBasicCreate"
      ? await adminRequest(client, request.name, request.variables, options).then(({ data, cost }) => ({
          payload: data.discountCodeBasicCreate,
          cost,
        }))
      : await adminRequest(client, request.name, request.variables, options).then(({ data, cost }) => ({
          payload: data.discountCodeFreeShippingCreate,
          cost,
        }));
  const created = requirePayload(payload, request.name, operation, cost);
  throwIfUserErrors(created, operation, cost);
  const node = created.codeDiscountNode;
  if (!node || typeof node.id !== "string") {
    throw new AdminPermanentError(`${operation}: no userErrors but no codeDiscountNode either`, { operation, cost });
  }
  return { discountId: node.id, code: input.code };
}

/**
 * The id of the code discount that owns `code` (case-insensitive, like checkout), or null.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/queries/codeDiscountNodeByCode
 */
export async function findDiscountIdByCode(client: AdminGraphql, code: string, options: AdminCallOptions = {}): Promise<string | null> {
  if (!code.trim()) throw new AdminInvalidInputError("findDiscountIdByCode: code is blank");
  const { data } = await adminRequest(client, "codeDiscountNodeByCode", { code }, options);
  const node = data.codeDiscountNodeByCode;
  return node && typeof node.id === "string" ? node.id : null;
}

function assertValidDiscountInput(input: CustomerDiscountCodeInput): void {
  const fail = (message: string): never => {
    throw new AdminInvalidInputError(`createCustomerDiscountCode: ${message}`);
  };
  if (typeof input.code !== "string" || input.code.trim() === "" || input.code !== input.code.trim()) {
    fail(`code must be non-blank without surrounding spaces, got ${JSON.stringify(input.code)}`);
  }
  if (input.code.length > MAX_CODE_LENGTH) fail(`code is longer than ${MAX_CODE_LENGTH} characters`);
  if (typeof input.title !== "string" || input.title.trim() === "") fail("title is blank");
  assertCustomerGid(input.customerGid, "createCustomerDiscountCode");
  if (!(input.startsAt instanceof Date) || Number.isNaN(input.startsAt.getTime())) fail("startsAt is not a valid Date");
  if (!(input.endsAt instanceof Date) || Number.isNaN(input.endsAt.getTime())) fail("endsAt is not a valid Date");
  if (input.endsAt.getTime() <= input.startsAt.getTime()) fail("endsAt must be after startsAt");
  if (input.minSubtotal !== null && !DECIMAL.test(input.minSubtotal)) {
    fail(`minSubtotal must be a decimal string or null, got ${JSON.stringify(input.minSubtotal)}`);
  }
  switch (input.discountType) {
    case "percentage": {
      if (!DECIMAL.test(input.value)) fail(`value must be a decimal string, got ${JSON.stringify(input.value)}`);
      const n = Number(input.value);
      if (!(n > 0 && n <= 100)) fail(`a percentage must be in (0, 100], got ${input.value}`);
      break;
    }
    case "fixed_amount":
      if (!DECIMAL.test(input.value) || !(Number(input.value) > 0)) {
        fail(`a fixed amount must be a positive decimal string, got ${JSON.stringify(input.value)}`);
      }
      break;
    case "free_shipping":
      break;
    default:
      fail(`unknown discountType ${JSON.stringify((input as { discountType: unknown }).discountType)}`);
  }
}

/** "12.5" (percent) -> 0.125, without binary-float noise such as 0.12500000000000003. */
function percentageFraction(value: string): number {
  return Number((Number(value) / 100).toFixed(6));
}
