# Credential lifecycle fragmentation: one identity, several directories, several owners,
# several policies, several secrets.
package credgov.frag

import data.credgov.lib

# Each identity's enabled accounts and their directories, resolved once per evaluation:
# several controls below look at them for every identity.
identity_members := {i.id: [a | some id in i.accounts; a := lib.accounts_by_id[id]; a.enabled == true] | some i in input.identities}

identity_source_sets := {id: {a.source | some a in members} | some id, members in identity_members}

identity_accounts(i) := identity_members[i.id]

identity_sources(i) := identity_source_sets[i.id]

identity_subject(i) := {
	"source": concat(",", identity_sources(i)),
	"kind": "identity",
	"id": i.id,
	"name": object.get(i, "name", i.id),
}

# ---------------------------------------------------------------------------------------
# CG-FRAG-001: one identity's accounts are governed by password policies that disagree
# (min length, max age, history, complexity: an Entra user with DisableStrongPassword is
# governed by a policy without the complexity rule) across directories.

compared_attributes := ["minLength", "maxAgeDays", "historyLength", "complexity"]

frag001_governed(i) := [{"account": a.id, "source": a.source, "policy": p.id, "minLength": object.get(p, "minLength", null), "maxAgeDays": object.get(p, "maxAgeDays", null), "historyLength": object.get(p, "historyLength", null), "complexity": object.get(p, "complexity", null)} |
	some a in identity_accounts(i)
	p := lib.governing_policy(a)
]

# The evidence names complexity only where the policies disagree on it.
frag001_evidence_policies(governed, diffs) := governed if "complexity" in diffs

# Built field by field, not with object.remove: a builtin that copies a whole object makes the
# engine's input projection keep every key of every element (src/policy/engine/input-projection.ts).
frag001_evidence_policies(governed, diffs) := [{"account": g.account, "source": g.source, "policy": g.policy, "minLength": g.minLength, "maxAgeDays": g.maxAgeDays, "historyLength": g.historyLength} | some g in governed] if not "complexity" in diffs

frag001_disagreements(governed) := [attr |
	some attr in compared_attributes
	values := {v | some g in governed; v := g[attr]; v != null}
	count(values) > 1
]

# Attributes some governing policy leaves null: their agreement is unknown. Entra exposes no
# password history setting (its fixed rule is not a policy attribute), so an Entra policy's
# historyLength is not compared rather than unknown.
frag001_unknown(governed) := [attr |
	some attr in compared_attributes
	not attr in compared_where_stated
	some g in governed
	g[attr] == null
	not platform_fixed(g, attr)
]

# Complexity is compared where policies state it: OpenLDAP's ppolicy has no complexity rule
# (its quality check is a module credgov does not read; the policy says null), so a null
# complexity leaves nothing unknown.
compared_where_stated := {"complexity"}

platform_fixed(g, "historyLength") if lib.source_kind(g.source) == "entra"

# Identities with governed accounts in several directories -> their policies, the
# attributes on which those disagree and those whose agreement is unknown.
frag001_analysis := {i.id: {"identity": i, "governed": governed, "diffs": frag001_disagreements(governed), "unknown": {a | some a in frag001_unknown(governed)}} |
	some i in input.identities
	count(identity_sources(i)) > 1
	governed := frag001_governed(i)
	count({g.source | some g in governed}) > 1
}

# A known disagreement fails whatever is unknown; otherwise an unknown attribute leaves the
# identity unjudged.
frag001_unjudged(x) if {
	count(x.diffs) == 0
	count(x.unknown) > 0
}

frag001_population := {id | some id, x in frag001_analysis; not frag001_unjudged(x)}

results contains r if {
	some x in frag001_analysis
	frag001_unjudged(x)
	i := x.identity
	evidence := {"policies": frag001_evidence_policies(x.governed, x.diffs), "unknown": sort(x.unknown), "notRecordedBySource": false}
	msg := sprintf("CG-FRAG-001 not evaluated for identity %s: its password policies agree on what is known, but %s of some are null", [object.get(i, "name", i.id), concat(", ", sort(x.unknown))])
	r := lib.not_evaluated_subject_result("CG-FRAG-001", identity_subject(i), evidence, msg)
}

frag001_failing := {id | some id, x in frag001_analysis; count(x.diffs) > 0}

