#!/usr/bin/env bash
# Throughput, latency, memory and start-up of the published server (Release) at several store sizes, against a bare
# Kestrel endpoint answering a body of the same size (the floor of this machine), plus a burst of concurrent callbacks.
# Usage: bench/run.sh [--users 1000,10000,100000] [--duration 10] [--warmup 10] [--connections 32] [--burst 500]
# Loopback only; everything it starts is stopped when it ends, however it ends. The report is also kept in bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing wrk (Debian package)..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else
    echo "wrk is not installed: install the Debian package 'wrk' (apt-get install wrk)" >&2
    exit 1
  fi
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/jira-auth-bench.XXXXXX")
pids="$work/children.pids"
touch "$pids"
cleanup() {
  while read -r pid; do
    [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
  done < "$pids"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "publishing (Release)..."
dotnet publish JiraAuthServer.Web -c Release -o "$work/server" --nologo -v quiet >/dev/null
dotnet publish bench/BareEndpoint -c Release -o "$work/bare" --nologo -v quiet >/dev/null
dotnet publish bench/ServerBench -c Release -o "$work/bench" --nologo -v quiet >/dev/null

mkdir -p bench/results
report="bench/results/$(date -u +%Y%m%dT%H%M%SZ).md"
dotnet "$work/bench/ServerBench.dll" --server "$work/server/JiraAuthServer.Web.dll" --bare "$work/bare/BareEndpoint.dll" \
  --lua "$PWD/bench/random-user.lua" --work "$work" --pids "$pids" "$@" | tee "$report"
echo "report kept in $report"
