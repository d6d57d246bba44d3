#!/usr/bin/env bash
# Install the Debian packages a target needs, only those missing; a no-op when all are there.
#   run:  a Python with venv and pip; Pango and fonts for WeasyPrint's PDF reports; when DATABASE_URL names
#         PostgreSQL, its client tools (pg_dump, pg_restore) for `flask db backup` and `restore`
#   test: the same, headless Chromium for browser tests, a PostgreSQL server and its client tools, a Redis
#         server (the shared rate-limit store), poppler (PDF to PNG)
set -euo pipefail
case "${1:-}" in
  run)  packages=(libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-core) ;;
  test) packages=(libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-core chromium postgresql postgresql-client redis-server poppler-utils) ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac

if [ "$1" = run ] && [[ "${DATABASE_URL:-}" == postgres* ]]; then
  packages+=(postgresql-client)  # an embedded SQLite is backed up without it
fi

if [ "$1" = run ] && ! ${PYTHON:-python3} -c 'import venv, ensurepip' 2>/dev/null; then
  packages+=(python3-venv python3-pip)  # this Python cannot make virtual environments yet
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
