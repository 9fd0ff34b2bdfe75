#!/usr/bin/env bash
# The terminal checks (issue 5): the library on the payment terminals' CPUs, emulated.
#
#   1. tools         apt cross compilers + qemu-user, rustup targets, zig + cargo-zigbuild
#   2. simulator     starpos-sim built and started natively on this machine
#   3. release       libstarpos.so/.a for armv7 and aarch64 (glibc), release profile
#   4. C example     examples/c/sale.c and edge.c, cross-compiled against the .so and the .a,
#                    run under qemu-user; sale talks to the native simulator
#   5. cargo test    the crate's tests for armv7 and aarch64 under qemu-user; for armv7 also
#                    the tls build (size, static C example) and the tls tests
#   6. glibc 2.17    scripts/release.sh armv7 (cargo zigbuild ...gnueabihf.2.17): objdump -T
#                    shows nothing newer than GLIBC_2.17; the archive is listed, and sale.c is
#                    built from it through pkg-config and run under qemu
#   7. musl static   armv7-unknown-linux-musleabihf (nightly -Zbuild-std, zig cc as the musl
#                    C compiler): a fully static sale, run under qemu
#   8. install       make install into a temporary PREFIX; sale.c built with pkg-config
#                    (shared, and static through --static) and run against the simulator
#   9. sizes         the table of .so and static C program sizes; the armv7 .so that ships (the
#                    one in the release archive of step 6) must be at most 700 KiB
#                    (SIZE_BUDGET_KIB). ARMV7_STD=prebuilt|min (scripts/release.sh) chooses
#                    its std; the ordinary `prebuilt` is the default and fits
#                    (docs/terminal.md, "Footprint").
#
# A step that runs and fails fails the script (exit 1); the other steps still run, and the
# summary lists every step with its time. A toolchain that cannot be downloaded at all is
# reported LOUDLY and the steps that need it are skipped (listed as SKIPPED in the summary);
# STARPOS_TERMINAL_STRICT=1 makes skipped steps fail the script too.
#
# No binfmt here: foreign programs run through explicit qemu runners. The
# `-E LD_LIBRARY_PATH=/usr/<triple>/lib` matters: without it qemu can mix the host's and the
# target's C libraries and thread spawns hang (docs/terminal.md).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
# cargo's target directory (absolute): CARGO_TARGET_DIR when set, else target/.
TD=${CARGO_TARGET_DIR:-target}
case $TD in /*) ;; *) TD=$ROOT/$TD ;; esac
export CARGO_TARGET_DIR=$TD

SIZE_BUDGET_KIB=${SIZE_BUDGET_KIB:-700}
STRICT=${STARPOS_TERMINAL_STRICT:-0}
OUT=$TD/terminal # programs, install prefix, logs of this script
SIM_SETTLE_MS=200
# The simulator's merchant (its defaults, passed explicitly so this script knows them).
ORG_NO=489
MERC_ID=800290000007906
TRM_NO=XB006439
KEY=9E1D5C0A7B3F4E2D8C6A1B0F3E5D7C9A

ARMV7=armv7-unknown-linux-gnueabihf
AARCH64=aarch64-unknown-linux-gnu
ARMV7_MUSL=armv7-unknown-linux-musleabihf

SCRIPT_START=$(date +%s)
declare -a SUMMARY=() FAILED=() SKIPPED=()
declare -A SIZE_SO=() SIZE_STATIC=()

banner() { printf '\n=== %s\n' "$*"; }
loud() {
  {
    printf '\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n'
    printf '!!! %s\n' "$@"
    printf '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\n'
  } >&2
}

# step NAME FUNCTION [ARGS...]: runs FUNCTION, times it, records the outcome.
step() {
  local name=$1
  shift
  banner "$name"
  local t0 t1 rc
  t0=$(date +%s)
  "$@"
  rc=$?
  t1=$(date +%s)
  local took=$((t1 - t0))
  if [ $rc -eq 0 ]; then
    SUMMARY+=("$(printf '%-56s %5ss  ok' "$name" "$took")")
  else
    SUMMARY+=("$(printf '%-56s %5ss  FAILED (exit %s)' "$name" "$took" "$rc")")
    FAILED+=("$name")
    echo "--- step failed: $name (exit $rc)" >&2
  fi
  echo "--- $name: ${took}s"
  return $rc
}

# skip NAME REASON: a step that cannot run because a toolchain is missing.
skip() {
  loud "SKIPPED: $1" "because: $2"
  SUMMARY+=("$(printf '%-56s %5s   SKIPPED: %s' "$1" "-" "$2")")
  SKIPPED+=("$1: $2")
}

# Runs a command, killing it after $1 seconds.
limited() {
  local secs=$1
  shift
  timeout --kill-after=10 "$secs" "$@"
}

# ---------------------------------------------------------------------------------------------
# 1. tools

APT_PACKAGES=(gcc-arm-linux-gnueabihf libc6-dev-armhf-cross gcc-aarch64-linux-gnu
              libc6-dev-arm64-cross qemu-user musl-tools pkg-config make file binutils)
RUST_TARGETS=("$ARMV7" "$AARCH64" aarch64-unknown-linux-musl)

install_apt() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "apt packages already installed"
    return 0
  fi
  echo "installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq || echo "apt-get update failed; trying the install anyway" >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

install_rust_targets() {
  local rc=0 t installed
  installed=$(rustup target list --installed)
  for t in "${RUST_TARGETS[@]}"; do
    grep -qx "$t" <<<"$installed" && continue
    rustup target add "$t" || { echo "rustup could not add $t" >&2; rc=1; }
  done
  return $rc
}

install_rust_src() {
  # ARMV7_STD=min (scripts/release.sh) rebuilds std from rust-src with the default toolchain.
  rustup component list --installed 2>/dev/null | grep -q '^rust-src' || rustup component add rust-src
}

install_nightly_src() {
  # armv7 musl has no prebuilt std from rustup (it answers 404): -Zbuild-std builds it from
  # rust-src with the nightly toolchain.
  if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    rustup toolchain install nightly --profile minimal --component rust-src || return 1
  fi
  rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src' ||
    rustup component add rust-src --toolchain nightly
}

zig_works() { python3 -m ziglang version >/dev/null 2>&1; }

install_zig() {
  zig_works && return 0
  python3 -m pip install --quiet ziglang ||
    python3 -m pip install --quiet --break-system-packages ziglang
  zig_works
}

install_zigbuild() {
  command -v cargo-zigbuild >/dev/null 2>&1 && return 0
  cargo install cargo-zigbuild --locked
}

HAVE_ARMV7_GCC=0 HAVE_AARCH64_GCC=0 HAVE_QEMU_ARM=0 HAVE_QEMU_AARCH64=0 HAVE_PKG_CONFIG=0
HAVE_RUST_ARMV7=0 HAVE_RUST_AARCH64=0 HAVE_NIGHTLY_SRC=0 HAVE_ZIG=0 HAVE_ZIGBUILD=0

tools() {
  install_apt || loud "apt-get could not install every package (${APT_PACKAGES[*]})"
  install_rust_targets || loud "rustup could not add every target (${RUST_TARGETS[*]})"
  install_rust_src || loud "rustup could not add rust-src (needed for ARMV7_STD=min)"
  install_nightly_src || loud "the nightly toolchain with rust-src is not available"
  install_zig || loud "pip could not install ziglang: no zig"
  install_zigbuild || loud "cargo install cargo-zigbuild failed"

  command -v arm-linux-gnueabihf-gcc >/dev/null && [ -d /usr/arm-linux-gnueabihf/lib ] && HAVE_ARMV7_GCC=1
  command -v aarch64-linux-gnu-gcc >/dev/null && [ -d /usr/aarch64-linux-gnu/lib ] && HAVE_AARCH64_GCC=1
  command -v qemu-arm >/dev/null && HAVE_QEMU_ARM=1
  command -v qemu-aarch64 >/dev/null && HAVE_QEMU_AARCH64=1
  command -v pkg-config >/dev/null && HAVE_PKG_CONFIG=1
  local installed
  installed=$(rustup target list --installed)
  grep -qx "$ARMV7" <<<"$installed" && HAVE_RUST_ARMV7=1
  grep -qx "$AARCH64" <<<"$installed" && HAVE_RUST_AARCH64=1
  rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src' && HAVE_NIGHTLY_SRC=1
  zig_works && HAVE_ZIG=1
  command -v cargo-zigbuild >/dev/null && HAVE_ZIGBUILD=1

  cargo --version
  rustc --version
  rustup run nightly rustc --version 2>/dev/null || true
  arm-linux-gnueabihf-gcc --version 2>/dev/null | head -n 1
  aarch64-linux-gnu-gcc --version 2>/dev/null | head -n 1
  qemu-arm --version 2>/dev/null | head -n 1
  echo "zig $(python3 -m ziglang version 2>/dev/null || echo missing)"
  cargo-zigbuild --version 2>/dev/null || true
  printf 'available: armv7-gcc=%s aarch64-gcc=%s qemu-arm=%s qemu-aarch64=%s pkg-config=%s\n' \
    $HAVE_ARMV7_GCC $HAVE_AARCH64_GCC $HAVE_QEMU_ARM $HAVE_QEMU_AARCH64 $HAVE_PKG_CONFIG
  printf '           rust-armv7=%s rust-aarch64=%s nightly+rust-src=%s zig=%s cargo-zigbuild=%s\n' \
    $HAVE_RUST_ARMV7 $HAVE_RUST_AARCH64 $HAVE_NIGHTLY_SRC $HAVE_ZIG $HAVE_ZIGBUILD
  return 0
}

# The cross linkers and qemu runners for cargo (an explicit setting in the environment wins).
export CARGO_TARGET_ARMV7_UNKNOWN_LINUX_GNUEABIHF_LINKER=${CARGO_TARGET_ARMV7_UNKNOWN_LINUX_GNUEABIHF_LINKER:-arm-linux-gnueabihf-gcc}
export CARGO_TARGET_ARMV7_UNKNOWN_LINUX_GNUEABIHF_RUNNER=${CARGO_TARGET_ARMV7_UNKNOWN_LINUX_GNUEABIHF_RUNNER:-qemu-arm -L /usr/arm-linux-gnueabihf -E LD_LIBRARY_PATH=/usr/arm-linux-gnueabihf/lib}
export CC_armv7_unknown_linux_gnueabihf=${CC_armv7_unknown_linux_gnueabihf:-arm-linux-gnueabihf-gcc}
export AR_armv7_unknown_linux_gnueabihf=${AR_armv7_unknown_linux_gnueabihf:-arm-linux-gnueabihf-ar}
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=${CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER:-aarch64-linux-gnu-gcc}
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER=${CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER:-qemu-aarch64 -L /usr/aarch64-linux-gnu -E LD_LIBRARY_PATH=/usr/aarch64-linux-gnu/lib}
export CC_aarch64_unknown_linux_gnu=${CC_aarch64_unknown_linux_gnu:-aarch64-linux-gnu-gcc}
export AR_aarch64_unknown_linux_gnu=${AR_aarch64_unknown_linux_gnu:-aarch64-linux-gnu-ar}
# Tests and examples print no backtraces into the logs unless asked.
export RUST_BACKTRACE=${RUST_BACKTRACE:-0}

# Per target: the cross gcc prefix, the qemu binary and its sysroot.
gcc_prefix() { case $1 in "$ARMV7") echo arm-linux-gnueabihf ;; "$AARCH64") echo aarch64-linux-gnu ;; esac; }
qemu_for() { case $1 in "$ARMV7"|"$ARMV7_MUSL") echo qemu-arm ;; "$AARCH64") echo qemu-aarch64 ;; esac; }

# qemu_run TARGET EXTRA_LIBDIR PROGRAM ARGS...: runs a foreign program under qemu-user.
qemu_run() {
  local target=$1 libdir=$2
  shift 2
  local sysroot
  sysroot=/usr/$(gcc_prefix "$target")
  limited 120 "$(qemu_for "$target")" -L "$sysroot" \
    -E LD_LIBRARY_PATH="$sysroot/lib${libdir:+:$libdir}" "$@"
}

# ---------------------------------------------------------------------------------------------
# 2. the simulator, natively

SIM_PID=""
SIM_URL=""
stop_simulator() {
  if [ -n "$SIM_PID" ]; then
    kill "$SIM_PID" 2>/dev/null
    wait "$SIM_PID" 2>/dev/null
    SIM_PID=""
  fi
}
trap stop_simulator EXIT

simulator() {
  cargo build --release -p starpos-sim --bin starpos-sim || return 1
  mkdir -p "$OUT"
  local log=$OUT/simulator.log
  "$TD/release/starpos-sim" --port 0 --settle-after-ms "$SIM_SETTLE_MS" \
    --org-no "$ORG_NO" --merc-id "$MERC_ID" --key "$KEY" >"$log" 2>&1 &
  SIM_PID=$!
  for _ in $(seq 1 100); do
    SIM_URL=$(sed -n 's/^ *base URL: *//p' "$log")
    [ -n "$SIM_URL" ] && break
    kill -0 "$SIM_PID" 2>/dev/null || break
    sleep 0.1
  done
  cat "$log"
  if [ -z "$SIM_URL" ]; then
    echo "the simulator did not print its base URL" >&2
    return 1
  fi
  echo "simulator at $SIM_URL (pid $SIM_PID)"
}

