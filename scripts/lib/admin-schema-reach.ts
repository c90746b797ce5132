// The part of an Admin schema the app's documents reach, as a schema of its own: the fields they select
// (with all their arguments), every input type of their variables recursively (the app may fill any
// input field), and the enums and custom scalars on the way. The generated Admin types are made from it
// (./admin-codegen) and scripts/admin-schema-diff.ts compares it between versions.
import {
  Kind,
  TypeInfo,
  buildASTSchema,
  getNamedType,
  isAbstractType,
  isInputObjectType,
  isSpecifiedScalarType,
  parse,
  printType,
  visit,
  visitWithTypeInfo,
  type DefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationTypeDefinitionNode,
} from "graphql";

/**
 * `schema` reduced to what `sources` reach: object types keep only the fields selected (with all their
 * arguments), input types keep every field (the app may fill any of them), and the enums and custom
 * scalars reached on the way are kept whole. Interfaces and unions are refused: no document selects
 * one yet, and keeping them right needs their possible types too.
 */
export function pruneSchemaToDocuments(schema: GraphQLSchema, sources: readonly string[]): GraphQLSchema {
  const selected = new Map<string, Set<string>>();
  const kept = new Set<string>();
  const pendingInputs: GraphQLNamedType[] = [];
  const keep = (named: GraphQLNamedType) => {
    if (isAbstractType(named)) {
      throw new Error(`pruneSchemaToDocuments: the documents reach ${named.name}, an interface or union, which it does not handle yet`);
    }
    if (isSpecifiedScalarType(named) || kept.has(named.name)) return;
    kept.add(named.name);
    if (isInputObjectType(named)) pendingInputs.push(named);
  };

  for (const source of sources) {
    const typeInfo = new TypeInfo(schema);
    visit(
      parse(source),
      visitWithTypeInfo(typeInfo, {
        Field() {
          const parent = typeInfo.getParentType();
          const field = typeInfo.getFieldDef();
          if (!parent || !field) return;
          const fields = selected.get(parent.name) ?? new Set<string>();
          fields.add(field.name);
          selected.set(parent.name, fields);
          keep(parent);
          keep(getNamedType(field.type));
          for (const argument of field.args) keep(getNamedType(argument.type));
        },
        VariableDefinition() {
          const type = typeInfo.getInputType();
          if (type) keep(getNamedType(type));
        },
      }),
    );
  }
  while (pendingInputs.length > 0) {
    const input = pendingInputs.pop()!;
    if (!isInputObjectType(input)) continue;
    for (const field of Object.values(input.getFields())) keep(getNamedType(field.type));
  }

  const definitions: DefinitionNode[] = [];
  for (const name of [...kept].sort()) {
    const type = schema.getType(name)!;
    for (const definition of parse(printType(type)).definitions) {
      if (definition.kind === Kind.OBJECT_TYPE_DEFINITION) {
        const fields = selected.get(name) ?? new Set<string>();
        definitions.push({
          ...definition,
          interfaces: [],
          fields: (definition.fields ?? []).filter((field) => fields.has(field.name.value)),
        });
      } else {
        definitions.push(definition);
      }
    }
  }
  const root = (operation: "query" | "mutation", type: string | undefined): OperationTypeDefinitionNode[] =>
    type && kept.has(type) ? [{ kind: Kind.OPERATION_TYPE_DEFINITION, operation, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: type } } } as OperationTypeDefinitionNode] : [];
  definitions.push({
    kind: Kind.SCHEMA_DEFINITION,
    operationTypes: [...root("query", schema.getQueryType()?.name), ...root("mutation", schema.getMutationType()?.name)],
  });
  return buildASTSchema({ kind: Kind.DOCUMENT, definitions });
}
