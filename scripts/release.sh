#!/usr/bin/env bash
# Builds the release archives: one dist/starpos-<version>-<target>.tar.gz per target, each with
#
#   starpos-<version>-<target>/
#     lib/libstarpos.so.<x.y.z>, lib/libstarpos.so.<SONAME suffix, 0.<minor> for 0.x> -> ...,
#     lib/libstarpos.so -> ...
#     lib/cmake/starpos/        starposConfig.cmake, starposConfigVersion.cmake (relocatable)
#     lib/libstarpos.a
#     lib/pkgconfig/starpos.pc      prefix=/usr/local; elsewhere: pkg-config --define-prefix
#     include/starpos.h
#     README.md
#     docs/*.md                     the guides README.md links to (docs/c.md: using it from C)
#     BUILD-INFO                    target, version, commit, toolchain, glibc needed, sizes
#
# usage: scripts/release.sh [TARGET...]
#   TARGET: x86_64-unknown-linux-gnu, armv7-unknown-linux-gnueabihf, aarch64-unknown-linux-gnu
#   (default: all three).
#
# How each is built (see docs/terminal.md):
#   x86_64   cargo build, the host's gcc and glibc
#   armv7    cargo zigbuild --target armv7-unknown-linux-gnueabihf.2.17: the .so needs at
#            most GLIBC_2.17 (checked here), so it loads on old terminal firmware;
#            ARMV7_STD=min builds it with a std without the backtrace symbolizer (below)
#   aarch64  cargo build with aarch64-linux-gnu-gcc (Debian's cross glibc)
#
# Needs: cargo, make, and for armv7 cargo-zigbuild + zig (pip install ziglang), for aarch64
# gcc-aarch64-linux-gnu + libc6-dev-arm64-cross. Builds use target/ or CARGO_TARGET_DIR (zigbuild:
# its zigbuild/ subdirectory, so the two armv7 builds do not keep relinking each other). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

DIST=${DIST:-dist}
# cargo's target directory: CARGO_TARGET_DIR when set, else target/.
TD=${CARGO_TARGET_DIR:-target}
# The GLIBC version the armv7 build targets (zigbuild's .<version> suffix).
ARMV7_GLIBC=${ARMV7_GLIBC:-2.17}
# Which Rust std goes into the armv7 library:
#   prebuilt  rustup's std for the target (with the backtrace symbolizer the default panic hook
#             can reach: about 200 KB of armv7 code). An ordinary build; since 0.3.0 over the
#             700 KiB budget.
#   min       std rebuilt from rust-src without its `backtrace` feature (-Zbuild-std, allowed
#             on the stable compiler through RUSTC_BOOTSTRAP=1; needs `rustup component add
#             rust-src`). Panics still unwind and are caught at the C boundary. The default
#             since 0.3.0 (docs/terminal.md, "0.3.0: the shipped build uses the minimal std").
ARMV7_STD=${ARMV7_STD:-min}
# The armv7 opt-level ("s" is the release profile's; "z" is about 6% smaller, but the work per
# pay call goes from 7.0 to 10.2 µs, past the 10 µs budget: docs/terminal.md, "Sizes").
ARMV7_OPT_LEVEL=${ARMV7_OPT_LEVEL:-s}
# Cargo features of the armv7 build (comma-separated; none by default).
ARMV7_FEATURES=${ARMV7_FEATURES:-}

version=$(make -s print-version)
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  commit="$commit (with uncommitted changes)"
fi

# The cross linkers for cargo build (zigbuild sets its own); an explicit setting wins.
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=${CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER:-aarch64-linux-gnu-gcc}
export CC_aarch64_unknown_linux_gnu=${CC_aarch64_unknown_linux_gnu:-aarch64-linux-gnu-gcc}
export AR_aarch64_unknown_linux_gnu=${AR_aarch64_unknown_linux_gnu:-aarch64-linux-gnu-ar}

# The newest GLIBC_x.y symbol version the shared object $1 needs (empty: none).
max_glibc() {
  objdump -T "$1" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1
}

# Succeeds when version $1 <= version $2.
version_le() {
  [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n 1)" = "$1" ]
}