results contains r if {
	some x in frag001_analysis
	count(x.diffs) > 0
	i := x.identity
	evidence := {"policies": frag001_evidence_policies(x.governed, x.diffs), "disagreeOn": x.diffs}
	msg := sprintf("identity %s is governed by password policies that disagree on %s across %s", [object.get(i, "name", i.id), concat(", ", x.diffs), concat(", ", identity_sources(i))])
	r := lib.fail_result("CG-FRAG-001", identity_subject(i), evidence, msg)
}

results contains r if {
	some r in lib.estate_coverage("CG-FRAG-001", lib.password_source_kinds, ["passwordPolicies", "accounts", "identities", "settings.federatedDomains", "settings.cloudPasswordPolicyForSyncedUsers"], frag001_population, frag001_failing, "identities with accounts in several directories")
}

# ---------------------------------------------------------------------------------------
# CG-FRAG-002: a linked account's password changed in one directory and not in the other
# beyond the sync window.

# Whether an identity's account carries its own password: AD and LDAP accounts do; an Entra
# user does unless its domain is federated or it is synchronised without password hash sync
# (service principals and applications hold secrets, not passwords). A synchronised user of a
# tenant whose passwordHashSyncEnabled is null may or may not: unknown.
password_holder(a) if lib.source_kind(a.source) in {"ad", "ldap"}

password_holder(a) if {
	entra_user(a)
	not lib.federated_account(a)
	not a.syncedFromOnPrem == true
}

password_holder(a) if {
	entra_user(a)
	not lib.federated_account(a)
	a.syncedFromOnPrem == true
	lib.setting(a.source, "passwordHashSyncEnabled") == true
}

entra_user(a) if {
	lib.source_kind(a.source) == "entra"
	a.kind in {"human", "service"}
}

hash_sync_unknown(a) if {
	entra_user(a)
	not lib.federated_account(a)
	a.syncedFromOnPrem == true
	not is_boolean(lib.setting(a.source, "passwordHashSyncEnabled"))
}

own_password(a) if {
	password_holder(a)
	is_string(a.passwordLastSet)
}

# Why the time of an account's last password change is unknown, for accounts whose time the
# comparison needs and lacks.
password_time_unknown(a) := lib.password_time_unrecorded[lib.source_kind(a.source)] if {
	password_holder(a)
	not is_string(object.get(a, "passwordLastSet", null))
}

password_time_unknown(a) := "it is synchronised from on-premises and whether the tenant syncs password hashes is unknown (passwordHashSyncEnabled is null)" if hash_sync_unknown(a)

frag002_accounts(i) := [{"account": a.id, "source": a.source, "passwordLastSet": a.passwordLastSet, "ns": time.parse_rfc3339_ns(a.passwordLastSet)} |
	some a in identity_accounts(i)
	own_password(a)
]

frag002_unknown(i) := [{"account": a.id, "source": a.source, "unknown": why} |
	some a in identity_accounts(i)
	why := password_time_unknown(a)
]

window_ns := lib.threshold("syncWindowHours") * lib.ns_per_hour

# How far apart the known password changes are, when they span several directories.
frag002_spread(accounts) := max(times) - min(times) if {
	count({x.source | some x in accounts}) > 1
	times := [x.ns | some x in accounts]
}

frag002_spread(accounts) := null if count({x.source | some x in accounts}) < 2

# Whether every unknown is a time the source keeps no value for (no collection could supply
# it), rather than a setting that should have been collected (passwordHashSyncEnabled).
unrecorded_reasons := {text | some _, text in lib.password_time_unrecorded}

frag002_not_recorded(unknown) := true if count([u | some u in unknown; not u.unknown in unrecorded_reasons]) == 0

frag002_not_recorded(unknown) := false if count([u | some u in unknown; not u.unknown in unrecorded_reasons]) > 0

# A divergence between known times fails whatever the unknown ones are; otherwise an
# account whose time is unknown leaves the identity unjudged.
frag002_verdict(spread, unknown) := "fail" if frag002_diverged(spread)

frag002_verdict(spread, unknown) := "unknown" if {
	not frag002_diverged(spread)
	count(unknown) > 0
}

frag002_verdict(spread, unknown) := "pass" if {
	not frag002_diverged(spread)
	count(unknown) == 0
}

frag002_diverged(spread) if {
	spread != null
	spread > window_ns
}

# Identities with password-holding accounts in several directories -> those accounts, how
# far apart their known password changes are, and the verdict.
frag002_analysis := {i.id: {"identity": i, "accounts": accounts, "unknown": unknown, "spread": spread, "verdict": frag002_verdict(spread, unknown)} |
	some i in input.identities
	count(identity_sources(i)) > 1
	accounts := frag002_accounts(i)
	unknown := frag002_unknown(i)
	count({x.source | some x in array.concat(accounts, unknown)}) > 1
	spread := frag002_spread(accounts)
}

