# Shared helpers of the credgov policy library: evaluation time, thresholds, lookups built
# once per evaluation (objects keyed by id, so controls never join accounts x policies by
# scanning), result constructors, and the rules that turn collection errors into `error`
# or `not_evaluated` results instead of passes.
package credgov.lib

# Documented defaults; credgov.yaml `thresholds` overrides them through
# data.credgov.config.thresholds.
default_thresholds := {
	"rotationDays": 90,
	"maxSecretLifetimeDays": 180,
	"syncWindowHours": 24,
	"krbtgtMaxAgeDays": 180,
	"minPasswordLength": 14,
	"privilegedPasswordMaxAgeDays": 365,
}

default configured_thresholds := {}

configured_thresholds := data.credgov.config.thresholds

threshold(name) := object.get(configured_thresholds, name, default_thresholds[name])

ns_per_day := 86400000000000

ns_per_hour := 3600000000000

# Evaluation time. The engine passes data.credgov.now; without it the snapshot's own
# generation time is used, so the same snapshot always gives the same findings.
now_ns := time.parse_rfc3339_ns(data.credgov.now)

now_ns := time.parse_rfc3339_ns(input.generatedAt) if not data.credgov.now

# Whole days between a timestamp and now (negative for the future).
age_days(ts) := floor((now_ns - time.parse_rfc3339_ns(ts)) / ns_per_day) if is_string(ts)

# Why a password directory's account has no passwordLastSet although it holds a password:
# the source records no time (messages of per-subject not_evaluated results).
password_time_unrecorded := {
	"ad": "its pwdLastSet is 0, which records no time",
	"ldap": "it has no pwdChangedTime (OpenLDAP writes it only with the ppolicy overlay)",
	"entra": "its lastPasswordChangeDateTime is null",
}

# Directories that hold passwords (GitHub has none: it holds tokens, keys and secrets).
password_source_kinds := {"ad", "ldap", "entra"}

sources_by_id := {s.id: s | some s in input.sources}

accounts_by_id := {a.id: a | some a in input.accounts}

policies_by_id := {p.id: p | some p in input.passwordPolicies}

source_kind(source_id) := sources_by_id[source_id].kind

setting(source_id, name) := object.get(object.get(input.settings, source_id, {}), name, null)

account_subject(a) := {"source": a.source, "kind": a.kind, "id": a.id, "name": a.name}

# A credential reads as "holder / credential" (svc-backup / password, harbor-billing-api /
# prod): its own name alone ("password", "prod") says nothing to a reader. A holder that is
# not an account (a repository or organisation holding Actions secrets) is named by its id
# without the source prefix and the "repo:"/"org:" tag.
credential_subject(c) := {"source": c.source, "kind": c.type, "id": c.id, "name": sprintf("%s / %s", [holder_name(c), credential_name(c)])}

credential_name(c) := c.name if is_string(c.name)

credential_name(c) := c.id if not is_string(object.get(c, "name", null))

holder_name(c) := accounts_by_id[c.account].name

holder_name(c) := bare_holder_id(c) if not accounts_by_id[object.get(c, "account", null)]

bare_holder_id(c) := trim_prefix(trim_prefix(trim_prefix(c.account, concat("", [c.source, ":"])), "repo:"), "org:")

# ---------------------------------------------------------------------------------------
# Effective password policy of an account: the one the collector resolved
# (account.passwordPolicy), else the source's default policy (applies to '*').

default_policy_scopes := {"domain", "entra-tenant", "ppolicy", "org"}

# One default per source; min() picks deterministically if a source declares several.
default_policy_ids := {sid: pid |
	some s in input.sources
	sid := s.id
	ids := {p.id | some p in input.passwordPolicies; p.source == sid; p.scope in default_policy_scopes; "*" in p.appliesTo}
	count(ids) > 0
	pid := min(ids)
}

effective_policy_id(a) := a.passwordPolicy if is_string(a.passwordPolicy)

