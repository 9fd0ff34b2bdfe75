#!/usr/bin/env bash
# Short fuzzing runs (FUZZ_SECONDS each, default 60) of every cargo-fuzz target, after
# replaying the committed regression inputs (fuzz/regressions/<target>/: every crash ever
# found stays there as a test). Needs nightly (installed on these machines) and cargo-fuzz.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${FUZZ_SECONDS:-60}

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
cargo +nightly fuzz build -O

for target in $(cargo +nightly fuzz list); do
  regressions="regressions/$target"
  if [ -d "$regressions" ] && [ -n "$(ls -A "$regressions")" ]; then
    echo "--- $target: replaying $(ls "$regressions" | wc -l) regression inputs"
    cargo +nightly fuzz run -O "$target" "$regressions"/* -- -runs=1
  fi
  echo "--- $target: fuzzing for ${seconds}s"
  corpus="corpus/$target"
  mkdir -p "$corpus"
  cargo +nightly fuzz run -O "$target" "$corpus" -- -max_total_time="$seconds" -print_final_stats=1 2>&1 | tail -4
  # cargo fuzz exits non-zero on a crash (set -e stops here); artifacts/ keeps the input.
done
