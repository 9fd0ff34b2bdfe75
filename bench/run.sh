#!/usr/bin/env bash
# Every benchmark in BENCHMARKS.md, in one command, from a fresh clone:
#
#     bench/run.sh
#
# 1. installs what it needs (gcc, libcurl4-openssl-dev, valgrind, python3) and builds everything:
#    the library, simulator and CLI (cargo build --release), the C programs in bench/c;
# 2. micro: `cargo bench --bench micro` (criterion times, heap allocations per call), then
#    instructions per call under callgrind (deterministic, unlike times on a shared machine);
# 3. end to end over loopback, ROUNDS rounds; in each round, for 1, 4 and 16 threads, back to
#    back: a. the library through the C ABI (keep-alive), b. libcurl + hand-written C, c. raw
#    socket floor, d. the library with keep-alive off; against bench/c/fixed_server (one
#    precomputed signed answer) and against the simulator (starpos-sim, order query);
# 4. memory: VmRSS over 100k calls, heap allocations per real call, the library's size; user-space
#    instructions per real call of the library, libcurl and floor clients (callgrind);
# 5. bench/summarize.py: the tables, in target/bench/results/summary.md.
#
# Each run keeps its raw output in target/bench/runs/<time>/ (target/bench/results points to the
# latest). On a shared machine, combine several runs: every round of every run then counts, and
# the ratios are still taken within each round:  python3 bench/summarize.py target/bench/runs/*
#
# Sequential runs pin the server and the client to one CPU (PIN=0, the CPU's number; PIN=off to
# not pin): on an otherwise idle VM each sleep of an unpinned process costs a 35-40 us wake-up of
# an idle vCPU, which then dominates every client alike and flips run to run (BENCHMARKS.md).
# Runs with 4 and 16 threads are never pinned: they are about using both cores.
#
# The machine may be shared: before the micro step and before each round, the run waits (up to
# QUIET_WAIT_S) until the CPU time others use, sampled over 2 s while this script is idle, is at
# most MAX_BUSY percent of all cores, and records what it was (LOAD lines in e2e.txt, micro.txt).
#
# Knobs (environment): ROUNDS=3 RUN_MS=1500 WARM_MS=300 THREADS="1 4 16" PIN=0 SKIP_MICRO=1
# MAX_BUSY=25 QUIET_WAIT_S=300
# SKIP_SIM=1 MEM_CALLS=100000; CANDIDATE=/dir/with/libstarpos.so also runs the library client against that
# build, right after the current one in every round (rows "cand_*"), to measure a change.
# Nothing here is a test: no number fails the run. Takes about 6 minutes (more when cold).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/target/bench
RES=$OUT/runs/$(date -u +%Y%m%d-%H%M%S)
ROUNDS=${ROUNDS:-3}
RUN_MS=${RUN_MS:-1500}
WARM_MS=${WARM_MS:-300}
THREADS=${THREADS:-"1 4 16"}
MEM_CALLS=${MEM_CALLS:-100000}
PIN=${PIN:-0}
ON=() # the prefix that pins a command, for sequential runs
command -v taskset >/dev/null || PIN=off
KEY=9E1D5C0A7B3F4E2D8C6A1B0F3E5D7C9A # the simulator's default merchant key

MAX_BUSY=${MAX_BUSY:-25}
QUIET_WAIT_S=${QUIET_WAIT_S:-300}

step() { printf '\n=== %s\n' "$*" >&2; }

# Percent of all cores busy over the next 2 s (from /proc/stat), while this script sleeps.
busy_pct() {
    local a b
    read -r -a a < <(head -1 /proc/stat)
    sleep 2
    read -r -a b < <(head -1 /proc/stat)
    local total=0 idle i
    for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
    idle=$((b[4] - a[4] + b[5] - a[5]))
    echo $((total > 0 ? 100 * (total - idle) / total : 0))
}

# Waits until the others' CPU use is at most MAX_BUSY % (at most QUIET_WAIT_S), then prints
# what the run starts under: "busy=<%> loadavg=<1,5,15> waited_s=<s>".
quiet() {
    local start=$SECONDS b
    b=$(busy_pct)
    while ((b > MAX_BUSY && SECONDS - start < QUIET_WAIT_S)); do
        sleep 8
        b=$(busy_pct)
    done
    echo "busy=$b loadavg=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' ',') waited_s=$((SECONDS - start))"
}
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

