# Fixture builders shared by the policy unit tests (test files only; the engine never
# loads *_test.rego).
package credgov.testing

now := "2026-06-01T00:00:00Z"

source(id, kind) := {
	"id": id,
	"kind": kind,
	"transport": "file",
	"endpoint": sprintf("%s.json", [id]),
	"collectedAt": now,
	"status": "ok",
	"errors": [],
	"counts": {},
	"queries": [],
}

failed_source(id, kind, e) := object.union(source(id, kind), {"status": "partial", "errors": [e]})

all_sources := [source("corp-ad", "ad"), source("corp-entra", "entra"), source("legacy-ldap", "ldap"), source("gh-org", "github")]

snapshot(parts) := object.union(
	{
		"schemaVersion": 1,
		"generatedAt": now,
		"generator": {"name": "credgov", "version": "test"},
		"sources": all_sources,
		"passwordPolicies": [],
		"accounts": [],
		"credentials": [],
		"resetPaths": [],
		"identities": [],
		"settings": {},
	},
	parts,
)

account(id, src, kind, extra) := object.union(
	{"id": id, "source": src, "nativeIds": {}, "name": id, "kind": kind, "enabled": true, "privileged": false, "owners": [], "flags": {}},
	extra,
)

credential(id, holder, src, type, extra) := object.union(
	{"id": id, "account": holder, "source": src, "type": type, "managedBy": "enterprise", "rotation": "none", "owners": []},
	extra,
)

policy(id, src, scope, extra) := object.union({"id": id, "source": src, "scope": scope, "name": id, "appliesTo": ["*"]}, extra)

reset_path(id, target, mechanism, actor, extra) := object.union(
	{"id": id, "source": "corp-ad", "target": target, "mechanism": mechanism, "actor": actor, "requiresUserCompletion": false},
	extra,
)

# Timestamps relative to `now`, so age thresholds are easy to read in the tests.
ago := {
	"10d": "2026-05-22T00:00:00Z",
	"30d": "2026-05-02T00:00:00Z",
	"100d": "2026-02-21T00:00:00Z",
	"200d": "2025-11-13T00:00:00Z",
	"400d": "2025-04-27T00:00:00Z",
	"1000d": "2023-09-05T00:00:00Z",
}

in_days := {"10d": "2026-06-11T00:00:00Z", "300d": "2027-03-28T00:00:00Z"}

has(results, control, status, subject_id) if {
	some r in results
	r.control == control
	r.status == status
	r.subject.id == subject_id
}

statuses(results, control) := {r.status | some r in results; r.control == control}

pass_evidence(results, control, scope) := r.evidence if {
	some r in results
	r.control == control
	r.status == "pass"
	r.subject.source == scope
}

failing_ids(results, control) := {r.subject.id | some r in results; r.control == control; r.status == "fail"}
