// What changed, between Admin API versions, in the part of the schema the app's documents touch.
//
//   npx tsx scripts/admin-schema-diff.ts 2025-10 2026-01 2026-04 2026-07
//
// Compares each consecutive pair of versions (introspections shipped by @shopify/dev-mcp) over every
// coordinate reached from app/shopify/admin-documents.ts: each selected field (type, arguments,
// deprecation, description), each argument given, every input field of every variable's input type
// (recursively), and every value of every enum reached (input enums such as
// MetafieldStorefrontAccessInput and output enums such as DiscountErrorCode). Prints one line per
// difference; "no difference" when there is none. Used for docs/decisions/011-admin-api-2026-07.md;
// run it again before the next version move.
import { isEnumType, isInputObjectType, isObjectType, type GraphQLArgument, type GraphQLField, type GraphQLInputField, type GraphQLSchema } from "graphql";
import { ADMIN_DOCUMENTS } from "../app/shopify/admin-documents";
import { loadAdminSchema } from "../dev/admin-schema";
import { pruneSchemaToDocuments } from "./lib/admin-schema-reach";

/** A schema element, flattened to what an upgrade can break: its type, deprecation and description. */
interface Coordinate {
  type: string;
  deprecated: string | null;
  description: string;
}

function coordinateOf(element: GraphQLField<unknown, unknown> | GraphQLArgument | GraphQLInputField): Coordinate {
  return { type: String(element.type), deprecated: element.deprecationReason ?? null, description: element.description ?? "" };
}

/**
 * Every coordinate the documents reach in `schema` (the part scripts/lib/admin-schema-reach.ts keeps),
 * keyed "Type.field", "Type.field(arg:)", "Input.field", "Input @oneOf", "Enum.VALUE".
 */
export function touchedCoordinates(schema: GraphQLSchema): Map<string, Coordinate> {
  const found = new Map<string, Coordinate>();
  const reached = pruneSchemaToDocuments(schema, Object.values(ADMIN_DOCUMENTS));
  for (const type of Object.values(reached.getTypeMap())) {
    if (type.name.startsWith("__")) continue;
    if (isObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        found.set(`${type.name}.${field.name}`, coordinateOf(field));
        for (const argument of field.args) found.set(`${type.name}.${field.name}(${argument.name}:)`, coordinateOf(argument));
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) found.set(`${type.name}.${field.name}`, coordinateOf(field));
      found.set(`${type.name} @oneOf`, { type: String(type.isOneOf), deprecated: null, description: type.description ?? "" });
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) {
        found.set(`${type.name}.${value.name}`, { type: "enum value", deprecated: value.deprecationReason ?? null, description: value.description ?? "" });
      }
    }
  }
  return found;
}

/** The differences between two versions over the union of the coordinates the documents touch in either. */
export function diffVersions(from: string, to: string): string[] {
  const before = touchedCoordinates(loadAdminSchema(from));
  const after = touchedCoordinates(loadAdminSchema(to));
  const lines: string[] = [];
  for (const key of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const a = before.get(key);
    const b = after.get(key);
    if (!a) lines.push(`+ ${key}: ${b!.type}${b!.deprecated ? ` (deprecated: ${b!.deprecated})` : ""}`);
    else if (!b) lines.push(`- ${key}: ${a.type} (gone in ${to})`);
    else {
      if (a.type !== b.type) lines.push(`~ ${key}: type ${a.type} -> ${b.type}`);
      if (a.deprecated !== b.deprecated) lines.push(`~ ${key}: deprecation ${JSON.stringify(a.deprecated)} -> ${JSON.stringify(b.deprecated)}`);
      if (a.description !== b.description) lines.push(`~ ${key}: description\n    was: ${a.description.replace(/\s+/g, " ")}\n    now: ${b.description.replace(/\s+/g, " ")}`);
    }
  }
  return lines;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) {
  const versions = process.argv.slice(2);
  if (versions.length < 2) {
    console.error("usage: npx tsx scripts/admin-schema-diff.ts <version> <version> [<version> ...]");
    process.exit(2);
  }
  for (let i = 1; i < versions.length; i++) {
    const lines = diffVersions(versions[i - 1]!, versions[i]!);
    console.log(`## ${versions[i - 1]} -> ${versions[i]} (${touchedCoordinates(loadAdminSchema(versions[i]!)).size} coordinates touched)`);
    console.log(lines.length ? lines.join("\n") : "no difference");
  }
}
