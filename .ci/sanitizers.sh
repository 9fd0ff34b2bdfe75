#!/usr/bin/env bash
# The C examples under valgrind and under AddressSanitizer + UndefinedBehaviorSanitizer, against
# the simulator running as its own process. Installs what it needs; fails on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1; }
if ! need valgrind || ! need clang || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.asan*-x86_64.a >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind clang libclang-rt-14-dev
fi

cargo build -q -p starpos -p starpos-sim
lib=target/debug
out=$(mktemp -d)
sim_log="$out/sim.log"
target/debug/starpos-sim --port 0 --settle-after-ms 200 >"$sim_log" 2>&1 &
sim_pid=$!
trap 'kill $sim_pid 2>/dev/null || true; rm -rf "$out"' EXIT
for _ in $(seq 1 100); do grep -q "base URL:" "$sim_log" && break; sleep 0.1; done
base_url=$(sed -n 's/^ *base URL: *//p' "$sim_log")
[ -n "$base_url" ] || { echo "the simulator did not start:"; cat "$sim_log"; exit 1; }
export STARPOS_GATEWAY="$base_url" STARPOS_ORG_NO=489 STARPOS_MERC_ID=800290000007906 \
       STARPOS_TRM_NO=XB006439 STARPOS_KEY=9E1D5C0A7B3F4E2D8C6A1B0F3E5D7C9A RUST_BACKTRACE=0
echo "simulator at $base_url"

make -s -C examples/c OUT="$out" LIBDIR="$PWD/$lib" sale-shared counter-shared edge-shared

# counter.c keeps a sale journal: a fresh one per run.
journal_arg() { case $1 in counter*) echo "--journal $out/$1.journal" ;; esac; }

echo "--- valgrind (definite leaks and memory errors fail)"
for prog in sale-shared counter-shared edge-shared; do
  valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
    --show-leak-kinds=definite "$out/$prog" $(journal_arg "$prog") >"$out/$prog.valgrind.out" 2>&1 \
    || { cat "$out/$prog.valgrind.out"; echo "valgrind: $prog failed"; exit 1; }
  echo "valgrind: $prog clean"
done

# counter.c with its cashier pressing cancel mid-sale (the cancel handle, its thread, the
# progress callback): exit 3 (cancelled, in doubt) or 0 (the payer was quicker) are both
# fine here; a finding exits 99.
cancel_run() { # PROGRAM NAME
  local rc=0
  "$@" --journal "$out/$(basename "$1")-cancel.journal" --interval-ms 50 --cancel-after-ms 100 \
    >"$out/cancel.out" 2>&1 || rc=$?
  case $rc in 0|3) ;; *) cat "$out/cancel.out"; echo "cancel run of $1 failed ($rc)"; exit 1 ;; esac
}
cancel_run valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
  --show-leak-kinds=definite "$out/counter-shared"
echo "valgrind: counter-shared (cancelled) clean"

echo "--- clang -fsanitize=address,undefined"
for prog in sale counter edge; do
  clang -std=c99 -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
    -fno-sanitize-recover=all -pthread -Iinclude "examples/c/$prog.c" -o "$out/$prog-asan" \
    -L"$lib" -lstarpos -Wl,-rpath,"$out"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$out/$prog-asan" $(journal_arg "$prog-asan") >"$out/$prog.asan.out" 2>&1 \
    || { cat "$out/$prog.asan.out"; echo "sanitizers: $prog failed"; exit 1; }
  echo "sanitizers: $prog clean"
done
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  cancel_run "$out/counter-asan"
echo "sanitizers: counter (cancelled) clean"
