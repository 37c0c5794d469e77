#!/usr/bin/env bash
# Throughput, latency, memory and start-up of the published server (Release) at several store sizes, against a bare
# Kestrel endpoint answering a body of the same size (the floor of this machine) and an MVC action answering it (the
# floor of MVC controllers), the ciphertext the file store holds beside its RSS, plus a burst of concurrent callbacks.
# Usage: bench/run.sh [--users 1000,10000,100000] [--store file|postgres|file,postgres] [--duration 10] [--warmup 10]
#                     [--connections 32] [--burst 500] [--steady off|on|only] [--steady-rate 20] [--steady-seconds 30]
#                     [--steady-compaction-mb 2] [--proxy off|on|only] [--rounds 3]
# The throughput figures are medians of --rounds rounds, each round the bare endpoint, /auth/token and /auth/status
# one after the other (the bare endpoint runs beside the server), so drift of the machine's speed over the minutes
# of a run touches the server and its floor alike.
# --steady on adds the steady-change phase of the file store (refreshing calls, a callback burst, bytes written per
# change, compactions, a SIGKILL restart with a nearly full journal and a lost-grant check; then the same at a lowered
# JOURNAL_COMPACTION_MB); --steady only runs that phase alone.
# --proxy on adds a Jira GET through /jira/{id}/... against the fake Jira REST beside the same GET sent to the fake
# directly (the proxy's added p50/p99); --proxy only runs that phase alone.
# --store postgres runs the same load against TOKEN_STORE=postgres: a throwaway PostgreSQL cluster (Debian's postgresql
# package, fsync on) seeded from the same token file with the server's own import-file; the default is file.
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
clusters="$work/clusters"
touch "$pids" "$clusters"
cleanup() {
  while read -r pid; do
    [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
  done < "$pids"
  # PostgreSQL clusters the bench started and did not remove itself (it was killed or failed): stop, then delete.
  while read -r folder; do
    [ -n "$folder" ] && [ -d "$folder" ] || continue
    if [ -f "$folder/data/postmaster.pid" ]; then
      # The same pg_ctl the cluster was started with: one on PATH first, else the newest Debian one.
      ctl=$(command -v pg_ctl || ls -d /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -n 1)
      if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$ctl" -D "$folder/data" -m immediate -w stop >/dev/null 2>&1 || true
      else
        "$ctl" -D "$folder/data" -m immediate -w stop >/dev/null 2>&1 || true
      fi
    fi
    rm -rf "$folder"
  done < "$clusters"
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
  --lua "$PWD/bench/random-user.lua" --work "$work" --pids "$pids" --clusters "$clusters" "$@" | tee "$report"
echo "report kept in $report"
