// graphql-js documents converted to the AST shape OPA returns: the JSON form of the gqlparser
// (vektah) structs with null, empty and Position fields pruned. And back again: an AST object in
// that shape printed as GraphQL source, so builtins can accept either form as OPA does.
import { Kind, type ASTNode, type ConstDirectiveNode, type DirectiveNode, type DocumentNode, type TypeNode, type ValueNode } from "graphql";

type Obj = Record<string, unknown>;

const VALUE_KIND: Record<string, number> = {
  [Kind.VARIABLE]: 0, [Kind.INT]: 1, [Kind.FLOAT]: 2, [Kind.STRING]: 3, [Kind.BOOLEAN]: 5,
  [Kind.NULL]: 6, [Kind.ENUM]: 7, [Kind.LIST]: 8, [Kind.OBJECT]: 9,
};

function value(v: ValueNode): Obj {
  const out: Obj = { ExpectedTypeHasDefault: false, Kind: VALUE_KIND[v.kind], Raw: "" };
  switch (v.kind) {
    case Kind.VARIABLE: out.Raw = v.name.value; break;
    case Kind.INT: case Kind.FLOAT: case Kind.ENUM: out.Raw = v.value; break;
    case Kind.STRING: out.Raw = v.value; if (v.block) out.Kind = 4; break;
    case Kind.BOOLEAN: out.Raw = String(v.value); break;
    case Kind.NULL: out.Raw = "null"; break;
    case Kind.LIST: out.Children = v.values.map((c) => ({ Name: "", Value: value(c) })); break;
    case Kind.OBJECT: out.Children = v.fields.map((f) => ({ Name: f.name.value, Value: value(f.value) })); break;
  }
  return out;
}

function type(t: TypeNode): Obj {
  if (t.kind === Kind.NON_NULL_TYPE) return { ...type(t.type), NonNull: true };
  if (t.kind === Kind.LIST_TYPE) return { NamedType: "", Elem: type(t.type), NonNull: false };
  return { NamedType: t.name.value, NonNull: false };
}

const args = (list: readonly { name: { value: string }; value: ValueNode }[] | undefined) =>
  (list ?? []).map((a) => ({ Name: a.name.value, Value: value(a.value) }));
const directives = (list: readonly (DirectiveNode | ConstDirectiveNode)[] | undefined) =>
  (list ?? []).map((d) => ({ Name: d.name.value, Arguments: args(d.arguments), Location: "" }));
const description = (n: { description?: { value: string } | undefined }) => n.description?.value ?? "";

function selections(node: any): Obj[] {
  return (node?.selections ?? []).map((s: any) => {
    if (s.kind === Kind.FIELD) {
      return { Alias: s.alias?.value ?? s.name.value, Name: s.name.value, Arguments: args(s.arguments), Directives: directives(s.directives), SelectionSet: selections(s.selectionSet) };
    }
    if (s.kind === Kind.FRAGMENT_SPREAD) return { Name: s.name.value, Directives: directives(s.directives) };
    return { TypeCondition: s.typeCondition?.name.value ?? "", Directives: directives(s.directives), SelectionSet: selections(s.selectionSet) };
  });
}

const variableDefinitions = (list: readonly any[] | undefined) =>
  (list ?? []).map((v) => ({ Variable: v.variable.name.value, Type: type(v.type), DefaultValue: v.defaultValue ? value(v.defaultValue) : undefined, Directives: directives(v.directives), Used: false }));

export function queryDocument(doc: DocumentNode): Obj {
  const Operations: Obj[] = [];
  const Fragments: Obj[] = [];
  for (const d of doc.definitions as readonly any[]) {
    if (d.kind === Kind.OPERATION_DEFINITION) {
      Operations.push({ Operation: d.operation, Name: d.name?.value ?? "", VariableDefinitions: variableDefinitions(d.variableDefinitions), Directives: directives(d.directives), SelectionSet: selections(d.selectionSet) });
    } else if (d.kind === Kind.FRAGMENT_DEFINITION) {
      Fragments.push({ Name: d.name.value, VariableDefinition: variableDefinitions(d.variableDefinitions), TypeCondition: d.typeCondition.name.value, Directives: directives(d.directives), SelectionSet: selections(d.selectionSet) });
    }
  }
  return prune({ Operations, Fragments }) as Obj;
}

const argumentDefinitions = (list: readonly any[] | undefined) =>
  (list ?? []).map((a) => ({ Description: description(a), Name: a.name.value, DefaultValue: a.defaultValue ? value(a.defaultValue) : undefined, Type: type(a.type), Directives: directives(a.directives) }));

