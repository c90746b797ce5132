// The stored state seen as GraphQL objects: customers, the app's installation, metafields and their
// definitions (the HasMetafields owners and what they own, which refer to one another). Every field
// the fake answers is listed; graphql-js asks for nothing else (see fieldResolver in graphql.ts).
import { jsonValueOf, metafieldCategory } from "./metafield-types";
import { connection, type Node } from "./resolvers/support";
import { definitionKey, metafieldKey, type FakeStore, type ShopState } from "./store";
import type { FakeCustomer, FakeMetafield, FakeMetafieldDefinition } from "./types";

export interface Nodes {
  customerNode(shop: ShopState, c: FakeCustomer): Node;
  /** The app's own installation (the only one the fake knows). */
  appInstallationNode(shop: ShopState): Node;
  metafieldNode(shop: ShopState, m: FakeMetafield): Node;
  definitionNode(shop: ShopState, d: FakeMetafieldDefinition): Node;
}

export function createNodes(store: FakeStore): Nodes {
  const { resolveNamespace } = store;

  function customerNode(shop: ShopState, c: FakeCustomer): Node {
    return {
      __typename: "Customer",
      id: c.id,
      legacyResourceId: c.id.split("/").pop(),
      numberOfOrders: String(c.numberOfOrders), // UnsignedInt64 is serialized as a string
      createdAt: c.createdAt,
      ...hasMetafieldsFields(shop, c.id),
    };
  }

  /** `metafield(namespace, key)` and `metafields(...)` of a HasMetafields owner. */
  function hasMetafieldsFields(shop: ShopState, ownerId: string): Node {
    return {
      metafield: (args: Record<string, unknown>) => {
        const ns = resolveNamespace(typeof args.namespace === "string" ? args.namespace : "$app");
        const m = shop.metafields.get(metafieldKey(ownerId, ns, String(args.key)));
        return m ? metafieldNode(shop, m) : null;
      },
      metafields: (args: Record<string, unknown>) => {
        let list = [...shop.metafields.values()].filter((m) => m.ownerId === ownerId);
        if (typeof args.namespace === "string") {
          const ns = resolveNamespace(args.namespace);
          list = list.filter((m) => m.namespace === ns);
        }
        if (Array.isArray(args.keys)) {
          const keys = new Set(
            (args.keys as string[]).map((k) => {
              const dot = k.lastIndexOf(".");
              return `${resolveNamespace(k.slice(0, dot))}.${k.slice(dot + 1)}`;
            }),
          );
          list = list.filter((m) => keys.has(`${m.namespace}.${m.key}`));
        }
        return connection(list, args, (m) => metafieldNode(shop, m));
      },
    };
  }

  /** The app's own installation (the only one the fake knows). */
  function appInstallationNode(shop: ShopState): Node {
    return {
      __typename: "AppInstallation",
      id: shop.appInstallationId,
      ...hasMetafieldsFields(shop, shop.appInstallationId),
    };
  }

  function metafieldNode(shop: ShopState, m: FakeMetafield): Node {
    return {
      __typename: "Metafield",
      id: m.id,
      legacyResourceId: m.id.split("/").pop(),
      namespace: m.namespace,
      key: m.key,
      type: m.type,
      value: m.value,
      jsonValue: () => jsonValueOf(m),
      compareDigest: m.compareDigest,
      createdAt: m.createdAt,
      updatedAt: m.updatedAt,
      ownerType: m.ownerType,
      owner: () => {
        if (m.ownerType === "API_PERMISSION") return appInstallationNode(shop);
        const c = shop.customers.get(m.ownerId);
        return c ? customerNode(shop, c) : null;
      },
      definition: () => {
        const d = shop.definitions.get(definitionKey(m.ownerType, m.namespace, m.key));
        return d ? definitionNode(shop, d) : null;
      },
    };
  }

  function definitionNode(shop: ShopState, d: FakeMetafieldDefinition): Node {
    return {
      __typename: "MetafieldDefinition",
      id: d.id,
      name: d.name,
      description: d.description,
      namespace: d.namespace,
      key: d.key,
      ownerType: d.ownerType,
      type: { __typename: "MetafieldDefinitionType", name: d.type, category: metafieldCategory(d.type) },
      access: { __typename: "MetafieldAccess", ...d.access },
      pinnedPosition: null,
      validations: [],
      useAsCollectionCondition: false,
      validationStatus: "ALL_VALID",
      metafieldsCount: () => [...shop.metafields.values()].filter((m) => m.ownerType === d.ownerType && m.namespace === d.namespace && m.key === d.key).length,
    };
  }

  return { customerNode, appInstallationNode, metafieldNode, definitionNode };
}
