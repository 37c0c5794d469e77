#!/usr/bin/env bash
# Runs every test of the project, the way CI does. Installs what the tests need on a fresh Debian machine when it can.
# Usage: ./test.sh [extra dotnet test arguments, e.g. --filter Name~Fernet]
set -euo pipefail
cd "$(dirname "$0")"

source scripts/test-prerequisites.sh
install_test_prerequisites

results_dir="$PWD/TestResults"
rm -rf "$results_dir"
mkdir -p "$results_dir"

status=0
dotnet test JiraAuthServer.sln --configuration Release \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" \
  --results-directory "$results_dir" "$@" || status=$?

scripts/summarize-results.sh "$results_dir/results.trx" || status=1
exit "$status"
