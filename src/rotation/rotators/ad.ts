// Active Directory: an administrative reset (modify-replace of unicodePwd with the password in
// double quotes, UTF-16LE) over LDAPS or StartTLS only, with pwdLastSet=-1 in the same modify so
// "must change at next logon" is cleared and no user step remains; verified by binding as the
// account. gMSA passwords are rotated by the domain and LAPS passwords by the computer: skipped.
import { Attribute, Change } from "ldapts";
import type { DirectorySourceConfig } from "../../config/types.ts";
import type { PlanItem, SecretConstraints } from "../plan.ts";
import type { Rotator, SetResult, Verification } from "../rotator.ts";
import { RotationError } from "../rotator.ts";
import { DirectorySession, plainLdapRefusal } from "./directory-session.ts";
import type { RotatorContext } from "./registry.ts";

export class AdRotator implements Rotator {
  readonly kind = "ad" as const;
  private readonly source: DirectorySourceConfig;
  private readonly session: DirectorySession;

  constructor(context: RotatorContext) {
    this.source = context.source as DirectorySourceConfig;
    this.session = new DirectorySession(this.source, context.configDir, context.env);
  }

  canRotate(item: PlanItem): string | undefined {
    if (item.account.gmsa) return "gMSA: the domain rotates its password";
    if (item.account.laps) return "LAPS-managed: the computer rotates it";
    if (item.account.kind === "computer") return "computer account: the machine rotates its own password";
    if (item.credentialType !== "password") return `the ad rotator changes passwords, not ${item.credentialType}`;
    if (!item.account.dn) return "no DN for the account in the snapshot";
    if (!item.account.enabled) return "disabled account: a new password could not be verified by binding";
    return plainLdapRefusal(this.source);
  }

  constraints(item: PlanItem): SecretConstraints {
    // AD stores at most 256 characters; the name rule is already in the plan's constraints.
    return { ...item.constraints, maxLength: Math.min(item.constraints.maxLength ?? 256, 256) };
  }

  async set(item: PlanItem, secret: string): Promise<SetResult> {
    const client = await this.session.adminClient();
    try {
      await client.modify(item.account.dn!, [
        new Change({ operation: "replace", modification: new Attribute({ type: "unicodePwd", values: [unicodePwd(secret)] }) }),
        new Change({ operation: "replace", modification: new Attribute({ type: "pwdLastSet", values: ["-1"] }) }),
      ]);
    } catch (error) {
      throw this.session.failure(error, "set unicodePwd");
    }
    return {};
  }

  verify(item: PlanItem, secret: string): Promise<Verification> {
    if (!item.account.dn) return Promise.reject(new RotationError("verify", "no DN for the account"));
    return this.session.verifyBind(item.account.dn, secret);
  }

  close(): Promise<void> {
    return this.session.close();
  }
}

/** The value AD expects in unicodePwd: the password in double quotes, UTF-16LE. */
export function unicodePwd(secret: string): Buffer {
  return Buffer.from(`"${secret}"`, "utf16le");
}
