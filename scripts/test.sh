#!/usr/bin/env bash
# The whole test suite: unit tests, golden corpora, end-to-end tests of the binary,
# the checks of the embedded message catalogues. Tests that read public data which may
# not be redistributed look for it in ../shared/fixtures and say so when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace --locked "$@"
