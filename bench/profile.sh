#!/usr/bin/env bash
# Where a request's time goes, in microseconds of server CPU per request: publishes the server (Release), seeds a
# token file of --users users, runs it with the defaults (logging at Info, rate limits on), drives --path with wrk
# (32 connections, random users, the key on every call) and records the server with perf for 8 s; then prints the
# server's CPU per request (from /proc) and the inclusive share of the pipeline's parts, scaled to that CPU.
# Usage: bench/profile.sh [--users 1000] [--path /auth/token/] [--log Info|Warn]
# ReadyToRun is turned off so that every method is jitted and named in the perf map (DOTNET_PerfMapEnabled=1).
set -euo pipefail
cd "$(dirname "$0")/.."
users=1000 path=/auth/token/ level=Info
while [ $# -gt 0 ]; do
  case $1 in
    --users) users=$2; shift 2 ;;
    --path) path=$2; shift 2 ;;
    --log) level=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

for tool in wrk perf; do
  if ! command -v $tool >/dev/null; then
    package=$tool; [ $tool = perf ] && package=linux-perf
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $package >/dev/null
    else
      echo "$tool is not installed: install the Debian package '$package'" >&2
      exit 1
    fi
  fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/jira-auth-profile.XXXXXX")
server_pid=
cleanup() { [ -n "$server_pid" ] && kill -KILL "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

echo "publishing (Release)..."
dotnet publish JiraAuthServer.Web -c Release -o "$work/server" --nologo -v quiet >/dev/null
dotnet publish bench/ServerBench -c Release -o "$work/bench" --nologo -v quiet >/dev/null
key=$(python3 -c "import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())")
api_key=profile-internal-api-key-3Hq8
mkdir -p "$work/data" "$work/logs"
dotnet "$work/bench/ServerBench.dll" seed "$work/data/user_tokens.json" "$users" "$key"
port=$(python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")

# The log goes outside the working folder, which ASP.NET watches for configuration changes.
(cd "$work/data" && exec env JIRA_CLIENT_ID=profile JIRA_CLIENT_SECRET=profile JIRA_REDIRECT_URI="http://127.0.0.1:$port/auth/callback" \
  ENCRYPTION_KEY="$key" INTERNAL_API_KEY="$api_key" TOKENS_FILE="$work/data/user_tokens.json" LOG_LEVEL="$level" \
  ASPNETCORE_ENVIRONMENT=Production DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 DOTNET_ReadyToRun=0 \
  dotnet "$work/server/JiraAuthServer.Web.dll" --urls "http://127.0.0.1:$port" > "$work/logs/server.log" 2>&1) &
server_pid=$!
disown "$server_pid"
until curl -s -o /dev/null "http://127.0.0.1:$port/health/live"; do
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/logs/server.log" >&2; exit 1; }
  sleep 0.2
done

export BENCH_USERS=$users BENCH_PATH=$path
load() { wrk -t2 -c32 -d"$1" -s bench/random-user.lua -H "Authorization: Bearer $api_key" "http://127.0.0.1:$port"; }
echo "warming up (15 s)..."
load 15s > /dev/null
cpu() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
before=$(cpu)
load 10s > "$work/wrk.txt" &
wrk_pid=$!
perf record -F 1999 -g -p "$server_pid" -o "$work/perf.data" -- sleep 8 >/dev/null 2>&1
wait $wrk_pid
after=$(cpu)
requests=$(grep -oP '^\s*\K\d+(?= requests in)' "$work/wrk.txt")
grep -E "Requests/sec|Non-2xx" "$work/wrk.txt" || true
perf script -i "$work/perf.data" -F comm,tid,ip,sym 2>/dev/null > "$work/perf.txt"
python3 bench/profile-summary.py "$work/perf.txt" "$(python3 -c "print(($after - $before) * 1e6 / $(getconf CLK_TCK) / $requests)")" "$users" "$path" "$level"
