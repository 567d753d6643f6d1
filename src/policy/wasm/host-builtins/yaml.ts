// yaml.marshal, yaml.unmarshal and yaml.is_valid as OPA computes them: through sigs.k8s.io/yaml,
// that is go-yaml v2 (YAML 1.1 scalars, the first document of a stream). The SDK's own versions
// (a YAML 1.2 reader that refuses a second document, another writer's layout) read and write
// differently, so the module calls these instead (sdk-builtins.ts).
import { parseDataFile } from "../../bundle/data-file.ts";
import { UserInputError } from "../../../errors.ts";
import { BuiltinError, str } from "./builtin-error.ts";
import { goYamlMarshal } from "./go-yaml-emit.ts";

// The YAML reader of policy data files is OPA's loader's, which goes through the same YAMLToJSON.
const YAML_NAME = "input.yaml";

function unmarshal(builtin: string, text: string): unknown {
  try {
    return parseDataFile(YAML_NAME, text).value;
  } catch (e) {
    if (e instanceof UserInputError) throw new BuiltinError(builtin, e.message);
    throw e;
  }
}

export const yamlBuiltins = {
  "yaml.marshal": (x: unknown) => goYamlMarshal(x),
  "yaml.unmarshal": (x: unknown) => unmarshal("yaml.unmarshal", str("yaml.unmarshal", x, 1)),
  "yaml.is_valid": (x: unknown) => {
    if (typeof x !== "string") return false;
    try {
      unmarshal("yaml.is_valid", x);
      return true;
    } catch {
      return false;
    }
  },
};