frag002_population := {id | some id, x in frag002_analysis; x.verdict != "unknown"}

frag002_failing := {id | some id, x in frag002_analysis; x.verdict == "fail"}

results contains r if {
	some x in frag002_analysis
	x.verdict == "fail"
	i := x.identity
	hours := floor(x.spread / lib.ns_per_hour)
	evidence := {
		"accounts": [{"account": a.account, "source": a.source, "passwordLastSet": a.passwordLastSet} | some a in x.accounts],
		"divergenceHours": hours,
		"syncWindowHours": lib.threshold("syncWindowHours"),
	}
	msg := sprintf("identity %s: passwords of its linked accounts changed %v hours apart (sync window %v hours): a reset in one directory did not reach the other", [object.get(i, "name", i.id), hours, lib.threshold("syncWindowHours")])
	r := lib.fail_result("CG-FRAG-002", identity_subject(i), evidence, msg)
}

results contains r if {
	some x in frag002_analysis
	x.verdict == "unknown"
	i := x.identity
	evidence := {
		"accounts": [{"account": a.account, "source": a.source, "passwordLastSet": a.passwordLastSet} | some a in x.accounts],
		"unknown": x.unknown,
		"notRecordedBySource": frag002_not_recorded(x.unknown),
	}
	msg := sprintf("CG-FRAG-002 not evaluated for identity %s: %s", [object.get(i, "name", i.id), concat("; ", [sprintf("when the password of %s was last set is unknown: %s", [u.account, u.unknown]) | some u in x.unknown])])
	r := lib.not_evaluated_subject_result("CG-FRAG-002", identity_subject(i), evidence, msg)
}

results contains r if {
	some r in lib.estate_coverage("CG-FRAG-002", lib.password_source_kinds, ["accounts", "identities", "settings.federatedDomains", "settings.passwordHashSyncEnabled"], frag002_population, frag002_failing, "identities with passwords in several directories")
}

# ---------------------------------------------------------------------------------------
# CG-FRAG-003: a credential has no lifecycle owner, or different owners (enterprise vs
# user) in different directories.

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

# Credentials of disabled accounts cannot be used; credentials held by something that is
# not an account (a repository's Actions secrets) stay in scope. A computer account's
# password is rotated by the machine itself, so it always has a lifecycle owner.
live_holder(c) if {
	holder := lib.accounts_by_id[c.account]
	holder.enabled == true
	holder.kind != "computer"
}

live_holder(c) if not lib.accounts_by_id[object.get(c, "account", null)]

frag003_unowned(c) if {
	c.managedBy == "unknown"
	count(object.get(c, "owners", [])) == 0
}

frag003_population contains [c.source, c.id] if {
	some c in input.credentials
	live_holder(c)
}

frag003_failing contains [c.source, c.id] if {
	some c in input.credentials
	live_holder(c)
	frag003_unowned(c)
}

results contains r if {
	some c in input.credentials
	live_holder(c)
	frag003_unowned(c)
	evidence := {"account": c.account, "managedBy": "unknown", "owners": [], "rotation": c.rotation}
	msg := sprintf("%s of %s has no lifecycle owner: managedBy is unknown and no owner is recorded", [credential_label(c), c.account])
	r := lib.fail_result("CG-FRAG-003", lib.credential_subject(c), evidence, msg)
}

# Password ownership per account, as sets per owner kind (no per-account grouping needed).
password_managed_by := {m: {c.account | some c in input.credentials; c.type == "password"; c.managedBy == m} | some m in {"enterprise", "user"}}

frag003_owner_kinds(i) := {m |
	some m in {"enterprise", "user"}
	some a in identity_accounts(i)
	a.id in password_managed_by[m]
}

results contains r if {
	some i in input.identities
	count(frag003_owner_kinds(i)) > 1
	evidence := {
		"enterpriseManaged": [a.id | some a in identity_accounts(i); a.id in password_managed_by.enterprise],
		"userManaged": [a.id | some a in identity_accounts(i); a.id in password_managed_by.user],
	}
	msg := sprintf("identity %s: its password is enterprise-managed in one directory and user-managed in another (%s)", [object.get(i, "name", i.id), concat(", ", identity_sources(i))])
	r := lib.fail_result("CG-FRAG-003", identity_subject(i), evidence, msg)
}

