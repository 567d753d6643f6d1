// The module the collector registry loads for kind ad (see registry.ts); the collector itself is in index.ts.
export { adCollector } from "./index.ts";
