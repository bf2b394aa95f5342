#!/usr/bin/env bash
# `make load`: gunicorn as the README deploys it (debug off, collectstatic, `make serve`) on a
# benchmark database, then bench/load.py: LOAD_SESSIONS logged-in sessions for LOAD_SECONDS.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${LOAD_PORT:-8732}
DB=${LOAD_DATABASE:-conecta_bench_5000}
work=$(mktemp -d)
export DJANGO_DEBUG=0
export DJANGO_SECRET_KEY
DJANGO_SECRET_KEY=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_CSRF_TRUSTED_ORIGINS=https://127.0.0.1:$PORT
export DJANGO_STATIC_ROOT=$work/static
export DJANGO_LOG_LEVEL=WARNING

psql "postgres://postgres@127.0.0.1:5432/$DB" -qAtc "SELECT 1" >/dev/null \
  || { echo "no database $DB: run make bench first (it builds conecta_bench_500, _5000, _50000)"; exit 1; }
.venv/bin/python manage.py collectstatic --no-input -v 0

make serve BIND=127.0.0.1:$PORT GUNICORN_WORKERS=${GUNICORN_WORKERS:-3} >"$work/gunicorn.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 60); do curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz/" && break; sleep 0.5; done
.venv/bin/python -m bench.load --url "http://127.0.0.1:$PORT" --sessions "${LOAD_SESSIONS:-50}" --seconds "${LOAD_SECONDS:-180}"
grep -E " 5[0-9][0-9] " "$work/gunicorn.log" | head -5 || true