step "tools"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
pkgs=()
command -v cc >/dev/null || pkgs+=(gcc)
dpkg -s libcurl4-openssl-dev >/dev/null 2>&1 || pkgs+=(libcurl4-openssl-dev)
command -v valgrind >/dev/null || pkgs+=(valgrind)
command -v python3 >/dev/null || pkgs+=(python3)
if ((${#pkgs[@]})); then
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${pkgs[@]}" >/dev/null
fi

step "build"
cargo build --release # libstarpos.so, starpos-sim, starpos (the workspace's default members)
mkdir -p "$OUT" "$RES"
rm -rf "$OUT/results"
ln -sfn "$RES" "$OUT/results"
ln -sf ../release/libstarpos.so "$OUT/libstarpos.so"
SONAME=$(make -s -C "$ROOT" print-soname)
ln -sf ../release/libstarpos.so "$OUT/$SONAME" # its SONAME
CFLAGS=(-O2 -g -std=gnu11 -Wall -Wextra -I"$ROOT/include" -I"$ROOT/bench/c")
LIB=(-L"$OUT" -lstarpos -Wl,-rpath,"$OUT" -lpthread)
cc "${CFLAGS[@]}" -o "$OUT/fixed_server" bench/c/fixed_server.c -lpthread
cc "${CFLAGS[@]}" -o "$OUT/raw_floor" bench/c/raw_floor.c -lpthread
cc "${CFLAGS[@]}" -o "$OUT/curl_baseline" bench/c/curl_baseline.c -lcurl -lpthread
cc "${CFLAGS[@]}" -o "$OUT/abi_bench" bench/c/abi_bench.c "${LIB[@]}"
cc "${CFLAGS[@]}" -DCOUNT_MALLOC -o "$OUT/abi_bench_count" bench/c/abi_bench.c "${LIB[@]}"
if [ -n "${CANDIDATE:-}" ]; then
    mkdir -p "$OUT/candidate"
    ln -sf "$(realpath "$CANDIDATE")/libstarpos.so" "$OUT/candidate/libstarpos.so"
    # The candidate may be another version: its own SONAME.
    CSONAME=$(readelf -d "$CANDIDATE/libstarpos.so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
    ln -sf "$(realpath "$CANDIDATE")/libstarpos.so" "$OUT/candidate/$CSONAME"
    CLIB=(-L"$OUT/candidate" -lstarpos -Wl,-rpath,"$OUT/candidate" -lpthread)
    cc "${CFLAGS[@]}" -o "$OUT/candidate/abi_bench" bench/c/abi_bench.c "${CLIB[@]}"
    cc "${CFLAGS[@]}" -DCOUNT_MALLOC -o "$OUT/candidate/abi_bench_count" bench/c/abi_bench.c "${CLIB[@]}"
fi

{
    echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "nproc:   $(nproc)"
    echo "cpu:     $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
    echo "kernel:  $(uname -sr)"
    echo "rustc:   $(rustc -V)"
    echo "cc:      $(cc --version | head -1)"
    echo "libcurl: $(curl-config --version 2>/dev/null || echo '?')"
    echo "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet -- src 2>/dev/null || echo ' (src/ modified)')"
    echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "pinning: sequential runs on CPU $PIN (PIN=off: none)"
} >"$RES/machine.txt"
cat "$RES/machine.txt" >&2

if [ -z "${SKIP_MICRO:-}" ]; then
    step "micro: criterion (times, allocations per call)"
    cargo bench --bench micro --no-run >/dev/null 2>&1 || cargo bench --bench micro --no-run
    echo "LOAD round=micro $(quiet)" | tee "$RES/micro-load.txt" >&2
    cargo bench --bench micro >"$RES/micro.txt" 2>&1 || { cat "$RES/micro.txt" >&2; exit 1; }
    cat "$RES/micro-load.txt" >>"$RES/micro.txt"
    grep -E '^(ALLOC|[a-z_]+ +time:)' "$RES/micro.txt" >&2 || true
    step "micro: instructions per call (callgrind, deterministic)"
    BIN=$(ls -t target/release/deps/micro-* | grep -v '\.d$' | head -1)
    for op in sign_pay_request encode_pay_request verify_pay_answer pay_call_c_abi_path pay_call_reused_client \
        barcode_pay_call_c_abi_path barcode_pay_call_reused_client barcode_exchange_only; do
        count() {
            STARPOS_MICRO_OP=$op STARPOS_MICRO_CALLS=$1 valgrind --tool=callgrind \
                --callgrind-out-file=/dev/null "$BIN" 2>&1 | sed -n 's/.*Collected : //p'
        }
        n1=$(count 1000)
        n2=$(count 3000)
        echo "INSTR op=$op instructions_per_call=$(((n2 - n1) / 2000))" | tee -a "$RES/instructions.txt" >&2
    done
fi

# Starts a server in the background; sets PORT. $1: log file, rest: command.
start() {
    local log=$1
    shift
    "${ON[@]}" "$@" >"$log" 2>&1 &
    PIDS+=($!)
    SERVER_PID=$!
    PORT=""
    for _ in $(seq 200); do
        PORT=$(sed -n -e 's/^listening on \([0-9]*\)$/\1/p' -e 's#.*base URL: *http://127.0.0.1:\([0-9]*\)/.*#\1#p' "$log" | head -1)
        [ -n "$PORT" ] && return 0
        sleep 0.05
    done
    echo "server did not start: $*" >&2
    cat "$log" >&2
    exit 1
}
stop() { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; }

# One client run; its RESULT line goes to e2e.txt with the round and server.
client() {
    local round=$1 server=$2
    shift 2
    "${ON[@]}" "$@" --port "$PORT" --warm-ms "$WARM_MS" --run-ms "$RUN_MS" 2>>"$RES/e2e-errors.txt" |
        sed "s/^RESULT /RESULT round=$round server=$server /" | tee -a "$RES/e2e.txt" >&2 || true
}

# An order in the simulator to query, made through the CLI (a few tries: right after a run
# without keep-alive the machine may be short of ephemeral ports for a moment).
sim_order() {
    local out
    for _ in 1 2 3 4 5; do
        out=$("$ROOT/target/release/starpos" --gateway "http://127.0.0.1:$PORT/adpweb/ehpspos3/" \
            --org-no 489 --merc-id 800290000007906 --trm-no XB006439 --key "$KEY" --json \
            pay --code "benchsetup$RANDOM$RANDOM" --amount 1234 --total-amount 1234 \
            --subject "Latte grande" 2>>"$RES/e2e-errors.txt") || true
        local q
        q=$(printf '%s' "$out" | sed -n 's/.*"logNo":"\([0-9]*\)".*/\1/p')
        if [ -n "$q" ]; then
            echo "$q"
            return 0
        fi
        echo "sim_order: no order yet (CLI said: ${out:-nothing}), retrying" >>"$RES/e2e-errors.txt"
        sleep 1
    done
    return 1
}

step "end to end: $ROUNDS rounds x threads {$THREADS}, ${RUN_MS} ms each (+${WARM_MS} ms warm-up)"
# Pins what starts next when $1 is 1 (a sequential run), unless PIN=off.
pin_for() {
    ON=()
    if [ "$1" = 1 ] && [ "$PIN" != off ]; then ON=(taskset -c "$PIN"); fi
}

for round in $(seq "$ROUNDS"); do
    # The load each round starts under: every figure of the round depends on it.
    echo "LOAD round=$round $(quiet)" | tee -a "$RES/e2e.txt" >&2
    for t in $THREADS; do
        pin_for "$t"
        start "$OUT/fixed_server.log" "$OUT/fixed_server" --port 0
        client "$round" fixed "$OUT/abi_bench" --threads "$t"
        [ -z "${CANDIDATE:-}" ] || BENCH_NAME=cand client "$round" fixed "$OUT/candidate/abi_bench" --threads "$t"
        client "$round" fixed "$OUT/abi_bench" --threads "$t" --host localhost
        [ -z "${CANDIDATE:-}" ] || BENCH_NAME=cand client "$round" fixed "$OUT/candidate/abi_bench" --threads "$t" --host localhost
        client "$round" fixed "$OUT/curl_baseline" --threads "$t"
        client "$round" fixed "$OUT/raw_floor" --threads "$t"
        client "$round" fixed "$OUT/abi_bench" --threads "$t" --no-keepalive
        [ -z "${CANDIDATE:-}" ] || BENCH_NAME=cand client "$round" fixed "$OUT/candidate/abi_bench" --threads "$t" --no-keepalive
        client "$round" fixed "$OUT/raw_floor" --threads "$t" --like-ureq
        stop
    done
    if [ -z "${SKIP_SIM:-}" ]; then
        # A fresh simulator for every run: it keeps every request it gets, so its memory (and
        # the work it does per request) would otherwise grow from run to run.
        for t in $THREADS; do
            pin_for "$t"
            for c in abi ${CANDIDATE:+cand} curl raw abi_nk; do
                start "$OUT/sim.log" "$ROOT/target/release/starpos-sim" --port 0
                if ! q=$(sim_order); then
                    echo "no order in the simulator: skipping $c, $t threads" >&2
                    stop
                    continue
                fi
                case $c in
                abi) client "$round" simulator "$OUT/abi_bench" --mode query --qry-no "$q" --threads "$t" ;;
                cand) BENCH_NAME=cand client "$round" simulator "$OUT/candidate/abi_bench" --mode query --qry-no "$q" --threads "$t" ;;
                curl) client "$round" simulator "$OUT/curl_baseline" --mode query --qry-no "$q" --threads "$t" ;;
                raw) client "$round" simulator "$OUT/raw_floor" --mode query --qry-no "$q" --threads "$t" ;;
                abi_nk) client "$round" simulator "$OUT/abi_bench" --mode query --qry-no "$q" --threads "$t" --no-keepalive ;;
                esac
                stop
            done
        done
    fi
