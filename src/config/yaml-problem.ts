// The one-line message of a YAML parse error. The yaml library reports collections nested too
// deeply for its recursive composer (thousands of `[` or `{`) with the JavaScript RangeError's
// own text, "Maximum call stack size exceeded"; say what is wrong with the file instead.
import type { YAMLError } from "yaml";

export function yamlProblem(error: YAMLError): string {
  if (error.code === "RESOURCE_EXHAUSTION" && /call stack/i.test(error.message)) return "collections nested too deeply to read (thousands of levels); write them out flat";
  return error.message.split("\n")[0];
}
