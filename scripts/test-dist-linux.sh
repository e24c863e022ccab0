#!/usr/bin/env bash
# The Linux packages as IT and an agent meet them. It builds the .deb and the
# .rpm of the desktop app and of the server (scripts/dist-linux.sh VERSION
# packages) and checks their metadata, dependencies, file lists and
# maintainer scripts.
#
# Desktop app: validates the desktop entry, installs the .deb with dpkg on
# this machine, starts the installed /usr/bin/switchboard under Xvfb and
# checks that it shows a rendered window (found by its title and its WM
# class, the desktop entry's StartupWMClass), then purges the package and
# checks that its files are gone while an IT policy in /etc/switchboard
# survives both a reinstall and the purge.
#
# Server: installs the .deb with dpkg (without a running systemd, as in a
# container: the maintainer scripts create the user and directories and
# enable the service, and start nothing), checks the user switchboard, the
# files and their modes and the installed unit, starts the installed server
# the way the unit does (as switchboard, in /var/lib/switchboard, with the
# installed config; only the port is a free one) and checks /healthz and
# "switchboard-server healthcheck", stops it with SIGTERM (exit 0), checks
# that a changed server.toml survives a reinstall, then removes and purges
# the package: the binary and unit go, the data in /var/lib/switchboard
# stays (and is then deleted by the test).
#
# Needs root (dpkg -i). Both packages are purged on every exit; a desktop
# package left from an earlier run is purged first, while an installed
# server package or an existing /var/lib/switchboard stops the test before
# it changes anything (that may be a real server's data). The user
# switchboard and /var/lib/switchboard are deleted again when the test made
# them. Uses build/bin/switchboard (make desktop builds it when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(cat VERSION)
deb=dist/switchboard_${version}-1_amd64.deb
rpm=dist/switchboard-${version}-1.x86_64.rpm
sdeb=dist/switchboard-server_${version}-1_amd64.deb
srpm=dist/switchboard-server-${version}-1.x86_64.rpm
out=e2e/out; mkdir -p "$out"
work=$(mktemp -d)
policy=/etc/switchboard/policy.json
wrote_policy=
state=/var/lib/switchboard
conf=/etc/switchboard/server.toml
kek=/etc/switchboard/kek
wants=/etc/systemd/system/multi-user.target.wants/switchboard-server.service
own_server=   # set once the test knows the server package and its state are its own
had_user=

