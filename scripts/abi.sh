#!/usr/bin/env bash
# The C ABI check (docs/c.md, "ABI and versions"). Needs python3 and a C compiler (CC, default cc).
#
#   scripts/abi.sh check      fails (exit 1) when include/starpos.h is not compatible with the
#                             committed snapshot of the current SONAME, abi/<SONAME>.txt: a
#                             struct's layout, a function's signature, an enum value or a
#                             STARPOS_* constant changed or vanished. Additions pass (listed).
#                             A SONAME without a snapshot fails too: record it with `update`.
#   scripts/abi.sh update     writes abi/<SONAME>.txt from the current header (idempotent, < 1 s)
#   scripts/abi.sh snapshot   prints what `update` would write
#   scripts/abi.sh soname     prints the current SONAME (from Cargo.toml's version)
#
# Options: --header FILE (default include/starpos.h), --dir DIR (default abi/), --soname NAME.
# The logic is in scripts/abi.py.
set -euo pipefail
exec python3 "$(dirname "$0")/abi.py" "$@"
