# Password hygiene of directory accounts and policies.
package credgov.hyg

import data.credgov.lib

enabled_password_account(a) if {
	a.enabled == true
	lib.source_kind(a.source) in lib.password_source_kinds
}

# ---------------------------------------------------------------------------------------
# CG-HYG-001: an enabled account does not require a password (PASSWD_NOTREQD).

hyg001_population contains [a.source, a.id] if {
	some a in input.accounts
	enabled_password_account(a)
}

hyg001_failing contains [a.source, a.id] if {
	some a in input.accounts
	enabled_password_account(a)
	a.flags.passwordNotRequired == true
}

results contains r if {
	some a in input.accounts
	enabled_password_account(a)
	a.flags.passwordNotRequired == true
	evidence := {"passwordNotRequired": true, "userAccountControl": object.get(a, "userAccountControl", null)}
	msg := sprintf("%s account %s in %s is enabled and does not require a password (PASSWD_NOTREQD)", [a.kind, a.name, a.source])
	r := lib.fail_result("CG-HYG-001", lib.account_subject(a), evidence, msg)
}

results contains r if {
	some r in lib.coverage("CG-HYG-001", lib.password_source_kinds, ["accounts"], {}, hyg001_population, hyg001_failing, "enabled accounts")
}

# ---------------------------------------------------------------------------------------
# CG-HYG-002: reversible encryption, DES-only keys or no Kerberos pre-authentication on an
# enabled account.

weak_flags := ["reversibleEncryption", "desOnly", "noPreauth"]

hyg002_flags(a) := [f | some f in weak_flags; object.get(a.flags, f, false) == true]

hyg002_failing contains [a.source, a.id] if {
	some a in input.accounts
	enabled_password_account(a)
	count(hyg002_flags(a)) > 0
}

results contains r if {
	some a in input.accounts
	enabled_password_account(a)
	flags := hyg002_flags(a)
	count(flags) > 0
	evidence := {"flags": flags, "userAccountControl": object.get(a, "userAccountControl", null)}
	msg := sprintf("%s account %s in %s is enabled with weak credential settings: %s", [a.kind, a.name, a.source, concat(", ", flags)])
	r := lib.fail_result("CG-HYG-002", lib.account_subject(a), evidence, msg)
}

results contains r if {
	some r in lib.coverage("CG-HYG-002", lib.password_source_kinds, ["accounts"], {}, hyg001_population, hyg002_failing, "enabled accounts")
}

# ---------------------------------------------------------------------------------------
# CG-HYG-003: the krbtgt password is older than the threshold.

krbtgt_subject(sid) := lib.krbtgt_subjects[sid]

krbtgt_subject(sid) := {"source": sid, "kind": "service", "id": sprintf("%s:krbtgt", [sid]), "name": "krbtgt"} if not lib.krbtgt_subjects[sid]

hyg003_population contains [s.id, s.id] if {
	some s in input.sources
	s.kind == "ad"
}

hyg003_age(sid) := lib.age_days(lib.setting(sid, "krbtgtPasswordLastSet"))

hyg003_failing contains [s.id, s.id] if {
	some s in input.sources
	s.kind == "ad"
	hyg003_age(s.id) > lib.threshold("krbtgtMaxAgeDays")
}

results contains r if {
	some s in input.sources
	s.kind == "ad"
	days := hyg003_age(s.id)
	days > lib.threshold("krbtgtMaxAgeDays")
	evidence := {
		"krbtgtPasswordLastSet": lib.setting(s.id, "krbtgtPasswordLastSet"),
		"ageDays": days,
		"krbtgtMaxAgeDays": lib.threshold("krbtgtMaxAgeDays"),
		"domain": lib.setting(s.id, "domainName"),
	}
	msg := sprintf("krbtgt password of %s was last set %v days ago (threshold %v days)", [s.id, days, lib.threshold("krbtgtMaxAgeDays")])
	r := lib.fail_result("CG-HYG-003", krbtgt_subject(s.id), evidence, msg)
}

results contains r if {
	some r in lib.coverage("CG-HYG-003", {"ad"}, ["settings.krbtgtPasswordLastSet"], {"ad": ["krbtgtPasswordLastSet"]}, hyg003_population, hyg003_failing, "Active Directory domains")
}

# ---------------------------------------------------------------------------------------
# CG-HYG-004: an effective password policy's minimum length is below the threshold.
# Federated policies (the external IdP checks the password) and policies that apply to
# nobody are out of scope.

policy_subject(p) := {"source": p.source, "kind": "passwordPolicy", "id": p.id, "name": p.name}

effective_policy(p) if {
	count(p.appliesTo) > 0
	not p.federated == true
}