# The sale against the simulator: credentials from the environment, the rest as options.
run_sale() { # RUNNER... PROGRAM
  STARPOS_ORG_NO=$ORG_NO STARPOS_MERC_ID=$MERC_ID STARPOS_TRM_NO=$TRM_NO STARPOS_KEY=$KEY \
    STARPOS_GATEWAY="" "$@" --gateway "$SIM_URL" --amount 1234 --interval-ms 50 --deadline-ms 20000
}

# ---------------------------------------------------------------------------------------------
# 3. release builds

release_build() { # TARGET
  cargo build --release -p starpos --lib --target "$1" || return 1
  ls -l "$TD/$1/release/libstarpos.so" "$TD/$1/release/libstarpos.a"
  readelf -d "$TD/$1/release/libstarpos.so" | grep -E 'NEEDED|SONAME'
  # Recorded now: the tls step below rebuilds <target dir>/<triple>/release with --features tls.
  SIZE_SO[$1]=$(stat -c %s "$TD/$1/release/libstarpos.so")
}

# ---------------------------------------------------------------------------------------------
# 4. the C example, cross-compiled, under qemu

stripped_size() { # STRIP FILE: the size of a stripped copy
  local tmp
  tmp=$(mktemp)
  "$1" -o "$tmp" "$2" && stat -c %s "$tmp"
  rm -f "$tmp"
}

