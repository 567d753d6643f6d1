package credgov.saas_test

import data.credgov.saas
import data.credgov.testing as t

test_saas001_fails_without_2fa_requirement if {
	results := saas.results with input as t.snapshot({"settings": {"gh-org": {"twoFactorRequired": false}}})
	t.has(results, "CG-SAAS-001", "fail", "gh-org")
}

test_saas001_passes_with_2fa_requirement if {
	results := saas.results with input as t.snapshot({"settings": {"gh-org": {"twoFactorRequired": true}}})
	t.statuses(results, "CG-SAAS-001") == {"pass"}
}

test_saas001_not_evaluated_when_setting_missing if {
	results := saas.results with input as t.snapshot({"settings": {"gh-org": {"twoFactorRequired": null}}})
	t.statuses(results, "CG-SAAS-001") == {"not_evaluated"}
}

test_saas001_error_when_org_call_failed if {
	snap := t.snapshot({
		"sources": [t.failed_source("gh-org", "github", {"step": "org", "call": "GET /orgs/acme", "message": "403 Resource not accessible", "affects": ["settings.twoFactorRequired"]})],
		"settings": {"gh-org": {"twoFactorRequired": null}},
	})
	results := saas.results with input as snap
	t.statuses(results, "CG-SAAS-001") == {"error"}
}

test_saas001_not_applicable_without_github if {
	results := saas.results with input as t.snapshot({"sources": [t.source("corp-ad", "ad")]})
	t.statuses(results, "CG-SAAS-001") == {"not_applicable"}
}
