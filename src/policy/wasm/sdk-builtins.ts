// Builtins @open-policy-agent/opa-wasm implements itself. The SDK looks a host call's name up in
// its own table before the customBuiltins credgov hands it, so where credgov implements one of
// these differently (regex.split: RE2 semantics in linear time, where the SDK splits with a
// backtracking JavaScript RegExp; the yaml builtins: go-yaml v2's reading and layout, as OPA's)
// the module names its import so that only credgov's matches.
import { builtin } from "../builtins/table.ts";

/** Builtins @open-policy-agent/opa-wasm 1.10 implements itself and consults before customBuiltins. */
export const sdkHostBuiltins: ReadonlySet<string> = new Set([
  "json.is_valid",
  "sprintf",
  "regex.split",
  "yaml.is_valid",
  "yaml.marshal",
  "yaml.unmarshal",
]);

/** The name a compiled module's builtins() table gives a host builtin. */
export function hostImportName(name: string): string {
  const implementation = builtin(name)?.implementation;
  return sdkHostBuiltins.has(name) && (implementation === "host" || implementation === "guard") ? `credgov.${name}` : name;
}