effective_policy_id(a) := default_policy_ids[a.source] if not is_string(object.get(a, "passwordPolicy", null))

# The password of an Entra account in a federated domain is checked by the external IdP,
# and a synchronised account follows the on-premises policy unless the tenant enforces its
# cloud policy on synced users: in both cases the Entra policy does not govern it.
entra_policy_governs(a) if {
	source_kind(a.source) == "entra"
	not federated_account(a)
	not synced_without_cloud_policy(a)
}

federated_account(a) if {
	parts := split(lower(a.nativeIds.userPrincipalName), "@")
	domains := setting(a.source, "federatedDomains")
	is_array(domains)
	some d in domains
	lower(d) == parts[count(parts) - 1]
}

synced_without_cloud_policy(a) if {
	a.syncedFromOnPrem == true
	setting(a.source, "cloudPasswordPolicyForSyncedUsers") != true
}

policy_governs(a) if source_kind(a.source) in {"ad", "ldap"}

policy_governs(a) if entra_policy_governs(a)

# Policy that governs the account's password, if any (undefined when none applies).
governing_policy(a) := p if {
	policy_governs(a)
	p := policies_by_id[effective_policy_id(a)]
	not p.federated == true
}

# ---------------------------------------------------------------------------------------
# Collection errors. A source error blocks the areas listed in its `affects` (prefix match
# both ways: 'settings' blocks 'settings.ssprEnabled' and vice versa; '*' blocks everything);
# an error that lists nothing is assumed to affect everything, because a collection failure
# must never be reported as a pass. The names come from one vocabulary (src/snapshot/areas.ts).

area_match(affected, area) if affected == area

area_match("*", area) if is_string(area)

area_match(affected, area) if startswith(area, concat("", [affected, "."]))

area_match(affected, area) if startswith(affected, concat("", [area, "."]))

error_covers(e, areas) if count(object.get(e, "affects", [])) == 0

error_covers(e, areas) if {
	some affected in e.affects
	some area in areas
	area_match(affected, area)
}

describe_error(e) := sprintf("%s failed (%s): %s", [object.get(e, "call", e.step), e.step, e.message])

blocking_errors(source_id, areas) := {describe_error(e) |
	some e in sources_by_id[source_id].errors
	error_covers(e, areas)
}

is_blocked(source_id, areas) if sources_by_id[source_id].status == "error"

# A partial source that does not say what is missing may miss anything.
is_blocked(source_id, areas) if {
	sources_by_id[source_id].status == "partial"
	count(object.get(sources_by_id[source_id], "errors", [])) == 0
}

is_blocked(source_id, areas) if count(blocking_errors(source_id, areas)) > 0

why_blocked(source_id, areas) := concat("; ", blocking_errors(source_id, areas)) if count(blocking_errors(source_id, areas)) > 0

why_blocked(source_id, areas) := sprintf("collection of this source is %s without a recorded error", [sources_by_id[source_id].status]) if {
	count(blocking_errors(source_id, areas)) == 0
	sources_by_id[source_id].status in {"error", "partial"}
}

# Settings a control needs that are null for a source although no error explains it.
missing_settings(source_id, required) := {name |
	some name in object.get(required, source_kind(source_id), [])
	setting(source_id, name) == null
}

source_subject(source_id) := {
	"source": source_id,
	"kind": "source",
	"id": source_id,
	"name": object.get(sources_by_id[source_id], "endpoint", source_id),
}

# ---------------------------------------------------------------------------------------
# Result constructors (the engine joins them with catalog.yaml).

fail_result(control, subject, evidence, message) := {
	"control": control,
	"status": "fail",
	"subject": subject,
	"evidence": evidence,
	"message": message,
}

