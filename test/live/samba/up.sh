#!/usr/bin/env bash
# Provision + start + seed a fresh DC in DIR on IP: what the integration tests run.
#   up.sh DIR IP
set -euo pipefail
here=$(dirname "$0")
"$here/provision.sh" "$1" "$2"
"$here/start.sh" "$1" "$2"
"$here/seed.sh" "$1" "$2"
