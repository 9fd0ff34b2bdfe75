#!/usr/bin/env bash
# The C API reference: Doxygen over include/starpos.h (docs/Doxyfile), HTML into
# target/doc-c/html/. Fails on any Doxygen warning (WARN_AS_ERROR = FAIL_ON_WARNINGS, and
# any warning or error line in its output), e.g. an item of the header without a doc comment:
# fix the comment in src/ (the header is generated), never the header.
# Installs doxygen when missing (Debian's package), as .ci/run installs its other tools.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v doxygen >/dev/null || { apt-get update -qq && apt-get install -y -qq doxygen; }
doxygen --version

out=target/doc-c
rm -rf "$out"
mkdir -p "$out"
STARPOS_VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
export STARPOS_VERSION
log=$(mktemp)
trap 'rm -f "$log"' EXIT
rc=0
doxygen docs/Doxyfile >"$log" 2>&1 || rc=$?
cat "$log"
if [ "$rc" -ne 0 ] || grep -qiE 'warning:|error:' "$log"; then
  echo "doxygen: docs/Doxyfile warned (exit $rc): see above" >&2
  exit 1
fi

# Every function the header declares has its entry in the reference.
html=$out/html/starpos_8h.html
[ -f "$html" ] || { echo "doxygen: no $html" >&2; exit 1; }
missing=0
for fn in $(grep -oE '\bstarpos_[a-z0-9_]+\(' include/starpos.h | tr -d '(' | sort -u); do
  grep -q ">$fn<" "$html" || { echo "doxygen: $fn is not in $html" >&2; missing=1; }
done
[ "$missing" -eq 0 ] || exit 1
echo "C API reference: $out/html/index.html ($(grep -oE '\bstarpos_[a-z0-9_]+\(' include/starpos.h | sort -u | wc -l) functions)"
