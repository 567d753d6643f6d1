#!/usr/bin/env bash
# Seeds the fixed legacy-LDAP estate into the slapd started in DIR on PORT:
#   ou=policies  cn=default (pwdMustChange TRUE, 90-day max age, lockout after 3 failures),
#                cn=service (never expires, no forced change, users may not change)
#   ou=people    alice (default policy), bob (reset by the admin -> pwdReset TRUE),
#                mallory (3 bad binds -> pwdAccountLockedTime), carol (manager of svc-app),
#                svc-app (pwdPolicySubentry cn=service, manager carol, owner = ops group),
#                dan (pwdEndTime 2019-06-01: ppolicy refuses his binds),
#                bulk0..bulkN-1 when N given (paging tests)
#   ou=groups    ops (owner carol)
#   cn=limited   a bind account with a 5-entry size limit
#   seed.sh DIR PORT [BULK] [ROOTPW]
set -euo pipefail
dir=$1 port=$2 bulk=${3:-0} rootpw=${4:-'R00t!Slapd#2026'}
base=dc=legacy,dc=test
url="ldap://127.0.0.1:$port"
admin() { "$@" -x -H "$url" -D "cn=admin,$base" -w "$rootpw"; }
userpw='Us3r!Seed#2026'
{
cat <<LDIF
dn: $base
objectClass: dcObject
objectClass: organization
o: Legacy
dc: legacy

dn: ou=policies,$base
objectClass: organizationalUnit
ou: policies

dn: ou=people,$base
objectClass: organizationalUnit
ou: people

dn: ou=groups,$base
objectClass: organizationalUnit
ou: groups

dn: cn=default,ou=policies,$base
objectClass: device
objectClass: pwdPolicy
cn: default
pwdAttribute: userPassword
pwdMaxAge: 7776000
pwdMinAge: 0
pwdMinLength: 8
pwdInHistory: 5
pwdMustChange: TRUE
pwdAllowUserChange: TRUE
pwdSafeModify: FALSE
pwdLockout: TRUE
pwdMaxFailure: 3
pwdLockoutDuration: 0

dn: cn=service,ou=policies,$base
objectClass: device
objectClass: pwdPolicy
cn: service
pwdAttribute: userPassword
pwdMaxAge: 0
pwdMinLength: 12
pwdInHistory: 0
pwdMustChange: FALSE
pwdAllowUserChange: FALSE
pwdSafeModify: FALSE
pwdLockout: FALSE

dn: cn=limited,$base
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: limited
userPassword: $userpw

LDIF
for u in alice bob mallory carol; do
  printf 'dn: uid=%s,ou=people,%s\nobjectClass: inetOrgPerson\nuid: %s\ncn: %s\nsn: %s\nmail: %s@legacy.test\nuserPassword: %s\n\n' "$u" "$base" "$u" "$u" "$u" "$u" "$userpw"
done
cat <<LDIF
dn: uid=svc-app,ou=people,$base
objectClass: inetOrgPerson
uid: svc-app
cn: svc-app
sn: service
description: application service account
manager: uid=carol,ou=people,$base
userPassword: Svc!Seed#2026-long
pwdPolicySubentry: cn=service,ou=policies,$base

dn: uid=dan,ou=people,$base
objectClass: inetOrgPerson
uid: dan
cn: dan
sn: dan
userPassword: $userpw
pwdEndTime: 20190601000000Z

dn: cn=ops,ou=groups,$base
objectClass: groupOfNames
cn: ops
owner: uid=carol,ou=people,$base
member: uid=svc-app,ou=people,$base
member: uid=alice,ou=people,$base

LDIF
for i in $(seq 0 $((bulk - 1))); do
  printf 'dn: uid=bulk%s,ou=people,%s\nobjectClass: inetOrgPerson\nuid: bulk%s\ncn: bulk %s\nsn: bulk\n\n' "$i" "$base" "$i" "$i"
done
} > "$dir/seed.ldif"
admin ldapadd -f "$dir/seed.ldif" > "$dir/seed.log" 2>&1 || { tail -5 "$dir/seed.log" >&2; exit 1; }
# Admin reset under pwdMustChange TRUE: ppolicy marks the new password as temporary (pwdReset).
admin ldappasswd -s 'Temp!Reset#2026' "uid=bob,ou=people,$base" >> "$dir/seed.log" 2>&1
# Three failed binds lock mallory out (pwdMaxFailure 3).
for _ in 1 2 3; do ldapwhoami -x -H "$url" -D "uid=mallory,ou=people,$base" -w wrong >/dev/null 2>&1 || true; done
