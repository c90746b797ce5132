// Shopify's GraphQL rate limit as the fake applies it: a per-shop leaky bucket of cost points
// (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits) and an estimate of what a
// query costs. The throttling decision itself is made where operations run (graphql.ts).
import {
  Kind,
  getNamedType,
  isInterfaceType,
  isObjectType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";
import type { FakeThrottleStatus } from "./types";

export interface Bucket {
  maximumAvailable: number;
  restoreRate: number;
  available: number;
  updatedAt: number;
}

/** Restores the points earned since the bucket was last looked at, up to its size. */
export function refill(bucket: Bucket, t: number): void {
  const elapsed = Math.max(0, t - bucket.updatedAt) / 1000;
  bucket.available = Math.min(bucket.maximumAvailable, bucket.available + elapsed * bucket.restoreRate);
  bucket.updatedAt = t;
}

export function statusOf(bucket: Bucket): FakeThrottleStatus {
  return {
    maximumAvailable: bucket.maximumAvailable,
    // Shopify reports whole points (as floats, e.g. 1990.0); JSON makes 1990.0 and 1990 the same.
    currentlyAvailable: Math.floor(bucket.available),
    restoreRate: bucket.restoreRate,
  };
}

/**
 * A simple stand-in for Shopify's calculated query cost: every mutation root field costs 10; in
 * queries an object (or list of objects) costs 1 plus its selection, a connection 2 plus
 * `first`/`last` times the cost of one edge/node, scalars and enums 0. Fragments on abstract types
 * are summed (Shopify takes the maximum), so the estimate errs on the high side.
 * `rootFields`: the operation's root field names, fragments included.
 */
export function computeCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  rootType: GraphQLObjectType,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  rootFields: readonly string[],
): number {
  if (operation.operation === "mutation") {
    return rootFields.filter((f) => !f.startsWith("__")).length * 10;
  }
  return selectionCost(schema, operation.selectionSet, rootType, fragments, variables);
}

function selectionCost(schema: GraphQLSchema, selectionSet: SelectionSetNode, parentType: GraphQLNamedType | undefined, fragments: Record<string, FragmentDefinitionNode>, variables: Record<string, unknown>): number {
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      total += fieldCost(schema, selection, parentType, fragments, variables);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parentType;
      total += selectionCost(schema, selection.selectionSet, type ?? undefined, fragments, variables);
    } else {
      const fragment = fragments[selection.name.value];
      if (fragment) {
        const type = schema.getType(fragment.typeCondition.name.value) ?? undefined;
        total += selectionCost(schema, fragment.selectionSet, type, fragments, variables);
      }
    }
  }
  return total;
}

function fieldCost(schema: GraphQLSchema, field: FieldNode, parentType: GraphQLNamedType | undefined, fragments: Record<string, FragmentDefinitionNode>, variables: Record<string, unknown>): number {
  if (!field.selectionSet || field.name.value.startsWith("__")) return 0;
  const fieldType = parentType && (isObjectType(parentType) || isInterfaceType(parentType)) ? parentType.getFields()[field.name.value]?.type : undefined;
  const namedType = fieldType ? getNamedType(fieldType) : undefined;
  const children = selectionCost(schema, field.selectionSet, namedType, fragments, variables);
  if (namedType?.name.endsWith("Connection")) {
    const size = argumentNumber(field, "first", variables) ?? argumentNumber(field, "last", variables) ?? 1;
    return 2 + size * Math.max(children, 1);
  }
  return 1 + children;
}

function argumentNumber(field: FieldNode, name: string, variables: Record<string, unknown>): number | null {
  const arg = field.arguments?.find((a) => a.name.value === name);
  if (!arg) return null;
  const value: ValueNode = arg.value;
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.VARIABLE) {
    const v = variables[value.name.value];
    return typeof v === "number" ? v : null;
  }
  return null;
}
