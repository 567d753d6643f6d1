#!/usr/bin/env bash
# The published package as a user gets it: `npm pack` (which builds dist/), install the tarball
# into an empty folder, then run credgov from there on Node 24 and Node 22 (npm's node@22).
# Usage: .ci/check-package.sh   (from the repository root, after .ci/setup-node.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
npm pack --silent --pack-destination "$work" >/dev/null
tarball="$(ls "$work"/credgov-*.tgz)"
listing="$(tar -tzf "$tarball")"
# Nothing of the tests ships: no vitest files, no fixtures, no TypeScript sources.
if echo "$listing" | grep -E '^package/(test|src|bench|scripts)/|\.test\.(ts|js)$'; then
  echo "check-package: the tarball ships test or source files (above)" >&2; exit 1
fi
for f in LICENSE README.md dist/cli/main.js dist/cli/main.js.map dist/policy/wasm/runtime/build/runtime.wasm \
  dist/snapshot/schema.json schemas/credgov.config.schema.json policies/catalog.yaml examples/demo/credgov.yaml action.yml examples/github/pr-gate.yml; do
  echo "$listing" | grep -qx "package/$f" || { echo "check-package: $f missing from the tarball" >&2; exit 1; }
done

node22_prefix="${CREDGOV_NODE22_PREFIX:-$HOME/.cache/credgov-node22}"
if [ ! -x "$node22_prefix/node_modules/node/bin/node" ]; then
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$node22_prefix" node@22 >/dev/null
fi

app="$work/app"
mkdir "$app"
(cd "$app" && echo '{"private": true}' > package.json && npm install --no-audit --no-fund --loglevel=error "$tarball" >/dev/null)
for nodebin in "$(dirname "$(command -v node)")" "$node22_prefix/node_modules/node/bin"; do
  (
    cd "$app"
    export PATH="$nodebin:$PATH"
    echo "check-package: node $(node --version)"
    npx --no-install credgov --version
    out="demo-$(node -p 'process.versions.node.split(".")[0]')"
    # The demo estate has failing findings: exit 1 is the expected verdict, not a failure of the run.
    rc=0; npx --no-install credgov scan --demo --out "$out" --quiet || rc=$?
    [ "$rc" -eq 1 ] || { echo "check-package: scan --demo exited $rc (want 1: findings)" >&2; exit 1; }
    for f in snapshot.json findings.json results.sarif junit.xml summary.md; do
      [ -s "$out/$f" ] || { echo "check-package: scan --demo wrote no $out/$f" >&2; exit 1; }
    done
    # The evidence pack from the installed package: pdfmake's fonts and the HTML renderer ship.
    npx --no-install credgov report --findings "$out/findings.json" --format pdf html --out "$out" --quiet
    for f in evidence.pdf evidence.html manifest.json; do
      [ -s "$out/$f" ] || { echo "check-package: report --format pdf html wrote no $out/$f" >&2; exit 1; }
    done
    npx --no-install credgov verify "$out" --quiet
    npx --no-install credgov policy test node_modules/credgov/policies
  )
done
echo "check-package: ok"
