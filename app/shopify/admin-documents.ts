// Every GraphQL document the app sends to Shopify's Admin API (pinned version 2026-07, see
// app/shopify/api-version.ts). Nothing else in the app may inline a document: the unit tests validate
// each entry of ADMIN_DOCUMENTS against the real Admin schema of that version (and reject deprecated
// fields), so a typo or a removed field fails CI instead of failing in a merchant's shop.
//
// Fields are kept to the minimum the gateway reads: cost is charged per selected object.
//
// Result and variables types are generated from the same schema (`npm run graphql-codegen`, Shopify's
// codegen preset, into ./generated/): the preset finds each document by its `#graphql` tag and adds
// it, keyed by its text, to AdminQueries / AdminMutations below. AdminOperations looks every document
// up there, so a document edited without regenerating fails typecheck; a unit test also fails when
// the generated files differ from what the preset would write now.
import type {} from "./generated/admin.generated";

/**
 * Amount-off (percentage / fixed amount) code discount.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/discountCodeBasicCreate
 * Since 2025-10 the buyers are chosen with `context` (DiscountContextInput, @oneOf: all | customers |
 * customerSegments); `customerSelection` is deprecated ("Use `context` instead").
 * https://shopify.dev/docs/api/admin-graphql/2026-07/input-objects/DiscountCodeBasicInput
 */
