// credgov's own version, read once from package.json (two levels up from here in src/ and in
// the built dist/ alike): snapshots, SARIF and bundles record which credgov produced them.
import { readFileSync } from "node:fs";

export const packageVersion: string = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
