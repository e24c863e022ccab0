#!/usr/bin/env bash
# The packaged desktop binary (build/bin/switchboard) under Xvfb, as an agent
# sees it: a demo server holds a working scene (e2e/scene: two customers in
# conversation with carol, one waiting), and the app, signed in as carol, is
# started four times — English and Chinese (from the OS language, LANG), light
# and dark (from the GTK dark-theme preference) — each with a fresh profile.
# Each time it opens the first conversation with a click (xdotool) and takes
# a screenshot of the screen, which is checked: a rendered window (many
# colours), darker in the dark theme than in the light one, and different
# between the languages. UPDATE_SCREENSHOTS=1 copies them to docs/screenshots;
# SHOT_LANGS (en_US zh_CN) and SHOT_THEMES (light dark) take fewer.
set -euo pipefail
cd "$(dirname "$0")/.."
out=e2e/out; mkdir -p "$out"
work=$(mktemp -d)
port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
cleanup() {
  [[ -n ${app_pid:-} ]] && kill -- -"$app_pid" 2>/dev/null || true
  [[ -n ${srv_pid:-} ]] && kill "$srv_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/scene" ./e2e/scene
bin/switchboard-server serve --demo --routing pick --addr "127.0.0.1:$port" --data "$work/data" >"$out/desktop-server.log" 2>&1 &
srv_pid=$!
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
"$work/scene" -server "http://127.0.0.1:$port"

# shoot LANG THEME FILE: one run of the app, one screenshot.
shoot() {
  local lang=$1 theme=$2 shot=$3 home="$work/home-$1-$2" row=150
  # English shots open Emma Brown's conversation (the first row), Chinese
  # ones 李雷's (the second).
  [[ $lang == zh_* ]] && row=235
  mkdir -p "$home/config/gtk-3.0"
  if [[ $theme == dark ]]; then
    printf '[Settings]\ngtk-application-prefer-dark-theme=1\n' >"$home/config/gtk-3.0/settings.ini"
  fi
  rm -f "$shot"
  setsid env HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" XDG_CACHE_HOME="$home/cache" \
    LANG="$lang.UTF-8" LANGUAGE="$lang" LC_ALL= \
    SWITCHBOARD_CONFIG_DIR="$home/switchboard" SWITCHBOARD_KEYRING=file \
    SWITCHBOARD_SERVER_URL="http://127.0.0.1:$port" SWITCHBOARD_USERNAME=carol SWITCHBOARD_PASSWORD=switchboard-demo \
    xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
      build/bin/switchboard & app=$!
      sleep 9
      # A conversation of the list (Mine), then the transcript settles.
      xdotool mousemove 170 "$1" click 1
      sleep 3
      import -window root "$0"
      kill $app; wait $app 2>/dev/null; true' "$shot" "$row" \
    >"$out/desktop-app-$lang-$theme.log" 2>&1 &
  app_pid=$!
  wait "$app_pid" || true
  app_pid=
  [[ -s $shot ]] || { echo "no screenshot taken; see $out/desktop-app-$lang-$theme.log"; exit 1; }
  local colours size mean
  colours=$(identify -format '%k' "$shot")
  size=$(identify -format '%wx%h' "$shot")
  mean=$(identify -format '%[fx:mean]' "$shot")
  printf 'screenshot %s: %s, %s distinct colours, mean brightness %.2f\n' "$shot" "$size" "$colours" "$mean"
  if ((colours < 200)); then
    echo "the window looks blank (fewer than 200 colours); see $out/desktop-app-$lang-$theme.log"
    exit 1
  fi
}

declare -A mean
for lang in ${SHOT_LANGS:-en_US zh_CN}; do
  for theme in ${SHOT_THEMES:-light dark}; do
    name=desktop-${lang%%_*}-$theme
    shoot "$lang" "$theme" "$out/$name.png"
    mean[$name]=$(identify -format '%[fx:mean]' "$out/$name.png")
  done
done

for l in en zh; do
  [[ -n ${mean[desktop-$l-dark]:-} && -n ${mean[desktop-$l-light]:-} ]] || continue
  if ! awk -v d="${mean[desktop-$l-dark]}" -v b="${mean[desktop-$l-light]}" 'BEGIN { exit !(d < b - 0.2) }'; then
    echo "the dark theme ($l) is not darker than the light one: ${mean[desktop-$l-dark]} vs ${mean[desktop-$l-light]}"
    exit 1
  fi
done
if [[ -n ${mean[desktop-en-light]:-} && -n ${mean[desktop-zh-light]:-} ]] &&
  compare -metric AE "$out/desktop-en-light.png" "$out/desktop-zh-light.png" null: 2>/dev/null; then
  echo "the English and Chinese screens are identical: the language did not follow LANG"
  exit 1
fi

if [[ ${UPDATE_SCREENSHOTS:-} == 1 ]]; then
  mkdir -p docs/screenshots
  for f in desktop-en-light desktop-en-dark desktop-zh-light desktop-zh-dark; do cp "$out/$f.png" docs/screenshots/; done
fi
