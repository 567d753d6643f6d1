# Reset paths that leave a password in a person's hands, or in the wrong hands.
# Each control adds fail results per subject and its coverage (pass/error/not_evaluated).
package credgov.reset

import data.credgov.lib

# ---------------------------------------------------------------------------------------
# CG-RESET-001: an enabled account's current password came from a reset the user must
# finish (AD pwdLastSet = 0, Entra forceChangePasswordNextSignIn, LDAP pwdReset).

reset001_in_scope(a) if {
	a.enabled == true
	a.kind in {"human", "service"}
	lib.source_kind(a.source) in lib.password_source_kinds
}

reset001_population contains [a.source, a.id] if {
	some a in input.accounts
	reset001_in_scope(a)
}

reset001_failing contains [a.source, a.id] if {
	some a in input.accounts
	reset001_in_scope(a)
	a.flags.mustChangeAtNextLogon == true
}

results contains r if {
	some a in input.accounts
	reset001_in_scope(a)
	a.flags.mustChangeAtNextLogon == true
	evidence := {
		"mustChangeAtNextLogon": true,
		"passwordLastSet": object.get(a, "passwordLastSet", null),
		"enabled": true,
		"privileged": a.privileged,
	}
	msg := sprintf("%s account %s in %s must change its password at next logon: its current password is a temporary one from a reset the user has not finished", [a.kind, a.name, a.source])
	r := lib.fail_result("CG-RESET-001", lib.account_subject(a), evidence, msg)
}

results contains r if {
	some r in lib.coverage("CG-RESET-001", lib.password_source_kinds, ["accounts"], {}, reset001_population, reset001_failing, "enabled human and service accounts")
}

# ---------------------------------------------------------------------------------------
# CG-RESET-002: self-service password reset is enabled for a privileged account, either
# through a collected SSPR reset path or the Entra admin SSPR policy (allowedToUseSSPR).

sspr_targets := {p.target | some p in input.resetPaths; p.mechanism == "sspr"}

reset002_in_scope(a) if {
	a.enabled == true
	a.privileged == true
	lib.source_kind(a.source) in lib.password_source_kinds
}

reset002_reason(a) := "an SSPR reset path targets the account" if a.id in sspr_targets

reset002_reason(a) := "the tenant lets administrators use SSPR (authorizationPolicy allowedToUseSSPR = true)" if {
	not a.id in sspr_targets
	lib.source_kind(a.source) == "entra"
	lib.setting(a.source, "ssprForAdmins") == true
}

reset002_population contains [a.source, a.id] if {
	some a in input.accounts
	reset002_in_scope(a)
}

reset002_failing contains [a.source, a.id] if {
	some a in input.accounts
	reset002_in_scope(a)
	reset002_reason(a)
}

results contains r if {
	some a in input.accounts
	reset002_in_scope(a)
	reason := reset002_reason(a)
	evidence := {
		"privileged": true,
		"privilegedReasons": object.get(a, "privilegedReasons", []),
		"ssprPath": a.id in sspr_targets,
		"ssprForAdmins": lib.setting(a.source, "ssprForAdmins"),
		"ssprRegistered": object.get(a, "ssprRegistered", null),
	}
	msg := sprintf("privileged account %s in %s can reset its own password by self-service: %s", [a.name, a.source, reason])
	r := lib.fail_result("CG-RESET-002", lib.account_subject(a), evidence, msg)
}

results contains r if {
	some r in lib.coverage("CG-RESET-002", lib.password_source_kinds, ["resetPaths", "settings.ssprForAdmins"], {"entra": ["ssprForAdmins"]}, reset002_population, reset002_failing, "enabled privileged accounts")
}

# ---------------------------------------------------------------------------------------
# CG-RESET-003: a non-admin principal (help desk) can reset a privileged or non-human
# account: AD ACL (direct or inherited), an Entra reset-capable role, or an Entra role that
# may issue the account a Temporary Access Pass (a passcode to sign in with and set up new
# sign-in methods: a recovery path as powerful as a reset).

delegated_mechanisms := {"delegated-acl", "helpdesk", "admin-role", "temporary-access-pass"}

reset003_in_scope(a) if {
	a.enabled == true
	lib.source_kind(a.source) in lib.password_source_kinds
	a.privileged == true
}

reset003_in_scope(a) if {
	a.enabled == true
	lib.source_kind(a.source) in lib.password_source_kinds
	a.privileged == false
	a.kind != "human"
}

