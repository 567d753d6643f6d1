# Set-up for running credgov from a checkout: Node >= 22.18 and the npm packages, nothing else
# (no Debian package). Source it (`. ./.ci/setup-node.sh`) so the Node it may install lands first
# on your PATH; the work runs in a subshell so a failure never closes your shell. Idempotent.
CREDGOV_NODE_PREFIX="${CREDGOV_NODE_PREFIX:-$HOME/.cache/credgov-node24}"
(
  set -euo pipefail
  # credgov runs its TypeScript with Node's type stripping (>= 22.18); npm's node@24 carries a real binary.
  if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=18)?0:1)' 2>/dev/null; then
    if [ ! -x "$CREDGOV_NODE_PREFIX/node_modules/node/bin/node" ]; then
      npm install --no-save --no-audit --no-fund --prefix "$CREDGOV_NODE_PREFIX" node@24 >/dev/null
    fi
  fi
) || return 2 2>/dev/null || exit 2
if [ -x "$CREDGOV_NODE_PREFIX/node_modules/node/bin/node" ]; then
  case ":$PATH:" in *":$CREDGOV_NODE_PREFIX/node_modules/node/bin:"*) ;; *) export PATH="$CREDGOV_NODE_PREFIX/node_modules/node/bin:$PATH" ;; esac
fi
echo "setup: node $(node --version), npm $(npm --version)"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error || { return 2 2>/dev/null || exit 2; }
fi
