#!/usr/bin/env bash
# Fuzz the public API against its own OpenAPI schema with schemathesis, on a live gunicorn.
# Fails on any server error or any response that breaks the schema.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
PORT=${FUZZ_PORT:-8799}
MAX_EXAMPLES=${FUZZ_MAX_EXAMPLES:-100}
work=$(mktemp -d)
export ATLAS_VAR_DIR="$work" DJANGO_ALLOWED_HOSTS=127.0.0.1 API_ANON_RATE=1000000/minute \
  DJANGO_SECRET_KEY=api-fuzz-only-not-a-secret-$(date +%s%N)

"$PY" manage.py migrate --noinput -v0
"$PY" manage.py load_dataset -v0
"$PY" manage.py refresh_views >/dev/null
"$PY" manage.py collectstatic --noinput -v0
.venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers 2 --log-level warning \
  >"$work/gunicorn.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT

# positive_data_acceptance does not apply: a string the schema allows for a slug filter
# may name no initiative, and the API answers that with a 400 by design.
.venv/bin/schemathesis run "http://127.0.0.1:$PORT/api/schema/" \
  --wait-for-schema 60 \
  --checks all --exclude-checks positive_data_acceptance \
  --phases examples,coverage,fuzzing \
  --max-examples "$MAX_EXAMPLES" \
  --workers 2 \
  --suppress-health-check too_slow \
  --seed 20200908
echo "api-fuzz: no server error and no schema violation."
if grep -q "Traceback" "$work/gunicorn.log"; then
  echo "but the server logged a traceback:"; cat "$work/gunicorn.log"; exit 1
fi
