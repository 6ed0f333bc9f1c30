#!/bin/sh
# Fills fuzz/corpus/<target>/ (git-ignored) with seeds: fuzz/seeds/<target>/, the golden
# corpus of mailcase-sources, and, when the folder is there, the shared public fixtures
# (some of which may only be read, never committed: the corpus is not committed).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
golden="$here/../crates/sources/tests/golden"
shared="$here/../../shared/fixtures"

# seed TARGET FILE...: copies the files that exist into corpus/TARGET.
seed() {
    target=$1
    shift
    mkdir -p "$here/corpus/$target"
    for f in "$@"; do
        [ -f "$f" ] || continue
        case "$f" in *.expected.json) continue ;; esac
        # Prefix with the parent folder: golden file names repeat across formats.
        cp "$f" "$here/corpus/$target/$(basename "$(dirname "$f")")__$(basename "$f")"
    done
    if [ -d "$here/seeds/$target" ]; then
        cp "$here/seeds/$target"/* "$here/corpus/$target/"
    fi
}

[ -d "$shared" ] || echo "note: $shared is absent; seeding from the repository only" >&2

seed sniff "$golden"/*/* "$shared"/elastic_integrations/o365_audit/* \
    "$shared"/elastic_integrations/azure_*/* "$shared"/otrf_security_datasets/*.json \
    "$shared"/elastic_integrations/microsoft_exchange_online_message_trace/*
seed read_ual_json "$golden"/ual_json/* "$golden"/ual_sentinel/* "$golden"/otrf/* \
    "$golden"/malformed/*.json "$shared"/elastic_integrations/o365_audit/* \
    "$shared"/otrf_security_datasets/OfficeActivityEvents.json
seed read_ual_purview_csv "$golden"/ual_purview_csv/* "$golden"/ual_legacy_csv/* \
    "$golden"/ual_search_csv/* "$golden"/malformed/*.csv
seed read_entra_signin_graph "$golden"/entra_signin_graph/* "$golden"/entra_signin_azure_monitor/* \
    "$shared"/elastic_integrations/azure_signinlogs/*
seed read_entra_signin_csv "$golden"/entra_signin_csv/* "$golden"/malformed/*.csv
seed read_entra_audit_azure_monitor "$golden"/entra_audit_azure_monitor/* "$golden"/entra_audit_graph/* \
    "$shared"/elastic_integrations/azure_auditlogs/* "$shared"/otrf_security_datasets/AADAuditEvents.json
seed read_message_trace_csv "$golden"/message_trace_csv/* "$golden"/message_trace_json/* \
    "$shared"/elastic_integrations/microsoft_exchange_online_message_trace/*
seed read_inbox_rules "$golden"/inbox_rules_csv/* "$golden"/inbox_rules_json/*

for d in "$here"/corpus/*; do echo "$(ls "$d" | wc -l) seeds in $d"; done
