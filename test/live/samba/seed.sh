#!/usr/bin/env bash
# Seeds the fixed test estate into the running DC provisioned in DIR. The shape is fixed and
# documented here because integration tests and the committed sample LDIF rely on it:
#
#   OU=Staff         bob.smith (manager: carol.jones), carol.jones (DISABLED; owner of others),
#                    dave.mustchange (pwdLastSet 0 = must change at next logon),
#                    erin.nopwd (PASSWD_NOTREQD), frank.noexpire (DONT_EXPIRE_PASSWORD)
#                    Help Desk holds User-Force-Change-Password on user objects below this OU
#   OU=Admins        alice.admin, member of Tier0 Operators (⊂ Domain Admins ⊂ Administrators)
#   OU=Service Accounts
#                    svc-sql (SPN MSSQLSvc/sql01…:1433, DONT_EXPIRE_PASSWORD, manager: carol.jones,
#                    password last set 2023-01-15 via faketime), svc-web (SPN HTTP/web01…)
#   OU=Groups        Help Desk (helen.desk), Tier0 Operators, Service Account Policy (svc-sql, svc-web)
#   OU=Workstations  WS01$ (managedBy: carol.jones)
#   CN=Managed Service Accounts
#                    gmsa-app$ (group managed service account, 30-day rotation)
#   Partner help desk: a foreign security principal (S-1-5-21-3623811015-3361044348-30300820-1013,
#                    member of Help Desk) holding User-Force-Change-Password on OU=Service Accounts
#   PSO              SvcAccountsPSO (precedence 10, min length 20) applied to Service Account Policy
#                    TieZ and TieA (both precedence 30) applied to Tied Policy (hank.tied,
#                    iris.direct); TieZ is the one of lower objectGUID bytes, whatever the DC
#                    generated (renamed after creation so the DN order says the opposite), and
#                    TieA is also linked to iris.direct directly
#   krbtgt           password last set 2023-01-15 (stale) via faketime
#   CN=Users         hank.tied, iris.direct (members of OU=Groups/Tied Policy)
#                    gina.expired: enabled in userAccountControl, accountExpires 2019-06-01
#                    ivan.reader: a bind account denied the Password Settings Container
#                    (list, read) and msDS-ResultantPSO on every object, so it sees no PSO
#                    at all, only the msDS-PSOApplied back links on groups and users
#   seed.sh DIR IP [ADMINPASS]
set -euo pipefail
dir=$1 ip=$2 adminpass=${3:-'Adm1n!Live#2026'}
# ldb-tools is not installed by samba-ad-dc: add entries over LDAPS as the domain administrator.
export LDAPTLS_REQCERT=never
ldap() { "$@" -x -H "ldaps://$ip" -D "Administrator@live.credgov.test" -w "$adminpass"; }
sam="$dir/dc/private/sam.ldb"
base=DC=live,DC=credgov,DC=test
upn=live.credgov.test
pw() { printf '"%s"' "$1" | iconv -t UTF-16LE | base64 -w0; }
userpw=$(pw 'Us3r!Seed#2026')
partner_sid=S-1-5-21-3623811015-3361044348-30300820-1013