c_example() { # TARGET
  local target=$1 prefix libdir out rc=0
  prefix=$(gcc_prefix "$target")
  libdir=$TD/$target/release
  out=$OUT/$target/c
  rm -rf "$out"
  make -C examples/c CC="$prefix-gcc" LIBDIR="$libdir" OUT="$out" \
    sale-shared sale-static edge-shared edge-static || return 1
  file "$out/sale-shared" "$out/sale-static"
  local link
  for link in shared static; do
    echo "--- sale-$link under $(qemu_for "$target"), gateway $SIM_URL"
    if run_sale qemu_run "$target" "$libdir" "$out/sale-$link"; then
      echo "sale-$link: exit 0"
    else
      echo "sale-$link under qemu FAILED (exit $?)" >&2
      rc=1
    fi
    echo "--- edge-$link under $(qemu_for "$target")"
    if qemu_run "$target" "$libdir" "$out/edge-$link" >"$out/edge-$link.log" 2>&1; then
      tail -n 1 "$out/edge-$link.log"
    else
      cat "$out/edge-$link.log"
      echo "edge-$link under qemu FAILED" >&2
      rc=1
    fi
  done
  SIZE_STATIC[$target]=$(stripped_size "$prefix-strip" "$out/sale-static")
  return $rc
}

