// Host builtins: the Rego builtins a compiled module does not implement itself, handed to the
// SDK as `customBuiltins`. Each family lives in its own file; this table combines them.
// Arguments and results cross as JSON (sets arrive as arrays).
import { awsBuiltins } from "./aws.ts";
import { bitsBuiltins } from "./bits.ts";
import { BuiltinError } from "./builtin-error.ts";
import { cryptoHashBuiltins } from "./crypto-hash.ts";
import { deprecatedBuiltins } from "./deprecated.ts";
import { encodingBuiltins } from "./encoding.ts";
import { globBuiltins } from "./glob.ts";
import { graphBuiltins } from "./graph.ts";
import { graphqlBuiltins } from "./graphql.ts";
import { HaltError } from "./halt-error.ts";
import { jsonPatchBuiltins } from "./json-patch.ts";
import { jsonSchemaBuiltins } from "./json-schema.ts";
import { jsonBuiltins } from "./json.ts";
import { jwtBuiltins } from "./jwt.ts";
import { miscBuiltins } from "./misc.ts";
import { netBuiltins } from "./net.ts";
import { numberBuiltins } from "./numbers.ts";
import { objectBuiltins } from "./object.ts";
import { printBuiltins } from "./print.ts";
import { regexBuiltins } from "./regex.ts";
import { decodeSets, encodeSets } from "./set-codec.ts";
import { regoParseBuiltins } from "./rego-parse.ts";
import { stringBuiltins } from "./strings.ts";
import { templateStringBuiltins } from "./template-string.ts";
import { timeBuiltins } from "./time.ts";
import { unitsBuiltins } from "./units.ts";
import { uriBuiltins } from "./uri.ts";
import { x509Builtins } from "./x509.ts";
import { yamlBuiltins } from "./yaml.ts";
import { hostImportName } from "../sdk-builtins.ts";

export type HostBuiltin = (...args: any[]) => any;

/** Implementations that throw BuiltinError on bad operands, as OPA's topdown builtins return errors. */
export const hostBuiltinImplementations: Record<string, HostBuiltin> = {
  ...awsBuiltins,
  ...bitsBuiltins,
  ...cryptoHashBuiltins,
  ...deprecatedBuiltins,
  ...encodingBuiltins,
  ...globBuiltins,
  ...graphBuiltins,
  ...graphqlBuiltins,
  ...jsonBuiltins,
  ...jsonPatchBuiltins,
  ...jsonSchemaBuiltins,
  ...jwtBuiltins,
  ...miscBuiltins,
  ...netBuiltins,
  ...numberBuiltins,
  ...objectBuiltins,
  ...printBuiltins,
  ...regexBuiltins,
  ...regoParseBuiltins,
  ...stringBuiltins,
  ...templateStringBuiltins,
  ...timeBuiltins,
  ...unitsBuiltins,
  ...uriBuiltins,
  ...x509Builtins,
  ...yamlBuiltins,
};

export { sdkHostBuiltins } from "../sdk-builtins.ts";

// The builtins that read integers beyond 2^53 exactly, as bigints (OPA's are int64 or big.Int):
// timestamps in nanoseconds, and print(), which shows every digit.
const takesExactIntegers: ReadonlySet<string> = new Set([...Object.keys(timeBuiltins), "internal.print"]);

// OPA's Wasm target turns a builtin error into "undefined" (the expression fails) rather than
// aborting evaluation; returning undefined makes the SDK hand the module 0, which means exactly that.
const bigintText = (_key: string, v: unknown): unknown => (typeof v === "bigint" ? v.toString() : v);

function asHostBuiltin(name: string, impl: HostBuiltin): HostBuiltin {
  const exact = takesExactIntegers.has(name);
  return (...args: any[]) => {
    try {
      const result = encodeSets(impl(...args.map((a) => decodeSets(a, exact))));
      if (process.env.CREDGOV_TRACE_BUILTINS) console.error(`host builtin ${name}(${JSON.stringify(args, bigintText).slice(1, -1)}) = ${JSON.stringify(result)}`);
      return result;
    } catch (err) {
      if (process.env.CREDGOV_TRACE_BUILTINS) console.error(`host builtin ${name}(${JSON.stringify(args, bigintText).slice(1, -1)}) failed: ${(err as Error).message}`);
      if (err instanceof HaltError) throw err; // stops evaluation, like OPA's Halt
      if (err instanceof BuiltinError) return undefined;
      // Any other exception is a defect in the builtin; keep OPA's semantics but say where it came from.
      if (process.env.CREDGOV_DEBUG_BUILTINS) console.error(`host builtin ${name} failed:`, err);
      return undefined;
    }
  };
}

// Keyed by the Rego name and, where the SDK has its own implementation, by the module's import
// name too (sdk-builtins.ts).
export const hostBuiltins: Record<string, HostBuiltin> = Object.fromEntries(
  Object.entries(hostBuiltinImplementations).flatMap(([name, impl]) => {
    const wrapped = asHostBuiltin(name, impl);
    const importName = hostImportName(name);
    return importName === name ? [[name, wrapped]] : [[name, wrapped], [importName, wrapped]];
  }),
);
