# Non-human identity credential lifecycle (OWASP NHI Top 10 2025).
package credgov.nhi

import data.credgov.lib

non_human_kinds := {"service", "application", "servicePrincipal", "bot"}

# "clientSecret prod-1", or just "password" when the name adds nothing.
credential_label(c) := sprintf("%s %s", [c.type, c.name]) if {
	is_string(c.name)
	lower(c.name) != lower(c.type)
}

credential_label(c) := c.type if not is_string(object.get(c, "name", null))

credential_label(c) := c.type if {
	is_string(c.name)
	lower(c.name) == lower(c.type)
}

# Credentials of disabled accounts cannot be used; holders that are not accounts (a
# repository holding Actions secrets) stay in scope.
live_holder(c) if lib.accounts_by_id[c.account].enabled == true

live_holder(c) if not lib.accounts_by_id[object.get(c, "account", null)]

expired(c) if {
	is_string(c.expires)
	time.parse_rfc3339_ns(c.expires) <= lib.now_ns
}

# When the secret value last changed: lastRotated, else created, else (passwords) the
# holder's passwordLastSet.
changed_at(c) := c.lastRotated if is_string(c.lastRotated)

changed_at(c) := c.created if {
	not is_string(object.get(c, "lastRotated", null))
	is_string(c.created)
}

changed_at(c) := lib.accounts_by_id[c.account].passwordLastSet if {
	not is_string(object.get(c, "lastRotated", null))
	not is_string(object.get(c, "created", null))
	c.type == "password"
	is_string(lib.accounts_by_id[c.account].passwordLastSet)
}

changed_or_null(c) := changed_at(c)

changed_or_null(c) := null if not changed_at(c)

age_or_null(c) := lib.age_days(changed_at(c))

age_or_null(c) := null if not changed_at(c)

# ---------------------------------------------------------------------------------------
# CG-NHI-001: a non-human credential is older than the rotation period, lives longer than
# the maximum lifetime, or never expires. Passwords are judged on age only: "never
# expires" is their normal state and CG-HYG-006 covers privileged ones. Actions secrets and
# deploy keys are CG-NHI-003's.

nhi001_in_scope(c) if {
	c.type in {"clientSecret", "certificate", "token", "sshKey"}
	live_holder(c)
	not expired(c)
}

nhi001_in_scope(c) if {
	c.type == "password"
	a := lib.accounts_by_id[c.account]
	a.enabled == true
	a.kind in non_human_kinds
}

nhi001_violation(c, "age") if lib.age_days(changed_at(c)) > lib.threshold("rotationDays")

nhi001_violation(c, "lifetime") if {
	c.type != "password"
	is_string(c.created)
	is_string(c.expires)
	lifetime_days(c) > lib.threshold("maxSecretLifetimeDays")
}

nhi001_violation(c, "never-expires") if {
	c.type != "password"
	c.neverExpires == true
}

lifetime_days(c) := floor((time.parse_rfc3339_ns(c.expires) - time.parse_rfc3339_ns(c.created)) / lib.ns_per_day)

nhi001_violations(c) := {v | some v in ["age", "lifetime", "never-expires"]; nhi001_violation(c, v)}

# Facts NHI-001 needs that the snapshot lacks: when the credential last changed, and (secrets)
# whether and when it expires. They matter only when no violation is known already.
nhi001_missing(c) := [fact | some fact in ["age", "expiry"]; nhi001_lacks(c, fact)]

nhi001_lacks(c, "age") if not changed_at(c)

nhi001_lacks(c, "expiry") if {
	c.type != "password"
	not is_string(object.get(c, "expires", null))
	not c.neverExpires == true
}

nhi001_unjudged(c) if {
	count(nhi001_violations(c)) == 0
	count(nhi001_missing(c)) > 0
}

nhi001_population contains [c.source, c.id] if {
	some c in input.credentials
	nhi001_in_scope(c)
	not nhi001_unjudged(c)
}

nhi001_failing contains [c.source, c.id] if {
	some c in input.credentials
	nhi001_in_scope(c)
	count(nhi001_violations(c)) > 0
}

results contains r if {
	some c in input.credentials
	nhi001_in_scope(c)
	violations := nhi001_violations(c)
	count(violations) > 0
	evidence := {
		"holder": c.account,
		"violations": violations,
		"lastChanged": changed_or_null(c),
		"ageDays": age_or_null(c),
		"expires": object.get(c, "expires", null),
		"neverExpires": object.get(c, "neverExpires", null),
		"rotation": c.rotation,
		"rotationDays": lib.threshold("rotationDays"),
		"maxSecretLifetimeDays": lib.threshold("maxSecretLifetimeDays"),
	}
	msg := sprintf("%s of %s violates the non-human credential lifecycle: %s", [credential_label(c), lib.holder_name(c), concat(", ", violations)])
	r := lib.fail_result("CG-NHI-001", lib.credential_subject(c), evidence, msg)
}