reset003_bad_path(p) if {
	p.mechanism in delegated_mechanisms
	p.actor.kind != "self"
	p.actor.admin == false
}

# A delegated path whose actor's admin status is null: the path may or may not be a bad one.
reset003_unknown_path(p) if {
	p.mechanism in delegated_mechanisms
	p.actor.kind != "self"
	not is_boolean(object.get(p.actor, "admin", null))
}

# Targets reached only by such paths (a known bad path fails them anyway).
reset003_unjudged := {target |
	some p in input.resetPaths
	reset003_unknown_path(p)
	target := p.target
	reset003_in_scope(lib.accounts_by_id[target])
	not reset003_paths_by_target[target]
}

reset003_population contains [a.source, a.id] if {
	some a in input.accounts
	reset003_in_scope(a)
	not a.id in reset003_unjudged
}

results contains r if {
	some target in reset003_unjudged
	a := lib.accounts_by_id[target]
	evidence := {"targetPrivileged": a.privileged, "targetKind": a.kind, "notRecordedBySource": false}
	msg := sprintf("CG-RESET-003 not evaluated for %s account %s in %s: a delegated reset path reaches it and whether its actor is an administrator is unknown (actor.admin is null)", [target_label(a), a.name, a.source])
	r := lib.not_evaluated_subject_result("CG-RESET-003", lib.account_subject(a), evidence, msg)
}

reset003_failing contains [a.source, a.id] if {
	some p in input.resetPaths
	reset003_bad_path(p)
	a := lib.accounts_by_id[p.target]
	reset003_in_scope(a)
}

# One result per account, however many paths reach it (a control judges a subject once). The
# failing paths as [target, index] pairs, sorted so that one target's paths are adjacent: each
# run is one account's paths, found in O(n log n) where a scan per target would read every path.
reset003_pairs := sort([[p.target, k] |
	some k, p in input.resetPaths
	reset003_bad_path(p)
	reset003_in_scope(lib.accounts_by_id[p.target])
])

reset003_run_starts := [k | some k, _ in reset003_pairs; reset003_run_start(k)]

reset003_run_start(k) if k == 0

reset003_run_start(k) if {
	k > 0
	reset003_pairs[k - 1][0] != reset003_pairs[k][0]
}

reset003_run_end(i) := reset003_run_starts[i + 1] if i + 1 < count(reset003_run_starts)

reset003_run_end(i) := count(reset003_pairs) if i + 1 == count(reset003_run_starts)

reset003_paths_by_target[target] := paths if {
	some i, start in reset003_run_starts
	target := reset003_pairs[start][0]
	paths := [input.resetPaths[reset003_pairs[j][1]] | some j in numbers.range(start, reset003_run_end(i) - 1)]
}

reset003_path_evidence(p) := {
	"resetPath": p.id,
	"mechanism": p.mechanism,
	"actor": p.actor,
	"right": object.get(p, "right", null),
	"inherited": object.get(p, "inherited", null),
	"via": object.get(p, "via", null),
}

reset003_path_text(p) := sprintf("non-admin %s %s (%s%s)", [
	p.actor.kind,
	object.get(p.actor, "name", p.actor.id),
	object.get(p, "right", p.mechanism),
	inherited_label(p),
])

results contains r if {
	some target, paths in reset003_paths_by_target
	count(paths) == 1
	p := paths[0]
	a := lib.accounts_by_id[target]
	evidence := object.union(reset003_path_evidence(p), {"targetPrivileged": a.privileged, "targetKind": a.kind})
	msg := sprintf("non-admin %s %s can reset %s account %s in %s (%s%s)", [
		p.actor.kind,
		object.get(p.actor, "name", p.actor.id),
		target_label(a),
		a.name,
		a.source,
		object.get(p, "right", p.mechanism),
		inherited_label(p),
	])
	r := lib.fail_result("CG-RESET-003", lib.account_subject(a), evidence, msg)
}

# Several paths: the evidence lists each (as a single path's evidence gives it).
results contains r if {
	some target, paths in reset003_paths_by_target
	count(paths) > 1
	a := lib.accounts_by_id[target]
	evidence := {
		"resetPaths": [reset003_path_evidence(p) | some p in paths],
		"targetPrivileged": a.privileged,
		"targetKind": a.kind,
	}
	msg := sprintf("%v non-admin principals can reset %s account %s in %s: %s", [
		count(paths),
		target_label(a),
		a.name,
		a.source,
		concat("; ", [reset003_path_text(p) | some p in paths]),
	])
	r := lib.fail_result("CG-RESET-003", lib.account_subject(a), evidence, msg)
}

