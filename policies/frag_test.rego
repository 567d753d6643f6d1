package credgov.frag_test

import data.credgov.frag
import data.credgov.testing as t

ad_policy := t.policy("corp-ad:policy:domain", "corp-ad", "domain", {"minLength": 14, "maxAgeDays": 0, "historyLength": 24})

entra_policy := t.policy("corp-entra:policy:tenant", "corp-entra", "entra-tenant", {"minLength": 8, "maxAgeDays": 0, "historyLength": 1})

ldap_policy := t.policy("legacy-ldap:policy:default", "legacy-ldap", "ppolicy", {"minLength": 14, "maxAgeDays": 0, "historyLength": 24})

person(id, accounts) := {"id": id, "name": id, "kind": "person", "accounts": accounts, "links": []}

# --- CG-FRAG-001 --------------------------------------------------------------------

frag001_snapshot := t.snapshot({
	"passwordPolicies": [ad_policy, entra_policy, ldap_policy],
	"accounts": [
		t.account("corp-ad:alice", "corp-ad", "human", {}),
		t.account("corp-entra:alice", "corp-entra", "human", {"nativeIds": {"userPrincipalName": "alice@corp.example"}}),
		t.account("corp-ad:bob", "corp-ad", "human", {}),
		t.account("legacy-ldap:bob", "legacy-ldap", "human", {}),
		t.account("corp-ad:carol", "corp-ad", "human", {}),
		t.account("corp-entra:carol", "corp-entra", "human", {"nativeIds": {"userPrincipalName": "carol@fed.example"}}),
		t.account("corp-ad:dave", "corp-ad", "human", {}),
		t.account("corp-entra:dave", "corp-entra", "human", {"syncedFromOnPrem": true, "nativeIds": {"userPrincipalName": "dave@corp.example"}}),
	],
	"identities": [
		person("alice", ["corp-ad:alice", "corp-entra:alice"]),
		person("bob", ["corp-ad:bob", "legacy-ldap:bob"]),
		person("carol", ["corp-ad:carol", "corp-entra:carol"]),
		person("dave", ["corp-ad:dave", "corp-entra:dave"]),
	],
	"settings": {"corp-entra": {"federatedDomains": ["fed.example"], "cloudPasswordPolicyForSyncedUsers": false}},
})

test_frag001_fails_disagreeing_policies if {
	results := frag.results with input as frag001_snapshot
	t.failing_ids(results, "CG-FRAG-001") == {"alice"}
	some r in results
	r.control == "CG-FRAG-001"
	r.status == "fail"
	r.evidence.disagreeOn == ["minLength", "historyLength"]
}

# bob: equal policies; carol: federated Entra domain; dave: synced, cloud policy not enforced.
test_frag001_federated_and_synced_accounts_not_compared if {
	results := frag.results with input as frag001_snapshot
	t.pass_evidence(results, "CG-FRAG-001", "estate") == {"population": 2, "passing": 1, "failing": 1}
}

# A policy attribute that was not collected leaves agreement unknown, unless another one
# already disagrees; Entra's history is fixed by the platform and not compared.
test_frag001_unknown_attribute_is_not_evaluated if {
	snap := t.snapshot({
		"passwordPolicies": [ad_policy, object.union(ldap_policy, {"maxAgeDays": null}), object.union(entra_policy, {"minLength": 14, "historyLength": null})],
		"accounts": [
			t.account("corp-ad:bob", "corp-ad", "human", {}),
			t.account("legacy-ldap:bob", "legacy-ldap", "human", {}),
			t.account("corp-ad:alice", "corp-ad", "human", {}),
			t.account("corp-entra:alice", "corp-entra", "human", {"nativeIds": {"userPrincipalName": "alice@corp.example"}}),
		],
		"identities": [person("bob", ["corp-ad:bob", "legacy-ldap:bob"]), person("alice", ["corp-ad:alice", "corp-entra:alice"])],
		"settings": {"corp-entra": {"federatedDomains": []}},
	})
	results := frag.results with input as snap
	t.failing_ids(results, "CG-FRAG-001") == set()
	t.has(results, "CG-FRAG-001", "not_evaluated", "bob")
	t.pass_evidence(results, "CG-FRAG-001", "estate") == {"population": 1, "passing": 1, "failing": 0}
}

