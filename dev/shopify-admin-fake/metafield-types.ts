// Shopify's metafield types as the fake knows them: which type names exist (single and list.),
// their definition category, how a value is checked on write, and its jsonValue on read.
import { DECIMAL } from "./resolvers/support";
import type { FakeMetafield } from "./types";

const METAFIELD_BASE_TYPES = new Set([
  "boolean",
  "collection_reference",
  "color",
  "company_reference",
  "customer_reference",
  "date",
  "date_time",
  "dimension",
  "file_reference",
  "id",
  "json",
  "link",
  "metaobject_reference",
  "mixed_reference",
  "money",
  "multi_line_text_field",
  "number_decimal",
  "number_integer",
  "page_reference",
  "product_reference",
  "rating",
  "rich_text_field",
  "single_line_text_field",
  "url",
  "variant_reference",
  "volume",
  "weight",
]);
const METAFIELD_LIST_TYPES = new Set([
  "collection_reference",
  "color",
  "customer_reference",
  "date",
  "date_time",
  "dimension",
  "file_reference",
  "link",
  "metaobject_reference",
  "mixed_reference",
  "number_decimal",
  "number_integer",
  "page_reference",
  "product_reference",
  "rating",
  "single_line_text_field",
  "url",
  "variant_reference",
  "volume",
  "weight",
]);

export function isKnownMetafieldType(type: string): boolean {
  if (type.startsWith("list.")) return METAFIELD_LIST_TYPES.has(type.slice("list.".length));
  return METAFIELD_BASE_TYPES.has(type);
}

export function metafieldCategory(type: string): string {
  if (type.endsWith("_reference")) return "REFERENCE";
  if (type === "json") return "ADVANCED";
  if (type.startsWith("number_") || type === "rating") return "NUMBER";
  if (type.includes("text")) return "TEXT";
  return "OTHER";
}

export function validateMetafieldValue(type: string, value: string): string | null {
  switch (type) {
    case "json":
      try {
        JSON.parse(value);
        return null;
      } catch {
        return "Value is invalid JSON.";
      }
    case "number_integer":
      return /^-?\d+$/.test(value) ? null : "Value must be an integer.";
    case "number_decimal":
      return DECIMAL.test(value) ? null : "Value must be a decimal.";
    case "boolean":
      return value === "true" || value === "false" ? null : "Value must be true or false.";
    case "single_line_text_field":
      return /[\r\n]/.test(value) ? "Value must be a single line." : null;
    default:
      return null;
  }
}

export function jsonValueOf(m: FakeMetafield): unknown {
  switch (m.type) {
    case "json":
      return JSON.parse(m.value) as unknown;
    case "number_integer":
    case "number_decimal":
      return Number(m.value);
    case "boolean":
      return m.value === "true";
    default:
      return m.value;
  }
}
