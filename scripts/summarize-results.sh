#!/usr/bin/env bash
# Prints "N passed, M failed" from a TRX file; fails when the file is missing or no test ran.
set -euo pipefail
trx="${1:?usage: summarize-results.sh results.trx}"
if [ ! -f "$trx" ]; then
  echo "no test results: the build or the test run failed before any test ran"
  echo "0 passed, 0 failed"
  exit 1
fi
counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
read_counter() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
passed=$(read_counter passed)
failed=$(read_counter failed)
skipped=$(read_counter notExecuted)
total=$(read_counter total)
echo "${total:-0} tests in all, ${skipped:-0} skipped"
ok=1
if [ "${total:-0}" -eq 0 ] || [ "${passed:-0}" -eq 0 ]; then
  echo "no test passed: treating the run as failed"
  ok=0
fi
[ "${failed:-0}" -eq 0 ] || ok=0
echo "${passed:-0} passed, ${failed:-0} failed"
[ "$ok" -eq 1 ]