results contains r if {
	some r in lib.coverage("CG-FRAG-003", {"ad", "ldap", "entra", "github", "file"}, ["credentials"], {}, frag003_population, frag003_failing, "credentials")
}

# ---------------------------------------------------------------------------------------
# CG-FRAG-004: an account can be reset by actors in more than one directory with no
# writeback linking them.

resettable := {p.target | some p in input.resetPaths; p.mechanism != "central-rotation"}

writeback_targets(sid) := wl if {
	wl := lib.setting(sid, "writebackLinks")
	is_array(wl)
}

# Not `not is_array(lib.setting(...))`: OPA evaluates a call inside a negated call before the
# negation, so an absent setting would leave the function undefined instead of [].
writeback_targets(sid) := [] if not writeback_listed(sid)

writeback_listed(sid) if is_array(lib.setting(sid, "writebackLinks"))

linked(s1, s2) if s2 in writeback_targets(s1)

linked(s1, s2) if s1 in writeback_targets(s2)

# Entra Connect writes cloud resets back to AD when password writeback is on.
linked(s1, s2) if {
	lib.source_kind(s1) == "entra"
	lib.source_kind(s2) == "ad"
	lib.setting(s1, "passwordWritebackEnabled") == true
}

linked(s1, s2) if {
	lib.source_kind(s1) == "ad"
	lib.source_kind(s2) == "entra"
	lib.setting(s2, "passwordWritebackEnabled") == true
}

reset_directories(i) := {a.source | some a in identity_accounts(i); a.id in resettable}

# An AD and an Entra directory whose link is unknown: no writebackLinks entry joins them and
# the tenant, synchronised from on-premises (or not known not to be), has a null
# passwordWritebackEnabled. A tenant with no synchronised user has no writeback to know of.
link_unknown(s1, s2) if {
	not linked(s1, s2)
	{lib.source_kind(s1), lib.source_kind(s2)} == {"ad", "entra"}
	some tenant in [s1, s2]
	lib.source_kind(tenant) == "entra"
	not is_boolean(lib.setting(tenant, "passwordWritebackEnabled"))
	lib.setting(tenant, "onPremisesSyncEnabled") != false
}

directory_pairs(dirs) := [[s1, s2] | some s1 in dirs; some s2 in dirs; s1 < s2]

unlinked_pairs(dirs) := [pair |
	some pair in directory_pairs(dirs)
	not linked(pair[0], pair[1])
	not link_unknown(pair[0], pair[1])
]

unknown_pairs(dirs) := [pair | some pair in directory_pairs(dirs); link_unknown(pair[0], pair[1])]

frag004_analysis := {i.id: {"identity": i, "dirs": dirs, "pairs": unlinked_pairs(dirs), "unknown": unknown_pairs(dirs)} |
	some i in input.identities
	count(identity_sources(i)) > 1
	dirs := reset_directories(i)
}

# A pair known to be unlinked fails whatever the others are; otherwise an unknown link leaves
# the identity unjudged.
frag004_unjudged(x) if {
	count(x.pairs) == 0
	count(x.unknown) > 0
}

frag004_population := {id | some id, x in frag004_analysis; not frag004_unjudged(x)}

frag004_failing := {id | some id, x in frag004_analysis; count(x.pairs) > 0}

results contains r if {
	some x in frag004_analysis
	frag004_unjudged(x)
	i := x.identity
	evidence := {"resettableIn": x.dirs, "unknownDirectoryPairs": x.unknown, "notRecordedBySource": false}
	msg := sprintf("CG-FRAG-004 not evaluated for identity %s: it can be reset in %s, and whether password writeback links %s is unknown (passwordWritebackEnabled is null)", [object.get(i, "name", i.id), concat(", ", x.dirs), concat(" and ", x.unknown[0])])
	r := lib.not_evaluated_subject_result("CG-FRAG-004", identity_subject(i), evidence, msg)
}

results contains r if {
	some x in frag004_analysis
	count(x.pairs) > 0
	i := x.identity
	evidence := {
		"resettableIn": x.dirs,
		"unlinkedDirectoryPairs": x.pairs,
		"resettableAccounts": [a.id | some a in identity_accounts(i); a.id in resettable],
	}
	msg := sprintf("identity %s can be reset in %s and no password writeback links %s", [object.get(i, "name", i.id), concat(", ", x.dirs), concat(" and ", x.pairs[0])])
	r := lib.fail_result("CG-FRAG-004", identity_subject(i), evidence, msg)
}

