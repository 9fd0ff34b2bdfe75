#!/usr/bin/env bash
# The Python package as its users get it: `pip install ./python` into a fresh venv (in a
# temporary directory; the build needs PyPI for setuptools, nothing else; setup.py's cargo
# build --release --lib is a no-op after this script's), then
#
#   1. the import from outside the repository finds the installed package and the release
#      libstarpos.so bundled in it (also when STARPOS_LIBRARY names another: it comes first);
#      a package built without it (STARPOS_BUILD_LIBRARY=0) finds STARPOS_LIBRARY, then the
#      system loader through LD_LIBRARY_PATH; library_path names the file loaded each time;
#   2. the unit tests (python/test_starpos.py, `python -m unittest`) against the installed
#      package, the release library bundled in it and two simulators (payments settle / stay
#      'A'), as tests/python.rs runs them against the source tree;
#   3. the unit tests again from python/, hermetic (no library, gateway or credentials given:
#      the source package loads the checkout's build; the tests start and stop simulators of
#      their own), twice in a row;
#   4. examples/python/sale.py, run from outside the repository, against the simulator;
#   4b. the wheel: `pip wheel ./python` is tagged py3-none-<platform> (not none-any) and holds
#      starpos/libstarpos.so; installed alone in a fresh venv, with no STARPOS_LIBRARY and no
#      LD_LIBRARY_PATH, it loads its own library and makes a counter sale on the simulator;
#   5. the types: mypy --strict over the installed package and over a caller's code that
#      imports it (which only type-checks because the package ships py.typed);
#   6. install and unit tests again on the oldest (>= 3.8, the promised floor) and the newest
#      other CPython that pyenv holds on the machine.
#
# Fails on the first broken step. PYTHON chooses the interpreter (default python3).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TD=${CARGO_TARGET_DIR:-target}
case $TD in /*) ;; *) TD=$ROOT/$TD ;; esac
PYTHON=${PYTHON:-python3}
# The simulator's merchant (its defaults, passed explicitly so this script knows them).
ORG_NO=489
MERC_ID=800290000007906
TRM_NO=XB006439
KEY=9E1D5C0A7B3F4E2D8C6A1B0F3E5D7C9A

TMP=$(mktemp -d)
SIM_PIDS=()
cleanup() {
  for pid in "${SIM_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT

step() { printf -- '--- %s\n' "$*"; }

step "release build: libstarpos.so and starpos-sim"
cargo build -q --release --lib
cargo build -q --release -p starpos-sim --bin starpos-sim
LIB=$TD/release/libstarpos.so
test -f "$LIB" || { echo "no $LIB after cargo build --release --lib" >&2; exit 1; }

# start_sim NAME [starpos-sim options...]: starts a simulator, sets SIM_URL to its base URL.
start_sim() {
  local name=$1 log=$TMP/$1.log
  shift
  : >"$log" # exists before the background child opens it: the loop below reads it at once
  "$TD/release/starpos-sim" --port 0 --org-no "$ORG_NO" --merc-id "$MERC_ID" --key "$KEY" \
    "$@" >"$log" 2>&1 &
  SIM_PIDS+=($!)
  SIM_URL=""
  for _ in $(seq 1 100); do
    SIM_URL=$(sed -n 's/^ *base URL: *//p' "$log")
    [ -n "$SIM_URL" ] && break
    kill -0 "${SIM_PIDS[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$SIM_URL" ]; then
    cat "$log" >&2
    echo "the $name simulator did not print its base URL" >&2
    exit 1
  fi
  echo "$name simulator at $SIM_URL"
}
start_sim settled --settle-after-ms 150
SETTLED=$SIM_URL
start_sim unsettled
UNSETTLED=$SIM_URL

step "fresh venv, pip install ./python: the release libstarpos.so is bundled"
"$PYTHON" -m venv "$TMP/venv"
VPY=$TMP/venv/bin/python
"$VPY" -m pip install -q --disable-pip-version-check "$ROOT/python"
PACKAGE_DIR=$(cd "$TMP" && env -u STARPOS_LIBRARY -u LD_LIBRARY_PATH "$VPY" -c \
  'import os, starpos; print(os.path.dirname(starpos.__file__))')