# ---------------------------------------------------------------------------------------------
# 5. cargo test under qemu

# Every integration test, except these (each for a real reason, and covered elsewhere):
#   c_example  compiles examples/c with the *host* C compiler and execs the programs directly;
#              a cross-built program cannot be exec'd here (no binfmt). Step 4 does the same
#              builds with the cross gcc and runs them under qemu.
#   python     loads libstarpos.so into the host's (x86_64) python3, which cannot load an ARM
#              library. The ctypes module is tested natively by `cargo test` in .ci/run.
#   crash, journal_store
#              run the test binary itself again as child processes (a selling child killed
#              with SIGKILL, two writers, a child with a file-size limit or another uid); an
#              ARM test binary cannot exec itself here (no binfmt). They run natively in
#              .ci/run; the journal's own unit tests (--lib) run here under qemu.
#   wipe, trade_no
#              likewise run the test binary again as children (the gateway in a child whose
#              memory is not scanned; boots in fresh PID namespaces with the clock shim);
#              natively in .ci/run.
CROSS_TEST_EXCLUDE=(c_example python crash journal_store wipe trade_no)

cross_test() { # TARGET
  local target=$1 args=() f name
  for f in tests/*.rs tests/*/main.rs; do
    [ -e "$f" ] || continue
    case $f in */main.rs) name=$(basename "$(dirname "$f")") ;; *) name=$(basename "$f" .rs) ;; esac
    [[ " ${CROSS_TEST_EXCLUDE[*]} " == *" $name "* ]] && { echo "excluded: tests/$name (see CROSS_TEST_EXCLUDE)"; continue; }
    args+=(--test "$name")
  done
  # --no-fail-fast: one failing test binary does not hide the results of the others.
  # --test-threads=1: several tests give the simulator 2-5 s timeouts; run in parallel under
  # emulation on 2 cores they starve each other (fault_matrix's GBK case and concurrency timed
  # out that way at load 8-15), and one at a time is faster here anyway (51 s against 81 s).
  echo "cargo test -p starpos --target $target --no-fail-fast --lib ${args[*]} -- --test-threads=1"
  local rc=0
  cargo test -p starpos --target "$target" --no-fail-fast --lib "${args[@]}" -- --test-threads=1 || rc=1
  cargo test -p starpos --target "$target" --doc || rc=1
  return $rc
}

