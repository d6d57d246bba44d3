#!/usr/bin/env bash
# Install the Debian packages a target needs, only those missing; a no-op when all are there.
#   run:  a Python with venv and pip
#   test: headless Chromium for browser tests, a PostgreSQL server, fonts, poppler (PDF to PNG)
set -euo pipefail
case "${1:-}" in
  run)  packages=(python3-venv python3-pip) ;;
  test) packages=(chromium postgresql fonts-dejavu-core fonts-noto-core poppler-utils) ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac

if [ "$1" = run ] && ${PYTHON:-python3} -c 'import venv, ensurepip' 2>/dev/null; then
  exit 0  # this Python already makes virtual environments
fi
command -v dpkg-query >/dev/null || { echo "Not a Debian system: install ${packages[*]} yourself." >&2; exit 0; }

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "Installing Debian packages: ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
