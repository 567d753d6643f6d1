// A live source's setting that cannot be used (no credential configured, an unset variable, a key
// file that cannot be read), found when the source is opened rather than when the config is
// loaded. The error names the source and the setting; whoever holds the config file (the collect
// stage, `credgov export`) places it at the setting's line with inConfigFile().
import { UserInputError } from "../errors.ts";
import { configErrorAt } from "../config/located-error.ts";
import type { CredgovConfig } from "../config/types.ts";

export class SourceSettingError extends UserInputError {
  readonly sourceId: string;
  /** The setting within the source, dotted (`auth`, `app.privateKeyFile`). */
  readonly setting: string;

  constructor(sourceId: string, setting: string, message: string) {
    super(message, { field: `sources[${sourceId}].${setting}` });
    this.name = "SourceSettingError";
    this.sourceId = sourceId;
    this.setting = setting;
  }
}

/** The error at the setting's line in the config file (at its source's when the setting is absent). */
export function inConfigFile(error: SourceSettingError, config: CredgovConfig, displayName: string): UserInputError {
  const index = config.sources.findIndex((s) => s.id === error.sourceId);
  if (index < 0) return new UserInputError(error.message, { file: displayName, field: error.field });
  return configErrorAt(config.file, displayName, ["sources", index, ...error.setting.split(".")], error.message);
}
