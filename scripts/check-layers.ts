// `npm run check:layers`: the import rules between the top-level parts of src/ (its folders and
// its root files), read from the source text:
//   - nothing outside src/cli imports src/cli (the CLI adapts the library, never the reverse),
//     benchmarks and scripts included;
//   - a command (src/cli/commands) imports no other command: `scan` composes stages;
//   - no import cycle between top-level parts (each part can be understood from those below it).
// Static imports, `import("...")` with a literal and `new URL("....ts", import.meta.url)` count.
// Exit 1 naming one file and import per offending arrow.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const src = join(root, "src");

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|js)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) yield path;
  }
}

/** The top-level part of src/ a path lies in (`collectors`, `errors.ts`), or undefined outside src/. */
function partOf(path: string): string | undefined {
  const rel = relative(src, path);
  if (rel.startsWith("..") || rel === "") return undefined;
  return rel.split(sep)[0];
}

const specifier = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|new URL\(\s*)["'](\.{1,2}\/[^"']+)["']/g;

interface Arrow {
  from: string;
  to: string;
  file: string;
  spec: string;
}
const arrows = new Map<string, Arrow>(); // "from->to" -> first example
const cliImports: Arrow[] = [];
for (const file of sourceFiles(src)) {
  const text = readFileSync(file, "utf8");
  const from = partOf(file)!;
  for (const match of text.matchAll(specifier)) {
    const spec = match[1];
    if (match[0].startsWith("new URL") && !/\.(ts|js)$/.test(spec)) continue; // data files, not modules
    const to = partOf(resolve(dirname(file), spec));
    if (to === undefined || to === from) continue;
    const arrow = { from, to, file: relative(root, file), spec };
    if (to === "cli") cliImports.push(arrow);
    if (!arrows.has(`${from}->${to}`)) arrows.set(`${from}->${to}`, arrow);
  }
}

// Benchmarks and scripts call the stages too, never the CLI.
for (const file of [...sourceFiles(join(root, "bench")), ...sourceFiles(join(root, "scripts"))]) {
  for (const match of readFileSync(file, "utf8").matchAll(specifier)) {
    if (partOf(resolve(dirname(file), match[1])) === "cli") cliImports.push({ from: relative(root, file), to: "cli", file: relative(root, file), spec: match[1] });
  }
}
const commands = join(src, "cli", "commands");
const commandImports: Arrow[] = [];
for (const file of sourceFiles(commands)) {
  for (const match of readFileSync(file, "utf8").matchAll(specifier)) {
    const target = resolve(dirname(file), match[1]);
    if (target !== file && !relative(commands, target).startsWith("..")) commandImports.push({ from: "cli", to: "cli", file: relative(root, file), spec: match[1] });
  }
}

// Strongly connected components (Tarjan): every component of more than one part is a cycle.
const parts = [...new Set([...arrows.values()].flatMap((a) => [a.from, a.to]))].sort();
const next = new Map(parts.map((p) => [p, [...arrows.values()].filter((a) => a.from === p).map((a) => a.to)]));
const index = new Map<string, number>();
const low = new Map<string, number>();
const stack: string[] = [];
const cycles: string[][] = [];
let counter = 0;
function visit(p: string): void {
  index.set(p, counter);
  low.set(p, counter++);
  stack.push(p);
  for (const q of next.get(p) ?? []) {
    if (!index.has(q)) {
      visit(q);
      low.set(p, Math.min(low.get(p)!, low.get(q)!));
    } else if (stack.includes(q)) low.set(p, Math.min(low.get(p)!, index.get(q)!));
  }
  if (low.get(p) === index.get(p)) {
    const component: string[] = [];
    let q: string;
    do {
      q = stack.pop()!;
      component.push(q);
    } while (q !== p);
    if (component.length > 1) cycles.push(component.sort());
  }
}
for (const p of parts) if (!index.has(p)) visit(p);

const problems: string[] = [];
for (const a of cliImports) problems.push(`${a.file} imports ${a.spec}: only src/cli may import src/cli`);
for (const a of commandImports) problems.push(`${a.file} imports ${a.spec}: a command imports no other command (share through src/cli or a stage folder)`);
for (const cycle of cycles) {
  const inside = [...arrows.values()].filter((a) => cycle.includes(a.from) && cycle.includes(a.to));
  problems.push(`import cycle between ${cycle.map((p) => `src/${p}`).join(", ")}:\n${inside.map((a) => `  ${a.from} -> ${a.to}: ${a.file} imports ${a.spec}`).join("\n")}`);
}
if (problems.length > 0) {
  process.stderr.write(`${problems.join("\n")}\n`);
  process.exit(1);
}
process.stdout.write(`layers ok: ${parts.length} top-level parts of src/, ${arrows.size} arrows between them, no cycle, nothing imports src/cli, no command imports another\n`);
