#!/usr/bin/env bash
# Runs .ci/run on a fresh clone of HEAD N times in a row (default 5) while
# stress-ng keeps every core busy, and stops at the first red run. A suite
# that passes this does not fail by chance on a loaded CI machine.
# Usage: scripts/flake-check.sh [runs]     (installs stress-ng from Debian when absent)
set -euo pipefail
runs="${1:-5}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'kill "${stress:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

if ! command -v stress-ng > /dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq stress-ng > /dev/null
fi
git clone -q "$repo" "$work/clone"
# The clone runs next to a copy of shared/, as CI does.
[ -d "$repo/../shared" ] && cp -r "$repo/../shared" "$work/shared"

stress-ng --cpu "$(nproc)" --quiet &
stress=$!
for i in $(seq 1 "$runs"); do
  started=$(date +%s)
  if (cd "$work/clone" && CI=true bash .ci/run > "$work/run-$i.log" 2>&1); then
    echo "flake-check: run $i/$runs green in $(( $(date +%s) - started )) s: $(grep -E '^(browser|node): ' "$work/run-$i.log" | tr '\n' ' ')"
  else
    echo "flake-check: run $i/$runs RED after $(( $(date +%s) - started )) s; the end of its log:"
    tail -60 "$work/run-$i.log"
    exit 1
  fi
done
echo "flake-check: $runs of $runs runs green under load"
