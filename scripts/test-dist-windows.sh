#!/usr/bin/env bash
# Tests the Windows installers end to end on this machine: builds them with
# scripts/dist-windows.sh, signed with a throw-away self-signed code-signing
# certificate, into a temporary directory, and checks
#   - VERSION and wails.json agree (and that the check catches a difference)
#   - signing: bad or missing material fails up front; every file verifies with
#     osslsigncode against the certificate, and not against another one; a
#     PKCS#12 file and a key on a PKCS#11 token (SoftHSM) sign too
#   - the app's version resource (fixed and string versions) and icon
#   - the MSI's tables: UpgradeCode, per-machine x64 layout, the policy
#     registry rows with their conditions, launch conditions, the Start-menu
#     shortcut, the version, and that it holds the signed app byte for byte
#   - the NSIS installer exists, is signed and carries the version
#   - under Wine: the MSI installs, refuses bad properties and downgrades,
#     upgrades keeping its presets and uninstalls cleanly; the same NSIS script
#     (built for amd64) does the same with its options, /D= and /S
#   - the Group Policy templates: well-formed, every key of the contract, and
#     every string and presentation they use defined in both languages
# Assumes frontend/dist is built (make frontend). One Windows cross-build.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

fails=0
say() { printf '==> %s\n' "$*"; }
ok() { printf '    ok   %s\n' "$*"; }
bad() { printf '    FAIL %s\n' "$*" >&2; fails=$((fails + 1)); }
# check DESC CMD...: runs CMD, reports DESC as passed or failed.
check() {
  local desc=$1
  shift
  if "$@"; then ok "$desc"; else bad "$desc"; fi
}
fails() { ! "$@"; }
# has TEXT LINE: TEXT holds LINE as a whole line.
has() { grep -qxF -- "$2" <<<"$1"; }

for tool in openssl osslsigncode wixl msibuild msiinfo msiextract makensis xmllint wrestool softhsm2-util pkcs11-tool; do
  command -v "$tool" >/dev/null || { echo "test-dist-windows: $tool is missing (scripts/deps.sh installs it)" >&2; exit 1; }
done

[[ -x $(command -v wine64 || echo /usr/lib/wine/wine64) ]] || { echo "test-dist-windows: wine64 is missing (scripts/deps.sh installs it)" >&2; exit 1; }
tmp=$(mktemp -d -t switchboard-dist-windows-XXXXXX)
trap 'if [[ ${WINEPREFIX:-} == "$tmp/wine" ]]; then "$wineserver" -k 2>/dev/null || true; fi; rm -rf "$tmp" || true' EXIT
wineserver=$(command -v wineserver || echo /usr/lib/wine/wineserver)
version=$(tr -d '[:space:]' <VERSION)

say "the one version number ($version)"
check "VERSION equals wails.json's productVersion" scripts/set-version.sh --check
mkdir -p "$tmp/tree/scripts" "$tmp/tree/build/windows/installer"
cp scripts/set-version.sh "$tmp/tree/scripts/"
cp wails.json "$tmp/tree/"
cp build/windows/installer/wails_tools.nsh "$tmp/tree/build/windows/installer/"
echo 9.9.9 >"$tmp/tree/VERSION"
check "the check fails when they differ" bash -c '! "$1/tree/scripts/set-version.sh" --check 2>/dev/null' _ "$tmp"
check "set-version.sh sets both" "$tmp/tree/scripts/set-version.sh" 1.2.3 >/dev/null
check "  VERSION and wails.json then agree" "$tmp/tree/scripts/set-version.sh" --check
check "  and wails_tools.nsh follows" grep -q '!define INFO_PRODUCTVERSION "1.2.3"' "$tmp/tree/build/windows/installer/wails_tools.nsh"
check "a version Windows Installer cannot take is refused" bash -c '! "$1/tree/scripts/set-version.sh" 1.2.3-rc1 2>/dev/null' _ "$tmp"

say "a throw-away code-signing certificate"
mkcert() { # DIR CN
  mkdir -p "$1"
  openssl req -x509 -newkey rsa:2048 -sha256 -days 2 -nodes -keyout "$1/key.pem" -out "$1/cert.pem" \
    -subj "/CN=$2/O=Switchboard test" -addext "keyUsage=critical,digitalSignature" \
    -addext "extendedKeyUsage=codeSigning" -addext "basicConstraints=critical,CA:false" 2>/dev/null
}
mkcert "$tmp/ca" "Switchboard Test Signing"
mkcert "$tmp/other" "Someone Else"
openssl pkcs12 -export -inkey "$tmp/ca/key.pem" -in "$tmp/ca/cert.pem" -out "$tmp/ca/sign.pfx" -passout pass:pfx-secret

