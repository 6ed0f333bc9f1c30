#!/usr/bin/env bash
# Set-up and main job on bundled sample data: builds mailcase, installs the free GeoIP
# databases (npm, or the copies in ../shared/fixtures/geo when offline), generates a
# sample organisation's exports with a business-email-compromise story, and runs
# `mailcase investigate` on them. Prints where the report is.
set -euo pipefail
cd "$(dirname "$0")/.."
CASE_DIR="${1:-sample-case}"
EVIDENCE_DIR="${EVIDENCE_DIR:-target/sample-evidence}"
cargo build --release --locked -p mailcase-cli
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$PWD/$TARGET_DIR" ;; esac
export MAILCASE="$TARGET_DIR/release/mailcase"
GEOIP_DIR="${MAILCASE_GEOIP_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/mailcase/geoip}"
scripts/setup-geoip.sh "$GEOIP_DIR"
export MAILCASE_GEOIP_DIR="$GEOIP_DIR"
"$MAILCASE" sample generate --out "$EVIDENCE_DIR" --seed 42
# The ground truth stays out of the case: an analyst does not have it.
mapfile -t EXPORTS < <(find "$EVIDENCE_DIR" -maxdepth 1 -type f ! -name ground-truth.json | sort)
"$MAILCASE" investigate --case "$CASE_DIR" --name "Exemple BEC" --org-domain hopital-exemple.fr "${EXPORTS[@]}"
echo
case "$CASE_DIR" in /*) ;; *) CASE_DIR="$PWD/$CASE_DIR" ;; esac
echo "Open: $CASE_DIR/reports/report.html"