const DEFINITION_KIND: Record<string, string> = {
  ScalarTypeDefinition: "SCALAR", ObjectTypeDefinition: "OBJECT", InterfaceTypeDefinition: "INTERFACE", UnionTypeDefinition: "UNION",
  EnumTypeDefinition: "ENUM", InputObjectTypeDefinition: "INPUT_OBJECT",
};

function definition(d: any, kindName: string): Obj {
  return {
    Kind: DEFINITION_KIND[kindName],
    Description: description(d),
    Name: d.name.value,
    Directives: directives(d.directives),
    Interfaces: (d.interfaces ?? []).map((i: any) => i.name.value),
    Fields: (d.fields ?? []).map((f: any) => ({
      Description: description(f), Name: f.name.value, Arguments: argumentDefinitions(f.arguments),
      DefaultValue: f.defaultValue ? value(f.defaultValue) : undefined, Type: type(f.type), Directives: directives(f.directives),
    })),
    Types: (d.types ?? []).map((t: any) => t.name.value),
    EnumValues: (d.values ?? []).map((v: any) => ({ Description: description(v), Name: v.name.value, Directives: directives(v.directives) })),
    BuiltIn: false,
  };
}

export function schemaDocument(doc: DocumentNode): Obj {
  const out: Record<string, Obj[]> = { Schema: [], SchemaExtension: [], Directives: [], Definitions: [], Extensions: [] };
  for (const d of doc.definitions as readonly any[]) {
    const ops = () => (d.operationTypes ?? []).map((o: any) => ({ Operation: o.operation, Type: o.type.name.value }));
    if (d.kind === Kind.SCHEMA_DEFINITION) out.Schema.push({ Description: description(d), Directives: directives(d.directives), OperationTypes: ops() });
    else if (d.kind === Kind.SCHEMA_EXTENSION) out.SchemaExtension.push({ Description: "", Directives: directives(d.directives), OperationTypes: ops() });
    else if (d.kind === Kind.DIRECTIVE_DEFINITION) {
      out.Directives.push({ Description: description(d), Name: d.name.value, Arguments: argumentDefinitions(d.arguments), Locations: d.locations.map((l: any) => l.value), IsRepeatable: d.repeatable });
    } else if (d.kind.endsWith("TypeDefinition")) out.Definitions.push(definition(d, d.kind));
    else if (d.kind.endsWith("TypeExtension")) out.Extensions.push(definition(d, d.kind.replace("Extension", "Definition")));
  }
  return prune(out) as Obj;
}

/** OPA's pruning: drop null/undefined, empty arrays and objects (after pruning), and Position. */
export function prune(v: unknown): unknown {
  if (Array.isArray(v)) {
    return v.map(prune).filter((x) => x !== undefined && x !== null && !(typeof x === "object" && Object.keys(x).length === 0));
  }
  if (v !== null && typeof v === "object") {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === "Position") continue;
      const p = prune(x);
      if (p === undefined || p === null || (typeof p === "object" && Object.keys(p).length === 0)) continue;
      out[k] = p;
    }
    return out;
  }
  return v;
}

// ---- AST object -> GraphQL source ----

const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const s = (v: unknown) => (typeof v === "string" ? v : "");

function printValue(v: Obj): string {
  const raw = s(v.Raw);
  switch (v.Kind) {
    case 0: return `$${raw}`;
    case 3: case 4: return JSON.stringify(raw);
    case 8: return `[${list(v.Children).map((c) => printValue(c.Value as Obj)).join(", ")}]`;
    case 9: return `{${list(v.Children).map((c) => `${s(c.Name)}: ${printValue(c.Value as Obj)}`).join(", ")}}`;
    default: return raw;
  }
}

function printType(t: Obj): string {
  const inner = t.Elem ? `[${printType(t.Elem as Obj)}]` : s(t.NamedType);
  return t.NonNull ? `${inner}!` : inner;
}

const printArgs = (a: unknown) => (list(a).length ? `(${list(a).map((x) => `${s(x.Name)}: ${printValue(x.Value as Obj)}`).join(", ")})` : "");
const printDirectives = (d: unknown) => list(d).map((x) => ` @${s(x.Name)}${printArgs(x.Arguments)}`).join("");
const printDescription = (d: unknown) => (s(d) ? `${JSON.stringify(s(d))} ` : "");