say "signing material is checked before anything is built"
nosign=(env -u SWITCHBOARD_SIGN_CERT -u SWITCHBOARD_SIGN_KEY -u SWITCHBOARD_SIGN_PFX -u SWITCHBOARD_SIGN_PASSWORD
  -u SWITCHBOARD_SIGN_PKCS11_MODULE -u SWITCHBOARD_SIGN_PKCS11_KEY -u SWITCHBOARD_SIGN_PKCS11_CERT -u SWITCHBOARD_SIGN_TIMESTAMP_URL)
out=$("${nosign[@]}" SWITCHBOARD_SIGN_REQUIRED=1 DIST_DIR="$tmp/none" scripts/dist-windows.sh 2>&1) && bad "SWITCHBOARD_SIGN_REQUIRED=1 without material fails" ||
  check "SWITCHBOARD_SIGN_REQUIRED=1 without material fails, saying why" grep -q "no signing material" <<<"$out"
out=$("${nosign[@]}" SWITCHBOARD_SIGN_CERT="$tmp/ca/cert.pem" DIST_DIR="$tmp/none" scripts/dist-windows.sh 2>&1) && bad "a certificate without a key fails" ||
  check "a certificate without a key fails, saying why" grep -q "SWITCHBOARD_SIGN_KEY" <<<"$out"
out=$("${nosign[@]}" SWITCHBOARD_SIGN_PKCS11_MODULE=/nonexistent.so SWITCHBOARD_SIGN_PKCS11_KEY=x DIST_DIR="$tmp/none" scripts/dist-windows.sh 2>&1) && bad "a missing PKCS#11 module fails" ||
  check "a missing PKCS#11 module fails, saying why" grep -q "/nonexistent.so" <<<"$out"
check "nothing was built by those" test ! -e "$tmp/none"

say "building the Windows app and installers, signed (scripts/dist-windows.sh)"
dist=$tmp/dist
if ! "${nosign[@]}" SWITCHBOARD_SIGN_CERT="$tmp/ca/cert.pem" SWITCHBOARD_SIGN_KEY="$tmp/ca/key.pem" \
  DIST_DIR="$dist" scripts/dist-windows.sh "$version" >"$tmp/dist.log" 2>&1; then
  cat "$tmp/dist.log" >&2
  echo "test-dist-windows: scripts/dist-windows.sh failed" >&2
  exit 1
fi
exe=$dist/switchboard-$version-windows-amd64.exe
msi=$dist/switchboard-$version-windows-amd64.msi
setup=$dist/switchboard-$version-windows-amd64-setup.exe
for f in "$exe" "$msi" "$setup"; do
  [[ -s $f ]] || { cat "$tmp/dist.log" >&2; echo "test-dist-windows: no $f" >&2; exit 1; }
done

check "the installers are at most 15 MB (SPEC)" bash -c '(( $(stat -c %s "$1") <= 15000000 && $(stat -c %s "$2") <= 15000000 ))' _ "$setup" "$msi"