case $PACKAGE_DIR in
  "$TMP"/venv/*) echo "installed package: $PACKAGE_DIR" ;;
  *) echo "starpos was imported from $PACKAGE_DIR, not the venv" >&2; exit 1 ;;
esac
test -f "$PACKAGE_DIR/py.typed" || { echo "py.typed was not installed" >&2; exit 1; }
cmp -s "$PACKAGE_DIR/libstarpos.so" "$LIB" ||
  { echo "$PACKAGE_DIR/libstarpos.so is missing or not the release build $LIB" >&2; exit 1; }

# expect_loaded VPY EXPECTED [env...]: from outside the repository, under `env ...` (its -u
# options before its assignments), the package loads EXPECTED (starpos.library_path, compared
# as real paths).
expect_loaded() {
  local vpy=$1 expected=$2 loaded
  shift 2
  loaded=$(cd "$TMP" && env "$@" "$vpy" -c \
    'import os, starpos; print(os.path.realpath(starpos.library_path), starpos.version())')
  echo "loaded ${loaded% *}, version ${loaded##* }"
  if [ "${loaded% *}" != "$(realpath "$expected")" ]; then
    echo "expected $expected to be loaded" >&2
    exit 1
  fi
}

step "the bundled library comes first: without STARPOS_LIBRARY, and with it naming another"
expect_loaded "$VPY" "$PACKAGE_DIR/libstarpos.so" -u STARPOS_LIBRARY -u LD_LIBRARY_PATH
cp "$LIB" "$TMP/other-libstarpos.so"
expect_loaded "$VPY" "$PACKAGE_DIR/libstarpos.so" STARPOS_LIBRARY="$TMP/other-libstarpos.so" \
  LD_LIBRARY_PATH="$(dirname "$LIB")"

step "a package without the library (STARPOS_BUILD_LIBRARY=0): STARPOS_LIBRARY, then the system loader"
"$PYTHON" -m venv "$TMP/venv-pure"
PURE_PY=$TMP/venv-pure/bin/python
STARPOS_BUILD_LIBRARY=0 "$PURE_PY" -m pip install -q --disable-pip-version-check "$ROOT/python"
# Located without importing it (the import would load a library).
PURE_DIR=$(cd "$TMP" && "$PURE_PY" -c \
  'import importlib.util as u; print(u.find_spec("starpos").submodule_search_locations[0])')
if [ -e "$PURE_DIR/libstarpos.so" ]; then
  echo "STARPOS_BUILD_LIBRARY=0 still installed $PURE_DIR/libstarpos.so" >&2
  exit 1
fi
expect_loaded "$PURE_PY" "$TMP/other-libstarpos.so" -u LD_LIBRARY_PATH \
  STARPOS_LIBRARY="$TMP/other-libstarpos.so"
expect_loaded "$PURE_PY" "$LIB" -u STARPOS_LIBRARY LD_LIBRARY_PATH="$(dirname "$LIB")"

export STARPOS_LIBRARY=$LIB STARPOS_ORG_NO=$ORG_NO STARPOS_MERC_ID=$MERC_ID \
  STARPOS_TRM_NO=$TRM_NO STARPOS_KEY=$KEY PYTHONDONTWRITEBYTECODE=1 PYTHONIOENCODING=utf-8

step "unit tests against the installed package (python -m unittest)"
# Run from a copy of the tests outside the tree: from python/ the source package would shadow
# the installed one. STARPOS_PACKAGE_DIR makes the tests check which one they import.
mkdir "$TMP/tests"
cp python/test_starpos.py "$TMP/tests/"
(cd "$TMP/tests" && STARPOS_GATEWAY=$SETTLED STARPOS_GATEWAY_UNSETTLED=$UNSETTLED \
  STARPOS_HEADER=$ROOT/include/starpos.h STARPOS_PYPROJECT=$ROOT/python/pyproject.toml \
  STARPOS_PACKAGE_DIR=$PACKAGE_DIR "$VPY" -m unittest -v)

step "unit tests, hermetic: no library, gateway or credentials given; twice in a row"
# From python/ (the source package) as a developer runs them after a cargo build: the package
# loads the checkout's own target/<profile>/libstarpos.so, the tests start their own
# simulators and stop them, and clear every fault they armed.
for run in 1 2; do
  (cd python && env -u STARPOS_LIBRARY -u STARPOS_GATEWAY -u STARPOS_GATEWAY_UNSETTLED \
    -u STARPOS_ORG_NO -u STARPOS_MERC_ID -u STARPOS_TRM_NO -u STARPOS_KEY \
    STARPOS_SIM="$TD/release/starpos-sim" "$PYTHON" -m unittest) ||
    { echo "hermetic run $run failed" >&2; exit 1; }
done

step "examples/python/sale.py from outside the repository"
(cd "$TMP" && STARPOS_GATEWAY=$SETTLED "$VPY" "$ROOT/examples/python/sale.py" \
  --amount 321 --interval-ms 50 --deadline-ms 15000)

step "the wheel: pip wheel ./python, platform-tagged, carries libstarpos.so; a sale from a fresh venv"
# The wheel is built from the checkout (setup.py's cargo build is a no-op after this script's),
# installed with nothing else in a fresh venv, and used from outside the repository with no
# STARPOS_LIBRARY and no LD_LIBRARY_PATH: only the bundled library can be loaded.
"$VPY" -m pip wheel -q --disable-pip-version-check --no-deps -w "$TMP/dist" "$ROOT/python"
mapfile -t wheels < <(find "$TMP/dist" -name '*.whl')
[ "${#wheels[@]}" -eq 1 ] || { echo "pip wheel made ${#wheels[@]} wheels: ${wheels[*]}" >&2; exit 1; }
WHEEL=${wheels[0]}
WHEEL_NAME=$(basename "$WHEEL")
PLATFORM=$("$VPY" -c 'import sysconfig; print(sysconfig.get_platform().replace("-", "_").replace(".", "_"))')
VERSION=$("$VPY" -c 'import re, sys; print(re.search(r"^version = \"([^\"]+)\"", open(sys.argv[1]).read(), re.M).group(1))' \
  "$ROOT/python/pyproject.toml")
case $WHEEL_NAME in
  *-none-any.whl) echo "$WHEEL_NAME has no platform tag: the library is not in it" >&2; exit 1 ;;
  "starpos-$VERSION-py3-none-$PLATFORM.whl") echo "wheel: $WHEEL_NAME, $(stat -c %s "$WHEEL") bytes" ;;
  *) echo "$WHEEL_NAME is not starpos-$VERSION-py3-none-$PLATFORM.whl" >&2; exit 1 ;;
esac
"$VPY" - "$WHEEL" <<'PY'
import sys, zipfile

names = zipfile.ZipFile(sys.argv[1]).namelist()
for wanted in ("starpos/libstarpos.so", "starpos/py.typed", "starpos/__init__.py"):
    if wanted not in names:
        sys.exit(f"{sys.argv[1]} has no {wanted}: {names}")
wheel = zipfile.ZipFile(sys.argv[1]).read(
    next(n for n in names if n.endswith(".dist-info/WHEEL"))).decode()
if "Root-Is-Purelib: false" not in wheel:
    sys.exit(f"the wheel's WHEEL file does not say Root-Is-Purelib: false:\n{wheel}")
PY
"$PYTHON" -m venv "$TMP/venv-wheel"
WPY=$TMP/venv-wheel/bin/python
"$WPY" -m pip install -q --disable-pip-version-check --no-index --no-deps "$WHEEL"
(cd "$TMP" && env -u STARPOS_LIBRARY -u LD_LIBRARY_PATH -u PYTHONPATH "$WPY" - "$SETTLED" \
  "$ORG_NO" "$MERC_ID" "$TRM_NO" "$KEY" <<'PY'
import os, random, sys

import starpos

prefix = os.path.realpath(sys.prefix)
loaded = os.path.realpath(starpos.library_path)
if not loaded.startswith(prefix + os.sep):
    sys.exit(f"starpos.library_path {starpos.library_path} is not inside the venv {prefix}")
if loaded != os.path.realpath(os.path.join(os.path.dirname(starpos.__file__), "libstarpos.so")):
    sys.exit(f"starpos.library_path {starpos.library_path} is not the bundled library")
print("loaded", starpos.library_path, "version", starpos.version())
gateway, org_no, merc_id, trm_no, key = sys.argv[1:]
client = starpos.Client(gateway, org_no, merc_id, trm_no, key)
code = "13" + "".join(random.choice("0123456789") for _ in range(15)) + "5"  # 5: paid, 'S'
sale = client.barcode_sale(code, 432, interval_ms=50)
print("counter sale:", sale.result, sale.amount, "fen, trade_no", sale.trade_no)
if (sale.result, sale.amount) != ("S", 432):
    sys.exit(f"the sale did not end 'S' for 432 fen: {sale}")
PY
)

step "types: mypy --strict on the installed package and on a caller"
"$VPY" -m pip install -q --disable-pip-version-check mypy
cat >"$TMP/caller.py" <<'PY'
import starpos

client = starpos.Client("http://127.0.0.1:9/", "489", "800290000007906", "XB006439", "k" * 32)
sale: starpos.QueryResult = client.barcode_sale("134567890123456781", 100, interval_ms=50)
paid: int = sale.amount
try:
    client.qr_pay("WXPAY", 1)
except starpos.StarposError as e:
    doubt: bool = e.in_doubt
PY
(cd "$TMP" && "$VPY" -m mypy --strict --no-incremental -p starpos && \
  "$VPY" -m mypy --strict --no-incremental caller.py)
# A wrong use must fail: a str amount.
sed -i 's/client.qr_pay("WXPAY", 1)/client.qr_pay("WXPAY", "1")/' "$TMP/caller.py"
if (cd "$TMP" && "$VPY" -m mypy --strict --no-incremental caller.py >/dev/null); then
  echo "mypy accepted a str amount: the package's types are not seen" >&2
  exit 1
fi
# And a misspelled answer attribute (the answer classes must be classes a checker can read).
sed -i 's/client.qr_pay("WXPAY", "1")/client.qr_pay("WXPAY", 1)/; s/sale.amount$/sale.amout/' "$TMP/caller.py"
if (cd "$TMP" && "$VPY" -m mypy --strict --no-incremental caller.py >/dev/null); then
  echo "mypy accepted sale.amout: the answer classes' attributes are not seen" >&2
  exit 1
fi

step "the oldest and the newest other CPython on this machine (pyenv): install and unit tests"
# pyproject.toml promises requires-python >= 3.8: the package is installed and its unit tests
# run on the oldest CPython >= 3.8 and the newest that pyenv holds here (a machine without
# pyenv, or with only one version, skips this: say so). PYTHON_OTHERS overrides the choice.
if [ -z "${PYTHON_OTHERS+set}" ]; then
  PYTHON_OTHERS=""
  versions_dir=${PYENV_ROOT:-$HOME/.pyenv}/versions
  if [ -d "$versions_dir" ]; then
    main_version=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    mapfile -t found < <(
      for d in "$versions_dir"/3.*/; do
        v=$(basename "$d")
        py=${d%/}/bin/python3
        [ -x "$py" ] || continue
        minor=$(echo "$v" | cut -d. -f2)
        [[ $minor =~ ^[0-9]+$ ]] && [ "$minor" -ge 8 ] || continue
        [ "3.$minor" = "$main_version" ] && continue
        echo "$v $py"
      done | sort -V | awk '{print $2}')
    if [ "${#found[@]}" -gt 0 ]; then
      PYTHON_OTHERS="${found[0]}"
      [ "${#found[@]}" -gt 1 ] && PYTHON_OTHERS="$PYTHON_OTHERS ${found[-1]}"
    fi
  fi
fi
if [ -z "$PYTHON_OTHERS" ]; then
  echo "no other CPython >= 3.8 found (pyenv): only $("$PYTHON" --version 2>&1) was tested"
fi
for other in $PYTHON_OTHERS; do
  name=$("$other" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')
  echo "CPython $name ($other)"
  "$other" -m venv "$TMP/venv-$name"
  OPY=$TMP/venv-$name/bin/python
  "$OPY" -m pip install -q --disable-pip-version-check "$ROOT/python"
  other_dir=$(cd "$TMP" && "$OPY" -c 'import os, starpos; print(os.path.dirname(starpos.__file__))')
  (cd "$TMP/tests" && STARPOS_GATEWAY=$SETTLED STARPOS_GATEWAY_UNSETTLED=$UNSETTLED \
    STARPOS_HEADER=$ROOT/include/starpos.h STARPOS_PYPROJECT=$ROOT/python/pyproject.toml \
    STARPOS_PACKAGE_DIR=$other_dir "$OPY" -m unittest)
done

step "python: OK"
