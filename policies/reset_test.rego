package credgov.reset_test

import data.credgov.reset
import data.credgov.testing as t

# --- CG-RESET-001 -------------------------------------------------------------------

reset001_snapshot := t.snapshot({"accounts": [
	t.account("corp-ad:pending", "corp-ad", "human", {"flags": {"mustChangeAtNextLogon": true}}),
	t.account("corp-ad:done", "corp-ad", "human", {}),
	t.account("corp-ad:disabled-pending", "corp-ad", "human", {"enabled": false, "flags": {"mustChangeAtNextLogon": true}}),
	t.account("corp-entra:cloud-pending", "corp-entra", "human", {"flags": {"mustChangeAtNextLogon": true}}),
	t.account("legacy-ldap:reset", "legacy-ldap", "service", {"flags": {"mustChangeAtNextLogon": true}}),
	t.account("gh-org:octocat", "gh-org", "human", {"flags": {"mustChangeAtNextLogon": true}}),
]})

test_reset001_fails_pending_resets_in_every_directory if {
	results := reset.results with input as reset001_snapshot
	t.failing_ids(results, "CG-RESET-001") == {"corp-ad:pending", "corp-entra:cloud-pending", "legacy-ldap:reset"}
}

test_reset001_passes_population_without_disabled_accounts if {
	results := reset.results with input as reset001_snapshot
	t.pass_evidence(results, "CG-RESET-001", "corp-ad") == {"population": 2, "passing": 1, "failing": 1}
	not t.has(results, "CG-RESET-001", "fail", "corp-ad:disabled-pending")
}

test_reset001_error_when_accounts_not_collected if {
	snap := t.snapshot({
		"sources": [t.failed_source("corp-ad", "ad", {"step": "users", "call": "DC=corp?sub?(objectClass=user)", "message": "LDAP 50 insufficient access", "affects": ["accounts"]})],
		"accounts": [],
	})
	results := reset.results with input as snap
	t.has(results, "CG-RESET-001", "error", "corp-ad")
	t.statuses(results, "CG-RESET-001") == {"error"}
}

test_reset001_not_applicable_without_directories if {
	results := reset.results with input as t.snapshot({"sources": [t.source("gh-org", "github")]})
	t.statuses(results, "CG-RESET-001") == {"not_applicable"}
}

test_reset001_not_applicable_for_an_empty_directory if {
	results := reset.results with input as t.snapshot({"sources": [t.source("corp-ad", "ad")]})
	t.statuses(results, "CG-RESET-001") == {"not_applicable"}
}

test_reset004_error_when_users_were_not_collected if {
	src := t.failed_source("corp-entra", "entra", {"step": "users", "message": "export file users.json not found", "affects": ["accounts", "credentials", "resetPaths", "identities", "settings.onPremisesSyncEnabled"]})
	settings := {"corp-entra": {"kind": "entra", "ssprEnabled": "all", "passwordWritebackEnabled": false, "onPremisesSyncEnabled": null}}
	results := reset.results with input as t.snapshot({"sources": [src], "settings": settings})
	t.statuses(results, "CG-RESET-004") == {"error"}
}

test_star_affects_blocks_every_area if {
	src := t.failed_source("corp-ad", "ad", {"step": "ad-ldif", "message": "cut", "affects": ["*"]})
	results := reset.results with input as t.snapshot({"sources": [src], "accounts": [t.account("corp-ad:bob", "corp-ad", "human", {})]})
	t.statuses(results, "CG-RESET-001") == {"error"}
}

# --- CG-RESET-002 -------------------------------------------------------------------

reset002_snapshot(admins) := t.snapshot({
	"accounts": [
		t.account("corp-entra:admin", "corp-entra", "human", {"privileged": true}),
		t.account("corp-ad:da", "corp-ad", "human", {"privileged": true}),
		t.account("corp-ad:da-sspr", "corp-ad", "human", {"privileged": true}),
		t.account("corp-ad:user", "corp-ad", "human", {}),
	],
	"resetPaths": [
		t.reset_path("rp1", "corp-ad:da-sspr", "sspr", {"kind": "self", "id": "corp-ad:da-sspr"}, {}),
		t.reset_path("rp2", "corp-ad:user", "sspr", {"kind": "self", "id": "corp-ad:user"}, {}),
	],
	"settings": {"corp-entra": {"ssprForAdmins": admins}},
})

test_reset002_fails_admin_sspr_and_sspr_paths if {
	results := reset.results with input as reset002_snapshot(true)
	t.failing_ids(results, "CG-RESET-002") == {"corp-entra:admin", "corp-ad:da-sspr"}
}

test_reset002_passes_when_admins_excluded_from_sspr if {
	results := reset.results with input as reset002_snapshot(false)
	not t.has(results, "CG-RESET-002", "fail", "corp-entra:admin")
	t.pass_evidence(results, "CG-RESET-002", "corp-entra") == {"population": 1, "passing": 1, "failing": 0}
}

test_reset002_not_evaluated_when_setting_null if {
	results := reset.results with input as reset002_snapshot(null)
	t.has(results, "CG-RESET-002", "not_evaluated", "corp-entra")
}

