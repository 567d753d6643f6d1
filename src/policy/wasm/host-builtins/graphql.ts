// graphql.* builtins on the graphql-js reference implementation. ASTs are returned (and accepted)
// in the shape OPA returns them (see graphql-ast.ts). Schema extensions of types the document
// does not define are accepted as definitions, as OPA's gqlparser-based implementation does.
import { GraphQLError, Kind, buildASTSchema, getLocation, parse, validate, visit, type DocumentNode, type GraphQLSchema } from "graphql";
import { BuiltinError, str, typeOf } from "./builtin-error.ts";
import { printQuery, printSchema, queryDocument, schemaDocument } from "./graphql-ast.ts";

function parseText(name: string, text: string): DocumentNode {
  // gqlparser accepts a document with no definitions; graphql-js does not.
  if (text.replace(/#[^\n]*/g, "").trim() === "") return { kind: Kind.DOCUMENT, definitions: [] };
  let doc: DocumentNode;
  try {
    doc = parse(text, { experimentalFragmentArguments: true } as any);
  } catch (err) {
    const e = err as GraphQLError;
    const loc = e.locations?.[0];
    throw new BuiltinError(name, `${e.message.replace(/^Syntax Error: /, "").replace(/\.$/, "")} in GraphQL string at location ${loc?.line}:${loc?.column}`);
  }
  // gqlparser requires at least one selection in every selection set.
  visit(doc, {
    SelectionSet(node) {
      if (node.selections.length === 0) {
        const at = node.loc ? getLocation(node.loc.source, node.loc.end - 1) : undefined;
        throw new BuiltinError(name, `expected at least one definition, found } in GraphQL string at location ${at?.line}:${at?.column}`);
      }
    },
  });
  return doc;
}

const isExecutable = (k: string) => k === Kind.OPERATION_DEFINITION || k === Kind.FRAGMENT_DEFINITION;

function queryDoc(name: string, v: unknown): DocumentNode {
  const text = typeof v === "string" ? v : typeOf(v) === "object" ? printQuery(v as Record<string, unknown>) : undefined;
  if (text === undefined) throw new BuiltinError(name, `operand 1 must be one of {string, object} but got ${typeOf(v)}`);
  const doc = parseText(name, text);
  if (!doc.definitions.every((d) => isExecutable(d.kind))) throw new BuiltinError(name, "query documents may only contain operations and fragments");
  return doc;
}

function schemaDoc(name: string, v: unknown): DocumentNode {
  const text = typeof v === "string" ? v : typeOf(v) === "object" ? printSchema(v as Record<string, unknown>) : undefined;
  if (text === undefined) throw new BuiltinError(name, `operand 2 must be one of {string, object} but got ${typeOf(v)}`);
  const doc = parseText(name, text);
  if (doc.definitions.some((d) => isExecutable(d.kind))) throw new BuiltinError(name, "schema documents may not contain operations");
  return doc;
}

const EXTENSION_TO_DEFINITION: Record<string, string> = {
  [Kind.OBJECT_TYPE_EXTENSION]: Kind.OBJECT_TYPE_DEFINITION,
  [Kind.INTERFACE_TYPE_EXTENSION]: Kind.INTERFACE_TYPE_DEFINITION,
  [Kind.UNION_TYPE_EXTENSION]: Kind.UNION_TYPE_DEFINITION,
  [Kind.ENUM_TYPE_EXTENSION]: Kind.ENUM_TYPE_DEFINITION,
  [Kind.INPUT_OBJECT_TYPE_EXTENSION]: Kind.INPUT_OBJECT_TYPE_DEFINITION,
  [Kind.SCALAR_TYPE_EXTENSION]: Kind.SCALAR_TYPE_DEFINITION,
};

function buildSchema(name: string, doc: DocumentNode): GraphQLSchema {
  const defined = new Set(doc.definitions.filter((d: any) => d.kind.endsWith("TypeDefinition")).map((d: any) => d.name.value));
  const promoted = new Set<string>();
  const definitions = doc.definitions.map((d: any) => {
    const asDefinition = EXTENSION_TO_DEFINITION[d.kind];
    if (!asDefinition || defined.has(d.name.value) || promoted.has(d.name.value)) return d;
    promoted.add(d.name.value);
    return { ...d, kind: asDefinition };
  });
  try {
    return buildASTSchema({ ...doc, definitions } as DocumentNode);
  } catch (err) {
    throw new BuiltinError(name, `invalid schema: ${(err as Error).message}`);
  }
}

function verify(name: string, query: DocumentNode, schema: GraphQLSchema): void {
  // gqlparser validates an empty document against any schema; graphql-js would first insist on a Query type.
  if (query.definitions.length === 0) return;
  let errors;
  try {
    errors = validate(schema, query);
  } catch (err) {
    throw new BuiltinError(name, (err as Error).message);
  }
  if (errors.length > 0) {
    const loc = errors[0].locations?.[0];
    throw new BuiltinError(name, `${errors[0].message.replace(/\.$/, "")} in GraphQL query string at location ${loc?.line}:${loc?.column}`);
  }
}

export function parseQuery(q: unknown): unknown {
  const name = "graphql.parse_query";
  return queryDocument(queryDoc(name, str(name, q, 1)));
}

export function parseSchema(s: unknown): unknown {
  const name = "graphql.parse_schema";
  return schemaDocument(schemaDoc(name, str(name, s, 1)));
}

export function graphqlParse(q: unknown, s: unknown): unknown[] {
  const name = "graphql.parse";
  const query = queryDoc(name, q);
  const sdl = schemaDoc(name, s);
  verify(name, query, buildSchema(name, sdl));
  return [queryDocument(query), schemaDocument(sdl)];
}

export function parseAndVerify(q: unknown, s: unknown): unknown[] {
  try {
    return [true, ...graphqlParse(q, s)];
  } catch (err) {
    if (err instanceof BuiltinError) return [false, {}, {}];
    throw err;
  }
}

export function isValid(q: unknown, s: unknown): boolean {
  return parseAndVerify(q, s)[0] === true;
}

export function schemaIsValid(s: unknown): boolean {
  try {
    buildSchema("graphql.schema_is_valid", schemaDoc("graphql.schema_is_valid", s));
    return true;
  } catch (err) {
    if (err instanceof BuiltinError) return false;
    throw err;
  }
}

export const graphqlBuiltins = {
  "graphql.parse_query": parseQuery,
  "graphql.parse_schema": parseSchema,
  "graphql.parse": graphqlParse,
  "graphql.parse_and_verify": parseAndVerify,
  "graphql.is_valid": isValid,
  "graphql.schema_is_valid": schemaIsValid,
};
