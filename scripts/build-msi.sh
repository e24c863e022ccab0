#!/usr/bin/env bash
# Builds the Switchboard MSI (unsigned) from build/windows/msi with wixl:
#   scripts/build-msi.sh VERSION APP.exe OUT.msi
# prints its ProductCode. scripts/dist-windows.sh calls it and signs the result;
# scripts/test-dist-windows.sh calls it for a second version to upgrade to.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
[[ $# -eq 3 ]] || { echo "usage: scripts/build-msi.sh VERSION APP.exe OUT.msi" >&2; exit 2; }
version=$1 exe=$2 out=$3
die() { printf 'build-msi: %s\n' "$*" >&2; exit 1; }
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "bad version '$version': want X.Y.Z"
[[ -s $exe ]] || die "no app at $exe"

# uuid5 NAMESPACE NAME: the name-based (SHA-1) UUID of RFC 4122, upper case.
uuid5() {
  local ns h v
  ns=$(tr -d '-' <<<"${1,,}")
  h=$({ printf "$(sed 's/../\\x&/g' <<<"$ns")"; printf '%s' "$2"; } | sha1sum)
  v=$(printf '%02x' $(((0x${h:16:2} & 0x3f) | 0x80)))
  h="${h:0:12}5${h:13:3}${v}${h:18:14}"
  echo "${h:0:8}-${h:8:4}-${h:12:4}-${h:16:4}-${h:20:12}" | tr a-f A-F
}

wxs=$root/build/windows/msi/switchboard.wxs
upgrade_code=$(sed -n 's/.*UpgradeCode="\([0-9A-Fa-f-]*\)".*/\1/p' "$wxs")
[[ -n $upgrade_code ]] || die "no UpgradeCode in $wxs"
# One ProductCode per version, derived from it: IT can name it (msiexec /x,
# detection rules) before installing, and a rebuilt MSI of a version keeps it.
product_code=$(uuid5 "$upgrade_code" "$version")

# wixl 0.101 finds files by relative name only: stage them.
stage=$(mktemp -d -t switchboard-msi-XXXXXX)
trap 'rm -rf "$stage"' EXIT
cp "$exe" "$stage/switchboard.exe"
cp build/windows/icon.ico "$stage/icon.ico"
(cd "$stage" && wixl -a x64 -D Version="$version" -D ProductCode="$product_code" \
  -D Exe=switchboard.exe -D Icon=icon.ico -o switchboard.msi "$wxs") || die "wixl failed"
while IFS= read -r query; do
  [[ -z $query || $query == --* ]] && continue
  msibuild "$stage/switchboard.msi" -q "$query" || die "msibuild failed: $query"
done <build/windows/msi/conditions.sql
mv -f "$stage/switchboard.msi" "$out"
echo "{$product_code}"
