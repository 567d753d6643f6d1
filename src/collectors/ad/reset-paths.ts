// Reset-path derivation for AD: who can reset an account's password, from the account's own
// security descriptor or, without one, from what its containers pass down by inheritance;
// plus the forced change at next logon that the user must finish.
import type { ResetPath } from "../../snapshot/types.ts";
import { DnAncestorIndex, type IndexedAncestor } from "../ldap-common/dn-ancestor-index.ts";
import { inheritableResetGrants, type ResetGrant, type ResetRight } from "../ldap-common/reset-rights.ts";
import type { Ace } from "../ldap-common/security-descriptor.ts";
import { CLASS_GUIDS, type AccountRecord, type AdClass } from "./records.ts";
import { IGNORED_TRUSTEES } from "./well-known-principals.ts";

/** A container's reset-relevant ACEs, under its DN key. */
type ContainerAces = { dn: string; aces: Ace[] };

export class AdResetPaths {
  /** What each container passes down, per target class and depth: shared by all its descendants. */
  private readonly passedDown = new Map<string, ResetGrant[]>();
  private readonly actors = new Map<string, ResetPath["actor"]>();

  private readonly sourceId: string;
  private readonly containers: DnAncestorIndex<ContainerAces>;
  /** Who a trustee SID is (group, account, well-known principal); called once per SID. */
  private readonly resolveActor: (sid: string) => ResetPath["actor"];

  constructor(sourceId: string, containerAces: ReadonlyMap<string, ContainerAces>, resolveActor: (sid: string) => ResetPath["actor"]) {
    this.sourceId = sourceId;
    this.containers = new DnAncestorIndex(containerAces);
    this.resolveActor = resolveActor;
  }

  /** Paths are unique per (actor, target, right); targets differ per call, so deduplication is per call. */
  add(a: AccountRecord, targetId: string, mustChange: boolean, out: ResetPath[]): void {
    const source = this.sourceId;
    // A computer with pwdLastSet=0 was reset by an admin; no person finishes that, so no path.
    if (mustChange && a.cls === "user") {
      out.push({
        id: `${targetId}:reset:force-change-at-logon`,
        source,
        target: targetId,
        mechanism: "force-change-at-logon",
        actor: { kind: "self", id: targetId, name: a.sam ?? null },
        right: null,
        inherited: null,
        via: null,
        requiresUserCompletion: true,
      });
    }
    const ancestors = this.containers.ancestorsOf(a.dn);
    const classGuids = CLASS_GUIDS[a.cls];
    const grants: { grant: ResetGrant; via: string | null }[] = [];
    if (a.grants) {
      for (const grant of a.grants) grants.push({ grant, via: grant.inherited ? this.origin(ancestors, a.cls, classGuids, grant.sid, grant.right) : null });
    } else if (!a.adminCount) {
      // No SD for the object itself: derive what its containers pass down. adminCount=1 objects
      // get a protected DACL from AdminSDHolder, so nothing is inherited onto them.
      const seen = new Set<string>();
      for (const container of ancestors) {
        for (const grant of this.grantsPassedDown(container, a.cls, classGuids)) {
          const k = `${grant.sid}|${grant.right}`;
          if (seen.has(k)) continue;
          seen.add(k);
          grants.push({ grant: { ...grant, inherited: true }, via: this.origin(ancestors, a.cls, classGuids, grant.sid, grant.right) });
        }
      }
    }
    const unique = new Set<string>();
    for (const { grant, via } of grants) {
      if (IGNORED_TRUSTEES.has(grant.sid)) continue;
      const actor = this.actor(grant.sid);
      const dedupe = `${actor.id}|${grant.right}`;
      if (unique.has(dedupe)) continue;
      unique.add(dedupe);
      out.push({
        id: `${targetId}:reset:${grant.sid}:${grant.right}`,
        source,
        target: targetId,
        mechanism: actor.admin ? "admin-role" : "delegated-acl",
        actor,
        right: grant.right,
        inherited: grant.inherited,
        via,
        requiresUserCompletion: false,
      });
    }
  }

  /**
   * Where an inherited grant was set: the nearest ancestor holding it as an explicit
   * (non-inherited) ACE, else the farthest ancestor holding it at all, else null.
   */
  private origin(ancestors: readonly IndexedAncestor<ContainerAces>[], cls: AdClass, classGuids: readonly string[], sid: string, right: ResetRight): string | null {
    let farthest: string | null = null;
    for (const container of ancestors) {
      for (const g of this.grantsPassedDown(container, cls, classGuids)) {
        if (g.sid !== sid || g.right !== right) continue;
        if (!g.inherited) return container.value.dn;
        farthest = container.value.dn;
      }
    }
    return farthest;
  }

  private grantsPassedDown(container: IndexedAncestor<ContainerAces>, cls: AdClass, classGuids: readonly string[]): ResetGrant[] {
    const cacheKey = `${container.key}|${cls}|${container.parent}`;
    let grants = this.passedDown.get(cacheKey);
    if (!grants) {
      grants = inheritableResetGrants(container.value.aces, classGuids, container.parent);
      this.passedDown.set(cacheKey, grants);
    }
    return grants;
  }

  /** Resolved once per trustee; paths to many targets share the same actor object. */
  private actor(sid: string): ResetPath["actor"] {
    let actor = this.actors.get(sid);
    if (!actor) {
      actor = this.resolveActor(sid);
      this.actors.set(sid, actor);
    }
    return actor;
  }

}