# ---------------------------------------------------------------------------------------------
# 5b. armv7 with --features tls: its size, the static C example with it, the tls tests under qemu

tls_armv7() {
  local target=$ARMV7 out=$OUT/$ARMV7/c-tls rc=0
  local libdir=$TD/$target/release
  cargo build --release -p starpos --lib --target "$target" --features tls || return 1
  SIZE_SO[$target+tls]=$(stat -c %s "$libdir/libstarpos.so")
  rm -rf "$out"
  make -C examples/c CC=arm-linux-gnueabihf-gcc LIBDIR="$libdir" OUT="$out" sale-static || return 1
  SIZE_STATIC[$target+tls]=$(stripped_size arm-linux-gnueabihf-strip "$out/sale-static")
  echo "--- sale-static (tls build, http gateway) under qemu-arm"
  run_sale qemu_run "$target" "" "$out/sale-static" || { echo "tls sale FAILED" >&2; rc=1; }
  # rustls with ring's ARM code, against a local https server, emulated.
  cargo test -p starpos --target "$target" --features tls --test tls -- --test-threads=1 || rc=1
  return $rc
}

# ---------------------------------------------------------------------------------------------
# 6. glibc 2.17 through zigbuild, the release archive

ZIG_SO_SIZE=""
export ARMV7_STD=${ARMV7_STD:-min}
glibc_217() {
  scripts/release.sh "$ARMV7" || return 1
  local version archive dir so
  version=$(make -s print-version)
  archive=dist/starpos-$version-$ARMV7.tar.gz
  echo "--- $archive"
  tar -tzvf "$archive" || return 1
  dir=$OUT/archive
  rm -rf "$dir"
  mkdir -p "$dir"
  tar -C "$dir" -xzf "$archive" || return 1
  dir=$dir/starpos-$version-$ARMV7
  so=$dir/lib/libstarpos.so.$version
  local versions newest
  versions=$(objdump -T "$so" | grep -o 'GLIBC_[0-9][0-9.]*' | sort -uV)
  echo "GLIBC versions needed by the zigbuild .so:" "$(tr '\n' ' ' <<<"$versions")"
  newest=$(tail -n 1 <<<"$versions" | sed 's/GLIBC_//')
  if [ -z "$newest" ] || [ "$(printf '%s\n2.17\n' "$newest" | sort -V | tail -n 1)" != "2.17" ]; then
    echo "the armv7 .so needs GLIBC_${newest:-?}, newer than 2.17 (or objdump found none):" >&2
    objdump -T "$so" | grep GLIBC_ | sort -k 5 >&2
    return 1
  fi
  ZIG_SO_SIZE=$(stat -c %s "$so")
  # The archive as a terminal SDK: sale.c through its pkg-config file, relocated with
  # --define-prefix, linked to the 2.17 .so, run under qemu (on Debian's newer armhf glibc).
  local flags prog=$OUT/$ARMV7/c/sale-zig217
  flags=$(PKG_CONFIG_PATH=$dir/lib/pkgconfig PKG_CONFIG_LIBDIR=$dir/lib/pkgconfig \
    pkg-config --define-prefix --cflags --libs starpos) || return 1
  echo "pkg-config --define-prefix --cflags --libs starpos: $flags"
  mkdir -p "$(dirname "$prog")"
  # shellcheck disable=SC2086
  arm-linux-gnueabihf-gcc -std=c99 -Wall -Wextra -Werror -pedantic -O2 -o "$prog" \
    examples/c/sale.c $flags || return 1
  run_sale qemu_run "$ARMV7" "$dir/lib" "$prog"
}