function printSelections(sel: unknown): string {
  if (!list(sel).length) return "";
  return ` { ${list(sel)
    .map((x) => {
      if ("TypeCondition" in x || (!("Name" in x) && "SelectionSet" in x)) {
        const on = s(x.TypeCondition) ? ` on ${s(x.TypeCondition)}` : "";
        return `...${on}${printDirectives(x.Directives)}${printSelections(x.SelectionSet)}`;
      }
      if (!("Alias" in x) && !("SelectionSet" in x) && !("Arguments" in x)) return `...${s(x.Name)}${printDirectives(x.Directives)}`;
      const alias = s(x.Alias) && x.Alias !== x.Name ? `${s(x.Alias)}: ` : "";
      return `${alias}${s(x.Name)}${printArgs(x.Arguments)}${printDirectives(x.Directives)}${printSelections(x.SelectionSet)}`;
    })
    .join(" ")} }`;
}

const printVariables = (vars: unknown) =>
  list(vars).length
    ? `(${list(vars).map((v) => `$${s(v.Variable)}: ${printType(v.Type as Obj)}${v.DefaultValue ? ` = ${printValue(v.DefaultValue as Obj)}` : ""}${printDirectives(v.Directives)}`).join(", ")})`
    : "";

export function printQuery(doc: Obj): string {
  const ops = list(doc.Operations).map((o) => `${s(o.Operation) || "query"} ${s(o.Name)}${printVariables(o.VariableDefinitions)}${printDirectives(o.Directives)}${printSelections(o.SelectionSet)}`);
  const frags = list(doc.Fragments).map((f) => `fragment ${s(f.Name)}${printVariables(f.VariableDefinition)} on ${s(f.TypeCondition)}${printDirectives(f.Directives)}${printSelections(f.SelectionSet)}`);
  return [...ops, ...frags].join("\n");
}

const printArgDefs = (a: unknown) =>
  list(a).length
    ? `(${list(a).map((x) => `${printDescription(x.Description)}${s(x.Name)}: ${printType(x.Type as Obj)}${x.DefaultValue ? ` = ${printValue(x.DefaultValue as Obj)}` : ""}${printDirectives(x.Directives)}`).join(", ")})`
    : "";

function printDefinition(d: Obj, extend: boolean): string {
  const kw: Record<string, string> = { SCALAR: "scalar", OBJECT: "type", INTERFACE: "interface", UNION: "union", ENUM: "enum", INPUT_OBJECT: "input" };
  let out = `${extend ? "extend " : printDescription(d.Description)}${kw[s(d.Kind)] ?? "type"} ${s(d.Name)}`;
  const ifaces = list(d.Interfaces) as unknown as string[];
  if (ifaces.length) out += ` implements ${ifaces.join(" & ")}`;
  out += printDirectives(d.Directives);
  const types = list(d.Types) as unknown as string[];
  if (types.length) out += ` = ${types.join(" | ")}`;
  if (list(d.EnumValues).length) out += ` { ${list(d.EnumValues).map((e) => `${printDescription(e.Description)}${s(e.Name)}${printDirectives(e.Directives)}`).join(" ")} }`;
  if (list(d.Fields).length) {
    out += ` { ${list(d.Fields)
      .map((f) => `${printDescription(f.Description)}${s(f.Name)}${printArgDefs(f.Arguments)}: ${printType(f.Type as Obj)}${f.DefaultValue ? ` = ${printValue(f.DefaultValue as Obj)}` : ""}${printDirectives(f.Directives)}`)
      .join(" ")} }`;
  }
  return out;
}

export function printSchema(doc: Obj): string {
  const ops = (o: unknown) => `{ ${list(o).map((x) => `${s(x.Operation)}: ${s(x.Type)}`).join(" ")} }`;
  return [
    ...list(doc.Schema).map((x) => `${printDescription(x.Description)}schema${printDirectives(x.Directives)} ${ops(x.OperationTypes)}`),
    ...list(doc.SchemaExtension).map((x) => `extend schema${printDirectives(x.Directives)}${list(x.OperationTypes).length ? ` ${ops(x.OperationTypes)}` : ""}`),
    ...list(doc.Directives).map((x) => `${printDescription(x.Description)}directive @${s(x.Name)}${printArgDefs(x.Arguments)}${x.IsRepeatable ? " repeatable" : ""} on ${(list(x.Locations) as unknown as string[]).join(" | ")}`),
    ...list(doc.Definitions).map((x) => printDefinition(x, false)),
    ...list(doc.Extensions).map((x) => printDefinition(x, true)),
  ].join("\n");
}

export type { ASTNode };
