// Finds where and why a JSON text is malformed. JSON.parse's messages differ between engines
// and some carry no position (or quote the file's text, which may hold data we must not echo),
// so on failure the text is scanned once more by this small grammar walker to get an offset.

export interface JsonSyntaxProblem {
  offset: number;
  message: string;
}

/** Deeper nesting than this is reported, not walked. */
const maxDepth = 2000;

export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  let i = 0;
  const fail = (message: string): never => {
    throw { offset: i, message } satisfies JsonSyntaxProblem;
  };
  const ws = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const describeHere = () => (i >= text.length ? "unexpected end of input" : `unexpected character ${JSON.stringify(text[i])}`);
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(describeHere());
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail("bad \\u escape in string");
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail("bad escape in string");
        continue;
      }
      if (c < 0x20) {
        const code = c.toString(16).toUpperCase().padStart(4, "0");
        fail(`control character U+${code} in string (JSON allows it only escaped, as \\u${code}; at a line end: an unterminated string?)`);
      }
      i++;
    }
    fail("unterminated string");
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail(describeHere());
    i += m![0].length;
  };
  let depth = 0;
  const value = (): void => {
    ws();
    const c = text[i];
    // The walker recurses per level; no export nests this deep, and deeper would overflow the stack.
    if ((c === "{" || c === "[") && ++depth > maxDepth) fail(`nested more than ${maxDepth} levels deep: not a document credgov reads`);
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") {
        i++;
        depth--;
        return;
      }
      while (true) {
        ws();
        if (text[i] !== '"') fail(`expected a property name in double quotes, ${describeHere()}`);
        string();
        ws();
        if (text[i] !== ":") fail(`expected ':' after property name, ${describeHere()}`);
        i++;
        value();
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          depth--;
          return;
        }
        fail(`expected ',' or '}' after property value, ${describeHere()}`);
      }
    } else if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        depth--;
        return;
      }
      while (true) {
        value();
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          depth--;
          return;
        }
        fail(`expected ',' or ']' after array element, ${describeHere()}`);
      }
    } else if (c === '"') string();
    else if (c === "t") literal("true");
    else if (c === "f") literal("false");
    else if (c === "n") literal("null");
    else if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) number();
    else fail(`expected a JSON value, ${describeHere()}`);
  };
  try {
    value();
    ws();
    if (i < text.length && (text[i] === "[" || text[i] === "{")) {
      // Pages written one after another: what `gh api --paginate` without --slurp, or a loop
      // appending each response, leaves.
      fail(`a second JSON document starts after the first (pages saved one after another?): save every page in one JSON array (gh api --paginate --slurp, or jq -s .)`);
    }
    if (i < text.length) fail(`unexpected data after the JSON value, ${describeHere()}`);
    return undefined;
  } catch (problem) {
    if (problem && typeof problem === "object" && "offset" in problem) return problem as JsonSyntaxProblem;
    throw problem;
  }
}

/** 1-based line and column (in UTF-16 units, as editors count) of `offset`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf("\n"); at !== -1 && at < offset; at = text.indexOf("\n", at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
