// Running one GraphQL operation the way Shopify's Admin API does: parse, validate against the real
// schema of the pinned version, coerce the variables, refuse root fields the fake does not implement,
// charge the query's cost to the shop's bucket (or answer THROTTLED), then execute over the store
// with the resolver groups. Answers are status, body and outcome; the HTTP layer sends them.
import {
  GraphQLError,
  Kind,
  NoDeprecatedCustomRule,
  execute,
  getOperationAST,
  getVariableValues,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type SelectionSetNode,
  type TypeNode,
} from "graphql";
import { httpStatusText, type Faults } from "./faults";
import { computeCost, refill, statusOf } from "./rate-limit";
import { notImplemented, type FakeContext, type Resolver, type ResolverGroup } from "./resolvers/support";
import type { FakeStore, ShopState } from "./store";
import type { FakeRequestOutcome, FakeRequestRecord } from "./types";

const DEPRECATION_HEADER_VALUE = "https://shopify.dev/api/usage/versioning#deprecation-practices";
const THROTTLED_DOC = "https://shopify.dev/api/usage/rate-limits";

export interface GraphqlAnswer {
  status: number;
  body: unknown;
  outcome: FakeRequestOutcome;
  headers?: Record<string, string>;
}

export type GraphqlExecutor = (record: FakeRequestRecord, shop: ShopState, query: string, variables: Record<string, unknown>, operationName: string | null) => Promise<GraphqlAnswer>;

// graphql-js calls this for every field: a property of the source object (or a function of the
// arguments), else a loud "not implemented" error instead of a silent null.
const fieldResolver: GraphQLFieldResolver<unknown, FakeContext> = (source, args, ctx, info) => {
  if (source !== null && typeof source === "object" && Object.prototype.hasOwnProperty.call(source, info.fieldName)) {
    const value = (source as Record<string, unknown>)[info.fieldName];
    return typeof value === "function" ? (value as Resolver)(args, ctx) : value;
  }
  throw notImplemented(`${info.parentType.name}.${info.fieldName}`);
};

function answer(status: number, body: unknown, outcome: FakeRequestOutcome, headers: Record<string, string> = {}): GraphqlAnswer {
  return { status, body, outcome, headers };
}