say() { printf '==> %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
installed() { dpkg-query -W -f='${Status}' switchboard 2>/dev/null | grep -q 'install ok installed'; }
cleanup() {
  [[ -n ${app_pid:-} ]] && kill -- -"$app_pid" 2>/dev/null || true
  [[ -n ${server_pid:-} ]] && kill "$server_pid" 2>/dev/null || true
  [[ -n ${runuser_pid:-} ]] && kill "$runuser_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  if dpkg-query -W switchboard >/dev/null 2>&1; then
    dpkg --purge switchboard >/dev/null 2>&1 || true
  fi
  if [[ -n $own_server ]]; then
    if dpkg-query -W switchboard-server >/dev/null 2>&1; then
      dpkg --purge switchboard-server >/dev/null 2>&1 || true
    fi
    rm -rf "$state"
    rm -f "$kek"
    if [[ -z $had_user ]] && getent passwd switchboard >/dev/null; then
      userdel switchboard 2>/dev/null || true
    fi
    if [[ -z $had_user ]] && getent group switchboard >/dev/null; then
      groupdel switchboard 2>/dev/null || true
    fi
  fi
  if [[ -n $wrote_policy ]]; then
    rm -f "$policy"
    rmdir /etc/switchboard 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
# A command that fails outside a check says where, instead of ending the
# test silently.
trap 'printf "FAIL: line %s: %s\n" "$LINENO" "$BASH_COMMAND" >&2' ERR

[[ $(id -u) -eq 0 ]] || fail "run as root: the test installs the .deb with dpkg"
if dpkg-query -W switchboard-server >/dev/null 2>&1 || [[ -e $state ]] || [[ -e $kek ]]; then
  fail "this machine has a switchboard-server package, $state or $kek; the test installs and purges the server: remove them first (dpkg --purge switchboard-server; rm -r $state $kek)"
fi
getent passwd switchboard >/dev/null && had_user=1
own_server=1
[[ -x build/bin/switchboard ]] || make desktop

say "building $deb, $rpm, $sdeb and $srpm"
scripts/dist-linux.sh "$version" packages >/dev/null
for f in "$deb" "$rpm" "$sdeb" "$srpm"; do [[ -s $f ]] || fail "dist-linux.sh did not build $f"; done

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
    # Searched again each second: xdotool gives up on an X error when a
    # window goes away during its walk of the tree (the splash, a helper).
    win=
    for _ in $(seq 60); do
      win=$(xdotool search --onlyvisible --name "^Switchboard\$" 2>/dev/null | head -n1)
      [[ -n $win ]] && break
      sleep 1
    done
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

# ---- The server -------------------------------------------------------------

sfiles=(
  /usr/bin/switchboard-server
  /usr/lib/systemd/system/switchboard-server.service
  /usr/lib/sysusers.d/switchboard.conf
  /usr/share/doc/switchboard-server/operations.md
  /usr/share/doc/switchboard-server/server.example.toml
  /usr/share/doc/switchboard-server/copyright
)
unit=/usr/lib/systemd/system/switchboard-server.service

say "inspecting the server .deb"
dpkg-deb -I "$sdeb" >"$out/dist-server-deb-info.txt"
want "deb Package" "$(dpkg-deb -f "$sdeb" Package)" switchboard-server
want "deb Version" "$(dpkg-deb -f "$sdeb" Version)" "$version-1"
want "deb Architecture" "$(dpkg-deb -f "$sdeb" Architecture)" amd64
want "deb Maintainer" "$(dpkg-deb -f "$sdeb" Maintainer)" "$(dpkg-deb -f "$deb" Maintainer)"
want "deb Homepage" "$(dpkg-deb -f "$sdeb" Homepage)" "$(dpkg-deb -f "$deb" Homepage)"
want "deb License" "$(dpkg-deb -f "$sdeb" License)" "$(dpkg-deb -f "$deb" License)"
[[ $(dpkg-deb -f "$sdeb" Description) == *"messaging server"* ]] || fail "deb Description: $(dpkg-deb -f "$sdeb" Description)"
# A static binary: nothing to depend on.
want "deb Depends" "$(dpkg-deb -f "$sdeb" Depends)" ""
want "deb Recommends" "$(dpkg-deb -f "$sdeb" Recommends)" ca-certificates
debfiles=$(dpkg-deb -c "$sdeb" | awk '{print $6}' | sed 's|^\./|/|; s|/$||')
printf '%s\n' "$debfiles" >"$out/dist-server-deb-files.txt"
has "deb contents" "$debfiles" "${sfiles[@]}" "$conf" /etc/switchboard
grep -q "^$state" <<<"$debfiles" && fail "the deb ships $state: a purge would reach the data"
want "deb conffiles" "$(dpkg-deb -I "$sdeb" conffiles)" "$conf"
dpkg-deb -e "$sdeb" "$work/control"
for script in postinst prerm postrm; do
  [[ -x $work/control/$script ]] || fail "the deb has no $script"
  want "$script interpreter" "$(head -n1 "$work/control/$script")" "#!/bin/sh"
  dash -n "$work/control/$script" || fail "$script is not POSIX sh"
done
dpkg-deb -x "$sdeb" "$work/root"
for f in build/systemd/switchboard-server.service:"$unit" build/systemd/switchboard.sysusers:/usr/lib/sysusers.d/switchboard.conf \
  build/systemd/server.toml:"$conf" build/server.example.toml:/usr/share/doc/switchboard-server/server.example.toml; do
  cmp -s "${f%%:*}" "$work/root${f#*:}" || fail "the deb's ${f#*:} differs from ${f%%:*}"
done
[[ $("$work/root/usr/bin/switchboard-server" version) == *"$version"* ]] ||
  fail "the deb's switchboard-server version: $("$work/root/usr/bin/switchboard-server" version)"
file -b "$work/root/usr/bin/switchboard-server" | grep -q 'statically linked' || fail "the deb's switchboard-server is not static"

say "inspecting the server .rpm"
rpm -qpi "$srpm" >"$out/dist-server-rpm-info.txt"
sq() { rpm -qp --queryformat "%{$1}" "$srpm"; }
want "rpm Name" "$(sq NAME)" switchboard-server
want "rpm Version" "$(sq VERSION)" "$version"
want "rpm Release" "$(sq RELEASE)" 1
want "rpm Arch" "$(sq ARCH)" x86_64
want "rpm Packager" "$(sq PACKAGER)" "$(q PACKAGER)"
want "rpm License" "$(sq LICENSE)" "$(q LICENSE)"
want "rpm URL" "$(sq URL)" "$(q URL)"
[[ $(sq SUMMARY) == *"messaging server"* ]] || fail "rpm Summary: $(sq SUMMARY)"
want "rpm Requires" "$(rpm -qpR "$srpm" | grep -v '^rpmlib(' | grep -vx '/bin/sh' || true)" ""
want "rpm Recommends" "$(rpm -qp --recommends "$srpm")" ca-certificates
rpmfiles=$(rpm -qpl "$srpm")
has "rpm files" "$rpmfiles" "${sfiles[@]}" "$conf" /etc/switchboard /usr/share/doc/switchboard-server
# %config(noreplace): the flags c (config) and n (noreplace).
want "rpm $conf flags" "$(rpm -qp --queryformat '[%{FILEFLAGS:fflags} %{FILENAMES}\n]' "$srpm" | awk -v f="$conf" '$2 == f {print $1}')" cn
rpm -qp --scripts "$srpm" >"$out/dist-server-rpm-scripts.txt"
for s in postinstall preuninstall postuninstall; do
  grep -q "^$s scriptlet (using /bin/sh)" "$out/dist-server-rpm-scripts.txt" || fail "the rpm has no $s scriptlet"
done

say "installing $sdeb (no systemd running here: enabled, not started)"
running_systemd=
[[ -d /run/systemd/system ]] && running_systemd=1
dpkg -i "$sdeb" >"$out/dist-server-dpkg-install.log" 2>&1 || { cat "$out/dist-server-dpkg-install.log"; fail "dpkg -i $sdeb"; }
want "installed version" "$(dpkg-query -W -f='${Version}' switchboard-server)" "$version-1"
for f in "${sfiles[@]}"; do [[ -e $f ]] || fail "$f is not installed"; done
getent passwd switchboard >/dev/null || fail "the package did not create the user switchboard"
want "user switchboard home and shell" "$(getent passwd switchboard | cut -d: -f6,7)" "$state:/usr/sbin/nologin"
want "$conf owner and mode" "$(stat -c '%U:%G %a' "$conf")" "root:switchboard 640"
want "$kek owner and mode" "$(stat -c '%U:%G %a' "$kek")" "root:switchboard 640"
want "$state owner and mode" "$(stat -c '%U:%G %a' "$state")" "switchboard:switchboard 700"
want "/usr/bin/switchboard-server mode" "$(stat -c '%U:%G %a' /usr/bin/switchboard-server)" "root:root 755"
# deb-systemd-helper links /lib/systemd/system/..., which is $unit on a
# merged /usr.
[[ -L $wants && $(readlink -f "$wants") == "$(readlink -f "$unit")" ]] || fail "the service is not enabled: $wants -> '$(readlink "$wants")'"
if [[ -n $running_systemd ]]; then
  # Where systemd runs, the package started the service: stop it, so the
  # test can run the installed binary itself.
  systemctl is-active --quiet switchboard-server || fail "the package did not start switchboard-server"
  systemctl stop switchboard-server
fi

say "checking the installed unit"
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
want "ExecStart" "$exec_start" "/usr/bin/switchboard-server serve --config $conf"
[[ -x ${exec_start%% *} ]] || fail "ExecStart names ${exec_start%% *}, which is not installed"
want "unit User" "$(sed -n 's/^User=//p' "$unit")" switchboard
want "unit StateDirectory" "/var/lib/$(sed -n 's/^StateDirectory=//p' "$unit")" "$state"
if command -v systemd-analyze >/dev/null; then
  verify=$(systemd-analyze verify "$unit" 2>&1) || fail "systemd-analyze verify $unit: $verify"
  [[ -z $verify ]] || fail "systemd-analyze verify $unit: $verify"
fi

say "starting the installed server as the unit does"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# The unit's user, working directory, umask and command line; the installed
# config as it is, only its addr moved to a free port (the environment wins
# over the file, for serve and healthcheck alike).
# A simple command, not a function, so that $! is runuser and its child the
# server.
as_service=(runuser -u switchboard -- env SWITCHBOARD_ADDR="127.0.0.1:$port"
  sh -c 'cd /var/lib/switchboard && umask 0077 && exec "$@"' sh)
read -ra exec_argv <<<"$exec_start"
"${as_service[@]}" "${exec_argv[@]}" >"$out/dist-server.log" 2>&1 &
runuser_pid=$!
for _ in $(seq 300); do
  # ps finds no child until runuser has forked: not an error.
  server_pid=$(ps -o pid= --ppid "$runuser_pid" | tr -d ' ') || true
  curl -fsS "http://127.0.0.1:$port/healthz" >"$work/healthz" 2>/dev/null && break
  kill -0 "$runuser_pid" 2>/dev/null || { cat "$out/dist-server.log"; fail "the installed server exited"; }
  sleep 0.1
done
want "/healthz" "$(cat "$work/healthz" 2>/dev/null)" '{"status":"ok"}'
[[ -n $server_pid ]] || server_pid=$(ps -o pid= --ppid "$runuser_pid" | tr -d ' ') || true
want "server user" "$(ps -o user= -p "$server_pid")" switchboard
"${as_service[@]}" /usr/bin/switchboard-server healthcheck --config "$conf" >"$work/healthcheck" 2>&1 ||
  { cat "$work/healthcheck"; fail "switchboard-server healthcheck"; }
[[ -s $state/switchboard.db ]] || fail "no $state/switchboard.db"
want "$state/switchboard.db owner and mode" "$(stat -c '%U %a' "$state/switchboard.db")" "switchboard 600"
kill -TERM "$server_pid"
rc=0; wait "$runuser_pid" || rc=$?
server_pid=''
runuser_pid=''
((rc == 0)) || { cat "$out/dist-server.log"; fail "the server exited $rc after SIGTERM, want 0"; }
grep -q '"msg":"stopped"' "$out/dist-server.log" || { cat "$out/dist-server.log"; fail "the server did not log stopped"; }

say "reinstalling $sdeb over a changed $conf"
echo '# changed by IT' >>"$conf"
changed=$(cat "$conf")
dpkg -i "$sdeb" >>"$out/dist-server-dpkg-install.log" 2>&1 || { cat "$out/dist-server-dpkg-install.log"; fail "reinstalling $sdeb"; }
want "$conf after a reinstall" "$(cat "$conf")" "$changed"
want "$conf owner and mode after a reinstall" "$(stat -c '%U:%G %a' "$conf")" "root:switchboard 640"

say "removing, then purging the server package"
dpkg --remove switchboard-server >"$out/dist-server-dpkg-purge.log" 2>&1 || { cat "$out/dist-server-dpkg-purge.log"; fail "dpkg --remove switchboard-server"; }
for f in "${sfiles[@]}"; do [[ ! -e $f ]] || fail "$f is left after the removal"; done
want "$conf after the removal" "$(cat "$conf")" "$changed"
dpkg --purge switchboard-server >>"$out/dist-server-dpkg-purge.log" 2>&1 || { cat "$out/dist-server-dpkg-purge.log"; fail "dpkg --purge switchboard-server"; }
dpkg-query -W switchboard-server >/dev/null 2>&1 && fail "dpkg still knows the switchboard-server package after the purge"
for f in "${sfiles[@]}" "$conf" /usr/share/doc/switchboard-server "$wants"; do
  [[ ! -e $f && ! -L $f ]] || fail "$f is left after the purge"
done
[[ -s $kek ]] || fail "the purge deleted $kek, without which the data in $state cannot be read"
rm -f "$kek"
[[ -e $policy ]] || [[ ! -e /etc/switchboard ]] || rmdir /etc/switchboard 2>/dev/null || fail "/etc/switchboard holds more than the key after the purge"
[[ -s $state/switchboard.db ]] || fail "the purge deleted the data in $state"
getent passwd switchboard >/dev/null || fail "the purge deleted the user switchboard, owner of $state"
rm -rf "$state"

say "Linux packages OK: $deb, $rpm, $sdeb, $srpm"