release_one() {
  local target=$1 build_dir glibc_limit=""
  local -a build
  case "$target" in
    x86_64-unknown-linux-gnu|aarch64-unknown-linux-gnu)
      build=(cargo build --locked --release -p starpos --lib --target "$target")
      build_dir=$TD/$target/release
      ;;
    armv7-unknown-linux-gnueabihf)
      # zig must be the linker and C compiler: a cross gcc set in the environment (as
      # .ci/terminal.sh does for its other armv7 builds) would take precedence and link
      # against Debian's glibc 2.36 symbols.
      build=(env -u CARGO_TARGET_ARMV7_UNKNOWN_LINUX_GNUEABIHF_LINKER
             -u CC_armv7_unknown_linux_gnueabihf -u CFLAGS_armv7_unknown_linux_gnueabihf
             -u AR_armv7_unknown_linux_gnueabihf)
      build+=(CARGO_PROFILE_RELEASE_OPT_LEVEL="$ARMV7_OPT_LEVEL")
      case $ARMV7_STD in
        prebuilt) ;;
        min) build+=(RUSTC_BOOTSTRAP=1) ;;
        *) echo "release.sh: ARMV7_STD must be prebuilt or min, not $ARMV7_STD" >&2; return 2 ;;
      esac
      build+=(cargo zigbuild --locked --release -p starpos --lib
              --target "$target.$ARMV7_GLIBC" --target-dir "$TD/zigbuild")
      if [ -n "$ARMV7_FEATURES" ]; then build+=(--features "$ARMV7_FEATURES"); fi
      if [ "$ARMV7_STD" = min ]; then
        build+=("-Zbuild-std=std,panic_unwind" "-Zbuild-std-features=panic-unwind")
      fi
      build_dir=$TD/zigbuild/$target/release
      glibc_limit=$ARMV7_GLIBC
      ;;
    *)
      echo "release.sh: unknown target $target" >&2
      return 2
      ;;
  esac

  echo "--- $target: ${build[*]}"
  "${build[@]}"

  local so=$build_dir/libstarpos.so
  local needs
  needs=$(max_glibc "$so")
  echo "$target: libstarpos.so needs GLIBC ${needs:-(none)}"
  if [ -n "$glibc_limit" ] && [ -n "$needs" ] && ! version_le "$needs" "$glibc_limit"; then
    echo "release.sh: $so needs GLIBC_$needs, newer than the $glibc_limit it is built for:" >&2
    objdump -T "$so" | grep 'GLIBC_' | sort -k5 >&2
    return 1
  fi

  local name=starpos-$version-$target
  local work=$DIST/.work/$target
  rm -rf "$work"
  mkdir -p "$work"
  make -s install BUILD_DIR="$build_dir" PREFIX=/usr/local DESTDIR="$PWD/$work/stage"
  mkdir -p "$work/$name"
  mv "$work/stage/usr/local/lib" "$work/stage/usr/local/include" "$work/$name/"
  cp README.md "$work/$name/"
  mkdir -p "$work/$name/docs"                   # the README's links: the guides it points to
  cp docs/*.md "$work/$name/docs/"
  {
    echo "starpos $version for $target"
    echo "commit: $commit"
    echo "built with: ${build[*]}"
    echo "rustc: $(rustc --version)"
    echo "SONAME: $(readelf -d "$so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')"
    echo "needs GLIBC: ${needs:-none} or newer"
    echo "libstarpos.so: $(stat -c %s "$so") bytes (stripped)"
    echo "static link flags: $(sed -n 's/^Libs.private: //p' "$work/$name/lib/pkgconfig/starpos.pc")"
  } > "$work/$name/BUILD-INFO"
  mkdir -p "$DIST"
  tar -C "$work" --owner=0 --group=0 --numeric-owner -czf "$DIST/$name.tar.gz" "$name"
  rm -rf "$work"
  echo "wrote $DIST/$name.tar.gz ($(stat -c %s "$DIST/$name.tar.gz") bytes)"
}

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(x86_64-unknown-linux-gnu armv7-unknown-linux-gnueabihf aarch64-unknown-linux-gnu)
fi
for t in "${targets[@]}"; do
  release_one "$t"
done
rmdir "$DIST/.work" 2>/dev/null || true