# An Entra user with DisableStrongPassword is governed by a policy without the complexity rule:
# it disagrees with the AD domain's complexity, and the evidence names both values.
test_frag001_fails_complexity_disagreement if {
	weak := t.policy("corp-entra:policy:domain:corp.example:disable-strong-password", "corp-entra", "entra-domain", {"minLength": null, "maxAgeDays": 0, "complexity": false, "appliesTo": ["corp-entra:erin"]})
	strong := t.policy("corp-ad:policy:domain", "corp-ad", "domain", {"minLength": 14, "maxAgeDays": 0, "complexity": true})
	snap := t.snapshot({
		"passwordPolicies": [strong, weak],
		"accounts": [
			t.account("corp-ad:erin", "corp-ad", "human", {}),
			t.account("corp-entra:erin", "corp-entra", "human", {"nativeIds": {"userPrincipalName": "erin@corp.example"}, "passwordPolicy": weak.id}),
		],
		"identities": [person("erin", ["corp-ad:erin", "corp-entra:erin"])],
		"settings": {"corp-entra": {"federatedDomains": [], "cloudPasswordPolicyForSyncedUsers": false}},
	})
	results := frag.results with input as snap
	some r in results
	r.control == "CG-FRAG-001"
	r.status == "fail"
	r.evidence.disagreeOn == ["complexity"]
	[p.complexity | some p in r.evidence.policies] == [true, false]
	r.message == "identity erin is governed by password policies that disagree on complexity across corp-ad, corp-entra"
}

# Policies that agree on complexity leave it out of the evidence (only the disagreements are named).
test_frag001_evidence_leaves_out_agreeing_complexity if {
	results := frag.results with input as frag001_snapshot
	some r in results
	r.control == "CG-FRAG-001"
	r.status == "fail"
	every p in r.evidence.policies {
		not "complexity" in object.keys(p)
	}
}

# --- CG-FRAG-002 --------------------------------------------------------------------

frag002_snapshot := t.snapshot({
	"accounts": [
		t.account("corp-ad:alice", "corp-ad", "human", {"passwordLastSet": t.ago["10d"]}),
		t.account("corp-entra:alice", "corp-entra", "human", {"passwordLastSet": t.ago["100d"]}),
		t.account("corp-ad:bob", "corp-ad", "human", {"passwordLastSet": t.ago["10d"]}),
		t.account("legacy-ldap:bob", "legacy-ldap", "human", {"passwordLastSet": t.ago["10d"]}),
		t.account("corp-ad:erin", "corp-ad", "human", {"passwordLastSet": t.ago["10d"]}),
		t.account("corp-entra:erin", "corp-entra", "human", {"passwordLastSet": t.ago["400d"], "syncedFromOnPrem": true}),
	],
	"identities": [
		person("alice", ["corp-ad:alice", "corp-entra:alice"]),
		person("bob", ["corp-ad:bob", "legacy-ldap:bob"]),
		person("erin", ["corp-ad:erin", "corp-entra:erin"]),
	],
	"settings": {"corp-entra": {"passwordHashSyncEnabled": false}},
})

test_frag002_fails_diverged_passwords if {
	results := frag.results with input as frag002_snapshot
	t.failing_ids(results, "CG-FRAG-002") == {"alice"}
	some r in results
	r.control == "CG-FRAG-002"
	r.status == "fail"
	r.evidence.divergenceHours == 2160
}

