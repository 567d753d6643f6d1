// Flat config: typescript-eslint's recommended rules over the whole tree, plus the layering
// rule that only src/cli imports src/cli (scripts/check-layers.ts also forbids cycles between
// the top-level parts of src/ and sees dynamic imports; `npm run lint` runs both).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "reports/", "out/", ".cache/", "src/policy/wasm/runtime/build/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Plain JavaScript entry points run on Node: declare its globals for them.
    files: ["**/*.js"],
    languageOptions: { globals: { process: "readonly", console: "readonly", Buffer: "readonly", URL: "readonly" } },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "off",
      "no-constant-condition": ["error", { checkLoops: false }],
    },
  },
  {
    // The CLI adapts the library (stages, outputs) to a terminal; nothing below it may depend on it.
    files: ["src/**/*.ts", "bench/**/*.ts", "scripts/**/*.ts"],
    ignores: ["src/cli/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ regex: "^(\\.\\.?/)+(.*/)?cli/", message: "only src/cli may import src/cli: use the stage functions (collectors/collect-all.ts, policy/engine/run-evaluation.ts, drift/run-drift.ts, report/...) and src/errors.ts" }] },
      ],
    },
  },
  {
    // A command adapts stages; what two commands share lives beside them in src/cli (evaluate-and-report.ts,
    // drift-and-report.ts, ...), so `scan` composes stages, never other commands.
    files: ["src/cli/commands/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ regex: "^\\./", message: "a command does not import another command: move what they share into src/cli or its stage folder" }] }],
    },
  },
);
