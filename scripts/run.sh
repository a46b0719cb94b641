#!/usr/bin/env bash
# Serve the demo and run its task worker; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
py=.venv/bin/python
$py manage.py db_worker --queue-name '*' &
worker=$!
$py manage.py runserver "127.0.0.1:${PORT}" --noreload &
web=$!
stop() { kill "$worker" "$web" 2>/dev/null || true; wait 2>/dev/null || true; }
trap 'stop; exit 0' INT TERM
echo
echo "Défis is running at http://127.0.0.1:${PORT}/ (Ctrl-C stops the site and its worker)"
echo
wait -n "$worker" "$web"
stop
