#!/usr/bin/env bash
# Write a git-ignored .env holding the secrets the settings require (no secret has a default).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f .env ]; then
  key=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')
  printf 'SECRET_KEY=%s\n' "$key" > .env
  echo "Wrote .env with a new SECRET_KEY."
fi
