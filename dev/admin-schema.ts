// The real Shopify Admin GraphQL schema (introspection) shipped by @shopify/dev-mcp, as a graphql-js
// schema. Used by the Admin fake and by the document-validation tests.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";
import { PINNED_API_VERSION } from "../app/shopify/api-version";

/** The schema the app is validated against: the version it pins (app/shopify/api-version.ts). */
export const PINNED_ADMIN_API_VERSION: string = PINNED_API_VERSION;

const cache = new Map<string, GraphQLSchema>();

/** Path of node_modules/@shopify/dev-mcp/dist/data/admin_{version}.json.gz, found like Node finds packages. */
export function adminSchemaFile(version: string = PINNED_ADMIN_API_VERSION): string {
  const relative = path.join("node_modules", "@shopify", "dev-mcp", "dist", "data", `admin_${version}.json.gz`);
  const starts = [path.dirname(fileURLToPath(import.meta.url)), process.cwd()];
  for (const start of starts) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, relative);
      if (existsSync(candidate)) return candidate;
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error(`Admin schema ${version} not found (looked for ${relative}); is @shopify/dev-mcp installed?`);
}

export function loadAdminIntrospection(version: string = PINNED_ADMIN_API_VERSION): IntrospectionQuery {
  const parsed = JSON.parse(gunzipSync(readFileSync(adminSchemaFile(version))).toString("utf8")) as unknown;
  // The file is `{ data: { __schema }, offline_scopes }`; accept a bare `{ __schema }` too.
  const root = parsed as { data?: { __schema?: unknown }; __schema?: unknown };
  const introspection = root.data?.__schema ? root.data : root.__schema ? root : null;
  if (!introspection) throw new Error(`Admin schema ${version}: no __schema in ${adminSchemaFile(version)}`);
  return introspection as IntrospectionQuery;
}

export function loadAdminSchema(version: string = PINNED_ADMIN_API_VERSION): GraphQLSchema {
  let schema = cache.get(version);
  if (!schema) {
    schema = buildClientSchema(loadAdminIntrospection(version));
    cache.set(version, schema);
  }
  return schema;
}
