#!/usr/bin/env bash
# Packaging checks for C users (docs/c.md, "ABI and versions" and "Installing for C"):
#
#   1. tools       cc, make, python3, pkg-config, readelf, cmake (apt-get when missing)
#   2. abi         scripts/abi.sh check: include/starpos.h is compatible with the committed
#                  snapshot of the current SONAME, abi/<SONAME>.txt
#   3. install     cargo build --release (the library), then make install into a fresh
#                  temporary DESTDIR; the installed names and the .so's SONAME are checked
#   4. cmake       examples/cmake built against that install through find_package(starpos),
#                  from another directory than the one it was installed for (relocatable);
#                  sale --help and the edge checks run, shared and static; a request for an
#                  older ABI generation (find_package(starpos 0.1)) must be refused
#   5. examples    docs/c.md's `make -C examples/c check` (release build, default OUT), and
#                  git sees none of its outputs
#   6. cargo-c     `cargo cinstall --release --prefix=/usr --destdir=...` installs the same
#                  library names, SONAME, header and pkg-config file name as `make install`.
#                  cargo-c is installed first when missing (`cargo install --locked cargo-c`:
#                  25 minutes of compiling, measured on this shared 2-core machine, once);
#                  the cinstall itself is a second release build of the library (~30 s).
#                  STARPOS_SKIP_CARGO_C=1 skips this step (and says so).
#
# Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TD=${CARGO_TARGET_DIR:-target}
case $TD in /*) ;; *) TD=$ROOT/$TD ;; esac

# The cargo-c release that builds with this repository's Rust (1.95): newer ones need newer
# rustc.
CARGO_C_VERSION=${CARGO_C_VERSION:-0.10.24+cargo-0.98.0}

step() { printf '\n=== packaging: %s\n' "$*"; }
fail() { echo "packaging: $*" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/starpos-packaging.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

step "tools"
need_apt=()
command -v cc >/dev/null || need_apt+=(gcc)
command -v make >/dev/null || need_apt+=(make)
command -v python3 >/dev/null || need_apt+=(python3)
command -v pkg-config >/dev/null || need_apt+=(pkg-config)
command -v readelf >/dev/null || need_apt+=(binutils)
command -v cmake >/dev/null || need_apt+=(cmake)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing: ${need_apt[*]}"
  apt-get update -qq || echo "apt-get update failed; trying the install anyway" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi
cmake --version | head -n 1

step "abi: the header against the committed snapshot"
bash scripts/abi.sh check

soname=$(bash scripts/abi.sh soname)
version=$(make -s print-version)
[ "$(make -s print-soname)" = "$soname" ] ||
  fail "the Makefile's SONAME ($(make -s print-soname)) is not scripts/abi.sh's ($soname)"
realname=libstarpos.so.${version%%[-+]*}
echo "version $version, SONAME $soname, file $realname"

step "install: make install into a temporary DESTDIR"
make build
so=$TD/release/libstarpos.so
built_soname=$(readelf -d "$so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[ "$built_soname" = "$soname" ] || fail "$so has SONAME '$built_soname', expected $soname"
make -s install PREFIX=/usr/local DESTDIR="$WORK/make" BUILD_DIR="$TD/release"
(cd "$WORK/make" && find . -mindepth 1 \( -type f -o -type l \) -printf '%p %l\n' | sort)
lib=$WORK/make/usr/local/lib
[ -f "$lib/$realname" ] && [ ! -L "$lib/$realname" ] || fail "no $realname in $lib"
[ "$(readlink "$lib/$soname")" = "$realname" ] || fail "$lib/$soname does not point at $realname"
[ "$(readlink "$lib/libstarpos.so")" = "$realname" ] || fail "$lib/libstarpos.so does not point at $realname"
for f in lib/libstarpos.a include/starpos.h lib/pkgconfig/starpos.pc \
         lib/cmake/starpos/starposConfig.cmake lib/cmake/starpos/starposConfigVersion.cmake \
         share/man/man1/starpos.1 share/bash-completion/completions/starpos \
         share/zsh/site-functions/_starpos share/fish/vendor_completions.d/starpos.fish; do
  [ -f "$WORK/make/usr/local/$f" ] || fail "make install did not install $f"
done
grep -q -- '--gc-sections' "$lib/pkgconfig/starpos.pc" || fail "starpos.pc's Libs.private lacks --gc-sections"

step "cmake: find_package(starpos) from a moved install, shared and static"
# Installed for /usr/local, used from $WORK/make/usr/local: the config must find its files
# relative to itself.
prefix=$WORK/make/usr/local
cmake -S examples/cmake -B "$WORK/cmake" -DCMAKE_PREFIX_PATH="$prefix" \
  -DSTARPOS_VERSION_WANTED="${version%%[-+]*}" -DCMAKE_BUILD_TYPE=Release
cmake --build "$WORK/cmake" -- -j2
readelf -d "$WORK/cmake/sale-shared" | grep -F "Shared library: [$soname]" ||
  fail "sale-shared does not need $soname"
if readelf -d "$WORK/cmake/sale-static" | grep -q libstarpos; then
  fail "sale-static still needs libstarpos.so"
fi
for kind in shared static; do
  LD_LIBRARY_PATH=$prefix/lib "$WORK/cmake/sale-$kind" --help >"$WORK/sale-$kind.txt"
  grep -q '^usage: sale' "$WORK/sale-$kind.txt" || fail "sale-$kind --help printed no usage"
  LD_LIBRARY_PATH=$prefix/lib "$WORK/cmake/edge-$kind" >"$WORK/edge-$kind.txt"
  echo "sale-$kind --help: ok; edge-$kind: $(tail -n 1 "$WORK/edge-$kind.txt")"
done
grep -q -- '--gc-sections' "$WORK/cmake/CMakeFiles/sale-static.dir/link.txt" ||
  fail "starpos::starpos_static does not link with --gc-sections"
if cmake -S examples/cmake -B "$WORK/cmake-old" -DCMAKE_PREFIX_PATH="$prefix" \
     -DSTARPOS_VERSION_WANTED=0.1 >"$WORK/cmake-old.log" 2>&1; then
  fail "find_package(starpos 0.1) accepted $version (another ABI generation)"
fi
echo "find_package(starpos 0.1) is refused, as it must be:"
grep -A3 'not found\|not compatible\|considered' "$WORK/cmake-old.log" | head -n 8

step "examples: make -C examples/c check, as docs/c.md says"
untracked() { git ls-files --others --exclude-standard -- examples/c; }
untracked_before=$(untracked)
make -C examples/c check
if [ "$(untracked)" != "$untracked_before" ]; then
  diff <(echo "$untracked_before") <(untracked) >&2 || true
  fail "make -C examples/c left files that git does not ignore (.gitignore)"
fi
make -s -C examples/c clean

step "cargo-c: cargo cinstall gives the same names as make install"
if [ "${STARPOS_SKIP_CARGO_C:-0}" = 1 ]; then
  echo "!!! SKIPPED: STARPOS_SKIP_CARGO_C=1"
  exit 0
fi
if ! cargo cinstall --version >/dev/null 2>&1; then
  echo "installing cargo-c $CARGO_C_VERSION (about 25 minutes of compiling on 2 cores)"
  t0=$(date +%s)
  nice cargo install --locked cargo-c --version "$CARGO_C_VERSION"
  echo "cargo-c installed in $(($(date +%s) - t0)) s"
fi
cargo cinstall --version
cargo cinstall -p starpos --release --locked --prefix=/usr --destdir="$WORK/capi"
make -s install PREFIX=/usr DESTDIR="$WORK/make-usr" BUILD_DIR="$TD/release"
# The library's files (names and link targets), the header and the .pc file's name must be the
# same; make install adds its CMake files and the command line's share/ files, and the two
# .pc files are written differently.
listing() {
  (cd "$1" && find . -mindepth 1 \( -type f -o -type l \) -not -path './usr/lib/cmake/*' \
     -not -path './usr/share/*' \
     -printf '%p %l\n' | sed 's|/usr/lib/[^/]*-linux-gnu/|/usr/lib/|' | sort)
}
listing "$WORK/capi" >"$WORK/capi.list"
listing "$WORK/make-usr" >"$WORK/make.list"
echo "--- cargo cinstall installed:"
cat "$WORK/capi.list"
diff -u "$WORK/make.list" "$WORK/capi.list" || fail "cargo cinstall and make install install different files"
capi_so=$(find "$WORK/capi" -name "$realname" -type f | head -n 1)
capi_soname=$(readelf -d "$capi_so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[ "$capi_soname" = "$soname" ] || fail "cargo cinstall's library has SONAME '$capi_soname', expected $soname"
cmp include/starpos.h "$(find "$WORK/capi" -name starpos.h | head -n 1)" ||
  fail "cargo cinstall installed another header than include/starpos.h"
echo "cargo cinstall and make install agree: $realname, SONAME $soname"
