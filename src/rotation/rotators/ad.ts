// Active Directory: an administrative reset (modify-replace of unicodePwd with the password in
// double quotes, UTF-16LE) over LDAPS or StartTLS only, with pwdLastSet=-1 in the same modify so
// "must change at next logon" is cleared and no user step remains; verified by binding as the
// account. gMSA passwords are rotated by the domain and LAPS passwords by the computer: skipped.
import { Attribute, Change } from "ldapts";
import type { PlanItem, SecretConstraints } from "../plan.ts";
import type { SetResult } from "../rotator.ts";
import { DirectoryPasswordRotator } from "./directory-password-rotator.ts";

export class AdRotator extends DirectoryPasswordRotator {
  readonly kind = "ad" as const;

  protected override refusal(item: PlanItem): string | undefined {
    if (item.account.gmsa) return "gMSA: the domain rotates its password";
    if (item.account.laps) return "LAPS-managed: the computer rotates it";
    if (item.account.kind === "computer") return "computer account: the machine rotates its own password";
    return undefined;
  }

  override constraints(item: PlanItem): SecretConstraints {
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
}

/** The value AD expects in unicodePwd: the password in double quotes, UTF-16LE. */
export function unicodePwd(secret: string): Buffer {
  return Buffer.from(`"${secret}"`, "utf16le");
}
