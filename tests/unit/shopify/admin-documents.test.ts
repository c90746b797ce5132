// Every GraphQL document the app sends is checked against the REAL Admin schema of the pinned version
// (app/shopify/api-version.ts; the introspection @shopify/dev-mcp ships), and so are the variables the
// gateway builds.
import { GraphQLInputObjectType, Kind, NoDeprecatedCustomRule, getOperationAST, getVariableValues, parse, validate, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_DOCUMENTS, ADMIN_OPERATION_NAMES, type AdminDocumentName } from "~/shopify/admin-documents";
import type { AdminGraphql } from "~/shopify/admin-client.server";
import { buildCustomerDiscountCodeRequest, type CustomerDiscountCodeInput } from "~/shopify/discounts.server";
import { setProgramMetafield } from "~/shopify/program-metafield.server";
import { PINNED_ADMIN_API_VERSION, loadAdminIntrospection, loadAdminSchema } from "../../../dev/admin-schema";

let schema: GraphQLSchema;
beforeAll(() => {
  schema = loadAdminSchema(PINNED_ADMIN_API_VERSION);
});

function onlyOperation(source: string): OperationDefinitionNode {
  const document = parse(source);
  const operation = getOperationAST(document);
  if (!operation) throw new Error("expected exactly one operation");
  return operation;
}

const names = Object.keys(ADMIN_DOCUMENTS) as AdminDocumentName[];

describe("the Admin schema file", () => {
  it("is the pinned version's Admin API introspection (2026-07)", () => {
    expect(PINNED_ADMIN_API_VERSION).toBe("2026-07");
    const introspection = loadAdminIntrospection(PINNED_ADMIN_API_VERSION);
    expect(introspection.__schema.queryType?.name).toBe("QueryRoot");
    expect(introspection.__schema.mutationType?.name).toBe("Mutation");
    expect(schema.getMutationType()?.getFields().discountCodeBasicCreate).toBeDefined();
  });
});

describe("ADMIN_DOCUMENTS", () => {
  it("is not empty", () => {
    expect(names.length).toBeGreaterThanOrEqual(6);
  });

  it.each(names)("%s validates against the pinned Admin schema", (name) => {
    const document = parse(ADMIN_DOCUMENTS[name]);
    expect(validate(schema, document).map((e) => e.message)).toEqual([]);
  });

  it.each(names)("%s uses nothing deprecated in the pinned version", (name) => {
    const document = parse(ADMIN_DOCUMENTS[name]);
    expect(validate(schema, document, [NoDeprecatedCustomRule]).map((e) => e.message)).toEqual([]);
  });

  it.each(names)("%s is a single named operation matching ADMIN_OPERATION_NAMES", (name) => {
    const document = parse(ADMIN_DOCUMENTS[name]);
    const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    expect(operations).toHaveLength(1);
    expect(onlyOperation(ADMIN_DOCUMENTS[name]).name?.value).toBe(ADMIN_OPERATION_NAMES[name]);
  });

  it("every mutation selects userErrors { code field message }", () => {
    for (const name of names) {
      const source = ADMIN_DOCUMENTS[name];
      if (onlyOperation(source).operation !== "mutation") continue;
      // flowTriggerReceive's userErrors are the plain UserError type, which has no `code`.
      const pattern = name === "flowTriggerReceive" ? /userErrors\s*\{\s*field\s+message\s*\}/ : /userErrors\s*\{\s*code\s+field\s+message\s*\}/;
      expect(source, name).toMatch(pattern);
    }
  });
});

