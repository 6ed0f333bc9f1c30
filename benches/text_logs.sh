#!/usr/bin/env bash
# Syslog-type sources against JSON sources, per byte (issue 4): a Dovecot/Postfix mail.log
# and a Management-API JSON lines file of about the same size, read by `read_file`.
#   benches/text_logs.sh [MB]     # default 200
set -euo pipefail
cd "$(dirname "$0")/.."
MB="${1:-200}"
WORK="$(pwd)/${BENCH_DIR:-target/bench-text}"
mkdir -p "$WORK"
cargo build --release --locked -p mailcase-cli
MAILCASE="${CARGO_TARGET_DIR:-target}/release/mailcase"
if [ ! -f "$WORK/mail.log" ]; then
  "$MAILCASE" --quiet sample generate --platform dovecot --out "$WORK/dovecot"
  # The sample is a few MB: repeat it (times stay valid, records repeat) up to the size.
  : > "$WORK/mail.log"
  while [ "$(stat -c %s "$WORK/mail.log")" -lt $((MB * 1000000)) ]; do cat "$WORK/dovecot/mail.log" >> "$WORK/mail.log"; done
  touch -r "$WORK/dovecot/mail.log" "$WORK/mail.log"
fi
if [ ! -f "$WORK/json/ual-management-api.jsonl" ]; then
  "$MAILCASE" --quiet sample generate --out "$WORK/json" --size "${MB}MB"
fi
MAILCASE_BENCH_TEXT_FILE="$WORK/mail.log" MAILCASE_BENCH_FILE="$WORK/json/ual-management-api.jsonl" \
  cargo bench --locked -q -p mailcase-sources --bench text_logs