export function createGraphqlExecutor(options: {
  store: FakeStore;
  faults: Faults;
  /** Shopify refuses single queries costing more than this (MAX_COST_EXCEEDED). */
  maxSingleQueryCost: number;
  resolvers: readonly ResolverGroup[];
}): GraphqlExecutor {
  const { store, faults, maxSingleQueryCost } = options;
  const { schema, apiVersion } = store;
  const queryResolvers: Record<string, Resolver> = Object.assign({}, ...options.resolvers.map((group) => group.query ?? {}));
  const mutationResolvers: Record<string, Resolver> = Object.assign({}, ...options.resolvers.map((group) => group.mutation ?? {}));

  return async function handleGraphql(record, shop, query, variables, operationName) {
    refill(shop.bucket, store.now());
    const freeCost = () => ({ cost: { requestedQueryCost: 0, actualQueryCost: 0, throttleStatus: statusOf(shop.bucket) } });
    const graphqlErrors = (errors: unknown[], outcome: FakeRequestOutcome = "graphql_errors") => answer(200, { errors, extensions: freeCost() }, outcome);

    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      const e = error as GraphQLError;
      return graphqlErrors([{ message: e.message, locations: e.locations ?? [], extensions: { code: "PARSE_ERROR" } }]);
    }

    const validationErrors = validate(schema, document);
    if (validationErrors.length > 0) {
      return graphqlErrors(
        validationErrors.map((e) => ({
          message: e.message,
          locations: e.locations ?? [],
          extensions: { code: validationCode(e.message) },
        })),
      );
    }
    record.deprecations.push(...validate(schema, document, [NoDeprecatedCustomRule]).map((e) => e.message));

    const operation = getOperationAST(document, operationName);
    if (!operation) {
      return graphqlErrors([
        {
          message: operationName ? `No operation named "${operationName}"` : "An operation name is required",
          extensions: { code: "OPERATION_NOT_FOUND" },
        },
      ]);
    }
    record.operationName = operation.name?.value ?? operationName;
    record.operationType = operation.operation;
    if (operation.operation === "subscription") {
      return graphqlErrors([{ message: "Subscriptions are not supported", extensions: { code: "SUBSCRIPTION_NOT_SUPPORTED" } }]);
    }

    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 50 });
    if (coerced.errors) {
      return graphqlErrors(
        coerced.errors.map((e) => {
          const name = /"\$([_A-Za-z][_0-9A-Za-z]*)"/.exec(e.message)?.[1] ?? "?";
          const def = operation.variableDefinitions?.find((d) => d.variable.name.value === name);
          const typeText = def ? printTypeNode(def.type) : "?";
          return {
            message: `Variable $${name} of type ${typeText} was provided invalid value`,
            locations: e.locations ?? [],
            extensions: {
              code: "INVALID_VARIABLE",
              value: variables[name] ?? null,
              problems: [{ path: [], explanation: e.message }],
            },
          };
        }),
      );
    }

    const fragments = Object.fromEntries(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
    const rootFields = collectRootFields(operation.selectionSet, fragments);
    record.rootFields = rootFields;
    const implemented = operation.operation === "mutation" ? mutationResolvers : queryResolvers;
    const missing = rootFields.filter((f) => !f.startsWith("__") && !(f in implemented));
    if (missing.length > 0) {
      return graphqlErrors(
        missing.map((f) => ({
          message: `shopify-admin-fake does not implement ${operation.operation === "mutation" ? "Mutation" : "QueryRoot"}.${f}`,
          extensions: { code: "FAKE_NOT_IMPLEMENTED" },
        })),
        "unimplemented",
      );
    }

    const rootType = operation.operation === "mutation" ? schema.getMutationType() : schema.getQueryType();
    const requested = computeCost(schema, operation, rootType as GraphQLObjectType, fragments, coerced.coerced, rootFields);
    record.requestedQueryCost = requested;
    if (requested > maxSingleQueryCost) {
      return graphqlErrors([
        {
          message: `Query cost is ${requested}, which exceeds the single query max cost limit (${maxSingleQueryCost}).`,
          extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: maxSingleQueryCost },
        },
      ]);
    }

    // Leaky bucket: the requested cost must be available before anything runs.
    // https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits
    const forced = faults.takeThrottle();
    if (forced || requested > shop.bucket.available) {
      const throttleStatus = statusOf(shop.bucket);
      if (forced) throttleStatus.currentlyAvailable = forced.currentlyAvailable;
      return answer(
        200,
        {
          errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: THROTTLED_DOC } }],
          extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus } },
        },
        "throttled",
      );
    }
    shop.bucket.available -= requested;

    const ctx: FakeContext = { shop, deprecations: [] };
    const result = await execute({
      schema,
      document,
      operationName: record.operationName ?? undefined,
      variableValues: variables,
      rootValue: operation.operation === "mutation" ? mutationResolvers : queryResolvers,
      contextValue: ctx,
      fieldResolver,
    });
    record.deprecations.push(...ctx.deprecations);

    const afterCommit = faults.takeFailAfterCommit();
    if (afterCommit) {
      return answer(afterCommit.status, { errors: httpStatusText(afterCommit.status) }, "failed_after_commit");
    }

    const responseBody: Record<string, unknown> = {};
    if (result.errors && result.errors.length > 0) responseBody.errors = result.errors.map((e) => e.toJSON());
    responseBody.data = result.data ?? null;
    responseBody.extensions = {
      cost: { requestedQueryCost: requested, actualQueryCost: requested, throttleStatus: statusOf(shop.bucket) },
    };
    const extraHeaders: Record<string, string> = {
      "X-Shopify-API-Version": apiVersion,
      ...(record.deprecations.length > 0 ? { "X-Shopify-API-Deprecated-Reason": DEPRECATION_HEADER_VALUE } : {}),
    };
    return answer(200, responseBody, responseBody.errors ? "graphql_errors" : "ok", extraHeaders);
  };
}

function collectRootFields(selectionSet: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>): string[] {
  const names: string[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) names.push(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) names.push(...collectRootFields(selection.selectionSet, fragments));
    else {
      const fragment = fragments[selection.name.value];
      if (fragment) names.push(...collectRootFields(fragment.selectionSet, fragments));
    }
  }
  return names;
}

function printTypeNode(node: TypeNode): string {
  if (node.kind === Kind.NON_NULL_TYPE) return `${printTypeNode(node.type)}!`;
  if (node.kind === Kind.LIST_TYPE) return `[${printTypeNode(node.type)}]`;
  return node.name.value;
}

/** graphql-js validation messages mapped to the graphql-ruby style codes Shopify answers with. */
function validationCode(message: string): string {
  const rules: Array<[RegExp, string]> = [
    [/^Cannot query field/, "undefinedField"],
    [/^Unknown argument/, "argumentNotAccepted"],
    [/argument ".*" of type ".*" is required/, "missingRequiredArguments"],
    [/^Unknown type/, "undefinedType"],
    [/is never used/, "variableNotUsed"],
    [/is not defined/, "undefinedVariable"],
    [/must have a selection of subfields/, "selectionMismatch"],
    [/must not have a selection since type/, "selectionMismatch"],
    [/used in position expecting type/, "variableMismatch"],
    [/^(Expected value of type|.* cannot represent)/, "argumentLiteralsIncompatible"],
    [/^Unknown fragment/, "undefinedFragment"],
    [/^Fragment .* is never used/, "useAndDefineFragment"],
  ];
  return rules.find(([re]) => re.test(message))?.[1] ?? "GRAPHQL_VALIDATION_FAILED";
}
