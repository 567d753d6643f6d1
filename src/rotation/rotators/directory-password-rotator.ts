// What the Active Directory and OpenLDAP rotators share: a DirectorySession built from the
// source's entry, the checks every directory password rotation needs (a password, a DN, an
// enabled account to bind as, no plain LDAP), verification by binding as the account, and
// closing the session. Each directory adds its own refusals and its own `set`.
import type { DirectorySourceConfig } from "../../config/types.ts";
import type { PlanItem, SecretConstraints } from "../plan.ts";
import { RotationError, type Rotator, type SetResult, type Verification } from "../rotator.ts";
import { DirectorySession, plainLdapRefusal } from "./directory-session.ts";
import type { RotatorContext } from "./registry.ts";

export abstract class DirectoryPasswordRotator implements Rotator {
  abstract readonly kind: "ad" | "ldap";
  protected readonly source: DirectorySourceConfig;
  protected readonly session: DirectorySession;

  constructor(context: RotatorContext) {
    this.source = context.source as DirectorySourceConfig;
    this.session = new DirectorySession(this.source, context.configDir, context.env);
  }

  /** The directory's own reasons to leave an account alone, checked before the shared ones. */
  protected refusal(_item: PlanItem): string | undefined {
    return undefined;
  }

  canRotate(item: PlanItem): string | undefined {
    const own = this.refusal(item);
    if (own) return own;
    if (item.credentialType !== "password") return `the ${this.kind} rotator changes passwords, not ${item.credentialType}`;
    if (!item.account.dn) return "no DN for the account in the snapshot";
    if (!item.account.enabled) return "disabled account: a new password could not be verified by binding";
    return plainLdapRefusal(this.source);
  }

  constraints(item: PlanItem): SecretConstraints {
    return item.constraints;
  }

  abstract set(item: PlanItem, secret: string): Promise<SetResult>;

  verify(item: PlanItem, secret: string): Promise<Verification> {
    if (!item.account.dn) return Promise.reject(new RotationError("verify", "no DN for the account"));
    return this.session.verifyBind(item.account.dn, secret);
  }

  close(): Promise<void> {
    return this.session.close();
  }
}
