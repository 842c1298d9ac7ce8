#!/usr/bin/env bash
# The test suite, twice: on the embedded SQLite default and on a real PostgreSQL server.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PYTEST=("$VENV/bin/pytest" -q -p no:cacheprovider)

echo "== tests on SQLite"
"${PYTEST[@]}" "$@"

echo "== tests on PostgreSQL"
url=$(bash scripts/pg.sh start)
VLRKIT_DATABASE_URL="$url" "${PYTEST[@]}" "$@"