# --- CG-RESET-003 -------------------------------------------------------------------

helpdesk := {"kind": "group", "id": "CN=Helpdesk,OU=Groups,DC=corp", "name": "Helpdesk", "admin": false}

domain_admins := {"kind": "group", "id": "CN=Domain Admins,CN=Users,DC=corp", "name": "Domain Admins", "admin": true}

reset003_accounts := [
		t.account("corp-ad:da", "corp-ad", "human", {"privileged": true}),
		t.account("corp-ad:svc-sql", "corp-ad", "service", {}),
		t.account("corp-ad:alice", "corp-ad", "human", {}),
		t.account("corp-ad:svc-old", "corp-ad", "service", {"enabled": false}),
]

reset003_snapshot := t.snapshot({"accounts": reset003_accounts, "resetPaths": [
		t.reset_path("acl1", "corp-ad:da", "delegated-acl", helpdesk, {"right": "User-Force-Change-Password", "inherited": true, "via": "OU=Admins,DC=corp"}),
		t.reset_path("acl2", "corp-ad:svc-sql", "delegated-acl", helpdesk, {"right": "GenericAll"}),
		t.reset_path("acl3", "corp-ad:alice", "delegated-acl", helpdesk, {"right": "User-Force-Change-Password"}),
		t.reset_path("acl4", "corp-ad:svc-old", "delegated-acl", helpdesk, {"right": "GenericAll"}),
		t.reset_path("acl5", "corp-ad:da", "delegated-acl", domain_admins, {"right": "GenericAll"}),
]})

test_reset003_fails_helpdesk_over_privileged_and_service if {
	results := reset.results with input as reset003_snapshot
	t.failing_ids(results, "CG-RESET-003") == {"corp-ad:da", "corp-ad:svc-sql"}
}

test_reset003_evidence_names_actor_and_inheritance if {
	results := reset.results with input as reset003_snapshot
	some r in results
	r.control == "CG-RESET-003"
	r.subject.id == "corp-ad:da"
	r.evidence.actor.name == "Helpdesk"
	r.evidence.inherited == true
	r.evidence.via == "OU=Admins,DC=corp"
}

# An account several non-admin principals can reset is one finding that lists every path.
test_reset003_one_result_per_account_listing_each_path if {
	second := t.reset_path("acl6", "corp-ad:da", "helpdesk", {"kind": "role", "id": "r1", "name": "Password Operators", "admin": false}, {"right": "Reset password"})
	snap := t.snapshot({"accounts": reset003_accounts, "resetPaths": array.concat(reset003_snapshot.resetPaths, [second])})
	results := reset.results with input as snap
	found := [r | some r in results; r.control == "CG-RESET-003"; r.status == "fail"; r.subject.id == "corp-ad:da"]
	count(found) == 1
	[p.resetPath | some p in found[0].evidence.resetPaths] == ["acl1", "acl6"]
	found[0].message == "2 non-admin principals can reset privileged account corp-ad:da in corp-ad: non-admin group Helpdesk (User-Force-Change-Password, inherited from OU=Admins,DC=corp); non-admin role Password Operators (Reset password)"
	t.failing_ids(results, "CG-RESET-003") == {"corp-ad:da", "corp-ad:svc-sql"}
}

test_reset003_admin_actor_is_not_a_finding if {
	snap := t.snapshot({"accounts": reset003_accounts, "resetPaths": [reset003_snapshot.resetPaths[4]]})
	results := reset.results with input as snap
	t.failing_ids(results, "CG-RESET-003") == set()
	t.pass_evidence(results, "CG-RESET-003", "corp-ad") == {"population": 2, "passing": 2, "failing": 0}
}

# An Entra Authentication Administrator may issue a Temporary Access Pass to a Password
# Administrator: a non-admin role's way into a privileged account, named as such. A Global
# Administrator's pass (an admin actor) is not a finding.
tap_issuer := {"kind": "role", "id": "c4e39bd9-1100-46d3-8c65-fb160da0071f", "name": "Authentication Administrator", "admin": false}

tap_global := {"kind": "role", "id": "62e90394-69f5-4237-9190-012177145e10", "name": "Global Administrator", "admin": true}

tap_snapshot := t.snapshot({
	"accounts": [
		t.account("corp-entra:pwadmin", "corp-entra", "human", {"privileged": true}),
		t.account("corp-entra:member", "corp-entra", "human", {}),
	],
	"resetPaths": [
		t.reset_path("tap1", "corp-entra:pwadmin", "temporary-access-pass", tap_issuer, {"right": "Authentication Administrator: Temporary Access Pass", "via": "Temporary Access Pass policy (all users)"}),
		t.reset_path("tap2", "corp-entra:member", "temporary-access-pass", tap_issuer, {"right": "Authentication Administrator: Temporary Access Pass"}),
		t.reset_path("tap3", "corp-entra:pwadmin", "temporary-access-pass", tap_global, {"right": "Global Administrator: Temporary Access Pass"}),
	],
})

