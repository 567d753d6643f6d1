#!/usr/bin/env bash
# Starts the DC provisioned in DIR (see provision.sh) and waits until LDAPS answers on IP:636.
#   start.sh DIR IP
set -euo pipefail
dir=$1 ip=$2
setsid samba -s "$dir/dc/etc/smb.conf" --foreground --no-process-group > "$dir/samba.log" 2>&1 < /dev/null &
echo $! > "$dir/samba.pid"
for _ in $(seq 1 120); do
  if (exec 3<>"/dev/tcp/$ip/636") 2>/dev/null; then exit 0; fi
  if ! kill -0 "$(cat "$dir/samba.pid")" 2>/dev/null; then tail -20 "$dir/samba.log" >&2; exit 1; fi
  sleep 0.25
done
echo "samba did not open $ip:636 within 30 s" >&2; tail -20 "$dir/samba.log" >&2; exit 1
