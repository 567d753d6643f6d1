// The Graph fixture serving the fixture tenant (test/fixtures/entra) to one reader application
// with a client secret, for tests of the live Entra session.
import { randomUUID } from "node:crypto";
import { GraphFixtureServer } from "../../fixture-servers/graph-server.ts";
import { tenantFromExports } from "../../fixture-servers/graph-export-data.ts";
import { createTestPki, trustTestCa } from "../../fixture-servers/test-pki.ts";

export const fixtures = new URL("../../fixtures/entra/", import.meta.url).pathname;
export const tenantId = "aaaaaaaa-0000-4000-8000-00000000000a";

export function newReader() {
  return { appId: "cccccccc-0000-4000-8000-00000000000c", secret: `s3cret-${randomUUID()}` };
}

/** Starts the fixture (its test CA trusted) for `reader`; `maxPageSize` as the fixture takes it. */
export function startReaderGraph(reader: { appId: string; secret: string }, options: { maxPageSize?: number } = {}): Promise<GraphFixtureServer> {
  const pki = createTestPki();
  trustTestCa(pki);
  return new GraphFixtureServer({
    pki,
    tenantId,
    data: tenantFromExports(fixtures),
    clients: [{ appId: reader.appId, secrets: [{ keyId: randomUUID(), secretText: reader.secret }], permissions: ["User.Read.All"] }],
    ...options,
  }).start();
}
