# SaaS platform settings that decide whether a password alone is enough.
package credgov.saas

import data.credgov.lib

# ---------------------------------------------------------------------------------------
# CG-SAAS-001: the GitHub organisation does not require two-factor authentication.

saas001_population contains [s.id, s.id] if {
	some s in input.sources
	s.kind == "github"
}

saas001_failing contains [s.id, s.id] if {
	some s in input.sources
	s.kind == "github"
	lib.setting(s.id, "twoFactorRequired") == false
}

org_name(s) := s.namingContext if is_string(s.namingContext)

org_name(s) := s.id if not is_string(object.get(s, "namingContext", null))

results contains r if {
	some s in input.sources
	s.kind == "github"
	lib.setting(s.id, "twoFactorRequired") == false
	subject := {"source": s.id, "kind": "organization", "id": s.id, "name": org_name(s)}
	evidence := {"twoFactorRequired": false, "samlEnabled": lib.setting(s.id, "samlEnabled")}
	msg := sprintf("GitHub organisation %s does not require two-factor authentication for its members", [org_name(s)])
	r := lib.fail_result("CG-SAAS-001", subject, evidence, msg)
}

results contains r if {
	some r in lib.coverage("CG-SAAS-001", {"github"}, ["settings.twoFactorRequired"], {"github": ["twoFactorRequired"]}, saas001_population, saas001_failing, "GitHub organisations")
}