nhi001_missing_text(c, "age") := sprintf("when its password last changed is unknown: %s", [lib.password_time_unrecorded[lib.source_kind(c.source)]]) if {
	c.type == "password"
	lib.source_kind(c.source) in lib.password_source_kinds
}

nhi001_missing_text(c, "age") := "when it last changed is unknown (no lastRotated or created)" if {
	not password_in_directory(c)
}

nhi001_missing_text(c, "expiry") := "whether and when it expires is unknown (expires is null and neverExpires is not true)"

password_in_directory(c) if {
	c.type == "password"
	lib.source_kind(c.source) in lib.password_source_kinds
}

# A password whose holder's directory keeps no time of the last change: no collection could
# supply it (see lib.password_time_unrecorded). A secret without dates was collected short.
nhi001_not_recorded(c) := true if nhi001_only_password_time(c)

nhi001_not_recorded(c) := false if not nhi001_only_password_time(c)

nhi001_only_password_time(c) if {
	password_in_directory(c)
	nhi001_missing(c) == ["age"]
}

results contains r if {
	some c in input.credentials
	nhi001_in_scope(c)
	nhi001_unjudged(c)
	evidence := {
		"holder": c.account,
		"lastChanged": null,
		"expires": object.get(c, "expires", null),
		"neverExpires": object.get(c, "neverExpires", null),
		"unknown": nhi001_missing(c),
		"notRecordedBySource": nhi001_not_recorded(c),
	}
	msg := sprintf("CG-NHI-001 not evaluated for %s of %s: %s", [credential_label(c), lib.holder_name(c), concat("; ", [nhi001_missing_text(c, m) | some m in nhi001_missing(c)])])
	r := lib.not_evaluated_subject_result("CG-NHI-001", lib.credential_subject(c), evidence, msg)
}

results contains r if {
	some r in lib.coverage("CG-NHI-001", {"ad", "ldap", "entra", "github"}, ["credentials"], {}, nhi001_population, nhi001_failing, "live non-human credentials")
}

# ---------------------------------------------------------------------------------------
# CG-NHI-002: an expired credential is still present on an application or service
# principal.

nhi002_in_scope(c) if {
	c.type in {"clientSecret", "certificate"}
	lib.accounts_by_id[c.account].kind in {"application", "servicePrincipal"}
}

# Whether it has expired is unknown without an end date, unless it never expires.
nhi002_unjudged(c) if {
	not is_string(object.get(c, "expires", null))
	not c.neverExpires == true
}

nhi002_population contains [c.source, c.id] if {
	some c in input.credentials
	nhi002_in_scope(c)
	not nhi002_unjudged(c)
}

results contains r if {
	some c in input.credentials
	nhi002_in_scope(c)
	nhi002_unjudged(c)
	evidence := {"holder": c.account, "expires": null, "neverExpires": object.get(c, "neverExpires", null), "notRecordedBySource": false}
	msg := sprintf("CG-NHI-002 not evaluated for %s on %s: whether it has expired is unknown (expires is null and neverExpires is not true)", [credential_label(c), lib.holder_name(c)])
	r := lib.not_evaluated_subject_result("CG-NHI-002", lib.credential_subject(c), evidence, msg)
}

nhi002_failing contains [c.source, c.id] if {
	some c in input.credentials
	nhi002_in_scope(c)
	expired(c)
}

results contains r if {
	some c in input.credentials
	nhi002_in_scope(c)
	expired(c)
	days := lib.age_days(c.expires)
	evidence := {"holder": c.account, "expires": c.expires, "expiredDaysAgo": days}
	msg := sprintf("%s on %s expired %v days ago and is still present", [credential_label(c), lib.holder_name(c), days])
	r := lib.fail_result("CG-NHI-002", lib.credential_subject(c), evidence, msg)
}

results contains r if {
	some r in lib.coverage("CG-NHI-002", {"entra"}, ["credentials"], {}, nhi002_population, nhi002_failing, "application and service principal credentials")
}

# ---------------------------------------------------------------------------------------
# CG-NHI-003: a GitHub secret (Actions: organization, repository or environment; Dependabot;
# Codespaces) or write-enabled deploy key has not been rotated within the period. Read-only
# deploy keys are out of scope.

github_secret_types := {"actionsSecret", "dependabotSecret", "codespacesSecret"}

nhi003_in_scope(c) if c.type in github_secret_types

nhi003_in_scope(c) if {
	c.type == "deployKey"
	c.writeAccess == true
}

nhi003_fails(c) if lib.age_days(changed_at(c)) > lib.threshold("rotationDays")

