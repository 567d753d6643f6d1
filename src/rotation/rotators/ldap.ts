// OpenLDAP (and other RFC 3062 servers): the Password Modify extended operation as the admin,
// then `pwdReset` removed so the ppolicy overlay does not demand a change at next bind (no user
// step remains), verified by binding as the account with the new secret.
import { Attribute, Change, NoSuchAttributeError } from "ldapts";
import type { PlanItem } from "../plan.ts";
import type { SetResult } from "../rotator.ts";
import { DirectoryPasswordRotator } from "./directory-password-rotator.ts";

const PASSWORD_MODIFY_OID = "1.3.6.1.4.1.4203.1.11.1";

export class LdapRotator extends DirectoryPasswordRotator {
  readonly kind = "ldap" as const;

  async set(item: PlanItem, secret: string): Promise<SetResult> {
    const dn = item.account.dn!;
    const client = await this.session.adminClient();
    try {
      await client.exop(PASSWORD_MODIFY_OID, passwordModifyRequest(dn, secret));
    } catch (error) {
      throw this.session.failure(error, "password modify");
    }
    try {
      await client.modify(dn, new Change({ operation: "delete", modification: new Attribute({ type: "pwdReset", values: [] }) }));
    } catch (error) {
      // Absent: the server did not mark the password as temporary, which is what we want.
      if (!(error instanceof NoSuchAttributeError)) throw this.session.failure(error, "clear pwdReset");
    }
    return {};
  }
}

/** PasswdModifyRequestValue ::= SEQUENCE { userIdentity [0] OCTET STRING, newPasswd [2] OCTET STRING } */
export function passwordModifyRequest(dn: string, secret: string): Buffer {
  const identity = tagged(0x80, Buffer.from(dn, "utf8"));
  const newPassword = tagged(0x82, Buffer.from(secret, "utf8"));
  return tagged(0x30, Buffer.concat([identity, newPassword]));
}

function tagged(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), berLength(content.length), content]);
}

function berLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