# erin's Entra account has no cloud password (synced without hash sync): not compared.
test_frag002_passes_in_sync_and_skips_accounts_without_own_password if {
	results := frag.results with input as frag002_snapshot
	t.pass_evidence(results, "CG-FRAG-002", "estate") == {"population": 2, "passing": 1, "failing": 1}
}

test_frag002_sync_window_is_configurable if {
	results := frag.results with input as frag002_snapshot with data.credgov.config.thresholds as {"syncWindowHours": 3000}
	t.failing_ids(results, "CG-FRAG-002") == set()
}

# An account whose password time is unknown leaves its identity unjudged, unless the known
# times already diverge: frank (AD pwdLastSet 0), gina (LDAP without ppolicy), hank (synced,
# hash sync unknown) are not_evaluated; ivan diverged between AD and LDAP whatever Entra says.
frag002_unknown_snapshot := t.snapshot({
	"accounts": [
		t.account("corp-ad:frank", "corp-ad", "human", {"passwordLastSet": null, "flags": {"mustChangeAtNextLogon": true}}),
		t.account("corp-entra:frank", "corp-entra", "human", {"passwordLastSet": t.ago["10d"]}),
		t.account("corp-ad:gina", "corp-ad", "human", {"passwordLastSet": t.ago["10d"]}),
		t.account("legacy-ldap:gina", "legacy-ldap", "human", {}),
		t.account("corp-ad:hank", "corp-ad", "human", {"passwordLastSet": t.ago["10d"]}),
		t.account("corp-entra:hank", "corp-entra", "human", {"passwordLastSet": t.ago["10d"], "syncedFromOnPrem": true}),
		t.account("corp-ad:ivan", "corp-ad", "human", {"passwordLastSet": t.ago["10d"]}),
		t.account("legacy-ldap:ivan", "legacy-ldap", "human", {"passwordLastSet": t.ago["400d"]}),
		t.account("corp-entra:ivan", "corp-entra", "human", {"passwordLastSet": null}),
		t.account("corp-ad:judy", "corp-ad", "human", {"passwordLastSet": t.ago["10d"]}),
		t.account("corp-entra:judy", "corp-entra", "human", {"passwordLastSet": t.ago["10d"]}),
	],
	"identities": [
		person("frank", ["corp-ad:frank", "corp-entra:frank"]),
		person("gina", ["corp-ad:gina", "legacy-ldap:gina"]),
		person("hank", ["corp-ad:hank", "corp-entra:hank"]),
		person("ivan", ["corp-ad:ivan", "legacy-ldap:ivan", "corp-entra:ivan"]),
		person("judy", ["corp-ad:judy", "corp-entra:judy"]),
	],
	"settings": {"corp-entra": {"passwordHashSyncEnabled": null}},
})

test_frag002_unknown_password_time_is_not_evaluated if {
	results := frag.results with input as frag002_unknown_snapshot
	t.failing_ids(results, "CG-FRAG-002") == {"ivan"}
	{r.subject.id | some r in results; r.control == "CG-FRAG-002"; r.status == "not_evaluated"} == {"frank", "gina", "hank"}
	t.pass_evidence(results, "CG-FRAG-002", "estate") == {"population": 2, "passing": 1, "failing": 1}
}

test_frag002_says_which_time_is_unknown if {
	results := frag.results with input as frag002_unknown_snapshot
	some r in results
	r.control == "CG-FRAG-002"
	r.subject.id == "hank"
	r.evidence.notRecordedBySource == false
	r.evidence.unknown == [{"account": "corp-entra:hank", "source": "corp-entra", "unknown": "it is synchronised from on-premises and whether the tenant syncs password hashes is unknown (passwordHashSyncEnabled is null)"}]
	some g in results
	g.control == "CG-FRAG-002"
	g.subject.id == "gina"
	contains(g.message, "legacy-ldap:gina was last set is unknown: it has no pwdChangedTime")
	g.evidence.notRecordedBySource == true
}

