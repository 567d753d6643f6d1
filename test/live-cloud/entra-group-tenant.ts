// A copy of the Entra fixture tenant (test/fixtures/entra) that a test edits, served by the Graph
// fixture server: one reader granted every permission the collection needs and one granted all
// but GroupMember.Read.All (its group member calls fail with 403). The tests that read groups'
// members compare the live collection (the real client library), the file transport and
// export-then-file on it.
import { randomUUID } from "node:crypto";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { entraCollector } from "../../src/collectors/entra/collector.ts";
import { exportEntraLive } from "../../src/collectors/entra/live-export.ts";
import { graphSessionFor } from "../../src/collectors/entra/live-session-config.ts";
import { ExportFolder } from "../../src/collectors/export-folder.ts";
import type { SourcePart } from "../../src/snapshot/source-part.ts";
import { GraphFixtureServer } from "../fixture-servers/graph-server.ts";
import { tenantFromExports } from "../fixture-servers/graph-export-data.ts";
import { createTestPki, trustTestCa } from "../fixture-servers/test-pki.ts";

const fixtures = new URL("../fixtures/entra/", import.meta.url).pathname;
const tenantId = "aaaaaaaa-0000-4000-8000-00000000000a";
const allRead = ["User.Read.All", "Domain.Read.All", "Policy.Read.All", "Policy.Read.AuthenticationMethod", "AuditLog.Read.All", "OnPremDirectorySynchronization.Read.All", "Application.Read.All", "RoleManagement.Read.Directory", "AdministrativeUnit.Read.All"];

export interface App {
  appId: string;
  secret: string;
}

const quiet = { progress: { step() {}, tick() {} }, log() {} };

export class EntraGroupTenant {
  readonly reader: App = { appId: "cccccccc-0000-4000-8000-00000000000c", secret: `s3cret-${randomUUID()}` };
  readonly noGroups: App = { appId: "ffffffff-0000-4000-8000-0000000000f4", secret: `no-groups-${randomUUID()}` };
  /** The edited copy of the export folder, which the server serves. */
  readonly dir = mkdtempSync(join(tmpdir(), "credgov-entra-groups-"));
  graph: GraphFixtureServer | undefined;

  constructor() {
    cpSync(fixtures, this.dir, { recursive: true });
  }

  /** Serves the folder as it is now (edit it first), cutting pages at two items. */
  async start(): Promise<void> {
    const pki = createTestPki();
    trustTestCa(pki);
    this.graph = await new GraphFixtureServer({
      pki,
      tenantId,
      data: tenantFromExports(this.dir),
      clients: [
        { appId: this.reader.appId, secrets: [{ keyId: randomUUID(), secretText: this.reader.secret }], permissions: [...allRead, "GroupMember.Read.All"] },
        { appId: this.noGroups.appId, secrets: [{ keyId: randomUUID(), secretText: this.noGroups.secret }], permissions: allRead },
      ],
      maxPageSize: 2,
    }).start();
  }

  async stop(): Promise<void> {
    await this.graph?.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  liveSource(app = this.reader) {
    const url = this.graph!.url;
    return { id: "cloud", kind: "entra" as const, tenantId, clientId: app.appId, clientSecretEnv: "READER_SECRET", authorityHost: url, graphBaseUrl: url, timeoutMs: 5000 };
  }

  collectLive(app = this.reader): Promise<SourcePart> {
    return entraCollector.collect({ source: this.liveSource(app), configDir: this.dir, env: { READER_SECRET: app.secret }, ...quiet });
  }

  collectFiles(folder = this.dir): Promise<SourcePart> {
    return entraCollector.collect({ source: { id: "cloud", kind: "entra", dir: folder }, configDir: this.dir, env: {}, ...quiet });
  }

  /** `credgov export entra` into a new folder, which `use` is given; removed afterwards. */
  async exported(use: (folder: string, errors: unknown[]) => Promise<void>): Promise<void> {
    const out = mkdtempSync(join(tmpdir(), "credgov-entra-groups-export-"));
    try {
      const result = await exportEntraLive(graphSessionFor(this.liveSource(), { READER_SECRET: this.reader.secret }, this.dir), new ExportFolder(out), quiet.progress);
      await use(out, result.errors);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }

  /** A copy of the folder that `edit` changes, collected by the file transport; removed afterwards. */
  async collectEdited(edit: (folder: string) => void): Promise<SourcePart> {
    const copy = mkdtempSync(join(tmpdir(), "credgov-entra-groups-edited-"));
    try {
      cpSync(this.dir, copy, { recursive: true });
      edit(copy);
      return await this.collectFiles(copy);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }
}

/** A part without what differs by transport; page counts differ by design (the files hold fewer pages than the server cuts). */
export const transportFree = (p: SourcePart) => ({ ...p, source: { ...p.source, transport: "", endpoint: "", collectedAt: "", queries: p.source.queries.map(({ durationMs: _d, pages: _p, ...q }) => q) } });