test_reset003_fails_temporary_access_pass_from_non_admin_role if {
	results := reset.results with input as tap_snapshot
	t.failing_ids(results, "CG-RESET-003") == {"corp-entra:pwadmin"}
	some r in results
	r.control == "CG-RESET-003"
	r.status == "fail"
	r.evidence.mechanism == "temporary-access-pass"
	r.evidence.via == "Temporary Access Pass policy (all users)"
	r.message == "non-admin role Authentication Administrator can reset privileged account corp-entra:pwadmin in corp-entra (Authentication Administrator: Temporary Access Pass)"
}

# --- CG-RESET-004 -------------------------------------------------------------------

reset004_snapshot(settings) := t.snapshot({
	"accounts": [t.account("corp-entra:synced", "corp-entra", "human", {"syncedFromOnPrem": true})],
	"settings": {"corp-entra": settings},
})

test_reset004_fails_sspr_without_writeback if {
	results := reset.results with input as reset004_snapshot({"ssprEnabled": "all", "passwordWritebackEnabled": false, "onPremisesSyncEnabled": true})
	t.has(results, "CG-RESET-004", "fail", "corp-entra")
}

test_reset004_passes_with_writeback if {
	results := reset.results with input as reset004_snapshot({"ssprEnabled": "all", "passwordWritebackEnabled": true, "onPremisesSyncEnabled": true})
	t.statuses(results, "CG-RESET-004") == {"pass"}
}

test_reset004_passes_cloud_only_tenant if {
	snap := t.snapshot({"settings": {"corp-entra": {"ssprEnabled": "all", "passwordWritebackEnabled": false, "onPremisesSyncEnabled": false}}})
	results := reset.results with input as snap
	t.statuses(results, "CG-RESET-004") == {"pass"}
}

test_reset004_error_when_writeback_call_failed if {
	snap := t.snapshot({
		"sources": [t.failed_source("corp-entra", "entra", {"step": "onPremisesSync", "call": "GET /v1.0/directory/onPremisesSynchronization", "message": "403 Forbidden", "affects": ["settings.passwordWritebackEnabled"]})],
		"settings": {"corp-entra": {"ssprEnabled": "all", "passwordWritebackEnabled": null}},
	})
	results := reset.results with input as snap
	t.statuses(results, "CG-RESET-004") == {"error"}
	some r in results
	r.control == "CG-RESET-004"
	contains(r.message, "GET /v1.0/directory/onPremisesSynchronization")
}

# --- CG-RESET-005 -------------------------------------------------------------------

reset005_snapshot := t.snapshot({
	"accounts": [
		t.account("corp-ad:svc-manual", "corp-ad", "service", {}),
		t.account("corp-ad:svc-gmsa", "corp-ad", "service", {"gmsa": true}),
		t.account("corp-ad:svc-vault", "corp-ad", "service", {}),
		t.account("corp-ad:alice", "corp-ad", "human", {}),
	],
	"credentials": [
		t.credential("c1", "corp-ad:svc-vault", "corp-ad", "password", {"rotation": "vault"}),
		t.credential("c2", "corp-ad:svc-manual", "corp-ad", "password", {"rotation": "none"}),
	],
})

test_reset005_fails_manually_rotated_service_account if {
	results := reset.results with input as reset005_snapshot
	t.failing_ids(results, "CG-RESET-005") == {"corp-ad:svc-manual"}
	t.pass_evidence(results, "CG-RESET-005", "corp-ad") == {"population": 3, "passing": 2, "failing": 1}
}

test_partial_source_without_errors_blocks_everything if {
	src := object.union(t.source("corp-ad", "ad"), {"status": "partial"})
	results := reset.results with input as t.snapshot({"sources": [src], "accounts": [t.account("corp-ad:bob", "corp-ad", "human", {})]})
	t.statuses(results, "CG-RESET-001") == {"error"}
	some r in results
	r.control == "CG-RESET-001"
	contains(r.message, "collection of this source is partial without a recorded error")
}

# A delegated path whose actor's admin status is null may or may not be a help desk's: the
# target is unjudged, unless a known non-admin path fails it anyway.
test_reset003_unknown_admin_status_is_not_evaluated if {
	unknown := {"kind": "group", "id": "CN=Operators,DC=corp", "name": "Operators", "admin": null}
	snap := t.snapshot({"accounts": reset003_accounts, "resetPaths": [
		t.reset_path("u1", "corp-ad:svc-sql", "delegated-acl", unknown, {"right": "GenericAll"}),
		t.reset_path("u2", "corp-ad:da", "delegated-acl", unknown, {"right": "GenericAll"}),
		t.reset_path("acl1", "corp-ad:da", "delegated-acl", helpdesk, {"right": "GenericAll"}),
	]})
	results := reset.results with input as snap
	t.failing_ids(results, "CG-RESET-003") == {"corp-ad:da"}
	t.has(results, "CG-RESET-003", "not_evaluated", "corp-ad:svc-sql")
	not t.pass_evidence(results, "CG-RESET-003", "corp-ad")
}