target_label(a) := "privileged" if a.privileged == true

target_label(a) := a.kind if a.privileged == false

inherited_label(p) := sprintf(", inherited from %s", [object.get(p, "via", "a parent container")]) if p.inherited == true

inherited_label(p) := "" if not p.inherited == true

results contains r if {
	some r in lib.coverage("CG-RESET-003", lib.password_source_kinds, ["resetPaths", "accounts", "settings.temporaryAccessPass"], {}, reset003_population, reset003_failing, "enabled privileged or non-human accounts")
}

# ---------------------------------------------------------------------------------------
# CG-RESET-004: cloud resets do not reach on-premises: SSPR enabled for synchronised users
# while password writeback is off.

hybrid(sid) if lib.setting(sid, "onPremisesSyncEnabled") == true

hybrid(sid) if lib.synced_account_count(sid) > 0

reset004_fails(sid) if {
	lib.setting(sid, "ssprEnabled") in {"selected", "all"}
	lib.setting(sid, "passwordWritebackEnabled") == false
	hybrid(sid)
}

reset004_population contains [s.id, s.id] if {
	some s in input.sources
	s.kind == "entra"
}

reset004_failing contains [s.id, s.id] if {
	some s in input.sources
	s.kind == "entra"
	reset004_fails(s.id)
}

results contains r if {
	some s in input.sources
	s.kind == "entra"
	reset004_fails(s.id)
	subject := {"source": s.id, "kind": "tenant", "id": s.id, "name": object.get(s, "namingContext", s.endpoint)}
	evidence := {
		"ssprEnabled": lib.setting(s.id, "ssprEnabled"),
		"passwordWritebackEnabled": false,
		"onPremisesSyncEnabled": lib.setting(s.id, "onPremisesSyncEnabled"),
		"syncedAccounts": lib.synced_account_count(s.id),
	}
	msg := sprintf("tenant %s offers self-service reset (%s users) to synchronised accounts but password writeback is off: a cloud reset leaves the old on-premises password valid", [s.id, lib.setting(s.id, "ssprEnabled")])
	r := lib.fail_result("CG-RESET-004", subject, evidence, msg)
}

results contains r if {
	some r in lib.coverage("CG-RESET-004", {"entra"}, ["settings.ssprEnabled", "settings.passwordWritebackEnabled", "settings.onPremisesSyncEnabled"], {"entra": ["ssprEnabled", "passwordWritebackEnabled", "onPremisesSyncEnabled"]}, reset004_population, reset004_failing, "Entra tenants")
}

# ---------------------------------------------------------------------------------------
# CG-RESET-005: a non-human account's only rotation path is a manual or user reset
# (password-bearing service account not managed by gMSA, LAPS, a vault or credgov).

managed_rotations := {"gmsa", "laps", "vault", "credgov", "sync"}

centrally_rotated := {c.account | some c in input.credentials; c.type == "password"; c.rotation in managed_rotations}

reset005_in_scope(a) if {
	a.enabled == true
	a.kind == "service"
	lib.source_kind(a.source) in lib.password_source_kinds
}

reset005_fails(a) if {
	not a.gmsa == true
	not a.id in centrally_rotated
}

reset005_population contains [a.source, a.id] if {
	some a in input.accounts
	reset005_in_scope(a)
}

reset005_failing contains [a.source, a.id] if {
	some a in input.accounts
	reset005_in_scope(a)
	reset005_fails(a)
}

results contains r if {
	some a in input.accounts
	reset005_in_scope(a)
	reset005_fails(a)
	evidence := {
		"gmsa": object.get(a, "gmsa", false),
		"centralRotation": false,
		"passwordLastSet": object.get(a, "passwordLastSet", null),
		"passwordNeverExpires": object.get(a.flags, "passwordNeverExpires", null),
	}
	msg := sprintf("service account %s in %s is not a gMSA and no vault, LAPS or credgov rotation manages its password: only a manual reset can rotate it", [a.name, a.source])
	r := lib.fail_result("CG-RESET-005", lib.account_subject(a), evidence, msg)
}

results contains r if {
	some r in lib.coverage("CG-RESET-005", lib.password_source_kinds, ["accounts", "credentials"], {}, reset005_population, reset005_failing, "enabled service accounts")
}