describe("shop info and app-data documents", () => {
  it("are part of ADMIN_DOCUMENTS (so the checks above cover them)", () => {
    expect(names).toEqual(expect.arrayContaining(["shopInfo", "currentAppInstallation", "metafieldsSet"]));
    expect(ADMIN_OPERATION_NAMES.shopInfo).toBe("LoyaltyShopInfo");
    expect(ADMIN_OPERATION_NAMES.currentAppInstallation).toBe("LoyaltyCurrentAppInstallation");
  });

  it("shopInfo selects shop { name ianaTimezone currencyCode } and currentAppInstallation selects { id }", () => {
    expect(ADMIN_DOCUMENTS.shopInfo).toMatch(/shop\s*\{\s*name\s+ianaTimezone\s+currencyCode\s*\}/);
    expect(ADMIN_DOCUMENTS.currentAppInstallation).toMatch(/currentAppInstallation\s*\{\s*id\s*\}/);
  });

  it("the metafieldsSet variables of setProgramMetafield coerce against MetafieldsSetInput", async () => {
    const sent: Array<{ query: string; variables: Record<string, unknown> | undefined }> = [];
    const recorder: AdminGraphql = async (query, options) => {
      sent.push({ query, variables: options?.variables });
      return new Response(JSON.stringify({ data: { metafieldsSet: { metafields: [{ id: "gid://shopify/Metafield/1", namespace: "loyalty", key: "program" }], userErrors: [] } } }));
    };
    await setProgramMetafield(recorder, {
      appInstallationId: "gid://shopify/AppInstallation/42",
      value: {
        enabled: true,
        programName: "Rewards",
        pointsPerUnit: "1",
        rounding: "down",
        currencyCode: "USD",
        campaign: null,
        rewards: [],
        updatedAt: "2025-11-01T00:00:00.000Z",
      },
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.query).toBe(ADMIN_DOCUMENTS.metafieldsSet);
    const operation = onlyOperation(ADMIN_DOCUMENTS.metafieldsSet);
    const result = getVariableValues(schema, operation.variableDefinitions ?? [], sent[0]?.variables ?? {});
    expect(result.errors?.map((e) => e.message)).toBeUndefined();
  });
});

describe("the check can fail", () => {
  it("rejects a field that does not exist (ordersCount is not a Customer field)", () => {
    const broken = ADMIN_DOCUMENTS.customerOrderCount.replace("numberOfOrders", "ordersCount");
    expect(broken).not.toBe(ADMIN_DOCUMENTS.customerOrderCount);
    const errors = validate(schema, parse(broken));
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('Cannot query field "ordersCount" on type "Customer"')]);
  });

  it("rejects a wrong argument type", () => {
    const broken = ADMIN_DOCUMENTS.codeDiscountNodeByCode.replace("$code: String!", "$code: Int!");
    expect(validate(schema, parse(broken)).length).toBeGreaterThan(0);
  });

  it("flags the deprecated customerSelection input field", () => {
    const deprecated = parse(`mutation {
      discountCodeBasicCreate(basicCodeDiscount: { customerSelection: { all: true } }) { userErrors { code } }
    }`);
    const messages = validate(schema, deprecated, [NoDeprecatedCustomRule]).map((e) => e.message);
    expect(messages).toEqual([expect.stringContaining("customerSelection")]);
  });
});

describe("variables built by the gateway coerce against the schema", () => {
  const base: CustomerDiscountCodeInput = {
    code: "LOYAL-7Q2X9",
    title: "Loyalty reward",
    customerGid: "gid://shopify/Customer/42",
    discountType: "percentage",
    value: "12.5",
    minSubtotal: "50.00",
    startsAt: new Date("2025-11-01T00:00:00Z"),
    endsAt: new Date("2025-12-01T00:00:00Z"),
    combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
  };

  it.each([
    ["percentage", { discountType: "percentage" as const }],
    ["fixed_amount", { discountType: "fixed_amount" as const, value: "10.00", minSubtotal: null }],
    ["free_shipping", { discountType: "free_shipping" as const, value: "0" }],
  ])("%s", (_label, override) => {
    const { name, variables } = buildCustomerDiscountCodeRequest({ ...base, ...override });
    const operation = onlyOperation(ADMIN_DOCUMENTS[name]);
    const result = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
    expect(result.errors?.map((e) => e.message)).toBeUndefined();
  });

  it("a percentage is sent as a 0..1 fraction, single use, for one customer, via context", () => {
    const { name, variables } = buildCustomerDiscountCodeRequest(base);
    expect(name).toBe("discountCodeBasicCreate");
    expect(variables).toEqual({
      basicCodeDiscount: {
        title: "Loyalty reward",
        code: "LOYAL-7Q2X9",
        startsAt: "2025-11-01T00:00:00.000Z",
        endsAt: "2025-12-01T00:00:00.000Z",
        context: { customers: { add: ["gid://shopify/Customer/42"] } },
        usageLimit: 1,
        appliesOncePerCustomer: true,
        combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
        minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: "50.00" } },
        customerGets: { value: { percentage: 0.125 }, items: { all: true } },
      },
    });
  });

  it("DiscountContextInput is @oneOf (so context carries exactly one of all/customers/customerSegments)", () => {
    const type = schema.getType("DiscountContextInput");
    expect(type).toBeInstanceOf(GraphQLInputObjectType);
    expect((type as GraphQLInputObjectType).isOneOf).toBe(true);
    const operation = onlyOperation(ADMIN_DOCUMENTS.discountCodeBasicCreate);
    const { variables } = buildCustomerDiscountCodeRequest(base);
    const twoBranches = structuredClone(variables) as { basicCodeDiscount: { context: Record<string, unknown> } };
    twoBranches.basicCodeDiscount.context.all = "ALL";
    expect(getVariableValues(schema, operation.variableDefinitions ?? [], twoBranches).errors?.length).toBeGreaterThan(0);
  });
});
