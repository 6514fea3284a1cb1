#!/usr/bin/env bash
# Crm's one entry point for people and CI.
#   ./crm.sh run      the CRM with demo data on http://localhost:5080 (CRM_URLS overrides); starts a local
#                     PostgreSQL in .data/postgres unless ConnectionStrings__Crm is set
#   ./crm.sh test     every test project (the crash test last: it starts the built app as a process and kills
#                     it); installs Chromium and python3-aiosmtpd when missing; ends with "N passed, N failed, N skipped"
#   ./crm.sh bench    the benchmark (bench/README.md); options: --size small|large
#   ./crm.sh seed     apply migrations and add the demo data, then exit
#   ./crm.sh migrate  apply every module's migrations, then exit
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
CONFIGURATION="${CRM_CONFIGURATION:-Release}"

build() {
  dotnet build "$ROOT/Crm.sln" -c "$CONFIGURATION" -v quiet -nologo -clp:ErrorsOnly
}

run_app() {
  # Development: demo data on first start, demo sign-ins on the sign-in page.
  export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
  export Crm__DataDirectory="${Crm__DataDirectory:-$ROOT/.data}"
  dotnet run --project "$ROOT/src/Crm.Web" -c "$CONFIGURATION" --no-build --no-launch-profile -- "$@"
}

ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then return 0; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Chromium for the browser tests (apt-get)..."
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is missing: the browser tests need /usr/bin/chromium. Install it with: sudo apt-get install chromium" >&2
    return 1
  fi
}

# The mail tests send to a real SMTP server on 127.0.0.1: aiosmtpd from Debian, run by Debian's python3.
ensure_aiosmtpd() {
  if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c "import aiosmtpd" 2>/dev/null; then return 0; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing python3-aiosmtpd for the mail tests (apt-get)..."
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-aiosmtpd >/dev/null
  else
    echo "python3-aiosmtpd is missing: the mail tests need it. Install it with: sudo apt-get install python3-aiosmtpd" >&2
    return 1
  fi
}

cmd_run() {
  build
  local urls="${CRM_URLS:-http://localhost:5080}"
  export ASPNETCORE_URLS="$urls"
  cat <<TEXT

  Crm is starting on ${urls}
  Demo sign-ins (password Crm-demo-2026):
    admin@crm.local  administrator
    head@crm.local   sales head
    anna@crm.local   manager
    ivan@crm.local   manager
  Ctrl+C stops the app$( [ -z "${ConnectionStrings__Crm:-}" ] && echo " and its local PostgreSQL (data kept in .data/postgres)").

TEXT
  run_app "$@"
}

cmd_test() {
  ensure_chromium
  ensure_aiosmtpd
  build
  local results="$ROOT/.data/test-results"
  rm -rf "$results"; mkdir -p "$results"
  local status=0 passed=0 failed=0 skipped=0
  for project in UnitTests ArchitectureTests IntegrationTests BrowserTests CrashTests; do
    echo "== Crm.$project"
    if ! dotnet test "$ROOT/tests/Crm.$project/Crm.$project.csproj" -c "$CONFIGURATION" --no-build -nologo \
         --logger "console;verbosity=minimal" --logger "trx;LogFileName=$project.trx" --results-directory "$results"; then
      status=1
    fi
    local trx="$results/$project.trx"
    if [ -f "$trx" ]; then
      local counters
      counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
      get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
      passed=$((passed + $(get passed))); failed=$((failed + $(get failed)))
      skipped=$((skipped + $(get notExecuted)))
    else
      echo "Crm.$project produced no results (did the test host crash?)" >&2
      status=1; failed=$((failed + 1))
    fi
  done
  echo "$passed passed, $failed failed, $skipped skipped"
  return $status
}

cmd_bench() {
  dotnet build "$ROOT/bench/Crm.Bench/Crm.Bench.csproj" -c Release -v quiet -nologo -clp:ErrorsOnly
  dotnet run --project "$ROOT/bench/Crm.Bench" -c Release --no-build -- --root "$ROOT" "$@"
}

case "${1:-help}" in
  run) shift; cmd_run "$@" ;;
  test) shift; cmd_test "$@" ;;
  bench) shift; cmd_bench "$@" ;;
  seed) shift; build; run_app --seed "$@" ;;
  migrate) shift; build; run_app --migrate "$@" ;;
  *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; [ "${1:-help}" = help ] ;;
esac
