#!/usr/bin/env bash
# Run every benchmark in bench/ (each prints its figures as key=value lines).
set -uo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
status=0
for b in bench/*.py; do
  case "$b" in bench/_*|bench/fuzz_import.py|bench/align_eval.py) continue ;; esac
  echo "== $b"
  "$VENV/bin/python" "$b" || status=1
done
# the fuzz run and the alignment evaluation take arguments; run them with their defaults
[ -f bench/fuzz_import.py ] && { echo "== bench/fuzz_import.py"; "$VENV/bin/python" bench/fuzz_import.py || status=1; }
[ -f bench/align_eval.py ] && { echo "== bench/align_eval.py"; "$VENV/bin/python" bench/align_eval.py || status=1; }
exit $status
