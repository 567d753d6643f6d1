// Reads one policy data file (*.json, *.yaml, *.yml) the way OPA's loader does. A JSON file is one
// value. A YAML file goes through sigs.k8s.io/yaml, that is go-yaml v2:
// - only the first document of a stream is decoded, so the documents after a second `---` are
//   not data;
// - plain scalars resolve as YAML 1.1 does (`yes`, `on`, `y` are true, `no`, `off`, `n` false,
//   `0755` is octal, `1_000` is 1000, `<<` merges a mapping), plus Go's `0o17`; timestamps stay
//   strings and base-60 numbers (`1:20`) are strings, as go-yaml v2 leaves them;
// - a key given twice takes its last value;
// - `.inf` and `.nan` are an error (JSON has no such numbers).
// credgov reads the same and warns where it leaves data out, so that the loss is never silent.
// Malformed data names its file, line and column.
import { isScalar, LineCounter, visit, type Tags } from "yaml";
import { parseYamlDocuments } from "../../config/yaml-document.ts";
import { yamlProblem } from "../../config/yaml-problem.ts";
import { assertYamlCharacters } from "../../config/yaml-characters.ts";
import { UserInputError } from "../../errors.ts";

export interface DataFileContent {
  value: unknown;
  /** What was read differently from the text, each naming its file and line. */
  warnings: string[];
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const pos = m ? Number(m[1]) : 0;
    const before = text.slice(0, pos);
    throw new UserInputError(`invalid JSON: ${(e as Error).message}`, { file, line: before.split("\n").length, column: pos - before.lastIndexOf("\n") });
  }
}

/** go-yaml v2's resolution: YAML 1.1's tags without timestamps and base-60 numbers, plus Go's `0o` octal. */
function goYamlV2Tags(tags: Tags): Tags {
  const kept = tags.filter((tag) => typeof tag === "string" || (tag.tag !== "tag:yaml.org,2002:timestamp" && tag.format !== "TIME"));
  return [...kept, "intOct"];
}

/** `file` is the name shown in errors and warnings. */
export function parseDataFile(file: string, text: string): DataFileContent {
  if (file.endsWith(".json")) return { value: parseJson(file, text), warnings: [] };
  assertYamlCharacters(text, file);
  const lineCounter = new LineCounter();
  const docs = parseYamlDocuments(text, { version: "1.1", customTags: goYamlV2Tags, lineCounter });
  if (docs.length === 0) return { value: null, warnings: [] };
  const [first, ...rest] = docs;
  const warnings: string[] = [];
  for (const err of first.errors) {
    const line = err.linePos?.[0].line;
    const column = err.linePos?.[0].col;
    if (err.code !== "DUPLICATE_KEY") throw new UserInputError(`invalid YAML: ${yamlProblem(err)}`, { file, line, column });
    warnings.push(`${file}:${line}:${column}: this key is set again; its last value is data (as OPA's loader reads it)`);
  }
  visit(first, {
    Scalar(_key, node) {
      if (typeof node.value !== "number" || Number.isFinite(node.value)) return;
      const at = lineCounter.linePos(node.range?.[0] ?? 0);
      const shown = Number.isNaN(node.value) ? "NaN" : node.value > 0 ? "+Inf" : "-Inf";
      throw new UserInputError(`error converting YAML to JSON: json: unsupported value: ${shown}`, { file, line: at.line, column: at.col });
    },
  });
  // A `---` with nothing but comments after it is an empty document: nothing is left out.
  const leftOut = rest.find((doc) => doc.errors.length > 0 || (isScalar(doc.contents) ? doc.contents.range[1] > doc.contents.range[0] : doc.contents !== null));
  if (leftOut) {
    const line = lineCounter.linePos(leftOut.range[0]).line;
    warnings.push(`${file}:${line}: a second YAML document starts here; only a data file's first document is data (as OPA's loader reads it), so this one and any after it are left out`);
  }
  return { value: first.toJS(), warnings };
}
