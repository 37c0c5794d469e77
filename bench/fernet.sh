#!/usr/bin/env bash
# Encrypt/decrypt cost of a 1 KB token: median ns per call and managed bytes allocated per call.
set -euo pipefail
cd "$(dirname "$0")/FernetBench"
dotnet run -c Release -- "$@"
