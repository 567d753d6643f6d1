#!/usr/bin/env bash
# Starts a throw-away OpenLDAP slapd with the ppolicy overlay from its own config and data dir,
# listening on 127.0.0.1:PORT only (plain LDAP + StartTLS with a self-signed certificate).
#   start.sh DIR PORT [ROOTPW]
# Limits used by the failure tests: cn=limited may see 5 entries per search in total.
set -euo pipefail
dir=$1 port=$2 rootpw=${3:-'R00t!Slapd#2026'}
mkdir -p "$dir/data"
dir=$(cd "$dir" && pwd)
base=dc=legacy,dc=test
if [ ! -f "$dir/tls.key" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
    -keyout "$dir/tls.key" -out "$dir/tls.crt" > /dev/null 2>&1
fi
cat > "$dir/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload ppolicy
pidfile $dir/slapd.pid
argsfile $dir/slapd.args
TLSCertificateFile $dir/tls.crt
TLSCertificateKeyFile $dir/tls.key
database mdb
maxsize 268435456
suffix "$base"
rootdn "cn=admin,$base"
rootpw $rootpw
directory $dir/data
index objectClass eq
overlay ppolicy
ppolicy_default "cn=default,ou=policies,$base"
ppolicy_use_lockout
limits dn.exact="cn=limited,$base" size.soft=5 size.hard=5 size.prtotal=5
access to attrs=userPassword by self write by anonymous auth by * none
access to * by * read
CONF
setsid slapd -f "$dir/slapd.conf" -h "ldap://127.0.0.1:$port/" -d 0 > "$dir/slapd.log" 2>&1 < /dev/null &
echo $! > "$dir/slapd.pid.launch"
for _ in $(seq 1 80); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then exit 0; fi
  if ! kill -0 "$(cat "$dir/slapd.pid.launch")" 2>/dev/null; then tail -20 "$dir/slapd.log" >&2; exit 1; fi
  sleep 0.1
done
echo "slapd did not open 127.0.0.1:$port" >&2; exit 1