done

step "memory: VmRSS over $MEM_CALLS calls, allocations per real call, library size"
pin_for 1
start "$OUT/fixed_server.log" "$OUT/fixed_server" --port 0
"${ON[@]}" "$OUT/abi_bench" --port "$PORT" --calls "$MEM_CALLS" | tee "$RES/memory.txt" >&2
"${ON[@]}" "$OUT/abi_bench_count" --port "$PORT" --calls 20000 | grep ALLOCS | tee -a "$RES/memory.txt" >&2
"${ON[@]}" "$OUT/abi_bench_count" --port "$PORT" --calls 5000 --no-keepalive | grep ALLOCS | tee -a "$RES/memory.txt" >&2
if [ -n "${CANDIDATE:-}" ]; then
    BENCH_NAME=cand "${ON[@]}" "$OUT/candidate/abi_bench" --port "$PORT" --calls "$MEM_CALLS" | sed 's/^MEM /MEM cand /' | tee -a "$RES/memory.txt" >&2
    BENCH_NAME=cand "${ON[@]}" "$OUT/candidate/abi_bench_count" --port "$PORT" --calls 20000 | grep ALLOCS | tee -a "$RES/memory.txt" >&2
fi
if [ -z "${SKIP_MICRO:-}" ]; then
    # User-space instructions per real call (client program + library or libcurl; the kernel's
    # work is not counted): like the micro counts, these do not depend on the load.
    for c in abi_bench curl_baseline raw_floor; do
        count() {
            valgrind --tool=callgrind --callgrind-out-file=/dev/null "$OUT/$c" --port "$PORT" \
                --calls "$1" 2>&1 | sed -n 's/.*Collected : //p'
        }
        n1=$(count 1000)
        n2=$(count 3000)
        echo "INSTR op=real_call_$c instructions_per_call=$(((n2 - n1) / 2000))" | tee -a "$RES/instructions.txt" >&2
    done
fi
stop
{
    size target/release/libstarpos.so | sed 's/^/SIZE /'
    ls -l target/release/libstarpos.so target/release/libstarpos.a | sed 's/^/SIZE /'
} | tee -a "$RES/memory.txt" >&2
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$RES/machine.txt"

# A failed call is not a measurement of the call: say so loudly (the summary counts them too).
if grep -Eq '^RESULT .* errors=[1-9]' "$RES/e2e.txt" 2>/dev/null; then
    step "WARNING: some runs had failed calls (errors=N in e2e.txt; why: e2e-errors.txt)"
    grep -E '^RESULT .* errors=[1-9]' "$RES/e2e.txt" >&2
fi

step "summary of this run ($RES/summary.md; all runs: python3 bench/summarize.py target/bench/runs/*)"
python3 bench/summarize.py "$RES"