user() { # user SAM OU UAC [extra attribute lines...]
  local sam=$1 ou=$2 uac=$3; shift 3
  printf 'dn: CN=%s,%s\nobjectClass: user\nsAMAccountName: %s\nuserPrincipalName: %s@%s\nuserAccountControl: %s\nunicodePwd:: %s\n' \
    "$sam" "$ou" "$sam" "$sam" "$upn" "$uac" "$userpw"
  for line in "$@"; do printf '%s\n' "$line"; done
  printf '\n'
}
{
  for ou in Staff Admins "Service Accounts" Groups Workstations; do
    printf 'dn: OU=%s,%s\nobjectClass: organizationalUnit\n\n' "$ou" "$base"
  done
  user carol.jones "OU=Staff,$base" 514 "givenName: Carol" "sn: Jones" "mail: carol.jones@$upn"
  user bob.smith "OU=Staff,$base" 512 "givenName: Bob" "sn: Smith" "mail: bob.smith@$upn" "manager: CN=carol.jones,OU=Staff,$base"
  user dave.mustchange "OU=Staff,$base" 512 "pwdLastSet: 0"
  user erin.nopwd "OU=Staff,$base" 544
  user frank.noexpire "OU=Staff,$base" 66048
  user helen.desk "OU=Staff,$base" 512
  user alice.admin "OU=Admins,$base" 512 "givenName: Alice" "sn: Admin"
  user svc-sql "OU=Service Accounts,$base" 66048 "servicePrincipalName: MSSQLSvc/sql01.$upn:1433" \
    "manager: CN=carol.jones,OU=Staff,$base" "description: SQL Server service account"
  user svc-web "OU=Service Accounts,$base" 512 "servicePrincipalName: HTTP/web01.$upn"
  user ivan.reader "CN=Users,$base" 512
  user gina.expired "CN=Users,$base" 512 "accountExpires: 132038208000000000"
  user hank.tied "CN=Users,$base" 512
  user iris.direct "CN=Users,$base" 512
  printf 'dn: CN=WS01,OU=Workstations,%s\nobjectClass: computer\nsAMAccountName: WS01$\nuserAccountControl: 4096\nmanagedBy: CN=carol.jones,OU=Staff,%s\ndNSHostName: ws01.%s\n\n' "$base" "$base" "$upn"
  printf 'dn: CN=gmsa-app,CN=Managed Service Accounts,%s\nobjectClass: msDS-GroupManagedServiceAccount\nsAMAccountName: gmsa-app$\ndNSHostName: gmsa-app.%s\nmsDS-ManagedPasswordInterval: 30\nuserAccountControl: 4096\n\n' "$base" "$upn"
  # <SID=...> makes the DC create the foreign security principal for a trusted forest's group.
  printf 'dn: CN=Help Desk,OU=Groups,%s\nobjectClass: group\nsAMAccountName: Help Desk\nmember: CN=helen.desk,OU=Staff,%s\nmember: <SID=%s>\n\n' "$base" "$base" "$partner_sid"
  printf 'dn: CN=Tier0 Operators,OU=Groups,%s\nobjectClass: group\nsAMAccountName: Tier0 Operators\nmember: CN=alice.admin,OU=Admins,%s\n\n' "$base" "$base"
  printf 'dn: CN=Service Account Policy,OU=Groups,%s\nobjectClass: group\nsAMAccountName: Service Account Policy\nmember: CN=svc-sql,OU=Service Accounts,%s\nmember: CN=svc-web,OU=Service Accounts,%s\n\n' "$base" "$base" "$base"
  printf 'dn: CN=Tied Policy,OU=Groups,%s\nobjectClass: group\nsAMAccountName: Tied Policy\nmember: CN=hank.tied,CN=Users,%s\nmember: CN=iris.direct,CN=Users,%s\n\n' "$base" "$base" "$base"
} > "$dir/seed.ldif"
ldap ldapadd -f "$dir/seed.ldif" > "$dir/seed.log" 2>&1 || { cat "$dir/seed.log" >&2; exit 1; }
printf 'dn: CN=Domain Admins,CN=Users,%s\nchangetype: modify\nadd: member\nmember: CN=Tier0 Operators,OU=Groups,%s\n' "$base" "$base" \
  | ldap ldapmodify >> "$dir/seed.log" 2>&1

# Stale passwords: AD only takes 0/-1 for pwdLastSet over the wire, so set them with a shifted clock.
for account in krbtgt svc-sql; do
  faketime '2023-01-15 10:00:00' samba-tool user setpassword "$account" --newpassword='St4le!Pass#2023' -H "$sam" >> "$dir/seed.log" 2>&1
done

samba-tool domain passwordsettings pso create SvcAccountsPSO 10 --min-pwd-length=20 --history-length=24 \
  --max-pwd-age=365 --min-pwd-age=1 --complexity=on --account-lockout-threshold=5 -H "$sam" >> "$dir/seed.log" 2>&1