# ---------------------------------------------------------------------------------------------
# 7. armv7 musl, fully static

musl_static() {
  local target=$ARMV7_MUSL out=$OUT/$ARMV7_MUSL
  local a=$TD/zigbuild/$target/release/libstarpos.a
  # No rustup std for this target: -Zbuild-std builds std (and the unwinder) from rust-src.
  # zigbuild makes zig the C compiler and linker: zig ships musl for arm-linux-musleabihf, so
  # no musl-dev:armhf (which needs the armhf apt architecture) is needed.
  cargo +nightly zigbuild --locked --release -p starpos --lib --target "$target" \
    --target-dir "$TD/zigbuild" -Zbuild-std=std,panic_unwind || return 1
  mkdir -p "$out"
  # -lunwind: zig's LLVM libunwind, which the musl std's unwinder links against (without it
  # panics cannot unwind to the catch at the C boundary).
  python3 -m ziglang cc -target arm-linux-musleabihf -static -std=c99 -Wall -Wextra -Werror \
    -pedantic -O2 -Iinclude -o "$out/sale-static" examples/c/sale.c "$a" -lunwind \
    -Wl,--gc-sections || return 1
  python3 -m ziglang cc -target arm-linux-musleabihf -static -std=c99 -Wall -Wextra -Werror \
    -pedantic -O2 -Iinclude -o "$out/edge-static" examples/c/edge.c "$a" -lunwind \
    -Wl,--gc-sections || return 1
  file "$out/sale-static"
  if readelf -l "$out/sale-static" | grep -q -e INTERP -e DYNAMIC; then
    echo "$out/sale-static is not fully static" >&2
    return 1
  fi
  local rc=0
  echo "--- sale-static (musl) under qemu-arm, gateway $SIM_URL"
  run_sale limited 120 qemu-arm "$out/sale-static" || { echo "musl sale FAILED" >&2; rc=1; }
  echo "--- edge-static (musl) under qemu-arm"
  if limited 120 qemu-arm "$out/edge-static" >"$out/edge-static.log" 2>&1; then
    tail -n 1 "$out/edge-static.log"
  else
    cat "$out/edge-static.log"
    echo "musl edge FAILED" >&2
    rc=1
  fi
  SIZE_STATIC[$target]=$(stripped_size arm-linux-gnueabihf-strip "$out/sale-static")
  return $rc
}

# ---------------------------------------------------------------------------------------------
# 8. make install + pkg-config (host)

install_check() {
  local prefix=$OUT/prefix out=$OUT/pkg-config
  rm -rf "$prefix" "$out"
  mkdir -p "$out"
  make build || return 1
  make install PREFIX="$prefix" BUILD_DIR="$TD/release" || return 1
  (cd "$prefix" && find . -mindepth 1 | sort)
  ls -l "$prefix/lib"
  local -x PKG_CONFIG_PATH=$prefix/lib/pkgconfig
  echo "pkg-config --cflags --libs starpos:          $(pkg-config --cflags --libs starpos)"
  echo "pkg-config --static --cflags --libs starpos: $(pkg-config --static --cflags --libs starpos)"
  local cflags=(-std=c99 -Wall -Wextra -Werror -pedantic -O2)
  # shellcheck disable=SC2046
  cc "${cflags[@]}" -o "$out/sale-shared" examples/c/sale.c $(pkg-config --cflags --libs starpos) ||
    return 1
  # -lstarpos picks the .so when both are installed; -Wl,-Bstatic around it picks the .a,
  # the rest of --static (Libs.private) stays dynamic (glibc).
  local static
  static=$(pkg-config --static --libs starpos) || return 1
  static=${static/-lstarpos/-Wl,-Bstatic -lstarpos -Wl,-Bdynamic}
  # shellcheck disable=SC2046,SC2086
  cc "${cflags[@]}" -o "$out/sale-static" examples/c/sale.c $(pkg-config --cflags starpos) \
    $static -Wl,--gc-sections || return 1
  if readelf -d "$out/sale-static" | grep -q 'libstarpos'; then
    echo "sale-static still needs libstarpos.so:" >&2
    readelf -d "$out/sale-static" >&2
    return 1
  fi
  readelf -d "$out/sale-shared" | grep -E 'NEEDED'
  local rc=0
  echo "--- sale-shared (pkg-config), LD_LIBRARY_PATH=$prefix/lib"
  LD_LIBRARY_PATH=$prefix/lib run_sale limited 120 "$out/sale-shared" || rc=1
  echo "--- sale-static (pkg-config --static)"
  run_sale limited 120 "$out/sale-static" || rc=1
  SIZE_STATIC[x86_64-unknown-linux-gnu]=$(stripped_size strip "$out/sale-static")
  SIZE_SO[x86_64-unknown-linux-gnu]=$(stat -c %s "$TD/release/libstarpos.so")
  make uninstall PREFIX="$prefix" || return 1
  local left
  left=$(find "$prefix" -type f -o -type l)
  if [ -n "$left" ]; then
    echo "make uninstall left files behind: $left" >&2
    return 1
  fi
  return $rc
}