const DISCOUNT_CODE_BASIC_CREATE = /* GraphQL */ `
  #graphql
  mutation LoyaltyDiscountCodeBasicCreate($basicCodeDiscount: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
      codeDiscountNode {
        id
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;

/** https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/discountCodeFreeShippingCreate */
const DISCOUNT_CODE_FREE_SHIPPING_CREATE = /* GraphQL */ `
  #graphql
  mutation LoyaltyDiscountCodeFreeShippingCreate($freeShippingCodeDiscount: DiscountCodeFreeShippingInput!) {
    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $freeShippingCodeDiscount) {
      codeDiscountNode {
        id
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;

/**
 * "Returns a code discount identified by its discount code" — the search is case-insensitive.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/queries/codeDiscountNodeByCode
 */
const CODE_DISCOUNT_NODE_BY_CODE = /* GraphQL */ `
  #graphql
  query LoyaltyCodeDiscountNodeByCode($code: String!) {
    codeDiscountNodeByCode(code: $code) {
      id
    }
  }
`;

/**
 * `Customer.numberOfOrders` is `UnsignedInt64!`, which is serialized as a base-10 string ("50").
 * Neither `id` nor `numberOfOrders` is protected customer data (unlike email/name/phone).
 * https://shopify.dev/docs/api/admin-graphql/2026-07/objects/Customer#field-numberOfOrders
 * https://shopify.dev/docs/api/admin-graphql/2026-07/scalars/UnsignedInt64
 */
const CUSTOMER_ORDER_COUNT = /* GraphQL */ `
  #graphql
  query LoyaltyCustomerOrderCount($id: ID!) {
    customer(id: $id) {
      id
      numberOfOrders
    }
  }
`;

/**
 * Upsert of up to 25 metafields, atomic. `$app:loyalty` is expanded by Shopify to the app-reserved
 * namespace `app--{api-client-id}--loyalty`. Also used for the app-data metafield (owner = the
 * AppInstallation, see setProgramMetafield).
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/metafieldsSet
 * https://shopify.dev/docs/apps/build/custom-data/ownership#reserved-prefixes
 */
const METAFIELDS_SET = /* GraphQL */ `
  #graphql
  mutation LoyaltyMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields {
        id
        namespace
        key
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;

/**
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/metafieldDefinitionCreate
 * Storefront visibility is `access: { storefront: PUBLIC_READ }` (MetafieldAccessInput.storefront,
 * enum MetafieldStorefrontAccessInput).
 * https://shopify.dev/docs/api/admin-graphql/2026-07/enums/MetafieldStorefrontAccessInput
 */
const METAFIELD_DEFINITION_CREATE = /* GraphQL */ `
  #graphql
  mutation LoyaltyMetafieldDefinitionCreate($definition: MetafieldDefinitionInput!) {
    metafieldDefinitionCreate(definition: $definition) {
      createdDefinition {
        id
        namespace
        key
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;

/**
 * The shop's display name, IANA time zone (for "day" boundaries of campaigns and expiries) and the
 * currency it sells in (what fixed-amount rewards and `pointsPerUnit` are denominated in). No access
 * scope is needed for these Shop fields.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/queries/shop
 * https://shopify.dev/docs/api/admin-graphql/2026-07/objects/Shop (name: String!, ianaTimezone: String!,
 * currencyCode: CurrencyCode!)
 */
const SHOP_INFO = /* GraphQL */ `
  #graphql
  query LoyaltyShopInfo {
    shop {
      name
      ianaTimezone
      currencyCode
    }
  }
`;

/**
 * The AppInstallation of the calling app on this shop: its GID is the `ownerId` of app-data metafields
 * ("Step 1: Retrieve the app installation ID").
 * https://shopify.dev/docs/api/admin-graphql/2026-07/queries/currentAppInstallation
 * https://shopify.dev/docs/apps/build/custom-data/metafields/use-app-data-metafields
 */
const CURRENT_APP_INSTALLATION = /* GraphQL */ `
  #graphql
  query LoyaltyCurrentAppInstallation {
    currentAppInstallation {
      id
    }
  }
`;

/**
 * Starts the merchant's workflows that begin with the app's trigger `handle` (an extension of type
 * flow_trigger). No access scope is required by the mutation itself; a customer reference in the
 * payload needs read_customers, an order reference read_orders, which the app has. The arguments are
 * `handle` and `payload` (`body` is deprecated); there is no idempotency key: a call whose answer is
 * lost and is sent again may start the workflows twice (docs/decisions/021-shopify-flow.md).
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/flowTriggerReceive
 * https://shopify.dev/docs/apps/build/flow/triggers/reference
 */
const FLOW_TRIGGER_RECEIVE = /* GraphQL */ `
  #graphql
  mutation LoyaltyFlowTriggerReceive($handle: String!, $payload: JSON!) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors {
        field
        message
      }
    }
  }
`;

export const ADMIN_DOCUMENTS = {
  discountCodeBasicCreate: DISCOUNT_CODE_BASIC_CREATE,
  discountCodeFreeShippingCreate: DISCOUNT_CODE_FREE_SHIPPING_CREATE,
  codeDiscountNodeByCode: CODE_DISCOUNT_NODE_BY_CODE,
  customerOrderCount: CUSTOMER_ORDER_COUNT,
  metafieldsSet: METAFIELDS_SET,
  metafieldDefinitionCreate: METAFIELD_DEFINITION_CREATE,
  shopInfo: SHOP_INFO,
  currentAppInstallation: CURRENT_APP_INSTALLATION,
  flowTriggerReceive: FLOW_TRIGGER_RECEIVE,
} as const satisfies Record<string, string>;

export type AdminDocumentName = keyof typeof ADMIN_DOCUMENTS;

/** The operation name declared in each document (used in errors and logs). */
export const ADMIN_OPERATION_NAMES: Record<AdminDocumentName, string> = {
  discountCodeBasicCreate: "LoyaltyDiscountCodeBasicCreate",
  discountCodeFreeShippingCreate: "LoyaltyDiscountCodeFreeShippingCreate",
  codeDiscountNodeByCode: "LoyaltyCodeDiscountNodeByCode",
  customerOrderCount: "LoyaltyCustomerOrderCount",
  metafieldsSet: "LoyaltyMetafieldsSet",
  metafieldDefinitionCreate: "LoyaltyMetafieldDefinitionCreate",
  shopInfo: "LoyaltyShopInfo",
  currentAppInstallation: "LoyaltyCurrentAppInstallation",
  flowTriggerReceive: "LoyaltyFlowTriggerReceive",
};

/**
 * The generated types of each document, by document text. Empty here: the generated
 * ./generated/admin.generated.d.ts adds one member per document (module augmentation, the preset's
 * `module` option). No index signature, so a document without generated types is a type error.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- empty on purpose: the generated file fills it by augmentation
export interface AdminQueries {}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- empty on purpose: the generated file fills it by augmentation
export interface AdminMutations {}

type GeneratedOperations = AdminQueries & AdminMutations;
type GeneratedFor<Document> = Document extends keyof GeneratedOperations ? GeneratedOperations[Document] : { return: never; variables: never };

/** The documents whose text has no generated types (edited or added since the last generation). */
type DocumentsWithoutTypes = {
  [N in AdminDocumentName]: (typeof ADMIN_DOCUMENTS)[N] extends keyof GeneratedOperations ? never : N;
}[AdminDocumentName];
type MustBeTrue<T extends true> = T;
// A typecheck error here names the documents to regenerate types for.
export type GeneratedTypesAreCurrent = MustBeTrue<[DocumentsWithoutTypes] extends [never] ? true : `run npm run graphql-codegen: no generated types for ${DocumentsWithoutTypes}`>;

/** `data` (the result) and `variables` of each document, as generated from the pinned Admin schema. */
export type AdminOperations = {
  [N in AdminDocumentName]: {
    data: GeneratedFor<(typeof ADMIN_DOCUMENTS)[N]>["return"];
    variables: GeneratedFor<(typeof ADMIN_DOCUMENTS)[N]>["variables"];
  };
};

export type AdminData<N extends AdminDocumentName> = AdminOperations[N]["data"];
export type AdminVariables<N extends AdminDocumentName> = AdminOperations[N]["variables"];
