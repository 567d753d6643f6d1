package credgov.nhi_test

import data.credgov.nhi
import data.credgov.testing as t

# --- CG-NHI-001 ---------------------------------------------------------------------

nhi001_snapshot := t.snapshot({
	"accounts": [
		t.account("corp-entra:app", "corp-entra", "application", {}),
		t.account("corp-ad:svc-old", "corp-ad", "service", {"passwordLastSet": t.ago["400d"]}),
		t.account("corp-ad:svc-new", "corp-ad", "service", {"passwordLastSet": t.ago["10d"]}),
		t.account("corp-ad:alice", "corp-ad", "human", {"passwordLastSet": t.ago["1000d"]}),
	],
	"credentials": [
		t.credential("old-secret", "corp-entra:app", "corp-entra", "clientSecret", {"created": t.ago["200d"], "expires": t.in_days["10d"]}),
		t.credential("long-cert", "corp-entra:app", "corp-entra", "certificate", {"created": t.ago["10d"], "expires": t.in_days["300d"]}),
		t.credential("forever", "corp-entra:app", "corp-entra", "clientSecret", {"created": t.ago["10d"], "neverExpires": true}),
		t.credential("fresh", "corp-entra:app", "corp-entra", "clientSecret", {"created": t.ago["10d"], "expires": t.in_days["10d"]}),
		t.credential("pw-svc-old", "corp-ad:svc-old", "corp-ad", "password", {}),
		t.credential("pw-svc-new", "corp-ad:svc-new", "corp-ad", "password", {}),
		t.credential("pw-alice", "corp-ad:alice", "corp-ad", "password", {}),
	],
})

test_nhi001_fails_age_lifetime_and_never_expiring if {
	results := nhi.results with input as nhi001_snapshot
	t.failing_ids(results, "CG-NHI-001") == {"old-secret", "long-cert", "forever", "pw-svc-old"}
}

test_nhi001_evidence_lists_the_violations if {
	results := nhi.results with input as nhi001_snapshot
	some r in results
	r.control == "CG-NHI-001"
	r.subject.id == "long-cert"
	r.evidence.violations == {"lifetime"}
}

# Human passwords are out of scope (CG-HYG-005 forbids forcing their rotation).
test_nhi001_human_password_out_of_scope if {
	results := nhi.results with input as nhi001_snapshot
	not t.has(results, "CG-NHI-001", "fail", "pw-alice")
	t.pass_evidence(results, "CG-NHI-001", "corp-ad") == {"population": 2, "passing": 1, "failing": 1}
}

test_nhi001_rotation_period_is_configurable if {
	results := nhi.results with input as nhi001_snapshot with data.credgov.config.thresholds as {"rotationDays": 500, "maxSecretLifetimeDays": 400}
	t.failing_ids(results, "CG-NHI-001") == {"forever"}
}

# A credential reads as "holder / credential", the holder by its name in its directory.
test_nhi001_subject_names_holder_and_credential if {
	snapshot := t.snapshot({
		"accounts": [t.account("corp-ad:S-1-5-21-9", "corp-ad", "service", {"name": "svc-backup", "passwordLastSet": t.ago["400d"]})],
		"credentials": [t.credential("corp-ad:S-1-5-21-9:password", "corp-ad:S-1-5-21-9", "corp-ad", "password", {"name": "password"})],
	})
	results := nhi.results with input as snapshot
	some r in results
	r.control == "CG-NHI-001"
	r.subject == {"source": "corp-ad", "kind": "password", "id": "corp-ad:S-1-5-21-9:password", "name": "svc-backup / password"}
}

# Unknown dates give neither pass nor fail, unless a violation is known anyway: a secret
# with no dates, an AD service account awaiting a change at next logon (pwdLastSet 0), a
# secret of unknown age that never expires (fails), and one whose expiry is unknown.
nhi001_unknown_snapshot := t.snapshot({
	"accounts": [
		t.account("corp-entra:app", "corp-entra", "application", {}),
		t.account("corp-ad:svc-pending", "corp-ad", "service", {"passwordLastSet": null}),
		t.account("corp-ad:svc-new", "corp-ad", "service", {"passwordLastSet": t.ago["10d"]}),
	],
	"credentials": [
		t.credential("undated", "corp-entra:app", "corp-entra", "clientSecret", {"expires": t.in_days["10d"]}),
		t.credential("undated-forever", "corp-entra:app", "corp-entra", "clientSecret", {"neverExpires": true}),
		t.credential("expiry-unknown", "corp-entra:app", "corp-entra", "certificate", {"created": t.ago["10d"], "expires": null, "neverExpires": null}),
		t.credential("fresh", "corp-entra:app", "corp-entra", "clientSecret", {"created": t.ago["10d"], "expires": t.in_days["10d"]}),
		t.credential("pw-svc-pending", "corp-ad:svc-pending", "corp-ad", "password", {}),
		t.credential("pw-svc-new", "corp-ad:svc-new", "corp-ad", "password", {}),
	],
})

