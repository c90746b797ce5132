// What every resolver group uses: the per-operation context, the node and user-error shapes,
// access-scope checks, GID parsing, "not implemented" errors and connections (first/last/after/before).
import { GraphQLError } from "graphql";
import type { ShopState } from "../store";

export interface FakeContext {
  shop: ShopState;
  /** Deprecated schema members the operation used that validation cannot see (input fields read by resolvers). */
  deprecations: string[];
}

/** A root field, or a field of a node that takes arguments. */
export type Resolver = (args: Record<string, unknown>, ctx: FakeContext) => unknown;
/** A GraphQL object as the fake answers it: values, or resolvers for fields that take arguments. */
export type Node = Record<string, unknown>;

/** The root fields one resolver group implements. */
export interface ResolverGroup {
  query?: Record<string, Resolver>;
  mutation?: Record<string, Resolver>;
}

export interface UserError {
  code: string;
  field: string[] | null;
  message: string;
  elementIndex?: number;
}

export const SHOPIFY_GID = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)$/;
export const DECIMAL = /^-?\d+(\.\d+)?$/;

export function requireScope(ctx: FakeContext, scope: string, field: string): void {
  const granted = ctx.shop.scopes;
  if (!granted) return;
  const [verb, resource] = scope.split("_", 2) as [string, string];
  const ok = granted.has(scope) || (verb === "read" && granted.has(`write_${resource}`));
  if (!ok) {
    const requiredAccess = `\`${scope}\` access scope.`;
    throw new GraphQLError(`Access denied for ${field} field. Required access: ${requiredAccess}`, {
      extensions: { code: "ACCESS_DENIED", documentation: "https://shopify.dev/api/usage/access-scopes", requiredAccess },
    });
  }
}

export function notImplemented(what: string): GraphQLError {
  return new GraphQLError(`shopify-admin-fake does not implement ${what}`, {
    extensions: { code: "FAKE_NOT_IMPLEMENTED" },
  });
}

export function parseShopifyGid(id: unknown, expectedType: string): { ok: true; id: string } | { ok: false } {
  if (typeof id !== "string") return { ok: false };
  const match = SHOPIFY_GID.exec(id);
  if (!match || match[1] !== expectedType) return { ok: false };
  return { ok: true, id };
}

export function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
}

export function userErrorNode(typename: string) {
  return (e: UserError): Node => ({
    __typename: typename,
    code: e.code,
    field: e.field,
    message: e.message,
    elementIndex: e.elementIndex ?? null,
    extraInfo: null,
  });
}

export function connection<T>(items: readonly T[], args: Record<string, unknown>, toNode: (item: T) => Node): Node {
  const first = typeof args.first === "number" ? args.first : null;
  const last = typeof args.last === "number" ? args.last : null;
  if (first === null && last === null) {
    throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
  }
  if ((first !== null && first > 250) || (last !== null && last > 250)) {
    throw new GraphQLError("The maximum value of 'first' and 'last' is 250", { extensions: { code: "BAD_REQUEST" } });
  }
  const decode = (cursor: unknown) => {
    const n = Number(
      Buffer.from(String(cursor), "base64url")
        .toString("utf8")
        .replace(/^fake:/, ""),
    );
    return Number.isInteger(n) ? n : -1;
  };
  let indexed = items.map((item, index) => ({ item, index }));
  if (args.reverse === true) indexed = indexed.reverse();
  if (args.after !== undefined && args.after !== null) {
    const after = decode(args.after);
    const pos = indexed.findIndex((e) => e.index === after);
    indexed = pos >= 0 ? indexed.slice(pos + 1) : indexed;
  }
  if (args.before !== undefined && args.before !== null) {
    const before = decode(args.before);
    const pos = indexed.findIndex((e) => e.index === before);
    indexed = pos >= 0 ? indexed.slice(0, pos) : indexed;
  }
  const window = first !== null ? indexed.slice(0, first) : indexed.slice(Math.max(0, indexed.length - (last ?? 0)));
  const cursor = (index: number) => Buffer.from(`fake:${index}`, "utf8").toString("base64url");
  const edges = window.map((e) => ({ __typename: "Edge", cursor: cursor(e.index), node: toNode(e.item) }));
  const firstEdge = window[0];
  const lastEdge = window[window.length - 1];
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      __typename: "PageInfo",
      hasNextPage: lastEdge ? indexed.indexOf(lastEdge) < indexed.length - 1 : false,
      hasPreviousPage: firstEdge ? indexed.indexOf(firstEdge) > 0 : false,
      startCursor: firstEdge ? cursor(firstEdge.index) : null,
      endCursor: lastEdge ? cursor(lastEdge.index) : null,
    },
  };
}