hyg004_population contains [p.source, p.id] if {
	some p in input.passwordPolicies
	effective_policy(p)
	is_number(p.minLength)
}

hyg004_failing contains [p.source, p.id] if {
	some p in input.passwordPolicies
	effective_policy(p)
	p.minLength < lib.threshold("minPasswordLength")
}

results contains r if {
	some p in input.passwordPolicies
	effective_policy(p)
	is_number(p.minLength)
	p.minLength < lib.threshold("minPasswordLength")
	evidence := {"minLength": p.minLength, "minPasswordLength": lib.threshold("minPasswordLength"), "scope": p.scope, "appliesTo": p.appliesTo}
	msg := sprintf("password policy %s (%s) in %s allows %v-character passwords; the threshold is %v", [p.name, p.scope, p.source, p.minLength, lib.threshold("minPasswordLength")])
	r := lib.fail_result("CG-HYG-004", policy_subject(p), evidence, msg)
}

results contains r if {
	some p in input.passwordPolicies
	effective_policy(p)
	not is_number(object.get(p, "minLength", null))
	r := lib.not_evaluated_subject_result("CG-HYG-004", policy_subject(p), hyg004_unknown_evidence(p), hyg004_unknown_message(p))
}

results contains r if {
	some r in lib.coverage("CG-HYG-004", lib.password_source_kinds, ["passwordPolicies"], {}, hyg004_population, hyg004_failing, "effective password policies")
}

# Entra's length rule is the platform's, never a collected value: a null there is the policy of
# users whose passwordPolicies hold DisableStrongPassword, whose minimum Microsoft does not
# document. No collection could supply it, so the run is not incomplete for it.
hyg004_unknown_evidence(p) := {"minLength": null, "notRecordedBySource": true} if lib.source_kind(p.source) == "entra"

hyg004_unknown_evidence(p) := {"minLength": null} if lib.source_kind(p.source) != "entra"

hyg004_unknown_message(p) := sprintf("minimum length of password policy %s in %s is not documented: DisableStrongPassword allows weaker passwords than the tenant's policy, and Microsoft does not say which rules it lifts", [p.name, p.source]) if lib.source_kind(p.source) == "entra"

hyg004_unknown_message(p) := sprintf("minimum length of password policy %s in %s was not collected", [p.name, p.source]) if lib.source_kind(p.source) != "entra"

# ---------------------------------------------------------------------------------------
# CG-HYG-005: human passwords are forced to expire periodically (NIST SP 800-63B-4 says
# verifiers SHALL NOT). A policy is in scope when it governs at least one enabled human
# account whose password may expire.

hyg005_population contains [p.source, p.id] if {
	some p in input.passwordPolicies
	p.id in lib.human_policy_ids
	is_number(p.maxAgeDays)
}

# A policy whose maximum age was not collected neither forces expiry nor is known not to.
results contains r if {
	some p in input.passwordPolicies
	p.id in lib.human_policy_ids
	not is_number(object.get(p, "maxAgeDays", null))
	msg := sprintf("maximum password age of password policy %s in %s was not collected", [p.name, p.source])
	r := lib.not_evaluated_subject_result("CG-HYG-005", policy_subject(p), {"maxAgeDays": null}, msg)
}

hyg005_failing contains [p.source, p.id] if {
	some p in input.passwordPolicies
	p.id in lib.human_policy_ids
	p.maxAgeDays > 0
}

results contains r if {
	some p in input.passwordPolicies
	p.id in lib.human_policy_ids
	p.maxAgeDays > 0
	evidence := {"maxAgeDays": p.maxAgeDays, "scope": p.scope, "appliesTo": p.appliesTo}
	msg := sprintf("password policy %s in %s forces people to change their password every %v days; NIST SP 800-63B-4 says verifiers SHALL NOT require periodic changes", [p.name, p.source, p.maxAgeDays])
	r := lib.fail_result("CG-HYG-005", policy_subject(p), evidence, msg)
}

results contains r if {
	some r in lib.coverage("CG-HYG-005", lib.password_source_kinds, ["passwordPolicies", "accounts", "settings.federatedDomains", "settings.cloudPasswordPolicyForSyncedUsers"], {}, hyg005_population, hyg005_failing, "password policies governing people")
}

# ---------------------------------------------------------------------------------------
# CG-HYG-006: a privileged account's password never expires and is older than the
# threshold (365 days by default).
#
# Both facts must be known. The password's age comes from passwordLastSet only: the account's
# creation date is no stand-in (a password may be set long after), except as a bound: an
# account created within the threshold cannot hold an older password. passwordLastSet is null
# when the source records no time (AD pwdLastSet 0; OpenLDAP without the ppolicy overlay, which
# writes pwdChangedTime; Entra lastPasswordChangeDateTime null); flags.passwordNeverExpires is
# absent when no password policy is known for the account (LDAP). A subject whose verdict
# needs a missing one is `not_evaluated`, outside the population.

