// The result and variables types of the Admin documents (app/shopify/generated/) are what Shopify's codegen
// preset makes today from app/shopify/admin-documents.ts and the pinned Admin schema: a document or a
// schema version changed without `npm run graphql-codegen` fails here.
import { parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { ADMIN_DOCUMENTS } from "~/shopify/admin-documents";
import { staleFiles } from "../../../scripts/graphql-codegen";
import { GENERATED_DIR, generateAdminTypes } from "../../../scripts/lib/admin-codegen";
import { pruneSchemaToDocuments } from "../../../scripts/lib/admin-schema-reach";
import { loadAdminSchema } from "../../../dev/admin-schema";

const root = new URL("../../../", import.meta.url).pathname;

describe("generated Admin types", () => {
  it("the committed files are what the preset generates now", { timeout: 60_000 }, async () => {
    const files = await generateAdminTypes(root);
    expect(files.map((file) => file.path)).toEqual([`${GENERATED_DIR}/admin.generated.d.ts`, `${GENERATED_DIR}/admin.types.d.ts`]);
    expect(staleFiles(files)).toEqual([]);
  });

  it("the check sees a schema change: generated from 2026-04, admin.types.d.ts would differ", { timeout: 60_000 }, async () => {
    const files = await generateAdminTypes(root, loadAdminSchema("2026-04"));
    expect(staleFiles(files)).toEqual([`${GENERATED_DIR}/admin.types.d.ts`]);
  });
});

describe("pruneSchemaToDocuments", () => {
  it("keeps the selected fields of output types and every field of the input types, and every document still validates", { timeout: 30_000 }, () => {
    const schema = loadAdminSchema();
    const pruned = pruneSchemaToDocuments(schema, Object.values(ADMIN_DOCUMENTS));
    for (const [name, source] of Object.entries(ADMIN_DOCUMENTS)) {
      expect(
        validate(pruned, parse(source)).map((e) => e.message),
        name,
      ).toEqual([]);
    }
    const fieldsOf = (type: string) => Object.keys((pruned.getType(type) as { getFields(): object }).getFields()).sort();
    expect(fieldsOf("Customer")).toContain("numberOfOrders");
    expect(fieldsOf("Customer")).not.toContain("email");
    const everyInputField = Object.keys((schema.getType("DiscountCodeBasicInput") as { getFields(): object }).getFields()).sort();
    expect(fieldsOf("DiscountCodeBasicInput")).toEqual(everyInputField);
    expect(Object.keys(pruned.getTypeMap()).length).toBeLessThan(Object.keys(schema.getTypeMap()).length / 10);
  });

  it("refuses a document that reaches an interface (its possible types would be lost)", { timeout: 30_000 }, () => {
    const schema = loadAdminSchema();
    expect(() => pruneSchemaToDocuments(schema, ['query { node(id: "gid://shopify/Customer/1") { id } }'])).toThrow(/Node, an interface or union/);
  });
});
