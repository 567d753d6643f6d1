// The module the collector registry loads for kind ldap (see registry.ts); the collector itself is in index.ts.
export { ldapCollector } from "./index.ts";
