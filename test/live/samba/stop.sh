#!/usr/bin/env bash
# Stops the DC started by start.sh (its whole process group) and drops the loopback alias.
#   stop.sh DIR
dir=$1
if [ -f "$dir/samba.pid" ]; then
  pid=$(cat "$dir/samba.pid")
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$dir/samba.pid"
fi
if [ -f "$dir/loopback-alias" ]; then
  ip addr del "$(cat "$dir/loopback-alias")/8" dev lo 2>/dev/null || true
  rm -f "$dir/loopback-alias"
fi
