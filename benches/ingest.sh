#!/usr/bin/env bash
# End-to-end ingest benchmark: `mailcase investigate` (parse, normalise, enrich, write to
# SQLite) on a generated Management-API JSON lines file, against the baseline "parse every
# line into serde_json::Value on all cores and count" run on the same file and machine.
#
#   benches/ingest.sh [SIZE]        # SIZE as for `mailcase sample generate --size`, default 1GB
#
# Prints MB/s, events/s and peak RSS for both. Needs GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE="${1:-1GB}"
WORK="${BENCH_DIR:-target/bench-ingest}"
TARGET="${CARGO_TARGET_DIR:-target}"
mkdir -p "$WORK"
cargo build --release --locked -p mailcase-cli
cargo build --release --locked -p mailcase-sources --bench ual_ingest >/dev/null 2>&1 || true
MAILCASE="$TARGET/release/mailcase"

EVIDENCE="$WORK/evidence-$SIZE"
if [ ! -f "$EVIDENCE/ual-management-api.jsonl" ]; then
  "$MAILCASE" --quiet sample generate --out "$EVIDENCE" --size "$SIZE"
fi
FILE="$(cd "$EVIDENCE" && pwd)/ual-management-api.jsonl"
BYTES=$(stat -c %s "$FILE")
echo "input: $FILE ($((BYTES / 1000000)) MB), $(nproc) cores"

echo "== baseline: serde_json::Value on all cores (crates/sources/benches/ual_ingest.rs) =="
MAILCASE_BENCH_FILE="$FILE" /usr/bin/time -f "peak RSS %M KB, wall %e s" \
  cargo bench --locked -q -p mailcase-sources --bench ual_ingest 2>&1 | tail -n 8

echo "== mailcase investigate --no-detect (parse + normalise + enrich + SQLite; detection has its own benchmark) =="
rm -rf "$WORK/case"
GEOIP=()
if [ -n "${MAILCASE_GEOIP_DIR:-}" ]; then GEOIP=(--geoip-dir "$MAILCASE_GEOIP_DIR"); fi
START=$(date +%s.%N)
/usr/bin/time -f "peak RSS %M KB, wall %e s" \
  "$MAILCASE" --quiet investigate --no-detect --no-report --case "$WORK/case" "${GEOIP[@]}" "$FILE" >/dev/null
END=$(date +%s.%N)
EVENTS=$("$MAILCASE" query --case "$WORK/case" --format csv "SELECT count(*) AS n FROM events" | tail -n 1)
python3 - "$START" "$END" "$BYTES" "$EVENTS" <<'PY'
import sys
start, end, size, events = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
secs = end - start
print(f"investigate: {size / secs / 1e6:.1f} MB/s, {events / secs:,.0f} events/s, {events:,} events in {secs:.1f} s")
PY
