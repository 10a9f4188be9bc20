#!/usr/bin/env bash
# The whole test suite: formatting and lints, the Rust tests (unit, ABI structure, misuse,
# conformance vectors), then the C vector runner, ABI checks and examples against the release
# library, and the same C programs under valgrind. Builds once into target/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
echo "== cargo fmt --check"
cargo fmt --all --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets --quiet -- -D warnings
echo "== cargo test"
# `cargo test` alone does not link the cdylib the ABI tests inspect with nm/readelf.
cargo build --workspace --quiet
cargo test --workspace --quiet
echo "== C: vectors, ABI checks, examples, valgrind"
cargo build --release --quiet
scripts/c-check.sh target/release
echo "== install: make install, pkg-config builds, .deb packages"
scripts/install-check.sh target/release
echo "== bindings: Python, PHP, Java"
scripts/bindings-check.sh target/release
echo "== all tests passed"
