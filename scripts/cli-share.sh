#!/bin/sh
# Writes the command line's manual page and shell completions into share/ (installed by
# `make install`), generated from its clap declaration. cli/tests/cli.rs fails while the
# committed files differ from what the binary generates: run this, then commit share/.
set -eu
cd "$(dirname "$0")/.."
cargo build -q -p starpos-cli
bin=${CARGO_TARGET_DIR:-target}/debug/starpos
mkdir -p share/man/man1 share/bash-completion/completions share/zsh/site-functions \
         share/fish/vendor_completions.d
"$bin" man > share/man/man1/starpos.1
"$bin" completions bash > share/bash-completion/completions/starpos
"$bin" completions zsh > share/zsh/site-functions/_starpos
"$bin" completions fish > share/fish/vendor_completions.d/starpos.fish
echo "share/: the manual page and the bash, zsh and fish completions are up to date"