# A workload's account holds its password whether or not the time it was set is known.
test_frag005_workload_password_without_known_time if {
	snap := t.snapshot({
		"accounts": [
			t.account("corp-ad:svc-etl", "corp-ad", "service", {"passwordLastSet": null}),
			t.account("legacy-ldap:svc-etl", "legacy-ldap", "service", {"passwordLastSet": t.ago["10d"]}),
		],
		"identities": [{"id": "etl", "name": "etl", "kind": "workload", "accounts": ["corp-ad:svc-etl", "legacy-ldap:svc-etl"], "links": []}],
	})
	results := frag.results with input as snap
	t.failing_ids(results, "CG-FRAG-005") == {"etl"}
}

# --- CG-FRAG-003 --------------------------------------------------------------------

frag003_snapshot := t.snapshot({
	"accounts": [
		t.account("corp-ad:alice", "corp-ad", "human", {}),
		t.account("legacy-ldap:alice", "legacy-ldap", "human", {}),
		t.account("corp-ad:svc", "corp-ad", "service", {}),
		t.account("corp-ad:gone", "corp-ad", "service", {"enabled": false}),
	],
	"credentials": [
		t.credential("pw-ad-alice", "corp-ad:alice", "corp-ad", "password", {"managedBy": "enterprise"}),
		t.credential("pw-ldap-alice", "legacy-ldap:alice", "legacy-ldap", "password", {"managedBy": "user"}),
		t.credential("pw-svc", "corp-ad:svc", "corp-ad", "password", {"managedBy": "unknown"}),
		t.credential("pw-gone", "corp-ad:gone", "corp-ad", "password", {"managedBy": "unknown"}),
	],
	"identities": [person("alice", ["corp-ad:alice", "legacy-ldap:alice"])],
})

test_frag003_fails_unowned_credential_and_split_ownership if {
	results := frag.results with input as frag003_snapshot
	t.failing_ids(results, "CG-FRAG-003") == {"pw-svc", "alice"}
}

test_frag003_owned_credentials_pass if {
	results := frag.results with input as frag003_snapshot
	t.pass_evidence(results, "CG-FRAG-003", "corp-ad") == {"population": 2, "passing": 1, "failing": 1}
}

# --- CG-FRAG-004 --------------------------------------------------------------------

frag004_snapshot(writeback) := t.snapshot({
	"accounts": [
		t.account("corp-ad:alice", "corp-ad", "human", {}),
		t.account("corp-entra:alice", "corp-entra", "human", {}),
	],
	"resetPaths": [
		t.reset_path("rp-ad", "corp-ad:alice", "helpdesk", {"kind": "group", "id": "Helpdesk"}, {}),
		t.reset_path("rp-entra", "corp-entra:alice", "sspr", {"kind": "self", "id": "corp-entra:alice"}, {"source": "corp-entra", "requiresUserCompletion": true}),
	],
	"identities": [person("alice", ["corp-ad:alice", "corp-entra:alice"])],
	"settings": {"corp-entra": {"passwordWritebackEnabled": writeback}},
})

test_frag004_fails_without_writeback if {
	results := frag.results with input as frag004_snapshot(false)
	t.failing_ids(results, "CG-FRAG-004") == {"alice"}
}

test_frag004_passes_with_writeback if {
	results := frag.results with input as frag004_snapshot(true)
	t.failing_ids(results, "CG-FRAG-004") == set()
	t.pass_evidence(results, "CG-FRAG-004", "estate") == {"population": 1, "passing": 1, "failing": 0}
}

