// The action's inputs, as action.yml passes them (INPUT_* environment variables), turned into
// the `credgov scan` command line. Lists accept commas or whitespace, as users write them in YAML.
export interface ActionInputs {
  config: string;
  failOn: string;
  controls: string[];
  formats: string[];
  out: string;
  sarifCategory: string;
}

function list(value: string | undefined): string[] {
  return (value ?? "").split(/[\s,]+/).filter(Boolean);
}

export function readActionInputs(env: NodeJS.ProcessEnv): ActionInputs {
  return {
    config: env.INPUT_CONFIG || "credgov.yaml",
    failOn: env.INPUT_FAIL_ON || "high",
    controls: list(env.INPUT_CONTROLS),
    formats: list(env.INPUT_FORMAT ?? "sarif junit md"),
    out: env.INPUT_OUT || "credgov-report",
    sarifCategory: env.INPUT_SARIF_CATEGORY || "credgov",
  };
}

/** Arguments after `credgov`. Annotations are the action's own job, so `github` is not a file format here. */
export function scanArguments(inputs: ActionInputs): string[] {
  const formats = ["json", ...inputs.formats.filter((f) => f !== "json" && f !== "github")];
  return [
    "scan",
    "--config", inputs.config,
    "--out", inputs.out,
    "--fail-on", inputs.failOn,
    "--format", ...formats,
    "--sarif-category", inputs.sarifCategory,
    ...(inputs.controls.length > 0 ? ["--controls", inputs.controls.join(",")] : []),
  ];
}