results contains r if {
	some r in lib.estate_coverage("CG-FRAG-004", lib.password_source_kinds, ["resetPaths", "identities", "settings.writebackLinks", "settings.passwordWritebackEnabled"], frag004_population, frag004_failing, "identities with accounts in several directories")
}

# ---------------------------------------------------------------------------------------
# CG-FRAG-005: one non-human identity holds several live credentials (several active app
# secrets, or passwords in several directories).

secret_types := {"clientSecret", "certificate", "token", "sshKey"}

live_secret(c) if {
	c.type in secret_types
	not expired(c)
	known_end(c)
}

known_end(c) if is_string(c.expires)

known_end(c) if c.neverExpires == true

# No end date and no never-expires mark: it may be live or long expired.
maybe_live_secret(c) if {
	c.type in secret_types
	not known_end(c)
}

expired(c) if {
	is_string(c.expires)
	time.parse_rfc3339_ns(c.expires) <= lib.now_ns
}

# Sorting [account, credential] pairs puts one holder's credentials next to each other,
# so holders of several live secrets are found in O(n log n) instead of grouping by scan.
secret_pairs := sort([[c.account, c.id] | some c in input.credentials; live_secret(c)])

multi_secret_holders := {secret_pairs[k][0] |
	some k, pair in secret_pairs
	k > 0
	secret_pairs[k - 1][0] == pair[0]
}

# Holders that hold several secrets if the ones of unknown end are live, and not otherwise.
possible_pairs := sort([[c.account, c.id] | some c in input.credentials; possibly_live(c)])

possibly_live(c) if live_secret(c)

possibly_live(c) if maybe_live_secret(c)

unjudged_holders := {possible_pairs[k][0] |
	some k, pair in possible_pairs
	k > 0
	possible_pairs[k - 1][0] == pair[0]
	not pair[0] in multi_secret_holders
}

secret_holders := {c.account | some c in input.credentials; possibly_live(c); not c.account in unjudged_holders}

non_human_kinds := {"service", "application", "servicePrincipal", "bot"}

frag005_population contains [a.source, a.id] if {
	some id in secret_holders
	a := lib.accounts_by_id[id]
	a.kind in non_human_kinds
}

frag005_failing contains [a.source, a.id] if {
	some id in multi_secret_holders
	a := lib.accounts_by_id[id]
	a.kind in non_human_kinds
}

results contains r if {
	some id in multi_secret_holders
	a := lib.accounts_by_id[id]
	a.kind in non_human_kinds
	ids := [pair[1] | some pair in secret_pairs; pair[0] == id]
	evidence := {"liveCredentials": ids, "count": count(ids)}
	msg := sprintf("%s %s in %s holds %v live credentials at once; rotating one leaves the others valid", [a.kind, a.name, a.source, count(ids)])
	r := lib.fail_result("CG-FRAG-005", lib.account_subject(a), evidence, msg)
}

results contains r if {
	some id in unjudged_holders
	a := lib.accounts_by_id[id]
	a.kind in non_human_kinds
	unknown := [pair[1] | some pair in possible_pairs; pair[0] == id; not pair in secret_pairs_set]
	evidence := {"liveCredentials": [pair[1] | some pair in secret_pairs; pair[0] == id], "unknownEnd": unknown, "notRecordedBySource": false}
	msg := sprintf("CG-FRAG-005 not evaluated for %s %s in %s: whether %s are still live is unknown (expires is null and neverExpires is not true)", [a.kind, a.name, a.source, concat(", ", unknown)])
	r := lib.not_evaluated_subject_result("CG-FRAG-005", lib.account_subject(a), evidence, msg)
}

secret_pairs_set := {pair | some pair in secret_pairs}

# Workload identities with a password in several directories.
workload_password_sources(i) := {a.source |
	some a in identity_accounts(i)
	a.kind in non_human_kinds
	password_holder(a)
}

results contains r if {
	some i in input.identities
	i.kind == "workload"
	dirs := workload_password_sources(i)
	count(dirs) > 1
	evidence := {"passwordDirectories": dirs}
	msg := sprintf("workload %s holds a password in %v directories (%s)", [object.get(i, "name", i.id), count(dirs), concat(", ", dirs)])
	r := lib.fail_result("CG-FRAG-005", identity_subject(i), evidence, msg)
}

results contains r if {
	some r in lib.coverage("CG-FRAG-005", {"ad", "ldap", "entra", "github"}, ["credentials"], {}, frag005_population, frag005_failing, "non-human accounts holding secrets")
}