hyg006_max_age := lib.threshold("privilegedPasswordMaxAgeDays")

# Service principals and applications hold secrets, not passwords (CG-NHI-001 covers them).
hyg006_in_scope(a) if {
	enabled_password_account(a)
	a.privileged == true
	not a.kind in {"application", "servicePrincipal"}
}

# Accounts whose password never expires by policy: the password credential carries the
# effective value (the account's flag, or a policy whose maximum age is 0: AD maxPwdAge 0 on the
# domain or a PSO, an Entra domain whose passwords never expire).
hyg006_policy_never_expires contains c.account if {
	some c in input.credentials
	c.type == "password"
	c.neverExpires == true
}

hyg006_never_expires(a) if a.flags.passwordNeverExpires == true

hyg006_never_expires(a) if a.id in hyg006_policy_never_expires

hyg006_never_expires_by(a) := "account" if a.flags.passwordNeverExpires == true

hyg006_never_expires_by(a) := "password policy" if {
	not a.flags.passwordNeverExpires == true
	a.id in hyg006_policy_never_expires
}

hyg006_passes(a) if {
	a.flags.passwordNeverExpires == false
	not a.id in hyg006_policy_never_expires
}

hyg006_passes(a) if lib.age_days(a.passwordLastSet) <= hyg006_max_age

hyg006_passes(a) if {
	not is_string(object.get(a, "passwordLastSet", null))
	lib.age_days(a.created) <= hyg006_max_age
}

hyg006_fails(a) if {
	hyg006_never_expires(a)
	lib.age_days(a.passwordLastSet) > hyg006_max_age
}

hyg006_unknown(a) if {
	not hyg006_passes(a)
	not hyg006_fails(a)
}

hyg006_population contains [a.source, a.id] if {
	some a in input.accounts
	hyg006_in_scope(a)
	not hyg006_unknown(a)
}

hyg006_failing contains [a.source, a.id] if {
	some a in input.accounts
	hyg006_in_scope(a)
	hyg006_fails(a)
}

results contains r if {
	some a in input.accounts
	hyg006_in_scope(a)
	hyg006_fails(a)
	days := lib.age_days(a.passwordLastSet)
	evidence := {
		"passwordNeverExpires": true,
		"neverExpiresBy": hyg006_never_expires_by(a),
		"passwordLastSet": a.passwordLastSet,
		"ageDays": days,
		"privilegedReasons": object.get(a, "privilegedReasons", []),
		"privilegedPasswordMaxAgeDays": hyg006_max_age,
	}
	msg := sprintf("privileged account %s in %s has a never-expiring password last set %v days ago", [a.name, a.source, days])
	r := lib.fail_result("CG-HYG-006", lib.account_subject(a), evidence, msg)
}

# What the source left unknown, in its own terms.
hyg006_missing(a) := [text |
	some fact, text in {
		"age": lib.password_time_unrecorded[lib.source_kind(a.source)],
		"expiry": "whether its password expires is unknown (no password policy is known for it)",
	}
	hyg006_lacks(a, fact)
]

# Only the password's time is missing, and the source keeps no value for it; an unknown
# expiry means the account's password policy was not found, which collection should supply.
hyg006_not_recorded(a) := true if not hyg006_lacks(a, "expiry")

hyg006_not_recorded(a) := false if hyg006_lacks(a, "expiry")

hyg006_lacks(a, "age") if not is_string(object.get(a, "passwordLastSet", null))

hyg006_lacks(a, "expiry") if {
	not is_boolean(object.get(a.flags, "passwordNeverExpires", null))
	not a.id in hyg006_policy_never_expires
}

results contains r if {
	some a in input.accounts
	hyg006_in_scope(a)
	hyg006_unknown(a)
	evidence := {
		"passwordNeverExpires": object.get(a.flags, "passwordNeverExpires", null),
		"passwordLastSet": object.get(a, "passwordLastSet", null),
		"created": object.get(a, "created", null),
		"privilegedPasswordMaxAgeDays": hyg006_max_age,
		"notRecordedBySource": hyg006_not_recorded(a),
	}
	msg := sprintf("CG-HYG-006 not evaluated for privileged account %s in %s: %s", [a.name, a.source, concat("; ", hyg006_missing(a))])
	r := lib.not_evaluated_subject_result("CG-HYG-006", lib.account_subject(a), evidence, msg)
}

results contains r if {
	some r in lib.coverage("CG-HYG-006", lib.password_source_kinds, ["accounts"], {}, hyg006_population, hyg006_failing, "enabled privileged accounts")
}