samba-tool domain passwordsettings pso apply SvcAccountsPSO 'Service Account Policy' -H "$sam" >> "$dir/seed.log" 2>&1
# Two PSOs of one precedence on one group: the DC applies the one whose objectGUID bytes are
# lowest ([MS-ADTS] 3.1.1.4.5.36). Name that one TieZ and the other TieA, so the DN order
# disagrees with the DC whichever GUIDs it generated.
for p in TieFirst TieSecond; do
  samba-tool domain passwordsettings pso create "$p" 30 --min-pwd-length=12 -H "$sam" >> "$dir/seed.log" 2>&1
  samba-tool domain passwordsettings pso apply "$p" 'Tied Policy' -H "$sam" >> "$dir/seed.log" 2>&1
done
psc="CN=Password Settings Container,CN=System,$base"
guid_bytes() { ldap ldapsearch -LLL -b "CN=$1,$psc" -s base objectGUID | sed -n 's/^objectGUID:: //p' | base64 -d | od -An -tx1 | tr -d ' \n'; }
if [[ "$(guid_bytes TieFirst)" < "$(guid_bytes TieSecond)" ]]; then low=TieFirst high=TieSecond; else low=TieSecond high=TieFirst; fi
ldap ldapmodrdn -r "CN=$low,$psc" CN=TieZ >> "$dir/seed.log" 2>&1
ldap ldapmodrdn -r "CN=$high,$psc" CN=TieA >> "$dir/seed.log" 2>&1
samba-tool domain passwordsettings pso apply TieA iris.direct -H "$sam" >> "$dir/seed.log" 2>&1

helpdesk_sid=$(/usr/bin/python3 -c 'import sys; from samba.dcerpc import security; from samba import ndr
import base64; print(ndr.ndr_unpack(security.dom_sid, base64.b64decode(sys.argv[1])))' \
  "$(ldap ldapsearch -LLL -b "CN=Help Desk,OU=Groups,$base" -s base objectSid | sed -n 's/^objectSid:: //p')")
# User-Force-Change-Password on user objects, inherited from the OU (CIIO), for Help Desk.
samba-tool dsacl set -H "$sam" --action=allow --objectdn="OU=Staff,$base" \
  --sddl="(OA;CIIO;CR;00299570-246d-11d0-a768-00aa006e0529;bf967aba-0de6-11d0-a285-00aa003049e2;$helpdesk_sid)" >> "$dir/seed.log" 2>&1
samba-tool dsacl set -H "$sam" --action=allow --objectdn="OU=Service Accounts,$base" \
  --sddl="(OA;CIIO;CR;00299570-246d-11d0-a768-00aa006e0529;bf967aba-0de6-11d0-a285-00aa003049e2;$partner_sid)" >> "$dir/seed.log" 2>&1
# ivan.reader sees no PSO: deny listing and reading the Password Settings Container, and reading
# msDS-ResultantPSO (b77ea093-...) anywhere in the domain.
ivan_sid=$(/usr/bin/python3 -c 'import sys; from samba.dcerpc import security; from samba import ndr
import base64; print(ndr.ndr_unpack(security.dom_sid, base64.b64decode(sys.argv[1])))' \
  "$(ldap ldapsearch -LLL -b "CN=ivan.reader,CN=Users,$base" -s base objectSid | sed -n 's/^objectSid:: //p')")
samba-tool dsacl set -H "$sam" --action=deny --objectdn="CN=Password Settings Container,CN=System,$base" \
  --sddl="(D;CI;RPLCLO;;;$ivan_sid)" >> "$dir/seed.log" 2>&1
samba-tool dsacl set -H "$sam" --action=deny --objectdn="$base" \
  --sddl="(OD;CI;RP;b77ea093-88d0-4780-9a98-911f8e8b1dca;;$ivan_sid)" >> "$dir/seed.log" 2>&1
