#!/usr/bin/env bash
# Measures libstarpos.so for one target under several build variants, and where the bytes go.
#
# usage: scripts/size-variants.sh [--breakdown] [TARGET]     (default armv7-unknown-linux-gnueabihf)
#
# Each variant builds into its own directory under target/size-variants/ (the first run of
# each takes a minute or two; later runs only relink what changed). Profile settings are varied
# through CARGO_PROFILE_RELEASE_* so Cargo.toml is not touched. Variants:
#
#   release             the release profile as in Cargo.toml, default features
#   opt-z               opt-level "z"
#   gbk                 --features gbk (encoding_rs)
#   opt-z,gbk           both
#   min-std             nightly -Zbuild-std, std built without its `backtrace` feature (no
#                       gimli/addr2line symbolizer in the panic hook), panics still unwind
#   min-std,opt-z       and opt-level "z"
#   min-std,opt-z,gbk
#   min-std,opt-z,no-location   and -Zlocation-detail=none (panic messages lose file:line)
#   panic-abort         opt-level "z" + panic=abort: for comparison only; a panic would then kill
#                       the host process instead of returning INTERNAL
#   tls                 --features tls (rustls/ring on the library's own HTTP/1.1, Mozilla's roots)
#   min-std,opt-z,tls
#
# VARIANTS="release tls" measures only those.
#
# --breakdown also builds the release variant unstripped and prints its code and data by crate.
# Needs the cross gcc and rustup target for TARGET (see docs/terminal.md), and for min-std the
# nightly toolchain with rust-src.
set -euo pipefail
cd "$(dirname "$0")/.."

breakdown=0
if [ "${1:-}" = "--breakdown" ]; then
  breakdown=1
  shift
fi
TARGET=${1:-armv7-unknown-linux-gnueabihf}
DIR=target/size-variants

case $TARGET in
  armv7-unknown-linux-gnueabihf) gcc=arm-linux-gnueabihf ;;
  aarch64-unknown-linux-gnu) gcc=aarch64-linux-gnu ;;
  x86_64-unknown-linux-gnu) gcc="" ;;
  *) echo "unknown target $TARGET" >&2; exit 2 ;;
esac
if [ -n "$gcc" ]; then
  upper=$(tr 'a-z-' 'A-Z_' <<<"$TARGET")
  lower=$(tr '-' '_' <<<"$TARGET")
  export "CARGO_TARGET_${upper}_LINKER=${gcc}-gcc" "CC_${lower}=${gcc}-gcc" "AR_${lower}=${gcc}-ar"
fi

MIN_STD=("-Zbuild-std=std,panic_unwind" "-Zbuild-std-features=panic-unwind")

# variant NAME [ENV=VALUE...] -- CARGO ARGS...
variant() {
  local name=$1
  shift
  if [ -n "${VARIANTS:-}" ] && [[ " $VARIANTS " != *" $name "* ]]; then
    return 0
  fi
  local -a envs=()
  while [ "$1" != "--" ]; do
    envs+=("$1")
    shift
  done
  shift
  local log=$DIR/$name.log
  mkdir -p "$DIR"
  if env "${envs[@]}" CARGO_TARGET_DIR="$DIR/$name" "$@" --release -p starpos --lib \
    --target "$TARGET" >"$log" 2>&1; then
    local size
    size=$(stat -c %s "$DIR/$name/$TARGET/release/libstarpos.so")
    printf '| %-28s | %9s | %5s KiB |\n' "$name" "$size" "$(( (size + 512) / 1024 ))"
  else
    printf '| %-28s | %9s | %9s |\n' "$name" "FAILED" "see $log"
  fi
}

echo "libstarpos.so for $TARGET, stripped ($(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet 2>/dev/null || echo ' + uncommitted changes'))"
printf '| %-28s | %9s | %9s |\n' variant bytes size
printf '|%s|%s|%s|\n' ------------------------------ ----------- -----------
variant release -- cargo build
variant opt-z CARGO_PROFILE_RELEASE_OPT_LEVEL=z -- cargo build
variant gbk -- cargo build --features gbk
variant opt-z,gbk CARGO_PROFILE_RELEASE_OPT_LEVEL=z -- cargo build --features gbk
variant min-std -- cargo +nightly build "${MIN_STD[@]}"
variant min-std,opt-z CARGO_PROFILE_RELEASE_OPT_LEVEL=z -- cargo +nightly build "${MIN_STD[@]}"
variant min-std,opt-z,gbk CARGO_PROFILE_RELEASE_OPT_LEVEL=z -- \
  cargo +nightly build "${MIN_STD[@]}" --features gbk
variant min-std,opt-z,no-location CARGO_PROFILE_RELEASE_OPT_LEVEL=z RUSTFLAGS=-Zlocation-detail=none -- \
  cargo +nightly build "${MIN_STD[@]}"
variant panic-abort CARGO_PROFILE_RELEASE_OPT_LEVEL=z CARGO_PROFILE_RELEASE_PANIC=abort -- cargo build
variant tls -- cargo build --features tls
variant min-std,opt-z,tls CARGO_PROFILE_RELEASE_OPT_LEVEL=z -- \
  cargo +nightly build "${MIN_STD[@]}" --features tls

[ $breakdown = 1 ] || exit 0

echo
echo "where the bytes go (release variant, unstripped, symbols grouped by crate/purpose):"
CARGO_PROFILE_RELEASE_STRIP=false CARGO_TARGET_DIR=$DIR/symbols \
  cargo build -q --release -p starpos --lib --target "$TARGET"
so=$DIR/symbols/$TARGET/release/libstarpos.so
nm=${gcc:+$gcc-}nm
size=${gcc:+$gcc-}size
"$size" -A "$so" | awk '$1 ~ /^\.(text|rodata|data\.rel\.ro|ARM\.extab|ARM\.exidx|eh_frame|eh_frame_hdr|gcc_except_table|rel\.dyn|rela\.dyn)$/ { printf "  %-20s %8d\n", $1, $2 }'
"$nm" -C --size-sort -S "$so" | python3 -c '
import re, sys
groups = [
    ("std backtrace symbolizer (gimli, addr2line, rustc_demangle, miniz_oxide)",
     r"gimli|addr2line|rustc_demangle|miniz_oxide|backtrace"),
    ("encoding_rs (gbk feature; all CJK tables)", r"encoding_rs"),
    ("ureq + ureq_proto + http + httparse + bytes + base64",
     r"ureq|(^|[<: ])http::|httparse|(^|[<: ])bytes::|base64"),
    ("serde_json + serde", r"serde"),
    ("starpos (this crate)", r"starpos"),
    ("core/alloc fmt", r"fmt|flt2dec|dec2flt|zmij"),
    ("std net/io/thread/sys", r"std::(net|io|thread|sys)"),
    ("md-5", r"md5|md_5"),
]
sums = {name: [0, 0] for name, _ in groups}
other = [0, 0]
for line in sys.stdin:
    parts = line.rstrip("\n").split(" ", 3)
    if len(parts) < 4:
        continue
    size, kind, name = int(parts[1], 16), parts[2].lower(), parts[3]
    slot = 0 if kind in ("t", "w") else 1
    for group, rx in groups:
        if re.search(rx, name):
            sums[group][slot] += size
            break
    else:
        other[slot] += size
print("  %-72s %9s %9s" % ("group (by symbol name)", "code", "data"))
for group, _ in groups:
    print("  %-72s %9d %9d" % (group, *sums[group]))
print("  %-72s %9d %9d" % ("everything else (core, alloc, std rest, hashbrown, ...)", *other))
'
