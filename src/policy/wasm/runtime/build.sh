#!/bin/sh
# Builds the runtime to build/runtime.wasm (or to $1 when given).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/build/runtime.wasm}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
objs=""
for c in "$here"/src/*.c; do
  o="$tmp/$(basename "$c" .c).o"
  clang-16 --target=wasm32 -nostdlib -O2 -ffreestanding -fno-builtin-memcpy -Wall -Werror -ffile-prefix-map="$here"=. -c "$c" -o "$o"
  objs="$objs $o"
done
# --export-all keeps every runtime function reachable by name for the code
# generator, which then drops the exports the ABI does not need.
wasm-ld-16 --no-entry --import-memory --export-all --export=__heap_base -z stack-size=65536 --initial-memory=196608 $objs -o "$out"