# ---------------------------------------------------------------------------------------------
# 9. sizes

kib() { [ -n "$1" ] && awk -v b="$1" 'BEGIN { printf "%.0f KiB", b / 1024 }' || echo "-"; }

sizes() {
  local budget=$((SIZE_BUDGET_KIB * 1024))
  local features
  features=$(cargo metadata --no-deps --format-version 1 2>/dev/null |
    python3 -c 'import json,sys; m=json.load(sys.stdin); p=[p for p in m["packages"] if p["name"]=="starpos"][0]; print(",".join(p["features"].get("default", [])) or "none")' 2>/dev/null)
  echo "release profile (Cargo.toml), default features: ${features:-?}; sizes of stripped files"
  echo "sale = examples/c/sale.c with libstarpos.a linked in (-Wl,--gc-sections), stripped"
  echo
  printf '| %-68s | %16s | %16s |\n' "target" "libstarpos.so" "sale, static"
  printf '|%s|%s|%s|\n' "----------------------------------------------------------------------" "------------------" "------------------"
  local row t so_b st_b
  for row in \
    "x86_64-unknown-linux-gnu|x86_64-unknown-linux-gnu (host glibc)" \
    "$ARMV7|$ARMV7 (Debian cross glibc)" \
    "$ARMV7+tls|$ARMV7 --features tls" \
    "$ARMV7.2.17|$ARMV7.2.17 (zigbuild, std $ARMV7_STD): ships" \
    "$AARCH64|$AARCH64 (Debian cross glibc)" \
    "$ARMV7_MUSL|$ARMV7_MUSL (build-std, zig, static)"; do
    t=${row%%|*}
    so_b=${SIZE_SO[$t]:-}
    [ "$t" = "$ARMV7.2.17" ] && so_b=$ZIG_SO_SIZE
    st_b=${SIZE_STATIC[$t]:-}
    printf '| %-68s | %7s %8s | %7s %8s |\n' "${row#*|}" "${so_b:--}" "$( [ -n "$so_b" ] && kib "$so_b")" \
      "${st_b:--}" "$( [ -n "$st_b" ] && kib "$st_b")"
  done
  echo
  # The budget is for what ships: the armv7 .so of the release archive (step 6); when that
  # step could not run, the plain cross build stands in.
  local actual what
  if [ -n "$ZIG_SO_SIZE" ]; then
    actual=$ZIG_SO_SIZE
    what="the shipped $ARMV7 libstarpos.so (release archive, std $ARMV7_STD, no tls)"
  elif [ -n "${SIZE_SO[$ARMV7]:-}" ]; then
    actual=${SIZE_SO[$ARMV7]}
    what="the $ARMV7 libstarpos.so (cargo build --release, no tls; the release archive was not built)"
  else
    echo "no armv7 .so was built: the budget cannot be checked" >&2
    return 1
  fi
  if [ "$actual" -gt "$budget" ]; then
    echo "SIZE BUDGET EXCEEDED: $what is $actual bytes ($(kib "$actual")), the budget is" \
      "$budget bytes ($SIZE_BUDGET_KIB KiB), over by $((actual - budget)) bytes." >&2
    echo "Where the bytes go and what would cut them: docs/terminal.md, 'Footprint'" \
      "(scripts/size-variants.sh --breakdown measures it)." >&2
    return 1
  fi
  echo "$what: $actual bytes ($(kib "$actual")) <= budget $budget bytes ($SIZE_BUDGET_KIB KiB)"
}

