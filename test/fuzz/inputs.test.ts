// Fuzz suite (fast-check, fixed seeds, 10,000 cases per property): valid inputs mutated by a
// few random edits must give a value or an input error naming the file (and a position where
// the format has one), never an uncaught exception; and an export cut short must never read
// as complete. Counts and failures found are reported in the issue note.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UserInputError } from "../../src/errors.ts";
import { parseConfig } from "../../src/config/load.ts";
import { parseExceptions } from "../../src/policy/exceptions/load.ts";
import { parseLdif } from "../../src/collectors/ldap-common/ldif-reader.ts";
import { normalizeAd } from "../../src/collectors/ad/normalizer.ts";
import { serviceAccountRules } from "../../src/collectors/ldap-common/service-account-rules.ts";
import { graphCollection } from "../../src/collectors/entra/graph-body.ts";
import { graphUserShape } from "../../src/collectors/entra/graph-shapes.ts";
import { restList, samlIdentities, secretsList } from "../../src/collectors/github/response-body.ts";
import { githubUserShape } from "../../src/collectors/github/rest-shapes.ts";
import { parseJsonText } from "../../src/io/read-json.ts";
import { validateSnapshot } from "../../src/snapshot/validate.ts";
import { checkIntegrity } from "../../src/snapshot/integrity.ts";
import type { Snapshot } from "../../src/snapshot/types.ts";
import { readBundle } from "../../src/policy/bundle/bundle.ts";
import { edits, expectInputErrorOrValue, expectInputErrorOrValueAsync, mutate, runs } from "./mutate.ts";

const root = new URL("../../", import.meta.url).pathname;
const read = (path: string) => readFileSync(join(root, path), "utf8");
const TIMEOUT = 120_000;

describe("fuzz: bad input gives an input error with file and position, never a crash", () => {
  it(
    "credgov.yaml",
    () => {
      const base = read("examples/demo/credgov.yaml");
      fc.assert(
        fc.property(edits, (list) => {
          expectInputErrorOrValue(() => parseConfig(mutate(base, list), join(root, "examples/demo/credgov.yaml"), "credgov.yaml"), "credgov.yaml", true);
        }),
        { numRuns: runs, seed: 1001 },
      );
    },
    TIMEOUT,
  );

  it(
    "exceptions.yaml",
    () => {
      const base = `exceptions:\n  - control: CG-RESET-005\n    subject: "corp-ad:svc-legacy-*"\n    reason: vendor appliance\n    approver: ciso@corp.example\n    ticket: SEC-42\n    expires: 2026-12-31\n  - control: CG-NHI-001\n    subject: corp-entra:old-app\n    reason: r\n    approver: a\n    ticket: t\n    expires: 2026-12-30T10:00:00Z\n`;
      fc.assert(
        fc.property(edits, (list) => {
          expectInputErrorOrValue(() => parseExceptions(mutate(base, list), "exceptions.yaml", new Date("2026-06-01T00:00:00Z")), "exceptions.yaml", true);
        }),
        { numRuns: runs, seed: 1002 },
      );
    },
    TIMEOUT,
  );

  it(
    "LDIF (read and normalized as AD)",
    async () => {
      const entries = read("examples/demo/ad.ldif").split("\n\n");
      const base = `${entries.slice(0, 2).join("\n\n")}\n\n${entries.find((e) => e.includes("OU=Staff") && e.includes("userAccountControl"))}\n`;
      const serviceRules = serviceAccountRules(undefined, undefined);
      await fc.assert(
        fc.asyncProperty(edits, async (list) => {
          await expectInputErrorOrValueAsync(
            () =>
              normalizeAd(parseLdif(chunks(mutate(base, list)), "ad.ldif"), {
                sourceId: "ad",
                serviceRules,
                transport: "file",
                locate: (entry, error) => new UserInputError(`${error.message} (entry ${entry.dn})`, { file: "ad.ldif", line: (entry as { line?: number }).line ?? 1, field: error.attribute }),
                collectedAt: "2026-01-01T00:00:00.000Z",
              }),
            "ad.ldif",
            true,
          );
        }),
        { numRuns: runs, seed: 1003 },
      );
    },
    TIMEOUT,
  );

  it(
    "Graph users.json",
    () => {
      const base = read("test/fixtures/entra/users.json");
      fc.assert(
        fc.property(edits, (list) => {
          expectInputErrorOrValue(() => graphCollection(graphUserShape)(parseJsonText(mutate(base, list), "users.json"), "users.json"), "users.json", true);
        }),
        { numRuns: runs, seed: 1004 },
      );
    },
    TIMEOUT,
  );

  it(
    "GitHub members.json, saml-identities.json and actions-secrets.json",
    () => {
      const members = read("test/fixtures/github/members.json");
      const saml = read("test/fixtures/github/saml-identities.json");
      const secrets = read("test/fixtures/github/actions-secrets.json");
      fc.assert(
        fc.property(edits, fc.nat(2), (list, which) => {
          const [file, base, parse] = [
            ["members.json", members, restList(githubUserShape, "id")],
            ["saml-identities.json", saml, samlIdentities],
            ["actions-secrets.json", secrets, secretsList],
          ][which] as [string, string, (body: unknown, name: string) => unknown];
          expectInputErrorOrValue(() => parse(parseJsonText(mutate(base, list), file), file), file, true);
        }),
        { numRuns: runs, seed: 1005 },
      );
    },
    TIMEOUT,
  );

  it(
    "snapshot.json (parsed, schema-validated, integrity-checked)",
    () => {
      const base = read("test/fixtures/snapshots/all-controls.json");
      fc.assert(
        fc.property(edits, (list) => {
          const parsed = expectInputErrorOrValue(() => parseJsonText(mutate(base, list), "snapshot.json"), "snapshot.json", true);
          if (parsed instanceof UserInputError) return;
          if (validateSnapshot(parsed).length === 0) checkIntegrity(parsed as Snapshot);
        }),
        { numRuns: runs, seed: 1006 },
      );
    },
    TIMEOUT,
  );

  it(
    "bundle.tar.gz (never hangs or crashes; the engine turns any error into exit 2 with the file)",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "credgov-fuzz-bundle-"));
      const tarBytes = tinyTar({ ".manifest": '{"revision":"","roots":[""],"wasm":[{"entrypoint":"x/results","module":"/policy.wasm"}]}', "policy.wasm": "\u0000asm\u0001\u0000\u0000\u0000", "data.json": '{"a":1}' });
      const file = join(dir, "bundle.tar");
      await fc.assert(
        fc.asyncProperty(fc.array(fc.record({ at: fc.nat(), byte: fc.nat(255) }), { minLength: 1, maxLength: 6 }), fc.nat(), async (flips, cut) => {
          const bytes = Buffer.from(tarBytes);
          for (const f of flips) bytes[f.at % bytes.length] = f.byte;
          writeFileSync(file, bytes.subarray(0, cut % 3 === 0 ? cut % bytes.length : bytes.length));
          await readBundle(file).catch((error: unknown) => {
            if (!(error instanceof Error)) throw new Error(`bundle reader threw a non-Error: ${String(error)}`);
          });
        }),
        { numRuns: runs, seed: 1007 },
      );
    },
    TIMEOUT,
  );
});

