#!/usr/bin/env bash
# Fetches the offline IP databases mailcase uses (ip-location-db country and ASN,
# data CC BY 4.0 by NRO, RouteViews and DB-IP) and imports them into OUT_DIR.
#
# usage: scripts/setup-geoip.sh OUT_DIR
#
# The npm packages are fetched with the machine's npm at pinned versions; when npm
# is missing or offline, the tarballs in ../shared/fixtures/geo next to the
# repository are used instead. Nothing is done when OUT_DIR already holds an import
# of the same versions.
#
# Environment:
#   MAILCASE                 the mailcase binary (default: target/release/mailcase
#                            in the repository)
#   MAILCASE_GEOIP_OFFLINE=1 do not try npm, use the local tarballs only
set -euo pipefail

readonly VERSION="2.3.2026061719"
readonly PACKAGES=(
    "@ip-location-db/geo-whois-asn-country-mmdb@${VERSION}"
    "@ip-location-db/asn@${VERSION}"
)
readonly STAMP_NAME=".mailcase-geoip-stamp"

die() {
    echo "setup-geoip: $*" >&2
    exit 1
}

[[ $# -eq 1 && -n "$1" ]] || die "usage: $0 OUT_DIR"
out_dir="$1"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mailcase="${MAILCASE:-${repo_root}/target/release/mailcase}"
fallback_dir="${repo_root}/../shared/fixtures/geo"
stamp_text="$(printf '%s\n' "${PACKAGES[@]}")"

if [[ -f "${out_dir}/${STAMP_NAME}" && -f "${out_dir}/asn.mcasn" && "$(cat "${out_dir}/${STAMP_NAME}")" == "${stamp_text}" ]]; then
    echo "setup-geoip: ${out_dir} already holds ${PACKAGES[*]}; nothing to do"
    exit 0
fi

[[ -x "${mailcase}" ]] || die "${mailcase} not found or not executable: build it (cargo build --release) or set MAILCASE"

work="$(mktemp -d)"
trap 'rm -rf -- "${work}"' EXIT
mkdir -p "${work}/tarballs" "${work}/src"

# Tarball file name npm gives a scoped package: @scope/name@version -> scope-name-version.tgz
tarball_name() {
    local spec="$1" name
    name="${spec%@*}"
    name="${name#@}"
    echo "${name//\//-}-${VERSION}.tgz"
}

fetch_with_npm() {
    [[ "${MAILCASE_GEOIP_OFFLINE:-0}" != "1" ]] || return 1
    command -v npm >/dev/null 2>&1 || return 1
    local spec
    for spec in "${PACKAGES[@]}"; do
        echo "setup-geoip: fetching ${spec} with npm"
        (cd "${work}/tarballs" && npm pack --silent --fetch-retries=1 --fetch-timeout=60000 "${spec}" >/dev/null) \
            || return 1
        [[ -f "${work}/tarballs/$(tarball_name "${spec}")" ]] || return 1
    done
}

copy_local_tarballs() {
    local spec file
    for spec in "${PACKAGES[@]}"; do
        file="$(tarball_name "${spec}")"
        [[ -f "${fallback_dir}/${file}" ]] || die "npm failed and ${fallback_dir}/${file} is absent"
        cp -- "${fallback_dir}/${file}" "${work}/tarballs/"
    done
    echo "setup-geoip: using the tarballs in ${fallback_dir}"
}

if ! fetch_with_npm; then
    rm -f -- "${work}/tarballs/"*.tgz
    copy_local_tarballs
fi

for spec in "${PACKAGES[@]}"; do
    file="$(tarball_name "${spec}")"
    dest="${work}/src/${file%.tgz}"
    mkdir -p "${dest}"
    tar -xzf "${work}/tarballs/${file}" -C "${dest}"
done

mkdir -p "${out_dir}"
"${mailcase}" geoip import "${work}/src" --out "${out_dir}"
printf '%s\n' "${stamp_text}" >"${out_dir}/${STAMP_NAME}"
echo "setup-geoip: databases ready in ${out_dir}"
