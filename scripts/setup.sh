#!/usr/bin/env bash
# Installs what Lotse needs on a machine that has only Node 20 and npm, then builds the workspace.
#   bash scripts/setup.sh        everything the demo needs
#   bash scripts/setup.sh test   also Chromium and PostgreSQL for the tests (Debian packages, as root)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-demo}

if ! command -v pnpm >/dev/null 2>&1; then
  # Corepack cannot fetch pnpm on every network; npm can.
  npm install -g pnpm@12
fi

# better-sqlite3 compiles from source; node-gyp must use this Node's headers instead of downloading them.
npm_config_nodedir="$(npm config get nodedir)"
export npm_config_nodedir

if [ "$mode" = test ]; then
  if [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ]; then
    missing=()
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    command -v pg_lsclusters >/dev/null 2>&1 || missing+=(postgresql)
    if [ ${#missing[@]} -gt 0 ]; then
      apt-get update
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
    fi
    bash scripts/postgres.sh
  else
    cat >&2 <<'MSG'
[setup] Not root on Debian, so nothing was installed system-wide. The tests need:
  - Chromium at /usr/bin/chromium (or set LOTSE_CHROMIUM to its path); never a downloaded browser
  - PostgreSQL reachable at LOTSE_TEST_DATABASE_URL
    (default postgres://lotse:lotse@127.0.0.1:5432/lotse_test)
MSG
  fi
fi

pnpm install --frozen-lockfile
pnpm build
