#!/usr/bin/env bash
# Provisions a throw-away Samba AD DC into DIR that listens only on IP (a loopback address),
# runs only the LDAP service, and starts it in the background. Prints nothing on success;
# DIR/samba.pid holds the server's pid, DIR/samba.log its output.
#   provision.sh DIR IP [ADMINPASS]
# Why a loopback alias per DC: Samba's LDAP ports (389/636/3268/3269) are fixed, so two DCs
# on one machine (parallel test runs, a colleague's DC) can only coexist on different addresses.
set -euo pipefail
dir=$1 ip=$2 adminpass=${3:-'Adm1n!Live#2026'}
realm=LIVE.CREDGOV.TEST domain=LIVECG
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
if [ "$ip" != "127.0.0.1" ] && ! ip -4 addr show dev lo | grep -q "inet $ip/"; then
  ip addr add "$ip/8" dev lo
  echo "$ip" > "$dir/loopback-alias"
fi
samba-tool domain provision --realm="$realm" --domain="$domain" --adminpass="$adminpass" \
  --server-role=dc --dns-backend=NONE --use-rfc2307 --targetdir="$dir/dc" \
  --option="interfaces=$ip" --option='bind interfaces only=yes' > "$dir/provision.log" 2>&1 \
  || { tail -20 "$dir/provision.log" >&2; exit 1; }
# Only the LDAP server: no SMB/RPC/KDC/DNS ports that could clash with another DC; logs and
# pid file inside DIR so nothing touches /var.
sed -i -e "s|^\tserver services = .*|\tserver services = ldap\n\tpid directory = $dir/dc/run\n\tdcerpc endpoint servers = none|" \
  -e "s|^\tlog file = .*|\tlog file = $dir/dc/samba-%m.log|" "$dir/dc/etc/smb.conf"
mkdir -p "$dir/dc/run"
