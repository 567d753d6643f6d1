// Connections the AD and OpenLDAP rotators share: one administrative session per source for
// writes (always protected: ldaps:// or StartTLS; plain LDAP is refused before any secret is
// sent), and a small pool of separate connections on which verification binds as the account.
import { readFile } from "node:fs/promises";
import net from "node:net";
import { resolve } from "node:path";
import tls, { type ConnectionOptions } from "node:tls";
import { Client, InvalidCredentialsError, ResultCodeError } from "ldapts";
import { classifyLdapError, LdapCollectionError } from "../../collectors/ldap-common/ldap-connection-error.ts";
import { serverName } from "../../collectors/ldap-common/ldap-connection.ts";
import type { DirectorySourceConfig } from "../../config/types.ts";
import { RotationError, type Verification } from "../rotator.ts";

/** Why password writes to this source are refused, or undefined when they are protected. */
export function plainLdapRefusal(source: Pick<DirectorySourceConfig, "url" | "startTLS" | "file">): string | undefined {
  if (typeof source.url !== "string") return "the source is an export file, not a live server";
  if (source.url.toLowerCase().startsWith("ldaps:") || source.startTLS) return undefined;
  return "plain LDAP: password writes need ldaps:// or startTLS: true";
}

/** Result codes of a refused password write, in words (the collector's table is about reads). */
const passwordRefusals: Record<number, string> = {
  19: "the directory refused the password (constraint violation: length, complexity or history of the password policy)",
  50: "the bind account may not reset this account's password (insufficient access)",
  53: "the directory is unwilling to set the password (AD: the connection is not encrypted, or the password breaks the policy)",
};

export class DirectorySession {
  readonly server: string;
  private readonly source: DirectorySourceConfig;
  private readonly configDir: string;
  private readonly env: NodeJS.ProcessEnv;
  private admin: Promise<Client> | undefined;
  private readonly idleVerifiers: Client[] = [];
  private tlsOptions: Promise<ConnectionOptions> | undefined;

  constructor(source: DirectorySourceConfig, configDir: string, env: NodeJS.ProcessEnv) {
    this.source = source;
    this.configDir = configDir;
    this.env = env;
    this.server = serverName(String(source.url ?? source.file ?? source.id));
  }

  /** The bound administrative session (opened on first use, reopened after a lost connection). */
  async adminClient(): Promise<Client> {
    const current = this.admin;
    if (current) {
      const client = await current.catch(() => undefined);
      if (client?.isConnected) return client;
    }
    const name = this.source.passwordEnv;
    const password = name ? this.env[name] : undefined;
    if (!this.source.bindDN || !password) {
      throw new RotationError("connect", `${this.server}: no bind account: set bindDN and the environment variable named by passwordEnv${name ? ` (${name})` : ""}`);
    }
    const bindDN = this.source.bindDN;
    this.admin = this.connect().then(async (client) => {
      try {
        await client.bind(bindDN, password);
        return client;
      } catch (error) {
        await client.unbind().catch(() => undefined);
        throw this.failure(error, "bind");
      }
    });
    return this.admin;
  }

  /** Binds as `dn` with `secret` on a verification connection (never the admin session). */
  async verifyBind(dn: string, secret: string): Promise<Verification> {
    const client = this.idleVerifiers.pop() ?? (await this.connect());
    try {
      await client.bind(dn, secret);
      this.idleVerifiers.push(client);
      return "works";
    } catch (error) {
      if (error instanceof InvalidCredentialsError) {
        this.idleVerifiers.push(client);
        return "rejected";
      }
      await client.unbind().catch(() => undefined);
      throw this.failure(error, "verify", secret);
    }
  }

  /** Turns an ldapts or socket error into a RotationError that names the server and step. */
  failure(error: unknown, step: string, secret?: string): RotationError {
    if (error instanceof RotationError) return error;
    if (error instanceof ResultCodeError && passwordRefusals[error.code]) {
      return new RotationError(step, `${this.server}: ${step}: ${passwordRefusals[error.code]}`, { code: `ldap-${error.code}`, cause: error });
    }
    // A server's own words may quote what it was sent: the bind password, the new secret.
    const bindPassword = this.source.passwordEnv ? this.env[this.source.passwordEnv] : undefined;
    const classified = classifyLdapError(error, this.server, step, undefined, 0, [bindPassword, secret]);
    const transient = ["unreachable", "connection-lost", "timeout", "busy", "unavailable"].includes(classified.code) || classified.code.startsWith("socket");
    return new RotationError(step, classified.message, { code: classified.code, transient, cause: error });
  }

  async close(): Promise<void> {
    const clients = [...this.idleVerifiers.splice(0)];
    const admin = await this.admin?.catch(() => undefined);
    if (admin) clients.push(admin);
    await Promise.all(clients.map((c) => c.unbind().catch(() => undefined)));
  }

  private async connect(): Promise<Client> {
    const refusal = plainLdapRefusal(this.source);
    if (refusal) throw new RotationError("connect", `${this.server}: ${refusal}`, { code: "plain-ldap" });
    const url = this.source.url as string;
    const options = await (this.tlsOptions ??= this.loadTlsOptions());
    const secure = url.toLowerCase().startsWith("ldaps:");
    const timeout = this.source.timeoutMs ?? 30_000;
    const client = new Client({
      url,
      timeout,
      connectTimeout: timeout,
      ...(secure ? { tlsOptions: options } : {}),
      strictDN: false,
      createConnection: ((port: number, host: string) => net.connect(port, host).setNoDelay(true)) as typeof net.connect,
      createSecureConnection: ((...args: Parameters<typeof tls.connect>) => tls.connect(...args).setNoDelay(true)) as typeof tls.connect,
    });
    if (this.source.startTLS && !secure) {
      try {
        await client.startTLS({ ...options, host: new URL(url).hostname });
      } catch (error) {
        await client.unbind().catch(() => undefined);
        throw this.failure(error, "startTLS");
      }
    }
    return client;
  }

  private async loadTlsOptions(): Promise<ConnectionOptions> {
    const options: ConnectionOptions = { rejectUnauthorized: this.source.tls?.rejectUnauthorized ?? true };
    const caFile = this.source.tls?.caFile;
    if (caFile) {
      try {
        options.ca = await readFile(resolve(this.configDir, caFile));
      } catch (error) {
        throw new RotationError("tls", new LdapCollectionError(this.server, "tls", `cannot read the CA file ${caFile} (tls.caFile): ${(error as Error).message}`, "tls-ca-file").message);
      }
    }
    return options;
  }
}