error_result(control, source_id, areas) := {
	"control": control,
	"status": "error",
	"subject": source_subject(source_id),
	"evidence": {"areas": areas, "missing": blocking_errors(source_id, areas), "sourceStatus": sources_by_id[source_id].status},
	"message": sprintf("%s could not be evaluated for source %s: %s", [control, source_id, why_blocked(source_id, areas)]),
}

not_evaluated_settings_result(control, source_id, names) := {
	"control": control,
	"status": "not_evaluated",
	"subject": source_subject(source_id),
	"evidence": {"missingSettings": names},
	"message": sprintf("%s not evaluated for source %s: settings %s were not collected (null) and no source error says why", [control, source_id, concat(", ", names)]),
}

# One subject whose verdict rests on a value the snapshot does not hold (null or absent,
# e.g. an AD pwdLastSet of 0, which records no time): neither pass nor fail, and the subject is
# left out of the population. Evidence names the values; `notRecordedBySource: true` says the
# source keeps no value for what is missing (no collection could supply it), so the run is not
# incomplete for it; without it the run is (exit 3).
not_evaluated_subject_result(control, subject, evidence, message) := {
	"control": control,
	"status": "not_evaluated",
	"subject": subject,
	"evidence": evidence,
	"message": message,
}

# Nothing to judge: no source of the control's kind, or an empty population. Says why and
# does not make the run incomplete.
not_applicable_result(control, scope, reason) := {
	"control": control,
	"status": "not_applicable",
	"subject": {"source": scope, "kind": "population", "id": sprintf("%s:%s", [control, scope]), "name": scope},
	"evidence": {"reason": reason},
	"message": sprintf("%s not applicable to %s: %s", [control, scope, reason]),
}

not_evaluated_result(control, reason) := {
	"control": control,
	"status": "not_evaluated",
	"subject": {"source": "", "kind": "estate", "id": "estate", "name": "whole snapshot"},
	"evidence": {},
	"message": sprintf("%s not evaluated: %s", [control, reason]),
}

pass_result(control, scope, what, total, failing) := {
	"control": control,
	"status": "pass",
	"subject": {"source": scope, "kind": "population", "id": sprintf("%s:%s", [control, scope]), "name": what},
	"evidence": {"population": total, "passing": total - failing, "failing": failing},
	"message": sprintf("%v of %v %s passed %s", [total - failing, total, what, control]),
}

# Per-source coverage of a control: `pass` with the population evaluated in each source
# that was collected, `error` for each source whose needed data failed to collect,
# `not_evaluated` when a needed setting is null, `not_applicable` when a collected source has
# an empty population or no source of the needed kinds exists.
# population and failing are sets of [source id, subject id] pairs.
# A batch of a sharded evaluation (shard_role "subjects") cannot tell pass from
# not_applicable: it emits its counts as a `tally`, and the estate evaluation decides on
# the counts of every batch summed (source_counts).
coverage(control, kinds, areas, required, population, failing, what) := ((((passes | errors) | unset) | empty) | absent) | tallies if {
	relevant := {s.id | some s in input.sources; s.kind in kinds}
	errors := {error_result(control, sid, areas) | some sid in relevant; is_blocked(sid, areas)}
	unset := {not_evaluated_settings_result(control, sid, names) |
		some sid in relevant
		not is_blocked(sid, areas)
		names := missing_settings(sid, required)
		count(names) > 0
	}
	counted := {sid: source_counts(control, sid, population, failing) |
		some sid in relevant
		not is_blocked(sid, areas)
		count(missing_settings(sid, required)) == 0
	}
	passes := {pass_result(control, sid, what, n[0], n[1]) |
		shard_role != "subjects"
		some sid, n in counted
		n[0] > n[1]
	}
	empty := {not_applicable_result(control, sid, sprintf("no %s in this source", [what])) |
		shard_role != "subjects"
		some sid, n in counted
		n[0] == 0
	}
	absent := {not_applicable_result(control, "estate", sprintf("no %s source in the snapshot", [concat(" or ", sort(kinds))])) | count(relevant) == 0}
	tallies := {tally_result(control, sid, n) | shard_role == "subjects"; some sid, n in counted}
}

