#!/usr/bin/env bash
# Stops the slapd started by start.sh in DIR (SIGKILL with --kill, to cut connections mid-answer).
#   stop.sh DIR [--kill]
dir=$1 sig=TERM
[ "${2:-}" = "--kill" ] && sig=KILL
[ -f "$dir/slapd.pid.launch" ] || exit 0
pid=$(cat "$dir/slapd.pid.launch")
kill "-$sig" "$pid" 2>/dev/null || true
for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
rm -f "$dir/slapd.pid.launch"
