// The storefront program contract: the app-data metafield `loyalty.program` on this app's installation,
// which the theme app extension renders (`app.metafields.loyalty.program.value`), its value's shape
// and checks, and the installation id that owns it. Sent through ./admin-client.server.
import { ADMIN_OPERATION_NAMES } from "./admin-documents";
import { adminRequest, isRecord, stringifyShort, type AdminCallOptions, type AdminGraphql } from "./admin-client.server";
import { AdminInvalidInputError, AdminPermanentError } from "./admin-errors";
import { APP_INSTALLATION_GID, CURRENCY_CODE, DECIMAL, ISO_DATE_TIME } from "./admin-input";
import type { LoyaltyDiscountType } from "./discounts.server";
import { setOneMetafield } from "./metafields.server";

/**
 * The app-data metafield (owner: this app's AppInstallation) holding the program settings the theme
 * app extension renders, read in Liquid as `app.metafields.loyalty.program.value`.
 *
 * Plain namespace `loyalty`, NOT `$app:loyalty`: app-data metafields are "tied to a particular app
 * installation and can only be accessed by that app [...] can't be overwritten by other apps or by
 * merchants", and are read through the `metafields` property of the Liquid `app` object, which lists
 * "the metafields that are owned by the app". Shopify's own app-data example uses a plain namespace
 * (`secret_keys` / `api_key` on the AppInstallation). A `$app:` prefix would be expanded to
 * `app--{api-client-id}--loyalty`, and `app.metafields.loyalty` would then not find it.
 * https://shopify.dev/docs/apps/build/custom-data/metafields/use-app-data-metafields
 * https://shopify.dev/docs/apps/build/custom-data/ownership#app-data-metafields
 * https://shopify.dev/docs/api/liquid/objects/app
 * https://shopify.dev/docs/api/admin-graphql/2024-01/queries/appInstallation (example: namespace "secret_keys")
 */
export const PROGRAM_METAFIELD = {
  namespace: "loyalty",
  key: "program",
  type: "json",
} as const;

/**
 * The GID of this app's installation on the shop (`currentAppInstallation { id }`), e.g.
 * gid://shopify/AppInstallation/123 — the ownerId of app-data metafields. Stable for the life of the
 * installation (a reinstall makes a new one), so it can be cached per shop but must be re-read after
 * a reinstall.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/queries/currentAppInstallation
 * https://shopify.dev/docs/apps/build/custom-data/metafields/use-app-data-metafields (step 1)
 */
export async function getAppInstallationId(client: AdminGraphql, options: AdminCallOptions = {}): Promise<string> {
  const operation = ADMIN_OPERATION_NAMES.currentAppInstallation;
  const { data, cost } = await adminRequest(client, "currentAppInstallation", {}, options);
  const installation = isRecord(data.currentAppInstallation) ? data.currentAppInstallation : null;
  if (!installation || typeof installation.id !== "string" || !APP_INSTALLATION_GID.test(installation.id)) {
    throw new AdminPermanentError(`${operation}: unexpected currentAppInstallation in the answer: ${stringifyShort(data.currentAppInstallation)}`, { operation, cost });
  }
  return installation.id;
}

export type ProgramRounding = "down" | "nearest";

export interface ProgramMetafieldCampaign {
  name: string;
  /** Decimal string, e.g. "2" or "1.5". */
  multiplier: string;
  /** ISO 8601 date-time. */
  endsAt: string;
}

export interface ProgramMetafieldReward {
  id: string;
  name: string;
  pointsCost: number;
  discountType: LoyaltyDiscountType;
  /** Decimal string: percent for "percentage", amount in the shop currency for "fixed_amount". */
  value: string;
}

/**
 * The JSON stored in the app-data metafield `loyalty.program` (PROGRAM_METAFIELD) and rendered by the
 * theme app extension (`app.metafields.loyalty.program.value`). Money-like numbers are decimal strings,
 * like the Admin API's own Decimal/Money scalars, so no float noise reaches the storefront.
 */
export interface ProgramMetafieldValue {
  enabled: boolean;
  programName: string;
  /** Points earned per one unit of `currencyCode`, decimal string. */
  pointsPerUnit: string;
  rounding: ProgramRounding;
  currencyCode: string;
  campaign: ProgramMetafieldCampaign | null;
  rewards: ProgramMetafieldReward[];
  /** ISO 8601 date-time of the settings change this value reflects. */
  updatedAt: string;
}

export interface ProgramMetafieldInput {
  /** gid://shopify/AppInstallation/N, from getAppInstallationId. */
  appInstallationId: string;
  value: ProgramMetafieldValue;
}

/**
 * Writes `value` as JSON to the app-data metafield `loyalty.program` (type json) owned by the app's
 * installation — the storefront settings the theme extension reads. Last write wins (no
 * compareDigest). Needs no access scope: metafieldsSet "requires the same access level needed to mutate
 * the owner resource", and the owner is the app's own installation. An ownerId that is not this app's
 * installation is refused by Shopify with userError APP_NOT_AUTHORIZED (AdminUserError).
 * Only the declared keys of ProgramMetafieldValue are sent (extra runtime keys are dropped); invalid
 * input is an AdminInvalidInputError and nothing is sent.
 * https://shopify.dev/docs/apps/build/custom-data/metafields/use-app-data-metafields (step 2)
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/metafieldsSet
 */