# [population, failing] of one source: the batches' summed tallies in the estate evaluation
# of a sharded run, else counted here. Arrays of 1s, not sets: counting must not copy (and
# hash) the population per source.
source_counts(control, sid, population, failing) := n if {
	n := data.credgov.shard.tallies[control][sid]
}

source_counts(control, sid, population, failing) := [count([1 | some p in population; p[0] == sid]), count([1 | some p in failing; p[0] == sid])] if {
	not data.credgov.shard.tallies[control][sid]
}

# Coverage of a control whose subjects span directories (correlated identities): one
# population for the estate, plus an error for each source whose needed data is missing.
estate_coverage(control, kinds, areas, population, failing, what) := ((passes | errors) | empty) | tallies if {
	relevant := {s.id | some s in input.sources; s.kind in kinds}
	errors := {error_result(control, sid, areas) | some sid in relevant; is_blocked(sid, areas)}
	n := estate_counts(control, population, failing)
	passes := {pass_result(control, "estate", what, n[0], n[1]) | shard_role != "subjects"; n[0] > n[1]}
	empty := {not_applicable_result(control, "estate", sprintf("no %s", [what])) | shard_role != "subjects"; n[0] == 0; count(errors) == 0}
	tallies := {tally_result(control, "estate", n) | shard_role == "subjects"}
}

estate_counts(control, population, failing) := n if {
	n := data.credgov.shard.tallies[control].estate
}

estate_counts(control, population, failing) := [count(population), count(failing)] if {
	not data.credgov.shard.tallies[control].estate
}

tally_result(control, scope, n) := {
	"control": control,
	"status": "tally",
	"subject": {"source": scope, "kind": "population", "id": sprintf("%s:%s", [control, scope]), "name": scope},
	"evidence": {"population": n[0], "failing": n[1]},
	"message": "",
}

# ---------------------------------------------------------------------------------------
# Sharded evaluation (src/policy/engine/sharded-evaluation.ts). A large estate is evaluated
# in batches of subjects: a batch holds whole identities with all their accounts, and those
# accounts' credentials and reset paths, plus every source, policy and setting, so every
# per-subject control sees exactly what it would in the whole snapshot. Then one estate
# evaluation, without accounts, decides coverage and the estate-level controls (catalog
# `scope: estate`). The few facts those read from accounts are estate_facts: each batch
# computes its share, the engine merges them (numbers add up, arrays are unioned, objects
# merge key by key; every account is in exactly one batch) and hands them back as
# data.credgov.shard.facts.

default shard_role := "whole"

shard_role := data.credgov.shard.role

estate_facts := {
	"syncedAccounts": {s.id: synced_account_count(s.id) | some s in input.sources},
	"krbtgt": krbtgt_subjects,
	"humanPolicyIds": human_policy_ids,
}

# Accounts of a source synchronised from on-premises.
synced_account_count(sid) := object.get(data.credgov.shard.facts.syncedAccounts, sid, 0) if shard_role == "estate"

synced_account_count(sid) := count({a.id | some a in input.accounts; a.source == sid; a.syncedFromOnPrem == true}) if shard_role != "estate"

# Each AD domain's krbtgt account, as a subject, by source.
krbtgt_subjects := data.credgov.shard.facts.krbtgt if shard_role == "estate"

krbtgt_subjects := {a.source: account_subject(a) | some a in input.accounts; a.name == "krbtgt"} if shard_role != "estate"

# Password policies that govern at least one enabled human account whose password may expire.
human_policy_ids := {id | some id in data.credgov.shard.facts.humanPolicyIds} if shard_role == "estate"

human_policy_ids := {p.id |
	some a in input.accounts
	a.kind == "human"
	a.enabled == true
	not a.flags.passwordNeverExpires == true
	p := governing_policy(a)
} if shard_role != "estate"