describe("fuzz: an export cut short never reads as complete", () => {
  it(
    "Graph collections: dropping trailing pages (the last kept page keeps its @odata.nextLink) is always reported",
    () => {
      const page = (i: number, last: boolean) => ({ ...(last ? {} : { "@odata.nextLink": `https://graph.microsoft.com/v1.0/users?$skiptoken=${i}` }), value: [{ id: `u${i}` }] });
      fc.assert(
        fc.property(fc.integer({ min: 2, max: 30 }), fc.nat(), (total, keepSeed) => {
          const pages = Array.from({ length: total }, (_, i) => page(i, i === total - 1));
          const kept = 1 + (keepSeed % total);
          const parsed = graphCollection(graphUserShape)(pages.slice(0, kept), "users.json");
          expect(parsed.incomplete !== undefined).toBe(kept < total);
          expect(parsed.resultCount).toBe(kept);
        }),
        { numRuns: runs, seed: 1008 },
      );
    },
    TIMEOUT,
  );
});

/** A ustar archive of small files (the format tar and opa build write). */
function tinyTar(files: Record<string, string>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, text] of Object.entries(files)) {
    const body = Buffer.from(text, "latin1");
    const header = Buffer.alloc(512);
    header.write(name, 0, "utf8");
    header.write("0000644\0", 100);
    header.write("0000000\0", 108);
    header.write("0000000\0", 116);
    header.write(`${body.length.toString(8).padStart(11, "0")}\0`, 124);
    header.write("00000000000\0", 136);
    header.write("        ", 148);
    header.write("0", 156);
    header.write("ustar\u000000", 257, "latin1");
    let sum = 0;
    for (const b of header) sum += b;
    header.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "latin1");
    blocks.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

async function* chunks(text: string): AsyncGenerator<string> {
  yield text;
}
