// The embedded default sink: one folder per location under the store, one age-encrypted file
// per version (`v000003.age`, readable by the `age` CLI with the store's identity) and a
// `state.json` naming pending, current and previous (no secret in it). Every file is fsync'd and
// state.json is replaced atomically (write, fsync, rename, fsync the folder), so after a crash
// the pointers name only versions that are fully on disk.
import { mkdir, open, readFile, rename } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import { Decrypter, Encrypter } from "age-encryption";
import { syncDirectory } from "../journal.ts";
import { SinkError, type PendingMetadata, type SecretSink, type SinkPointer, type SinkVersionInfo, type StoredSecret } from "../sink.ts";

export interface AgeFileSinkOptions {
  /** Store folder (absolute). */
  dir: string;
  /** age recipients (`age1...`) every version is encrypted to. */
  recipients: string[];
  /** age identity (`AGE-SECRET-KEY-1...`) to read versions back; absent: write-only sink
   *  (reads fail, so resume cannot check which secret works). */
  identity?: string;
}

interface LocationState {
  pending: number | null;
  current: number | null;
  previous: number | null;
  versions: Array<{ version: number; createdAt: string; item: string; planDigest: string; fingerprint: string }>;
}

export class AgeFileSink implements SecretSink {
  readonly kind = "age-file" as const;
  private readonly options: AgeFileSinkOptions;

  constructor(options: AgeFileSinkOptions) {
    if (options.recipients.length === 0) throw new SinkError(options.dir, "configure", "the age-file sink needs at least one recipient");
    this.options = options;
  }

  async putPending(location: string, secret: string, metadata: PendingMetadata): Promise<number> {
    const folder = this.folder(location);
    try {
      const created = await mkdir(folder, { recursive: true });
      if (created !== undefined) syncParents(this.options.dir, created, folder);
      const state = await this.readState(location);
      const version = Math.max(0, ...state.versions.map((v) => v.version)) + 1;
      const encrypter = new Encrypter();
      for (const recipient of this.options.recipients) encrypter.addRecipient(recipient);
      await writeDurably(join(folder, versionFile(version)), await encrypter.encrypt(secret));
      state.versions.push({ version, createdAt: new Date().toISOString(), item: metadata.item, planDigest: metadata.planDigest, fingerprint: metadata.fingerprint });
      state.pending = version;
      await this.writeState(location, state);
      return version;
    } catch (error) {
      throw asSinkError(error, location, "put pending");
    }
  }

  async promote(location: string, version: number): Promise<void> {
    try {
      const state = await this.readState(location);
      if (state.current === version) return;
      if (!state.versions.some((v) => v.version === version)) throw new SinkError(location, "promote", `version ${version} does not exist`);
      state.previous = state.current;
      state.current = version;
      if (state.pending === version) state.pending = null;
      await this.writeState(location, state);
    } catch (error) {
      throw asSinkError(error, location, "promote");
    }
  }

  async listVersions(location: string): Promise<SinkVersionInfo[]> {
    const state = await this.readState(location);
    return state.versions.map((v) => ({
      version: v.version,
      createdAt: v.createdAt,
      role: v.version === state.pending ? "pending" : v.version === state.current ? "current" : v.version === state.previous ? "previous" : "superseded",
    }));
  }

  async read(location: string, pointer: SinkPointer): Promise<StoredSecret | undefined> {
    const state = await this.readState(location);
    const version = state[pointer];
    if (version === null) return undefined;
    if (!this.options.identity) throw new SinkError(location, `read ${pointer}`, "no age identity configured (rotation.sink.identityEnv): the store is write-only here");
    try {
      const decrypter = new Decrypter();
      decrypter.addIdentity(this.options.identity);
      const secret = await decrypter.decrypt(await readFile(join(this.folder(location), versionFile(version))), "text");
      return { version, secret };
    } catch (error) {
      throw asSinkError(error, location, `read ${pointer}`);
    }
  }

  private folder(location: string): string {
    const folder = resolve(this.options.dir, location);
    if (!folder.startsWith(resolve(this.options.dir) + sep)) throw new SinkError(location, "locate", "the location leaves the store folder");
    return folder;
  }

  private async readState(location: string): Promise<LocationState> {
    try {
      return JSON.parse(await readFile(join(this.folder(location), "state.json"), "utf8")) as LocationState;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { pending: null, current: null, previous: null, versions: [] };
      throw asSinkError(error, location, "read state");
    }
  }

  private async writeState(location: string, state: LocationState): Promise<void> {
    const folder = this.folder(location);
    const temporary = join(folder, `state.json.${process.pid}.tmp`);
    await writeDurably(temporary, JSON.stringify(state, null, 1) + "\n");
    await rename(temporary, join(folder, "state.json"));
    syncDirectory(folder);
  }
}

function versionFile(version: number): string {
  return `v${String(version).padStart(6, "0")}.age`;
}

async function writeDurably(path: string, data: Uint8Array | string): Promise<void> {
  const handle = await open(path, "w", 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** mkdir -p created `first`..`folder`: sync each new entry's parent so the chain survives. */
function syncParents(store: string, first: string, folder: string): void {
  let current = folder;
  const root = resolve(store);
  while (current.length >= first.length && current !== root) {
    const parent = resolve(current, "..");
    syncDirectory(parent);
    current = parent;
  }
}

function asSinkError(error: unknown, location: string, step: string): SinkError {
  if (error instanceof SinkError) return error;
  return new SinkError(location, step, (error as Error).message, { code: (error as NodeJS.ErrnoException).code, cause: error });
}
