#!/usr/bin/env bash
# Runs every test of Monitor on a fresh Debian machine: installs what the tests need when it is missing
# (influxd, Chromium, Node/npm for ApexCharts), restores, builds, runs all test projects and prints
# a last line `tests: N passed, N failed`. Exits non-zero when anything fails.
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v influxd >/dev/null 2>&1 || missing+=(influxdb)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} ..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# ApexCharts comes from npm; the web project's build also runs this when node_modules is missing.
(cd src/Monitor.Web && npm ci --no-audit --no-fund --loglevel=error)

dotnet restore Monitor.sln --verbosity quiet
dotnet build Monitor.sln --no-restore --verbosity quiet --nologo

results="$(pwd)/TestResults"
rm -rf "$results"
status=0
run_tests() {
  dotnet test "$1" --no-build --nologo --verbosity quiet \
    --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" || status=$?
}
# The browser tests hold pages to what a person would notice (an alert on screen within 2 s), so they run last and
# alone: the integration suite's influxd instances and child processes would otherwise share the cores with them.
for project in tests/*.Tests; do
  [ "$project" = tests/Monitor.Browser.Tests ] || run_tests "$project"
done
run_tests tests/Monitor.Browser.Tests

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # A test host that crashed leaves no failed count behind; never report that as green.
  failed=1
fi
echo "tests: ${passed} passed, ${failed} failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
