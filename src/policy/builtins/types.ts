// Rego types as OPA's capabilities.json writes them (OPA's types package, JSON form).
export type RegoType =
  | { type: "any"; of?: RegoType[] }
  | { type: "null" }
  | { type: "boolean" }
  | { type: "number" }
  | { type: "string" }
  | { type: "array"; static?: RegoType[]; dynamic?: RegoType }
  | { type: "object"; static?: Array<{ key: unknown; value: RegoType }>; dynamic?: { key: RegoType; value: RegoType } }
  | { type: "set"; of?: RegoType }
  | FunctionType;

/** A builtin's parameter or result: its type and, where OPA names it, its name (OPA prints `name: type`). */
export type Param = RegoType & { name?: string };

export interface FunctionType {
  type: "function";
  args?: Param[];
  result?: Param;
  variadic?: RegoType;
}

/** The type of a declared parameter or result without its name (OPA's unwrap): what a var bound by it gets. */
export function unnamed({ name: _name, ...type }: Param): RegoType {
  return type as RegoType;
}

/** OPA's rendering of a declared parameter or result: `delimiter: string`, or the type alone when unnamed. */
export function paramString(p: Param): string {
  return p.name ? `${p.name}: ${typeString(p)}` : typeString(p);
}

/** OPA's rendering of a type in error messages: `number`, `array[string]`, `any<string, set[any]>`. */
export function typeString(t: RegoType): string {
  switch (t.type) {
    case "any":
      return t.of && t.of.length > 0 ? `any<${t.of.map(typeString).join(", ")}>` : "any";
    case "array":
      if (t.static && t.static.length > 0) {
        const parts = t.static.map(typeString);
        return `array<${parts.join(", ")}>${t.dynamic ? `[${typeString(t.dynamic)}]` : ""}`;
      }
      return `array[${t.dynamic ? typeString(t.dynamic) : "any"}]`;
    case "object": {
      // OPA prints a static key as Go's %v does: strings without quotes.
      const stat = t.static && t.static.length > 0 ? `{${t.static.map((s) => `${s.key === null ? "<nil>" : String(s.key)}: ${typeString(s.value)}`).join(", ")}}` : "";
      const dyn = t.dynamic ? `[${typeString(t.dynamic.key)}: ${typeString(t.dynamic.value)}]` : "";
      return `object${stat ? `<${stat.slice(1, -1)}>` : ""}${dyn}`;
    }
    case "set":
      return `set[${t.of ? typeString(t.of) : "any"}]`;
    case "function":
      return `(${(t.args ?? []).map(typeString).join(", ")}) => ${t.result ? typeString(t.result) : "any"}`;
    default:
      return t.type;
  }
}
