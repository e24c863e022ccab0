#!/usr/bin/env bash
# The Linux packages as IT and an agent meet them. It builds the .deb and the
# .rpm (scripts/dist-linux.sh VERSION packages), checks their metadata,
# dependencies and file lists, validates the desktop entry, installs the .deb
# with dpkg on this machine, starts the installed /usr/bin/switchboard under
# Xvfb and checks that it shows a rendered window (found by its title and its
# WM class, the desktop entry's StartupWMClass), then purges the package and
# checks that its files are gone while an IT policy in /etc/switchboard
# survives both a reinstall and the purge. Needs root (dpkg -i); the package
# is purged on every exit, and a switchboard package left from an earlier run
# is purged first. Uses build/bin/switchboard (make desktop builds it when
# missing).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(cat VERSION)
deb=dist/switchboard_${version}-1_amd64.deb
rpm=dist/switchboard-${version}-1.x86_64.rpm
out=e2e/out; mkdir -p "$out"
work=$(mktemp -d)
policy=/etc/switchboard/policy.json
wrote_policy=

say() { printf '==> %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
installed() { dpkg-query -W -f='${Status}' switchboard 2>/dev/null | grep -q 'install ok installed'; }
cleanup() {
  [[ -n ${app_pid:-} ]] && kill -- -"$app_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  if dpkg-query -W switchboard >/dev/null 2>&1; then
    dpkg --purge switchboard >/dev/null 2>&1 || true
  fi
  if [[ -n $wrote_policy ]]; then
    rm -f "$policy"
    rmdir /etc/switchboard 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

[[ $(id -u) -eq 0 ]] || fail "run as root: the test installs the .deb with dpkg"
[[ -x build/bin/switchboard ]] || make desktop

say "building $deb and $rpm"
scripts/dist-linux.sh "$version" packages >/dev/null
[[ -s $deb && -s $rpm ]] || fail "dist-linux.sh did not build $deb and $rpm"

say "validating the desktop entry"
desktop-file-validate build/linux/switchboard.desktop

# want LABEL GOT WANT: an exact match.
want() { [[ $2 == "$3" ]] || fail "$1 = '$2', want '$3'"; }
# has LABEL LIST ITEM...: every item is a line of LIST.
has() {
  local label=$1 list=$2; shift 2
  for item; do grep -qxF -- "$item" <<<"$list" || fail "$label lacks '$item'"; done
}

files=(
  /usr/bin/switchboard
  /usr/share/applications/switchboard.desktop
  /usr/share/icons/hicolor/48x48/apps/switchboard.png
  /usr/share/icons/hicolor/64x64/apps/switchboard.png
  /usr/share/icons/hicolor/128x128/apps/switchboard.png
  /usr/share/icons/hicolor/256x256/apps/switchboard.png
  /usr/share/icons/hicolor/512x512/apps/switchboard.png
  /usr/share/doc/switchboard/policy.example.json
  /usr/share/doc/switchboard/copyright
)

say "inspecting the .deb"
dpkg-deb -I "$deb" >"$out/dist-deb-info.txt"
want "deb Package" "$(dpkg-deb -f "$deb" Package)" switchboard
want "deb Version" "$(dpkg-deb -f "$deb" Version)" "$version-1"
want "deb Architecture" "$(dpkg-deb -f "$deb" Architecture)" amd64
want "deb Maintainer" "$(dpkg-deb -f "$deb" Maintainer)" "Switchboard developers <dev@switchboard.invalid>"
[[ -n $(dpkg-deb -f "$deb" Homepage) ]] || fail "deb has no Homepage"
[[ -n $(dpkg-deb -f "$deb" License) ]] || fail "deb has no License"
[[ $(dpkg-deb -f "$deb" Description) == *"agent desktop app"* ]] || fail "deb Description: $(dpkg-deb -f "$deb" Description)"
has "deb Depends" "$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/^ *//')" libgtk-3-0 libwebkit2gtk-4.1-0
debfiles=$(dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|; s|/$||')
printf '%s\n' "$debfiles" >"$out/dist-deb-files.txt"
has "deb contents" "$debfiles" "${files[@]}" /etc/switchboard
grep -qxF "$policy" <<<"$debfiles" && fail "the deb ships $policy: an upgrade would replace IT's policy"
mode=$(dpkg-deb -c "$deb" | awk '$6 == "./usr/bin/switchboard" {print $1}')
want "deb /usr/bin/switchboard mode" "$mode" -rwxr-xr-x
# The packaged binary is the one make desktop built, version stamp included.
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/bin/switchboard | cmp -s - build/bin/switchboard ||
  fail "the deb's /usr/bin/switchboard differs from build/bin/switchboard"
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/share/applications/switchboard.desktop >"$work/switchboard.desktop"
desktop-file-validate "$work/switchboard.desktop"
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/share/doc/switchboard/policy.example.json >"$work/policy.example.json"
python3 - "$work/policy.example.json" <<'EOF'
import json, sys
p = json.load(open(sys.argv[1]))
known = {"ServerURL", "LockServerURL", "AllowedServers", "DisableUpdateCheck",
         "Language", "CacheRetentionDays", "LogLevel", "Recommended"}
assert set(p) <= known, f"unknown policy keys {set(p) - known}"
assert set(p.get("Recommended", {})) <= known - {"Recommended"}, "unknown Recommended keys"
assert p["ServerURL"].startswith("https://"), "ServerURL is not an https URL"
assert isinstance(p["LockServerURL"], bool) and isinstance(p["DisableUpdateCheck"], bool)
assert isinstance(p["AllowedServers"], list) and all(isinstance(s, str) for s in p["AllowedServers"])
EOF
for size in 48 64 128 256 512; do
  dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/share/icons/hicolor/${size}x${size}/apps/switchboard.png" >"$work/icon.png"
  want "icon ${size}x${size} size" "$(identify -format '%wx%h' "$work/icon.png")" "${size}x${size}"
done

say "inspecting the .rpm"
rpm -qpi "$rpm" >"$out/dist-rpm-info.txt"
q() { rpm -qp --queryformat "%{$1}" "$rpm"; }
want "rpm Name" "$(q NAME)" switchboard
want "rpm Version" "$(q VERSION)" "$version"
want "rpm Release" "$(q RELEASE)" 1
want "rpm Arch" "$(q ARCH)" x86_64
want "rpm Packager" "$(q PACKAGER)" "Switchboard developers <dev@switchboard.invalid>"
[[ $(q LICENSE) != "(none)" && -n $(q LICENSE) ]] || fail "rpm has no License"
[[ $(q URL) != "(none)" && -n $(q URL) ]] || fail "rpm has no URL"
[[ $(q SUMMARY) == *"agent desktop app"* ]] || fail "rpm Summary: $(q SUMMARY)"
has "rpm Requires" "$(rpm -qpR "$rpm" | sed 's/ *$//')" gtk3 webkit2gtk4.1
rpmfiles=$(rpm -qpl "$rpm")
has "rpm files" "$rpmfiles" "${files[@]}" /etc/switchboard /usr/share/doc/switchboard
grep -qxF "$policy" <<<"$rpmfiles" && fail "the rpm ships $policy"

say "installing $deb"
if installed || dpkg-query -W switchboard >/dev/null 2>&1; then
  say "purging the switchboard package left from an earlier run"
  dpkg --purge switchboard >/dev/null
fi
dpkg -i "$deb" >"$out/dist-dpkg-install.log" 2>&1 || { cat "$out/dist-dpkg-install.log"; fail "dpkg -i $deb"; }
installed || fail "dpkg does not list switchboard as installed"
want "installed version" "$(dpkg-query -W -f='${Version}' switchboard)" "$version-1"
for f in "${files[@]}"; do [[ -e $f ]] || fail "$f is not installed"; done
[[ -x /usr/bin/switchboard ]] || fail "/usr/bin/switchboard is not executable"
[[ $(command -v switchboard) == /usr/bin/switchboard ]] || fail "switchboard on PATH is $(command -v switchboard)"

# IT's policy lives beside the package, never in it: a reinstall (the upgrade
# path) and the purge leave it. Only a test file written here is removed
# again; an existing policy is left as it is (and then not checked).
if [[ ! -e $policy ]]; then
  printf '{}\n' >"$policy"
  wrote_policy=1
  dpkg -i "$deb" >>"$out/dist-dpkg-install.log" 2>&1 || fail "reinstalling $deb"
  want "$policy after a reinstall" "$(cat "$policy")" "{}"
fi

say "starting the installed app under Xvfb"
shot=$out/dist-linux-installed.png
home=$work/home
mkdir -p "$home/config" "$home/switchboard"
rm -f "$shot"
# A private D-Bus session keeps the single-instance lock away from any other
# copy of the app on this machine. The window is looked up by its title and
# then by its WM class (ProgramName in main.go, StartupWMClass in the desktop
# entry); the screenshots are retaken until the window has drawn, up to a
# minute.
setsid env HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" XDG_CACHE_HOME="$home/cache" \
  LANG=en_US.UTF-8 LANGUAGE=en_US LC_ALL= \
  SWITCHBOARD_CONFIG_DIR="$home/switchboard" SWITCHBOARD_KEYRING=file \
  SWITCHBOARD_SERVER_URL=http://127.0.0.1:1 \
  xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- bash -c '
    shot=$0 work=$1
    /usr/bin/switchboard & app=$!
    trap "kill $app 2>/dev/null; wait $app 2>/dev/null" EXIT
    win=$(timeout 60 xdotool search --sync --onlyvisible --name "^Switchboard\$" | head -n1)
    [[ -n $win ]] || { echo "no window named Switchboard"; exit 1; }
    echo "window $win: $(xdotool getwindowname "$win")"
    xdotool search --classname "^switchboard\$" | grep -qx "$win" || { echo "window $win has not the WM class switchboard"; exit 1; }
    for _ in $(seq 30); do
      import -window root "$work/shot.png"
      # The splash ("Starting…") has anti-aliased text but little else:
      # wait for the sign-in screen, which has both colours and contrast.
      colours=$(identify -format "%k" "$work/shot.png")
      sd=$(convert "$work/shot.png" -format "%[fx:standard_deviation]" info:)
      (( colours >= 200 )) && awk -v sd="$sd" "BEGIN { exit !(sd > 0.02) }" && break
      sleep 2
    done
    mv "$work/shot.png" "$shot"
    kill -0 $app || { echo "the app exited"; exit 1; }
  ' "$shot" "$work" >"$out/dist-linux-app.log" 2>&1 &
app_pid=$!
rc=0; wait "$app_pid" || rc=$?
app_pid=
((rc == 0)) || { cat "$out/dist-linux-app.log"; fail "the installed app did not show its window (exit $rc)"; }
[[ -s $shot ]] || fail "no screenshot taken; see $out/dist-linux-app.log"
colours=$(identify -format '%k' "$shot")
sd=$(convert "$shot" -format '%[fx:standard_deviation]' info:)
printf 'screenshot %s: %s distinct colours, standard deviation %.3f\n' "$shot" "$colours" "$sd"
((colours >= 200)) || fail "the window looks blank (fewer than 200 colours); see $out/dist-linux-app.log"
awk -v sd="$sd" 'BEGIN { exit !(sd > 0.02) }' || fail "the window looks blank (standard deviation $sd)"

say "purging the package"
dpkg --purge switchboard >"$out/dist-dpkg-purge.log" 2>&1 || { cat "$out/dist-dpkg-purge.log"; fail "dpkg --purge switchboard"; }
dpkg-query -W switchboard >/dev/null 2>&1 && fail "dpkg still knows the switchboard package after the purge"
for f in "${files[@]}" /usr/share/doc/switchboard; do [[ ! -e $f ]] || fail "$f is left after the purge"; done
if [[ -n $wrote_policy ]]; then
  want "$policy after the purge" "$(cat "$policy" 2>/dev/null)" "{}"
else
  [[ -e $policy ]] || [[ ! -e /etc/switchboard ]] || fail "/etc/switchboard is left empty after the purge"
fi
say "Linux packages OK: $deb, $rpm"
