/**
 * `# METADATA` blocks: a comment line `# METADATA` followed by consecutive comment
 * lines holding YAML (OPA's annotation format). The parser attaches each block to the
 * statement that follows it.
 */
import { parseYamlDocument } from "../../config/yaml-document.ts";
import type { Annotations, AnnotationScope } from "./ast.ts";
import { RegoError } from "./errors.ts";
import type { Comment } from "./lexer.ts";

export interface AnnotationBlock {
  row: number;
  col: number;
  endRow: number;
  yaml: string;
}

const SCOPES: readonly AnnotationScope[] = ["rule", "document", "package", "subpackages"];

export function findAnnotationBlocks(comments: Comment[]): AnnotationBlock[] {
  const blocks: AnnotationBlock[] = [];
  for (let i = 0; i < comments.length; i++) {
    if (comments[i].text.trim() !== "METADATA") continue;
    const start = comments[i];
    const lines: string[] = [];
    let endRow = start.row;
    let j = i + 1;
    // Like OPA, only whole-line comments in column 1 continue the block: a comment after code
    // on the next line (`f(x) := [v | # regal ignore:...`) ends it.
    while (j < comments.length && comments[j].row === endRow + 1 && comments[j].col === 1 && comments[j].text.trim() !== "METADATA") {
      lines.push(comments[j].text.startsWith(" ") ? comments[j].text.slice(1) : comments[j].text);
      endRow = comments[j].row;
      j++;
    }
    blocks.push({ row: start.row, col: start.col, endRow, yaml: lines.join("\n") });
    i = j - 1;
  }
  return blocks;
}

export function parseAnnotationBlock(block: AnnotationBlock, file: string, defaultScope: AnnotationScope): Annotations | RegoError {
  const location = { file, row: block.row, col: block.col };
  const doc = parseYamlDocument(block.yaml, { prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    // yaml reports 1-based line within the block; the block's YAML starts one row below `# METADATA`.
    const row = e.linePos ? block.row + e.linePos[0].line : block.row;
    return new RegoError("rego_parse_error", `yaml: ${e.message.split("\n")[0]}`, { file, row, col: block.col });
  }
  const raw: unknown = doc.toJS() ?? {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return new RegoError("rego_parse_error", "invalid metadata: expected a YAML mapping", location);
  }
  const data = raw as Record<string, unknown>;
  const scope = data.scope ?? defaultScope;
  if (typeof scope !== "string" || !SCOPES.includes(scope as AnnotationScope)) {
    return new RegoError("rego_parse_error", `invalid annotation scope '${String(scope)}' (use one of ${SCOPES.join(", ")})`, location);
  }
  const out: Annotations = { scope: scope as AnnotationScope, raw: data, location };
  if (typeof data.title === "string") out.title = data.title;
  if (typeof data.description === "string") out.description = data.description;
  if (typeof data.entrypoint === "boolean") out.entrypoint = data.entrypoint;
  if (data.custom && typeof data.custom === "object" && !Array.isArray(data.custom)) out.custom = data.custom as Record<string, unknown>;
  if (Array.isArray(data.organizations)) out.organizations = data.organizations.map(String);
  if (Array.isArray(data.authors)) out.authors = data.authors;
  if (Array.isArray(data.related_resources)) out.relatedResources = data.related_resources;
  if (Array.isArray(data.schemas)) out.schemas = data.schemas;
  return out;
}