say "Authenticode signatures"
for f in "$exe" "$msi" "$setup"; do
  name=${f##*/}
  v=$(osslsigncode verify -CAfile "$tmp/ca/cert.pem" -in "$f" 2>&1) || true
  check "$name verifies against the signing certificate" grep -qx "Succeeded" <<<"$v"
  check "$name is signed by it, with SHA-256" bash -c 'grep -q "CN=Switchboard Test Signing" <<<"$1" && grep -qi "sha256" <<<"$1"' _ "$v"
  check "$name does not verify against another certificate" bash -c '! osslsigncode verify -CAfile "$1" -in "$2" >/dev/null 2>&1' _ "$tmp/other/cert.pem" "$f"
done
cp "$exe" "$tmp/pfx.exe"
check "a PKCS#12 file with its password signs too" env SWITCHBOARD_SIGN_PFX="$tmp/ca/sign.pfx" SWITCHBOARD_SIGN_PASSWORD=pfx-secret \
  scripts/sign-windows.sh "$tmp/pfx.exe" 2>/dev/null
check "  and that verifies" bash -c 'osslsigncode verify -CAfile "$1" -in "$2" 2>&1 | grep -qx Succeeded' _ "$tmp/ca/cert.pem" "$tmp/pfx.exe"
check "a wrong PKCS#12 password fails" bash -c '! SWITCHBOARD_SIGN_PFX="$1" SWITCHBOARD_SIGN_PASSWORD=wrong scripts/sign-windows.sh "$2" 2>/dev/null' _ "$tmp/ca/sign.pfx" "$tmp/pfx.exe"

# The key on a PKCS#11 token (SoftHSM), the certificate from a file.
mkdir -p "$tmp/hsm/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$tmp/hsm/tokens" >"$tmp/hsm/softhsm2.conf"
export SOFTHSM2_CONF=$tmp/hsm/softhsm2.conf
module=/usr/lib/softhsm/libsofthsm2.so
softhsm2-util --init-token --free --label switchboard-test --pin 4711 --so-pin 0815 >/dev/null
openssl pkcs8 -topk8 -nocrypt -in "$tmp/ca/key.pem" -outform DER -out "$tmp/hsm/key.der"
pkcs11-tool --module "$module" --login --pin 4711 --token-label switchboard-test \
  --write-object "$tmp/hsm/key.der" --type privkey --id 01 --label signing >/dev/null 2>&1
cp "$exe" "$tmp/pkcs11.exe"
p11=(env SWITCHBOARD_SIGN_PKCS11_MODULE="$module" SWITCHBOARD_SIGN_PKCS11_KEY="pkcs11:token=switchboard-test;object=signing;type=private"
  SWITCHBOARD_SIGN_CERT="$tmp/ca/cert.pem")
check "a key on a PKCS#11 token signs too" "${p11[@]}" SWITCHBOARD_SIGN_PASSWORD=4711 scripts/sign-windows.sh "$tmp/pkcs11.exe" 2>/dev/null
check "  and that verifies" bash -c 'osslsigncode verify -CAfile "$1" -in "$2" 2>&1 | grep -qx Succeeded' _ "$tmp/ca/cert.pem" "$tmp/pkcs11.exe"
check "a wrong PIN fails" fails "${p11[@]}" SWITCHBOARD_SIGN_PASSWORD=1111 scripts/sign-windows.sh "$tmp/pkcs11.exe" 2>/dev/null

# fixed_versions FILE: the file and product versions of FILE's VS_FIXEDFILEINFO.
fixed_versions() {
  local hex i ms ls pms pls
  hex=$(wrestool -x --raw -t 16 "$1" | od -An -v -tx1 | tr -d ' \n')
  i=${hex%%bd04effe*}
  ((${#i} < ${#hex})) || { echo "no VS_FIXEDFILEINFO"; return; }
  le32() { local w=${hex:$1:8}; echo $((16#${w:6:2}${w:4:2}${w:2:2}${w:0:2})); }
  i=${#i}
  ms=$(le32 $((i + 16))) ls=$(le32 $((i + 24))) pms=$(le32 $((i + 32))) pls=$(le32 $((i + 40)))
  echo "file $((ms >> 16)).$((ms & 65535)).$((ls >> 16)).$((ls & 65535)) product $((pms >> 16)).$((pms & 65535)).$((pls >> 16)).$((pls & 65535))"
}
# strings_of FILE: the version resource's strings, "Name=Value" a line.
strings_of() { wrestool -x --raw -t 16 "$1" | strings -el | paste - - | tr '\t' '='; }

say "the app's version resource and icon"
check "fixed file and product version are $version.0" test "$(fixed_versions "$exe")" = "file $version.0 product $version.0"
s=$(wrestool -x --raw -t 16 "$exe" | strings -el)
check "ProductVersion string is $version" grep -qzP "ProductVersion\n\Q$version\E\n" <<<"$s"
check "FileVersion string is $version" grep -qzP "FileVersion\n\Q$version\E\n" <<<"$s"
check "ProductName string is Switchboard" grep -qzP "ProductName\nSwitchboard\n" <<<"$s"
check "the app has an icon" bash -c 'wrestool -l "$1" | grep -q "type=group_icon"' _ "$exe"

say "the MSI's tables"
table() { msiinfo export "$msi" "$1" | tail -n +4 | tr -d '\r'; }
prop() { table Property | awk -F'\t' -v k="$1" '$1 == k { print $2 }'; }
upgrade_code=$(sed -n 's/.*UpgradeCode="\([0-9A-Fa-f-]*\)".*/\1/p' build/windows/msi/switchboard.wxs)
check "UpgradeCode is the fixed {$upgrade_code}" test "$(prop UpgradeCode)" = "{$upgrade_code}"
check "ProductVersion is $version" test "$(prop ProductVersion)" = "$version"
check "ProductCode is a GUID, the one dist-windows.sh printed" bash -c '[[ $1 =~ ^\{[0-9A-F-]{36}\}$ ]] && grep -qF "ProductCode $1" "$2"' _ "$(prop ProductCode)" "$tmp/dist.log"
check "ALLUSERS is 1 (per-machine)" test "$(prop ALLUSERS)" = 1
check "the ARP entry has the icon" bash -c '[[ $1 == switchboard.ico ]] && (cd "$3" && msiinfo export "$2" Icon) | grep -q "^switchboard.ico"' _ "$(prop ARPPRODUCTICON)" "$msi" "$tmp"
check "SERVERURL, LOCKSERVERURL and DISABLEUPDATES are secure properties" \
  bash -c 'tr ";" "\n" <<<"$1" | grep -cxE "SERVERURL|LOCKSERVERURL|DISABLEUPDATES" | grep -qx 3' _ "$(prop SecureCustomProperties)"
suminfo=$(msiinfo suminfo "$msi")
check "the package is x64" grep -q "^Template: x64;" <<<"$suminfo"
source=$(sed -n 's/^Source: \([0-9]*\).*/\1/p' <<<"$suminfo")
check "the package is compressed and asks for elevation (no 'no privileges' bit)" test "$((source & 2)):$((source & 8))" = "2:0"
check "upgrades: a newer UpgradeCode product replaces, an older is refused" \
  bash -c 'u=$(msiinfo export "$1" Upgrade); grep -q "WIX_UPGRADE_DETECTED" <<<"$u" && grep -q "WIX_DOWNGRADE_DETECTED" <<<"$u" && msiinfo export "$1" InstallExecuteSequence | grep -q "^RemoveExistingProducts"' _ "$msi"
dirs=$(table Directory)
check "installs into ProgramFiles64Folder\\Switchboard" has "$dirs" $'INSTALLDIR\tProgramFiles64Folder\tSwitchboard'
check "switchboard.exe is in the File table" bash -c 'msiinfo export "$1" File | grep -qP "^SwitchboardExe\tApp\tswitchboard.exe\t"' _ "$msi"
comps=$(table Component)
check "the app's component is 64-bit" bash -c 'awk -F"\t" "\$1==\"App\" && int(\$4 / 256) % 2" <<<"$1" | grep -q .' _ "$comps"
# policy rows: value name, registry value, component, component condition
regs=$(table Registry)
policy_row() { # NAME VALUE COMPONENT CONDITION
  awk -F'\t' -v n="$1" -v v="$2" -v c="$3" '$2 == 2 && $3 == "Software\\Policies\\Switchboard" && $4 == n && $5 == v && $6 == c' <<<"$regs" | grep -q . &&
    awk -F'\t' -v c="$3" -v cond="$4" '$1 == c && $5 == cond && int($4 / 256) % 2' <<<"$comps" | grep -q .
}
check "HKLM ServerURL = [SERVERURL] when SERVERURL is given" policy_row ServerURL '[SERVERURL]' PolicyServerURL SERVERURL
check "HKLM LockServerURL = DWORD 1 when LOCKSERVERURL=1" policy_row LockServerURL '#1' PolicyLockServerURL 'LOCKSERVERURL = "1"'
check "HKLM DisableUpdateCheck = DWORD 1 when DISABLEUPDATES=1" policy_row DisableUpdateCheck '#1' PolicyDisableUpdates 'DISABLEUPDATES = "1"'
check "no other policy values" test "$(awk -F'\t' '$3 ~ /^Software\\Policies/' <<<"$regs" | wc -l)" = 3
launch=$(table LaunchCondition)
check "a SERVERURL that is not an http(s) URL stops the install" grep -qF 'SERVERURL ~<< "https://"' <<<"$launch"
check "an older version does not install over a newer" grep -q "^NOT WIX_DOWNGRADE_DETECTED" <<<"$launch"
check "presets are kept on upgrade unless given again" grep -qP '^KeepServerURL\tPREVSERVERURL AND NOT SERVERURL\t5[1-9]$' <<<"$(table InstallExecuteSequence)"
check "the Start-menu shortcut runs the app with its icon" bash -c 'msiinfo export "$1" Shortcut | grep -qP "^StartMenuShortcut\tProgramMenuFolder\tSwitchboard\tStartMenu\t\[#SwitchboardExe\]\t.*\tswitchboard.ico\t"' _ "$msi"
mkdir -p "$tmp/extract"
(cd "$tmp/extract" && msiextract "$msi" >/dev/null)
check "the MSI holds the signed app, byte for byte" cmp -s "$tmp/extract/Switchboard/switchboard.exe" "$exe"

say "the NSIS installer"
check "it carries the version $version" test "$(fixed_versions "$setup")" = "file $version.0 product $version.0"
check "its ProductVersion string is $version" grep -qzP "ProductVersion\n\Q$version\E\n" <<<"$(wrestool -x --raw -t 16 "$setup" | strings -el)"
check "the build's installer is the signed one in dist/" cmp -s "$setup" build/bin/switchboard-amd64-installer.exe
check "makensis signed the uninstaller inside it (installed and verified under Wine below)" grep -q "^signed .*makensis" "$tmp/dist.log"
check "the wails-built app in build/bin is the signed one" cmp -s "$exe" build/bin/switchboard.exe

say "installing, upgrading and uninstalling under Wine (64-bit)"
# Wine's msiexec is a real Windows Installer engine; NSIS's usual x86 stub needs
# a 32-bit Wine, so the NSIS checks run the same project.nsi built for amd64.
wine=$(command -v wine64 || echo /usr/lib/wine/wine64)
export WINEPREFIX=$tmp/wine WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
w() { timeout 300 "$wine" "$@" 2>/dev/null; }
# run_bat LINE: runs LINE through cmd as typed at a prompt; returns its exit code.
run_bat() {
  printf '%s\r\nexit %%ERRORLEVEL%%\r\n' "$1" >"$tmp/run.bat"
  local rc=0
  w cmd /c 'Z:'"${tmp//\//\\}"'\run.bat' >/dev/null || rc=$?
  "$wineserver" -w
  return "$rc"
}
winpath() { echo "Z:${1//\//\\}"; }
# reg_values KEY: "Name Type Data" a line, or nothing when KEY is not there.
reg_values() { w reg query "$1" | tr -d '\r' | sed -n 's/^    \([^ ]*\)    \(REG_[A-Z_]*\)    \(.*\)$/\1 \2 \3/p' | LC_ALL=C sort; }
# policy_has TEXT, policy_is TEXT: the machine policy's values hold TEXT, or are TEXT.
policy_has() { [[ $(reg_values "$PK") == *"$1"* ]]; }
policy_is() { [[ $(reg_values "$PK") == "$1" ]]; }
# settles PRED…: PRED holds now or within 10 s. Wine's msiexec has been seen to
# return before what it wrote is read back; the wait is said.
settles() {
  local i
  for ((i = 0; i < 10; i++)); do
    if "$@"; then
      ((i == 0)) || echo "    (settled ${i} s after msiexec returned)"
      return 0
    fi
    sleep 1
    "$wineserver" -w
  done
  return 1
}
# ran DESC LINE: runs LINE (run_bat), saying DESC's exit code when it fails.
ran() {
  local rc=0
  run_bat "$2" || rc=$?
  ((rc == 0)) || echo "    $1 exited $rc" >&2
  return "$rc"
}
# policy_settles WHEN PRED TEXT: PRED TEXT holds within 10 s (settles); else
# says what the policy held WHEN.
policy_settles() {
  settles "$2" "$3" && return 0
  printf '    policy %s: %s\n' "$1" "$(reg_values "$PK" | tr '\n' ';')" >&2
  return 1
}
# msi_by_file: installs the MSI with DISABLEUPDATES=1, sees the value, uninstalls by file.
# On failure it says which step failed and what the policy held.
msi_by_file() {
  ran "msiexec /i … DISABLEUPDATES=1" "msiexec /i $(winpath "$msi") /qn DISABLEUPDATES=1" &&
    policy_settles "after the install" policy_has "DisableUpdateCheck REG_DWORD 0x1" &&
    ran "msiexec /x by file" "msiexec /x $(winpath "$msi") /qn" &&
    policy_settles "after the uninstall" policy_is 'Language REG_SZ zh-CN'
}
# other_dir_uninstall: the uninstaller of an install in C:\Other Dir leaves a file it did not put there.
other_dir_uninstall() {
  local d=$WINEPREFIX/drive_c/Other\ Dir
  touch "$d/keep.txt" && run_bat '"C:\Other Dir\uninstall.exe" /S' && [[ -e $d/keep.txt && ! -e $d/switchboard.exe && ! -e $d/uninstall.exe ]]
}
# replaced OLD NEW: OLD's Add/Remove Programs entry is gone and NEW's is there.
# Wine's msiexec has been seen, once in many runs, to leave this unsettled when
# the upgrade returned: the state is read again for up to 10 s, the wait said,
# and on failure both entries and the end of the upgrade's verbose log are shown.
replaced() {
  local old new
  replaced_now() {
    old=$(reg_values "$arp\\$1") new=$(reg_values "$arp\\$2")
    [[ -z $old && -n $new ]]
  }
  settles replaced_now "$1" "$2" && return 0
  printf '    %s entry: %s\n' "$1" "${old:-none}" "$2" "${new:-none}" >&2
  [[ -f $tmp/upgrade.log ]] && tr -d '\0\r' <"$tmp/upgrade.log" | tail -n 40 >&2
  return 1
}
PK='HKLM\Software\Policies\Switchboard'
pf=$WINEPREFIX/drive_c/Program\ Files/Switchboard
menu=$WINEPREFIX/drive_c/ProgramData/Microsoft/Windows/Start\ Menu/Programs
# wineboot makes the prefix; on a loaded machine its first run can stall, so a
# failed one is retried on a new prefix, and the last one's output is shown.
boot_wine() {
  local try rc
  for try in 1 2 3; do
    rc=0
    timeout 300 "$wine" wineboot -i >"$tmp/wineboot.log" 2>&1 && "$wineserver" -w || rc=$?
    ((rc == 0)) && return 0
    echo "    wineboot attempt $try failed (exit $rc); retrying on a new prefix" >&2
    "$wineserver" -k 2>/dev/null || true
    sleep 2
    rm -rf "$WINEPREFIX"
  done
  echo "test-dist-windows: wineboot failed three times; its last output:" >&2
  tail -n 30 "$tmp/wineboot.log" >&2
  return 1
}
boot_wine || exit 1
w winecfg /v win10 >/dev/null # the installer requires Windows 10 or later
"$wineserver" -w
# A WebView2 Runtime, as far as the NSIS installer's check goes: no download.
w reg add 'HKLM\SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}' /v pv /t REG_SZ /d 120.0.0.0 /f >/dev/null
# A value Group Policy set, which no uninstall may take away.
w reg add "$PK" /v Language /t REG_SZ /d zh-CN /f >/dev/null

# the next version's MSI, to upgrade to
IFS=. read -r x y z <<<"$version"
next=$x.$y.$((z + 1))
next_code=$(scripts/build-msi.sh "$next" "$exe" "$tmp/next.msi")
code=$(prop ProductCode)
arp='HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall'

check "msiexec refuses SERVERURL=chat.example.com" fails run_bat "msiexec /i $(winpath "$msi") /qn SERVERURL=chat.example.com"
check "  and installs nothing" test ! -e "$pf"
check "msiexec refuses LOCKSERVERURL=0" fails run_bat "msiexec /i $(winpath "$msi") /qn SERVERURL=https://chat.example.com LOCKSERVERURL=0"
check "msiexec /i … /qn SERVERURL=… LOCKSERVERURL=1 installs" run_bat "msiexec /i $(winpath "$msi") /qn SERVERURL=https://chat.example.com/sb LOCKSERVERURL=1"
check "  the app, the signed one" cmp -s "$pf/switchboard.exe" "$exe"
check "  the Start-menu entry" bash -c 'find "$1/drive_c" -name Switchboard.lnk | grep -q .' _ "$WINEPREFIX"
check "  the machine policy, only what was given" test "$(reg_values "$PK")" = "$(printf '%s\n' 'Language REG_SZ zh-CN' 'LockServerURL REG_DWORD 0x1' 'ServerURL REG_SZ https://chat.example.com/sb')"
check "  an Add/Remove Programs entry under its ProductCode, version $version" bash -c 'grep -qx "DisplayVersion REG_SZ $2" <<<"$1"' _ "$(reg_values "$arp\\$code")" "$version"
check "upgrading to $next without properties" run_bat "msiexec /i $(winpath "$tmp/next.msi") /qn /l*v $(winpath "$tmp/upgrade.log")"
check "  replaces $version" replaced "$code" "$next_code"
check "$version does not install over $next" fails run_bat "msiexec /i $(winpath "$msi") /qn"
check "  and keeps the presets" test "$(reg_values "$PK")" = "$(printf '%s\n' 'Language REG_SZ zh-CN' 'LockServerURL REG_DWORD 0x1' 'ServerURL REG_SZ https://chat.example.com/sb')"
check "msiexec /x $next_code /qn uninstalls" run_bat "msiexec /x $next_code /qn"
check "  the app and its folder" test ! -e "$pf"
check "  the Start-menu entry" bash -c '! find "$1/drive_c" -name Switchboard.lnk | grep -q .' _ "$WINEPREFIX"
check "  the presets, and only them" test "$(reg_values "$PK")" = 'Language REG_SZ zh-CN'
check "  and what the installer remembered" test -z "$(reg_values 'HKLM\Software\Switchboard\Installer')"
check "msiexec /i … DISABLEUPDATES=1, then msiexec /x by file" msi_by_file

setup64=$tmp/setup64.exe
(cd build/windows/installer && SWITCHBOARD_SIGN_CERT="$tmp/ca/cert.pem" SWITCHBOARD_SIGN_KEY="$tmp/ca/key.pem" \
  makensis -V2 -DARG_WAILS_AMD64_BINARY="$exe" -DSWITCHBOARD_TARGET=amd64-unicode -DSWITCHBOARD_OUTFILE="$setup64" \
  -DSWITCHBOARD_SIGN_COMMAND="$root/scripts/sign-windows.sh" project.nsi >"$tmp/nsis64.log" 2>&1) || { cat "$tmp/nsis64.log" >&2; exit 1; }
s64=$(winpath "$setup64")
for bad in "/SERVERURL=chat.example.com" "/SERVERURL=https://" "/SERVERURL" "/LOCKSERVERURL=yes"; do
  rc=0
  run_bat "$s64 /S $bad" || rc=$?
  check "setup /S $bad fails with exit code 2" test "$rc" = 2
done
check "  and installs nothing" test ! -e "$pf"
check 'setup /S /SERVERURL=https://… /LOCKSERVERURL /D=C:\Program Files\Switchboard installs' \
  run_bat "$s64 /S /SERVERURL=https://chat.example.com/sb?a=1 /lockserverurl /D=C:\\Program Files\\Switchboard"
check "  the app" cmp -s "$pf/switchboard.exe" "$exe"
check "  a signed uninstaller" bash -c 'osslsigncode verify -CAfile "$1" -in "$2" 2>&1 | grep -qx Succeeded' _ "$tmp/ca/cert.pem" "$pf/uninstall.exe"
check "  the Start-menu entry for all users" test -e "$menu/Switchboard.lnk"
check "  the machine policy, only what was given" test "$(reg_values "$PK")" = "$(printf '%s\n' 'Language REG_SZ zh-CN' 'LockServerURL REG_DWORD 0x1' 'ServerURL REG_SZ https://chat.example.com/sb?a=1')"
uninst=$(reg_values "$arp\\SwitchboardSwitchboard")
check "  an Add/Remove Programs entry, version $version, with a quiet uninstall" \
  bash -c 'grep -qx "DisplayVersion REG_SZ $2" <<<"$1" && grep -qF "QuietUninstallString REG_SZ \"C:\\Program Files\\Switchboard\\uninstall.exe\" /S" <<<"$1"' _ "$uninst" "$version"
check 'setup /S "/SERVERURL=https://…" /DISABLEUPDATES over it' run_bat "$s64 /S \"/SERVERURL=https://other.example.com\" /DISABLEUPDATES"
check "  replaces the address, adds the flag, keeps the lock" test "$(reg_values "$PK")" = "$(printf '%s\n' 'DisableUpdateCheck REG_DWORD 0x1' 'Language REG_SZ zh-CN' 'LockServerURL REG_DWORD 0x1' 'ServerURL REG_SZ https://other.example.com')"
check '"C:\Program Files\Switchboard\uninstall.exe" /S uninstalls' run_bat '"C:\Program Files\Switchboard\uninstall.exe" /S'
check "  the app and its folder" test ! -e "$pf"
check "  the Start-menu entry" test ! -e "$menu/Switchboard.lnk"
check "  the presets, and only them" test "$(reg_values "$PK")" = 'Language REG_SZ zh-CN'
check "  the Add/Remove Programs entry" test -z "$(reg_values "$arp\\SwitchboardSwitchboard")"
check 'setup /S /D=C:\Other Dir installs there' run_bat "$s64 /S /D=C:\\Other Dir"
check "  and writes no policy" test "$(reg_values "$PK")" = 'Language REG_SZ zh-CN'
check "  and its uninstaller leaves the folder's other files" other_dir_uninstall
"$wineserver" -k 2>/dev/null || true

say "the Group Policy templates"
pol=build/windows/policy
admx=$pol/switchboard.admx
# xp FILE XPATH: the values of the attributes XPATH selects, one a line.
xp() { xmllint --xpath "$2" "$1" 2>/dev/null | sed -n 's/^ *[A-Za-z]*="\(.*\)"$/\1/p' | sort -u; }
for f in "$admx" "$pol"/en-US/switchboard.adml "$pol"/zh-CN/switchboard.adml; do
  check "$f is well-formed XML" xmllint --noout "$f"
done
P='//*[local-name()="policy"]'
K='Software\Policies\Switchboard'
names=$(xp "$admx" "$P/@valueName | $P//*[@valueName]/@valueName")
for key in ServerURL LockServerURL DisableUpdateCheck Language CacheRetentionDays LogLevel; do
  check "the contract's $key is a value" has "$names" "$key"
done
check "the contract's AllowedServers is a list of values 1, 2, … in its subkey" \
  test "$(xmllint --xpath "count($P//*[local-name()='list' and @key='$K\\AllowedServers' and @valuePrefix=''])" "$admx")" = 1
check "every policy is both a computer and a user policy" test "$(xp "$admx" "$P/@class")" = Both
check "enforced policies write $K" test "$(xp "$admx" "$P[*[local-name()='parentCategory']/@ref='Switchboard']/@key")" = "$K"
check "default policies write $K\\Recommended" test "$(xp "$admx" "$P[*[local-name()='parentCategory']/@ref='SwitchboardRecommended']/@key")" = "$K\\Recommended"
check "there are default policies" test "$(xmllint --xpath "count($P[@key='$K\\Recommended'])" "$admx")" -ge 5
langs=$(xmllint --xpath "$P//*[local-name()='enum' and @valueName='Language']//*[local-name()='string']/text()" "$admx" | sort -u | paste -sd' ')
check "Language offers en, system and zh-CN" test "$langs" = "en system zh-CN"
levels=$(xmllint --xpath "$P//*[local-name()='enum' and @valueName='LogLevel']//*[local-name()='string']/text()" "$admx" | sort -u | paste -sd' ')
check "LogLevel offers debug, error, info and warn" test "$levels" = "debug error info warn"
check "CacheRetentionDays is a number from 1 to 3650" \
  test "$(xmllint --xpath "count($P//*[local-name()='decimal' and @valueName='CacheRetentionDays' and @minValue='1' and @maxValue='3650'])" "$admx")" = 2
strings_used=$(grep -o '\$(string\.[A-Za-z0-9_]*)' "$admx" | sed 's/^$(string\.\(.*\))$/\1/' | sort -u)
pres_used=$(grep -o '\$(presentation\.[A-Za-z0-9_]*)' "$admx" | sed 's/^$(presentation\.\(.*\))$/\1/' | sort -u)
element_ids=$(xp "$admx" "$P//*[local-name()='elements']/*/@id")
for lang in en-US zh-CN; do
  adml=$pol/$lang/switchboard.adml
  defined=$(xp "$adml" '//*[local-name()="string"]/@id')
  check "$lang defines every string the ADMX uses" test -z "$(comm -23 <(echo "$strings_used") <(echo "$defined"))"
  check "$lang defines every presentation the ADMX uses" test -z "$(comm -23 <(echo "$pres_used") <(xp "$adml" '//*[local-name()="presentation"]/@id'))"
  check "$lang's presentations refer to the ADMX's elements" test -z "$(comm -23 <(xp "$adml" '//*[local-name()="presentation"]/*/@refId') <(echo "$element_ids"))"
done
check "en-US and zh-CN define the same strings" \
  test "$(xp "$pol/en-US/switchboard.adml" '//*[local-name()="string"]/@id')" = "$(xp "$pol/zh-CN/switchboard.adml" '//*[local-name()="string"]/@id')"

if ((fails)); then
  echo "test-dist-windows: $fails check(s) failed" >&2
  exit 1
fi
say "Windows installers: all checks passed"