export async function setProgramMetafield(client: AdminGraphql, input: ProgramMetafieldInput, options: AdminCallOptions = {}): Promise<{ metafieldId: string }> {
  if (typeof input.appInstallationId !== "string" || !APP_INSTALLATION_GID.test(input.appInstallationId)) {
    throw new AdminInvalidInputError(`setProgramMetafield: expected an AppInstallation GID like gid://shopify/AppInstallation/123, got ${JSON.stringify(input.appInstallationId)}`);
  }
  const value = normalizeProgramValue(input.value);
  return setOneMetafield(
    client,
    {
      ownerId: input.appInstallationId,
      namespace: PROGRAM_METAFIELD.namespace,
      key: PROGRAM_METAFIELD.key,
      type: PROGRAM_METAFIELD.type,
      value: JSON.stringify(value),
    },
    options,
  );
}

/** Validates a ProgramMetafieldValue and returns a copy with exactly the declared keys, in order. */
function normalizeProgramValue(raw: ProgramMetafieldValue): ProgramMetafieldValue {
  const fail = (message: string): never => {
    throw new AdminInvalidInputError(`setProgramMetafield: ${message}`);
  };
  if (!isRecord(raw)) fail("value must be an object");
  const v = raw as unknown as Record<string, unknown>;
  const str = (x: unknown, path: string, { nonBlank = false } = {}): string => {
    if (typeof x !== "string") return fail(`${path} must be a string, got ${stringifyShort(x)}`);
    if (nonBlank && x.trim() === "") fail(`${path} is blank`);
    return x;
  };
  const positiveDecimal = (x: unknown, path: string): string => {
    const s = str(x, path);
    if (!DECIMAL.test(s) || !(Number(s) > 0)) fail(`${path} must be a positive decimal string, got ${JSON.stringify(s)}`);
    return s;
  };
  const nonNegativeDecimal = (x: unknown, path: string): string => {
    const s = str(x, path);
    if (!DECIMAL.test(s)) fail(`${path} must be a decimal string, got ${JSON.stringify(s)}`);
    return s;
  };
  const dateTime = (x: unknown, path: string): string => {
    const s = str(x, path);
    if (!ISO_DATE_TIME.test(s) || Number.isNaN(Date.parse(s))) fail(`${path} must be an ISO 8601 date-time, got ${JSON.stringify(s)}`);
    return s;
  };

  if (typeof v.enabled !== "boolean") fail(`enabled must be a boolean, got ${stringifyShort(v.enabled)}`);
  const rounding = v.rounding;
  if (rounding !== "down" && rounding !== "nearest") fail(`rounding must be "down" or "nearest", got ${stringifyShort(rounding)}`);
  const currencyCode = str(v.currencyCode, "currencyCode");
  if (!CURRENCY_CODE.test(currencyCode)) fail(`currencyCode must be an ISO 4217 code like "EUR", got ${JSON.stringify(currencyCode)}`);

  let campaign: ProgramMetafieldCampaign | null = null;
  if (v.campaign !== null) {
    if (!isRecord(v.campaign)) fail(`campaign must be an object or null, got ${stringifyShort(v.campaign)}`);
    const c = v.campaign as Record<string, unknown>;
    campaign = {
      name: str(c.name, "campaign.name", { nonBlank: true }),
      multiplier: positiveDecimal(c.multiplier, "campaign.multiplier"),
      endsAt: dateTime(c.endsAt, "campaign.endsAt"),
    };
  }

  if (!Array.isArray(v.rewards)) fail(`rewards must be an array, got ${stringifyShort(v.rewards)}`);
  const rewards = (v.rewards as unknown[]).map((item, i): ProgramMetafieldReward => {
    const path = `rewards[${i}]`;
    if (!isRecord(item)) return fail(`${path} must be an object`);
    const pointsCost = item.pointsCost;
    if (typeof pointsCost !== "number" || !Number.isSafeInteger(pointsCost) || pointsCost <= 0) {
      fail(`${path}.pointsCost must be a positive integer, got ${stringifyShort(pointsCost)}`);
    }
    const discountType = item.discountType;
    if (discountType !== "fixed_amount" && discountType !== "percentage" && discountType !== "free_shipping") {
      fail(`${path}.discountType must be fixed_amount, percentage or free_shipping, got ${stringifyShort(discountType)}`);
    }
    return {
      id: str(item.id, `${path}.id`, { nonBlank: true }),
      name: str(item.name, `${path}.name`, { nonBlank: true }),
      pointsCost: pointsCost as number,
      discountType: discountType as LoyaltyDiscountType,
      value: nonNegativeDecimal(item.value, `${path}.value`),
    };
  });

  return {
    enabled: v.enabled as boolean,
    programName: str(v.programName, "programName"),
    pointsPerUnit: positiveDecimal(v.pointsPerUnit, "pointsPerUnit"),
    rounding: rounding as ProgramRounding,
    currencyCode,
    campaign,
    rewards,
    updatedAt: dateTime(v.updatedAt, "updatedAt"),
  };
}