# A synchronised tenant whose writeback setting was not collected: the link is unknown. A
# tenant with no synchronised user has no writeback, so a null setting there is no link.
test_frag004_unknown_writeback_is_not_evaluated if {
	results := frag.results with input as frag004_snapshot(null) with input.settings as {"corp-entra": {"passwordWritebackEnabled": null, "onPremisesSyncEnabled": true}}
	t.failing_ids(results, "CG-FRAG-004") == set()
	t.has(results, "CG-FRAG-004", "not_evaluated", "alice")
	not t.pass_evidence(results, "CG-FRAG-004", "estate")
	cloud := frag.results with input as frag004_snapshot(null) with input.settings as {"corp-entra": {"passwordWritebackEnabled": null, "onPremisesSyncEnabled": false}}
	t.failing_ids(cloud, "CG-FRAG-004") == {"alice"}
}

# --- CG-FRAG-005 --------------------------------------------------------------------

frag005_snapshot := t.snapshot({
	"accounts": [
		t.account("corp-entra:app-many", "corp-entra", "application", {}),
		t.account("corp-entra:app-one", "corp-entra", "application", {}),
		t.account("corp-ad:svc-batch", "corp-ad", "service", {"passwordLastSet": t.ago["10d"]}),
		t.account("legacy-ldap:svc-batch", "legacy-ldap", "service", {"passwordLastSet": t.ago["10d"]}),
	],
	"credentials": [
		t.credential("s1", "corp-entra:app-many", "corp-entra", "clientSecret", {"expires": t.in_days["300d"]}),
		t.credential("s2", "corp-entra:app-many", "corp-entra", "clientSecret", {"expires": t.in_days["10d"]}),
		t.credential("s3", "corp-entra:app-one", "corp-entra", "clientSecret", {"expires": t.in_days["300d"]}),
		t.credential("s4", "corp-entra:app-one", "corp-entra", "clientSecret", {"expires": t.ago["10d"]}),
	],
	"identities": [{"id": "batch", "name": "batch", "kind": "workload", "accounts": ["corp-ad:svc-batch", "legacy-ldap:svc-batch"], "links": []}],
})

test_frag005_fails_several_live_secrets_and_multi_directory_workload if {
	results := frag.results with input as frag005_snapshot
	t.failing_ids(results, "CG-FRAG-005") == {"corp-entra:app-many", "batch"}
}

# app-one's second secret has expired: only one live secret.
test_frag005_expired_secret_does_not_count if {
	results := frag.results with input as frag005_snapshot
	t.pass_evidence(results, "CG-FRAG-005", "corp-entra") == {"population": 2, "passing": 1, "failing": 1}
}

# A machine rotates its own password: computer accounts are not unowned credentials.
test_frag003_computer_passwords_out_of_scope if {
	snap := t.snapshot({
		"accounts": [t.account("corp-ad:ws01", "corp-ad", "computer", {})],
		"credentials": [t.credential("pw-ws01", "corp-ad:ws01", "corp-ad", "password", {"managedBy": "unknown"})],
	})
	results := frag.results with input as snap
	t.failing_ids(results, "CG-FRAG-003") == set()
}

# A secret with no end date may be live: with another live one the holder is unjudged, alone
# it cannot make two.
test_frag005_secret_of_unknown_end_is_not_evaluated if {
	snap := t.snapshot({
		"accounts": [t.account("corp-entra:app-two", "corp-entra", "application", {}), t.account("corp-entra:app-one", "corp-entra", "application", {})],
		"credentials": [
			t.credential("s1", "corp-entra:app-two", "corp-entra", "clientSecret", {"expires": t.in_days["300d"]}),
			t.credential("s2", "corp-entra:app-two", "corp-entra", "clientSecret", {"expires": null, "neverExpires": null}),
			t.credential("s3", "corp-entra:app-one", "corp-entra", "clientSecret", {"expires": null, "neverExpires": null}),
		],
	})
	results := frag.results with input as snap
	t.failing_ids(results, "CG-FRAG-005") == set()
	t.has(results, "CG-FRAG-005", "not_evaluated", "corp-entra:app-two")
	t.pass_evidence(results, "CG-FRAG-005", "corp-entra") == {"population": 1, "passing": 1, "failing": 0}
}