nhi003_population contains [c.source, c.id] if {
	some c in input.credentials
	nhi003_in_scope(c)
	changed_at(c)
}

# Without lastRotated or created its age is unknown: neither pass nor fail.
results contains r if {
	some c in input.credentials
	nhi003_in_scope(c)
	not changed_at(c)
	evidence := {"holder": c.account, "lastRotated": null, "created": null, "notRecordedBySource": false}
	msg := sprintf("CG-NHI-003 not evaluated for %s of %s: when it last changed is unknown (no lastRotated or created)", [credential_label(c), c.account])
	r := lib.not_evaluated_subject_result("CG-NHI-003", lib.credential_subject(c), evidence, msg)
}

nhi003_failing contains [c.source, c.id] if {
	some c in input.credentials
	nhi003_in_scope(c)
	nhi003_fails(c)
}

results contains r if {
	some c in input.credentials
	nhi003_in_scope(c)
	nhi003_fails(c)
	days := lib.age_days(changed_at(c))
	evidence := {
		"holder": c.account,
		"scope": object.get(c, "scope", null),
		"writeAccess": object.get(c, "writeAccess", null),
		"lastChanged": changed_at(c),
		"ageDays": days,
		"rotationDays": lib.threshold("rotationDays"),
	}
	msg := sprintf("%s of %s was last changed %v days ago (rotation period %v days)", [credential_label(c), c.account, days, lib.threshold("rotationDays")])
	r := lib.fail_result("CG-NHI-003", lib.credential_subject(c), evidence, msg)
}

results contains r if {
	some r in lib.coverage("CG-NHI-003", {"github"}, ["credentials"], {}, nhi003_population, nhi003_failing, "Actions secrets and write deploy keys")
}

# ---------------------------------------------------------------------------------------
# CG-NHI-004: a non-human identity's owner is disabled, deleted or missing.

nhi004_in_scope(a) if {
	a.enabled == true
	a.kind in non_human_kinds
}

active_owners(a) := [o | some o in object.get(a, "owners", []); o.status == "enabled"]

# An owner the collector could not resolve (a DN outside the directory read, a login of an
# organisation whose member list was not read) has status unknown: it may be enabled.
unresolved_owners(a) := [o | some o in object.get(a, "owners", []); o.status == "unknown"]

nhi004_orphaned(a) if {
	count(active_owners(a)) == 0
	count(unresolved_owners(a)) == 0
}

nhi004_unjudged(a) if {
	count(active_owners(a)) == 0
	count(unresolved_owners(a)) > 0
}

nhi004_population contains [a.source, a.id] if {
	some a in input.accounts
	nhi004_in_scope(a)
	not nhi004_unjudged(a)
}

nhi004_failing contains [a.source, a.id] if {
	some a in input.accounts
	nhi004_in_scope(a)
	nhi004_orphaned(a)
}

results contains r if {
	some a in input.accounts
	nhi004_in_scope(a)
	nhi004_unjudged(a)
	evidence := {"owners": a.owners, "notRecordedBySource": false}
	msg := sprintf("CG-NHI-004 not evaluated for %s %s in %s: no owner is known to be enabled and the status of %s is unknown (outside what was collected)", [a.kind, a.name, a.source, concat(", ", [object.get(o, "name", o.ref) | some o in unresolved_owners(a)])])
	r := lib.not_evaluated_subject_result("CG-NHI-004", lib.account_subject(a), evidence, msg)
}

nhi004_reason(a) := "it has no owner" if count(object.get(a, "owners", [])) == 0

nhi004_reason(a) := sprintf("its owners are %s", [concat(", ", [nhi004_owner_text(o) | some o in a.owners])]) if {
	count(object.get(a, "owners", [])) > 0
}

# Owners a service principal has through its application registration say so.
nhi004_owner_text(o) := sprintf("%s (%s, owner of its application registration)", [object.get(o, "name", o.ref), o.status]) if o.relation == "applicationOwner"

nhi004_owner_text(o) := sprintf("%s (%s)", [object.get(o, "name", o.ref), o.status]) if o.relation != "applicationOwner"

results contains r if {
	some a in input.accounts
	nhi004_in_scope(a)
	nhi004_orphaned(a)
	evidence := {"owners": object.get(a, "owners", [])}
	msg := sprintf("%s %s in %s is orphaned: %s", [a.kind, a.name, a.source, nhi004_reason(a)])
	r := lib.fail_result("CG-NHI-004", lib.account_subject(a), evidence, msg)
}

results contains r if {
	some r in lib.coverage("CG-NHI-004", {"ad", "ldap", "entra", "github"}, ["accounts", "accounts.owners"], {}, nhi004_population, nhi004_failing, "enabled non-human accounts")
}