# ---------------------------------------------------------------------------------------------

step "tools" tools

if step "simulator (native)" simulator; then HAVE_SIM=1; else HAVE_SIM=0; fi

for target in "$ARMV7" "$AARCH64"; do
  case $target in
    "$ARMV7") have_rust=$HAVE_RUST_ARMV7 have_gcc=$HAVE_ARMV7_GCC have_qemu=$HAVE_QEMU_ARM ;;
    "$AARCH64") have_rust=$HAVE_RUST_AARCH64 have_gcc=$HAVE_AARCH64_GCC have_qemu=$HAVE_QEMU_AARCH64 ;;
  esac
  if [ "$have_rust" != 1 ] || [ "$have_gcc" != 1 ]; then
    skip "release build $target" "no rust std or cross gcc for $target"
    skip "C example $target (qemu)" "no rust std or cross gcc for $target"
    skip "cargo test $target (qemu)" "no rust std or cross gcc for $target"
    continue
  fi
  built=0
  step "release build $target" release_build "$target" && built=1
  if [ "$have_qemu" != 1 ]; then
    skip "C example $target (qemu)" "no $(qemu_for "$target")"
    skip "cargo test $target (qemu)" "no $(qemu_for "$target")"
    continue
  fi
  if [ $built = 1 ] && [ $HAVE_SIM = 1 ]; then
    step "C example $target (qemu)" c_example "$target"
  else
    skip "C example $target (qemu)" "the release build or the simulator failed (see above)"
  fi
  step "cargo test $target (qemu)" cross_test "$target"
  if [ "$target" = "$ARMV7" ]; then
    if [ $built = 1 ] && [ $HAVE_SIM = 1 ]; then
      step "tls build + tests $target (qemu)" tls_armv7
    else
      skip "tls build + tests $target (qemu)" "the release build or the simulator failed (see above)"
    fi
  fi
done

if [ "$ARMV7_STD" = min ] && ! rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
  skip "glibc 2.17 armv7 (zigbuild, release.sh)" "ARMV7_STD=min needs rust-src, which rustup could not add"
elif [ $HAVE_ZIG = 1 ] && [ $HAVE_ZIGBUILD = 1 ] && [ $HAVE_ARMV7_GCC = 1 ] && [ $HAVE_QEMU_ARM = 1 ] &&
  [ $HAVE_RUST_ARMV7 = 1 ] && [ $HAVE_PKG_CONFIG = 1 ] && [ $HAVE_SIM = 1 ]; then
  step "glibc 2.17 armv7 (zigbuild, release.sh)" glibc_217
else
  skip "glibc 2.17 armv7 (zigbuild, release.sh)" "needs zig, cargo-zigbuild, the armv7 std and gcc, qemu-arm, pkg-config and the simulator"
fi

if [ $HAVE_ZIG = 1 ] && [ $HAVE_ZIGBUILD = 1 ] && [ $HAVE_NIGHTLY_SRC = 1 ] && [ $HAVE_QEMU_ARM = 1 ] &&
  [ $HAVE_ARMV7_GCC = 1 ] && [ $HAVE_SIM = 1 ]; then
  step "musl static armv7 (build-std, zig)" musl_static
else
  skip "musl static armv7 (build-std, zig)" "needs zig, cargo-zigbuild, nightly with rust-src, qemu-arm and the simulator"
fi

if [ $HAVE_PKG_CONFIG = 1 ] && [ $HAVE_SIM = 1 ]; then
  step "make install + pkg-config (host)" install_check
else
  skip "make install + pkg-config (host)" "needs pkg-config and the simulator"
fi

step "sizes and the armv7 budget" sizes

stop_simulator

banner "summary ($(($(date +%s) - SCRIPT_START))s in all)"
printf '%s\n' "${SUMMARY[@]}"
if [ ${#SKIPPED[@]} -gt 0 ]; then
  loud "some steps were SKIPPED because a toolchain could not be installed:" "${SKIPPED[@]}"
fi
if [ ${#FAILED[@]} -gt 0 ]; then
  echo
  echo "FAILED: ${FAILED[*]}" >&2
  exit 1
fi
if [ ${#SKIPPED[@]} -gt 0 ] && [ "$STRICT" = 1 ]; then
  echo "STARPOS_TERMINAL_STRICT=1: skipped steps fail the script" >&2
  exit 1
fi
echo "terminal checks passed"
