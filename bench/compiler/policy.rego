# Twenty checks over a credgov snapshot (input), the compiler benchmark's workload.
# Each rule collects the ids it flags; `summary` counts them, so the result stays small
# and the whole snapshot is still scanned by every rule.
package bench

cutoff_30 := input.cutoffs.days30

cutoff_90 := input.cutoffs.days90

cutoff_180 := input.cutoffs.days180

now := input.cutoffs.now

never_expires contains a.id if {
	some a in input.accounts
	a.enabled
	a.kind == "human"
	a.flags.passwordNeverExpires
}

not_required contains a.id if {
	some a in input.accounts
	a.flags.passwordNotRequired
}

reversible contains a.id if {
	some a in input.accounts
	a.flags.reversibleEncryption
}

stale_password contains a.id if {
	some a in input.accounts
	a.enabled
	a.passwordLastSet < cutoff_90
}

privileged_unowned contains a.id if {
	some a in input.accounts
	a.privileged
	count(a.owners) == 0
}

kerberoastable contains a.id if {
	some a in input.accounts
	a.kind == "service"
	count(a.spns) > 0
	not a.gmsa
}

disabled_privileged contains a.id if {
	some a in input.accounts
	not a.enabled
	a.privileged
}

des_only contains a.id if {
	some a in input.accounts
	a.flags.desOnly
}

no_preauth contains a.id if {
	some a in input.accounts
	a.flags.noPreauth
}

unconstrained_delegation contains a.id if {
	some a in input.accounts
	a.flags.trustedForDelegation
	a.kind != "computer"
}

dormant contains a.id if {
	some a in input.accounts
	a.enabled
	a.lastLogon < cutoff_180
}

owner_disabled contains a.id if {
	some a in input.accounts
	some o in a.owners
	o.status == "disabled"
}

laps_missing contains a.id if {
	some a in input.accounts
	a.kind == "computer"
	a.laps.kind == "none"
}

user_managed_secret contains c.id if {
	some c in input.credentials
	c.managedBy == "user"
	c.type != "password"
}

expired_credential contains c.id if {
	some c in input.credentials
	c.expires != null
	c.expires < now
}

unrotated_secret contains c.id if {
	some c in input.credentials
	c.type == "clientSecret"
	c.rotation == "none"
	c.created < cutoff_90
}

user_completes_reset contains r.target if {
	some r in input.resetPaths
	r.requiresUserCompletion
}

privileged_ids contains a.id if {
	some a in input.accounts
	a.privileged
}

helpdesk_resets_admin contains r.target if {
	some r in input.resetPaths
	r.mechanism == "helpdesk"
	privileged_ids[r.target]
}

synced_privileged contains a.id if {
	some a in input.accounts
	a.syncedFromOnPrem
	a.privileged
}

misfiled_service contains a.id if {
	some a in input.accounts
	a.kind == "human"
	startswith(a.name, "svc-")
}

summary := {
	"never_expires": count(never_expires),
	"not_required": count(not_required),
	"reversible": count(reversible),
	"stale_password": count(stale_password),
	"privileged_unowned": count(privileged_unowned),
	"kerberoastable": count(kerberoastable),
	"disabled_privileged": count(disabled_privileged),
	"des_only": count(des_only),
	"no_preauth": count(no_preauth),
	"unconstrained_delegation": count(unconstrained_delegation),
	"dormant": count(dormant),
	"owner_disabled": count(owner_disabled),
	"laps_missing": count(laps_missing),
	"user_managed_secret": count(user_managed_secret),
	"expired_credential": count(expired_credential),
	"unrotated_secret": count(unrotated_secret),
	"user_completes_reset": count(user_completes_reset),
	"helpdesk_resets_admin": count(helpdesk_resets_admin),
	"synced_privileged": count(synced_privileged),
	"misfiled_service": count(misfiled_service),
}
