// Metafields and metafield definitions: metafieldDefinitions, metafieldsSet (customer and app-data
// metafields, atomic, compareDigest) and metafieldDefinitionCreate, with Shopify's user errors.
import { createHash } from "node:crypto";
import { isKnownMetafieldType, validateMetafieldValue } from "../metafield-types";
import type { Nodes } from "../nodes";
import { definitionKey, metafieldKey, type FakeStore } from "../store";
import type { FakeMetafield, FakeMetafieldDefinition } from "../types";
import { SHOPIFY_GID, asRecord, connection, notImplemented, requireScope, userErrorNode, type FakeContext, type Node, type ResolverGroup, type UserError } from "./support";

const OWNER_TYPE_READ_SCOPE: Record<string, string> = {
  CUSTOMER: "read_customers",
  PRODUCT: "read_products",
  PRODUCTVARIANT: "read_products",
  COLLECTION: "read_products",
  ORDER: "read_orders",
  DRAFTORDER: "read_draft_orders",
  DISCOUNT: "read_discounts",
};

export function metafieldResolvers(store: FakeStore, nodes: Nodes): ResolverGroup {
  const { iso, nextId, resolveNamespace, isAppNamespace } = store;
  const { metafieldNode, definitionNode } = nodes;

  function metafieldsSet(ctx: FakeContext, inputs: Array<Record<string, unknown>>): Node {
    const shop = ctx.shop;
    if (inputs.length > 25) {
      return {
        metafields: [],
        userErrors: [{ code: "LESS_THAN_OR_EQUAL_TO", field: ["metafields"], message: "Exceeded the maximum metafields input limit of 25." }].map(userErrorNode("MetafieldsSetUserError")),
      };
    }
    const errors: UserError[] = [];
    const planned: Array<Omit<FakeMetafield, "id" | "createdAt" | "updatedAt" | "compareDigest">> = [];
    inputs.forEach((raw, i) => {
      const input = asRecord(raw);
      const err = (code: string, field: string, message: string) => errors.push({ code, field: ["metafields", String(i), field], message, elementIndex: i });
      const ownerId = String(input.ownerId);
      const owner = SHOPIFY_GID.exec(ownerId);
      let ownerType: FakeMetafield["ownerType"];
      if (owner && owner[1] === "AppInstallation") {
        // App-data metafields: "Requires the same access level needed to mutate the owner resource" —
        // the app's own installation needs no scope; another app's installation is refused with
        // APP_NOT_AUTHORIZED ("ApiPermission metafields can only be created or updated by the app owner.",
        // the MetafieldsSetUserErrorCode description, unchanged 2025-10 to 2026-07).
        // https://shopify.dev/docs/apps/build/custom-data/metafields/use-app-data-metafields
        // https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/metafieldsSet
        ownerType = "API_PERMISSION";
        if (ownerId !== shop.appInstallationId) {
          err("APP_NOT_AUTHORIZED", "ownerId", "ApiPermission metafields can only be created or updated by the app owner.");
          return;
        }
      } else {
        if (owner && owner[1] !== "Customer") throw notImplemented(`metafieldsSet for owner type ${owner[1]}`);
        ownerType = "CUSTOMER";
        requireScope(ctx, "write_customers", "metafieldsSet");
        if (!owner || !shop.customers.has(ownerId)) {
          err("INVALID", "ownerId", "Owner does not exist.");
          return;
        }
      }
      const namespace = resolveNamespace(typeof input.namespace === "string" ? input.namespace : "$app");
      const key = typeof input.key === "string" ? input.key : "";
      if (key.length < 2) {
        err("TOO_SHORT", "key", "Key is too short (minimum is 2 characters)");
        return;
      }
      if (!/^[A-Za-z0-9_-]+$/.test(key)) {
        err("INVALID", "key", "Key contains one or more invalid characters.");
        return;
      }
      const definition = shop.definitions.get(definitionKey(ownerType, namespace, key));
      const existing = shop.metafields.get(metafieldKey(ownerId, namespace, key));
      const type = typeof input.type === "string" ? input.type : (definition?.type ?? existing?.type ?? null);
      if (type === null) {
        err("BLANK", "type", "Type can't be blank.");
        return;
      }
      if (!isKnownMetafieldType(type)) {
        err("INVALID_TYPE", "type", `Type '${type}' is not a valid metafield type.`);
        return;
      }
      if (definition && definition.type !== type) {
        err("INVALID_TYPE", "type", `Type must be '${definition.type}' to match the metafield definition.`);
        return;
      }
      const value = typeof input.value === "string" ? input.value : "";
      const invalid = validateMetafieldValue(type, value);
      if (invalid) {
        err("INVALID_VALUE", "value", invalid);
        return;
      }
      if (Object.prototype.hasOwnProperty.call(input, "compareDigest")) {
        const digest = input.compareDigest;
        const stale = digest === null ? existing !== undefined : existing === undefined || existing.compareDigest !== digest;
        if (stale) {
          err("STALE_OBJECT", "compareDigest", "The resource has been updated since it was loaded. Try again with an updated `compareDigest` value.");
          return;
        }
      }
      planned.push({ ownerId, ownerType, namespace, key, type, value });
    });
    if (errors.length > 0) return { metafields: [], userErrors: errors.map(userErrorNode("MetafieldsSetUserError")) };

    // Atomic: nothing above changed state; apply everything now.
    const t = iso();
    const written = planned.map((p) => {
      const k = metafieldKey(p.ownerId, p.namespace, p.key);
      const existing = shop.metafields.get(k);
      const m: FakeMetafield = {
        ...p,
        id: existing?.id ?? nextId("Metafield"),
        createdAt: existing?.createdAt ?? t,
        updatedAt: t,
        compareDigest: digestOf(p.value, t),
      };
      shop.metafields.set(k, m);
      return metafieldNode(shop, m);
    });
    return { metafields: written, userErrors: [] };
  }

  function metafieldDefinitionCreate(ctx: FakeContext, input: Record<string, unknown>): Node {
    const shop = ctx.shop;
    const ownerType = String(input.ownerType);
    const scope = OWNER_TYPE_READ_SCOPE[ownerType];
    if (scope) requireScope(ctx, scope, "metafieldDefinitionCreate");
    for (const unsupported of ["validations", "capabilities", "constraints", "pin"]) {
      const v = input[unsupported];
      if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0) && v !== false) {
        throw notImplemented(`MetafieldDefinitionInput.${unsupported}`);
      }
    }
    const errors: UserError[] = [];
    const err = (code: string, path: string[], message: string) => errors.push({ code, field: ["definition", ...path], message });
    const namespace = resolveNamespace(typeof input.namespace === "string" ? input.namespace : "$app");
    const key = typeof input.key === "string" ? input.key : "";
    const name = typeof input.name === "string" ? input.name : "";
    const type = typeof input.type === "string" ? input.type : "";
    if (name.trim() === "") err("BLANK", ["name"], "Name can't be blank");
    if (key.length < 2) err("TOO_SHORT", ["key"], "Key is too short (minimum is 2 characters)");
    else if (!/^[A-Za-z0-9_-]+$/.test(key)) err("INVALID_CHARACTER", ["key"], "Key contains one or more invalid characters.");
    if (!isKnownMetafieldType(type)) err("INCLUSION", ["type"], "Type name is not included in the list");
    const access = input.access === undefined || input.access === null ? {} : asRecord(input.access);
    if (access.admin !== undefined && access.admin !== null && !isAppNamespace(namespace)) {
      err("ADMIN_ACCESS_INPUT_NOT_ALLOWED", ["access", "admin"], "Admin access can only be specified for app-owned metafield definitions.");
    }
    if (errors.length === 0 && shop.definitions.has(definitionKey(ownerType, namespace, key))) {
      err("TAKEN", ["key"], `Key is in use for ${ownerType.toLowerCase()} metafields on the '${namespace}' namespace.`);
    }
    if (errors.length > 0) {
      return { createdDefinition: null, userErrors: errors.map(userErrorNode("MetafieldDefinitionCreateUserError")) };
    }
    const definition: FakeMetafieldDefinition = {
      id: nextId("MetafieldDefinition"),
      name,
      description: typeof input.description === "string" ? input.description : null,
      namespace,
      key,
      ownerType,
      type,
      access: {
        admin: typeof access.admin === "string" ? access.admin : isAppNamespace(namespace) ? "MERCHANT_READ" : "PUBLIC_READ_WRITE",
        storefront: typeof access.storefront === "string" ? access.storefront : "NONE",
        customerAccount: typeof access.customerAccount === "string" ? access.customerAccount : "NONE",
      },
      createdAt: iso(),
    };
    shop.definitions.set(definitionKey(ownerType, namespace, key), definition);
    return { createdDefinition: definitionNode(shop, definition), userErrors: [] };
  }

  // graphql-js calls this for every field: a property of the source object (or a function of the

  return {
    query: {
      metafieldDefinitions: (args, ctx) => {
        const ownerType = String(args.ownerType);
        const scope = OWNER_TYPE_READ_SCOPE[ownerType];
        if (scope) requireScope(ctx, scope, "metafieldDefinitions");
        for (const unsupported of ["query", "constraintSubtype", "constraintStatus"]) {
          if (args[unsupported] !== undefined && args[unsupported] !== null) {
            throw notImplemented(`QueryRoot.metafieldDefinitions(${unsupported}:)`);
          }
        }
        let list = [...ctx.shop.definitions.values()].filter((d) => d.ownerType === ownerType);
        if (typeof args.namespace === "string") {
          const ns = resolveNamespace(args.namespace);
          list = list.filter((d) => d.namespace === ns);
        }
        if (typeof args.key === "string") list = list.filter((d) => d.key === args.key);
        return connection(list, args, (d) => definitionNode(ctx.shop, d));
      },
    },
    mutation: {
      metafieldsSet: (args, ctx) => metafieldsSet(ctx, (args.metafields as Array<Record<string, unknown>>) ?? []),
      metafieldDefinitionCreate: (args, ctx) => metafieldDefinitionCreate(ctx, asRecord(args.definition)),
    },
  };
}

function digestOf(value: string, updatedAt: string): string {
  return createHash("sha256").update(`${updatedAt}\n${value}`).digest("hex");
}