test_nhi001_unknown_dates_are_not_evaluated if {
	results := nhi.results with input as nhi001_unknown_snapshot
	t.failing_ids(results, "CG-NHI-001") == {"undated-forever"}
	{[r.subject.id, r.evidence.notRecordedBySource] | some r in results; r.control == "CG-NHI-001"; r.status == "not_evaluated"} == {["undated", false], ["expiry-unknown", false], ["pw-svc-pending", true]}
	t.pass_evidence(results, "CG-NHI-001", "corp-entra") == {"population": 2, "passing": 1, "failing": 1}
	t.pass_evidence(results, "CG-NHI-001", "corp-ad") == {"population": 1, "passing": 1, "failing": 0}
}

test_nhi001_says_what_is_unknown if {
	results := nhi.results with input as nhi001_unknown_snapshot
	some r in results
	r.control == "CG-NHI-001"
	r.subject.id == "pw-svc-pending"
	contains(r.message, "when its password last changed is unknown: its pwdLastSet is 0")
}

# --- CG-NHI-002 ---------------------------------------------------------------------

nhi002_snapshot := t.snapshot({
	"accounts": [t.account("corp-entra:app", "corp-entra", "application", {}), t.account("corp-entra:sp", "corp-entra", "servicePrincipal", {})],
	"credentials": [
		t.credential("expired", "corp-entra:app", "corp-entra", "clientSecret", {"expires": t.ago["30d"]}),
		t.credential("valid", "corp-entra:sp", "corp-entra", "certificate", {"expires": t.in_days["10d"]}),
	],
})

test_nhi002_fails_expired_credential if {
	results := nhi.results with input as nhi002_snapshot
	t.failing_ids(results, "CG-NHI-002") == {"expired"}
	some r in results
	r.control == "CG-NHI-002"
	r.status == "fail"
	r.evidence.expiredDaysAgo == 30
}

test_nhi002_passes_valid_credential if {
	results := nhi.results with input as nhi002_snapshot
	t.pass_evidence(results, "CG-NHI-002", "corp-entra") == {"population": 2, "passing": 1, "failing": 1}
}

test_nhi002_unknown_expiry_is_not_evaluated if {
	snap := t.snapshot({
		"accounts": [t.account("corp-entra:app", "corp-entra", "application", {})],
		"credentials": [
			t.credential("no-end", "corp-entra:app", "corp-entra", "clientSecret", {"expires": null, "neverExpires": null}),
			t.credential("forever", "corp-entra:app", "corp-entra", "certificate", {"expires": null, "neverExpires": true}),
		],
	})
	results := nhi.results with input as snap
	t.has(results, "CG-NHI-002", "not_evaluated", "no-end")
	t.pass_evidence(results, "CG-NHI-002", "corp-entra") == {"population": 1, "passing": 1, "failing": 0}
}

# --- CG-NHI-003 ---------------------------------------------------------------------

nhi003_snapshot := t.snapshot({"credentials": [
	t.credential("gh-org:repo/api:actions:DEPLOY_TOKEN", "gh-org:repo/api", "gh-org", "actionsSecret", {"lastRotated": t.ago["200d"]}),
	t.credential("gh-org:repo/api:actions:NEW", "gh-org:repo/api", "gh-org", "actionsSecret", {"lastRotated": t.ago["10d"]}),
	t.credential("gh-org:repo/api:key:1", "gh-org:repo/api", "gh-org", "deployKey", {"created": t.ago["400d"], "writeAccess": true}),
	t.credential("gh-org:repo/api:key:2", "gh-org:repo/api", "gh-org", "deployKey", {"created": t.ago["400d"], "writeAccess": false}),
]})

test_nhi003_fails_stale_secret_and_write_key if {
	results := nhi.results with input as nhi003_snapshot
	t.failing_ids(results, "CG-NHI-003") == {"gh-org:repo/api:actions:DEPLOY_TOKEN", "gh-org:repo/api:key:1"}
}

# The read-only deploy key is out of scope.
test_nhi003_population_excludes_read_only_keys if {
	results := nhi.results with input as nhi003_snapshot
	t.pass_evidence(results, "CG-NHI-003", "gh-org") == {"population": 3, "passing": 1, "failing": 2}
}

# Every GitHub secret store is judged alike: an environment's Actions secret, Dependabot and
# Codespaces secrets.
nhi003_stores_snapshot := t.snapshot({"credentials": [
	t.credential("gh-org:repo:api:environment:production:actions-secret:DB_PASSWORD", "gh-org:repo:api", "gh-org", "actionsSecret", {"lastRotated": t.ago["200d"]}),
	t.credential("gh-org:org:gh-org:dependabot-secret:ARTIFACTORY_TOKEN", "gh-org:org:gh-org", "gh-org", "dependabotSecret", {"lastRotated": t.ago["200d"]}),
	t.credential("gh-org:repo:api:codespaces-secret:DEV_API_KEY", "gh-org:repo:api", "gh-org", "codespacesSecret", {"lastRotated": t.ago["200d"]}),
	t.credential("gh-org:repo:api:dependabot-secret:NEW", "gh-org:repo:api", "gh-org", "dependabotSecret", {"lastRotated": t.ago["10d"]}),
]})

