#!/usr/bin/env bash
# Install the Debian packages a target needs when they are missing: gettext (msgfmt, to compile
# the French catalogue; xgettext, which the catalogue test runs through makemessages) and chromium
# (the browser of the end-to-end tests; Playwright's own browser download does not work on our
# machines).
set -euo pipefail
need=()
for what in "$@"; do
  case "$what" in
    gettext) { command -v msgfmt && command -v xgettext; } >/dev/null || need+=(gettext) ;;
    chromium) [ -x /usr/bin/chromium ] || need+=(chromium fonts-liberation) ;;
    *) echo "unknown system dependency: $what" >&2; exit 2 ;;
  esac
done
[ ${#need[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "Please install: ${need[*]} (Debian packages)." >&2; exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing ${need[*]} with apt-get…"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