test_nhi003_judges_every_secret_store if {
	results := nhi.results with input as nhi003_stores_snapshot
	t.failing_ids(results, "CG-NHI-003") == {
		"gh-org:repo:api:environment:production:actions-secret:DB_PASSWORD",
		"gh-org:org:gh-org:dependabot-secret:ARTIFACTORY_TOKEN",
		"gh-org:repo:api:codespaces-secret:DEV_API_KEY",
	}
	t.pass_evidence(results, "CG-NHI-003", "gh-org") == {"population": 4, "passing": 1, "failing": 3}
}

# A repository is not an account: it is named by its id without the source and "repo:" tag.
test_nhi003_subject_names_the_repository if {
	snapshot := t.snapshot({"credentials": [t.credential("gh-org:repo:api:key:1", "gh-org:repo:api", "gh-org", "deployKey", {"name": "prod-deployer", "created": t.ago["400d"], "writeAccess": true})]})
	results := nhi.results with input as snapshot
	some r in results
	r.control == "CG-NHI-003"
	r.subject.name == "api / prod-deployer"
}

# --- CG-NHI-004 ---------------------------------------------------------------------

owner(ref, status) := {"ref": ref, "name": ref, "source": "corp-ad", "relation": "managedBy", "status": status}

nhi004_snapshot := t.snapshot({"accounts": [
	t.account("corp-ad:svc-orphan", "corp-ad", "service", {}),
	t.account("corp-ad:svc-left", "corp-ad", "service", {"owners": [owner("corp-ad:bob", "disabled")]}),
	t.account("corp-entra:app-deleted", "corp-entra", "application", {"owners": [owner("0000-1111", "deleted")]}),
	t.account("corp-ad:svc-owned", "corp-ad", "service", {"owners": [owner("corp-ad:alice", "enabled"), owner("corp-ad:bob", "disabled")]}),
	t.account("corp-ad:svc-retired", "corp-ad", "service", {"enabled": false}),
	t.account("corp-ad:alice", "corp-ad", "human", {}),
]})

test_nhi004_fails_orphaned_non_human_accounts if {
	results := nhi.results with input as nhi004_snapshot
	t.failing_ids(results, "CG-NHI-004") == {"corp-ad:svc-orphan", "corp-ad:svc-left", "corp-entra:app-deleted"}
}

test_nhi004_names_owners_held_through_the_application_registration if {
	sp := t.account("corp-entra:sp-left", "corp-entra", "servicePrincipal", {"owners": [{"ref": "corp-entra:bob", "name": "bob@corp.example", "source": "corp-entra", "relation": "applicationOwner", "status": "disabled"}]})
	results := nhi.results with input as t.snapshot({"accounts": [sp]})
	some r in results
	r.control == "CG-NHI-004"
	r.status == "fail"
	r.message == "servicePrincipal corp-entra:sp-left in corp-entra is orphaned: its owners are bob@corp.example (disabled, owner of its application registration)"
}

test_nhi004_passes_owned_and_ignores_disabled if {
	results := nhi.results with input as nhi004_snapshot
	t.pass_evidence(results, "CG-NHI-004", "corp-ad") == {"population": 3, "passing": 1, "failing": 2}
}

test_nhi003_unknown_age_is_not_evaluated if {
	snap := t.snapshot({"credentials": [
		t.credential("gh-org:repo:api:DEPLOY", "gh-org:repo:api", "gh-org", "actionsSecret", {}),
		t.credential("gh-org:repo:api:OLD", "gh-org:repo:api", "gh-org", "actionsSecret", {"created": t.ago["400d"]}),
	]})
	results := nhi.results with input as snap
	t.failing_ids(results, "CG-NHI-003") == {"gh-org:repo:api:OLD"}
	t.has(results, "CG-NHI-003", "not_evaluated", "gh-org:repo:api:DEPLOY")
	not t.pass_evidence(results, "CG-NHI-003", "gh-org")
}

# An owner outside what was collected may be enabled: not orphaned, not owned either. With a
# disabled owner beside it the account is still unjudged; an enabled one decides.
test_nhi004_unresolved_owner_is_not_evaluated if {
	snap := t.snapshot({"accounts": [
		t.account("corp-ad:svc-foreign", "corp-ad", "service", {"owners": [owner("CN=carol,DC=other,DC=example", "unknown"), owner("corp-ad:bob", "disabled")]}),
		t.account("corp-ad:svc-both", "corp-ad", "service", {"owners": [owner("CN=dan,DC=other,DC=example", "unknown"), owner("corp-ad:alice", "enabled")]}),
	]})
	results := nhi.results with input as snap
	t.failing_ids(results, "CG-NHI-004") == set()
	t.has(results, "CG-NHI-004", "not_evaluated", "corp-ad:svc-foreign")
	t.pass_evidence(results, "CG-NHI-004", "corp-ad") == {"population": 1, "passing": 1, "failing": 0}
}
