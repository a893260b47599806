#!/usr/bin/env bash
# Runs every ReactiveIngest test against real servers on loopback and prints one summary line:
#   N passed, N failed, N skipped
# On a fresh Debian/Ubuntu machine it installs what the tests start (mosquitto, influxd, chromium and
# chromedriver for the dashboard test) when it
# runs as root; otherwise it says exactly what to install. Exits non-zero on any failure.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/local/sbin/$1" ]; }

# 1. Servers the tests start on free loopback ports.
missing=()
have mosquitto || missing+=(mosquitto mosquitto-clients)
have influxd || missing+=(influxdb influxdb-client)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "run.sh: installing ${missing[*]} with apt-get"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
      || { echo "run.sh: apt-get install ${missing[*]} failed"; exit 1; }
  else
    echo "run.sh: missing test servers. Install them with: sudo apt-get install -y ${missing[*]}"
    echo "0 passed, 1 failed"
    exit 1
  fi
fi
# The packages start system-wide services where an init system exists; tests never use them.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  systemctl stop mosquitto influxdb >/dev/null 2>&1 || true
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "run.sh: the .NET 10 SDK is required (https://learn.microsoft.com/dotnet/core/install/linux-debian)"
  echo "0 passed, 1 failed"
  exit 1
fi

# 2. Build everything once, warnings are errors.
if ! dotnet build ReactiveIngest.sln -c Release -nologo -clp:ErrorsOnly; then
  echo "run.sh: build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

# 3. Run each test project in turn (they start servers; running them one at a time keeps a small
#    machine responsive) and sum the TRX counters.
RESULTS="$(mktemp -d "${TMPDIR:-/tmp}/reactiveingest-tests.XXXXXX")"
passed=0; failed=0; skipped=0; broken=()
for proj in $(grep -l 'Microsoft.NET.Test.Sdk' tests/*/*.csproj | sort); do
  name="$(basename "$proj" .csproj)"
  echo "== $name"
  dotnet test "$proj" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" \
    --results-directory "$RESULTS" --blame-hang-timeout 10m
  code=$?
  trx="$RESULTS/$name.trx"
  p=0; f=0; t=0; e=0
  if [ -f "$trx" ]; then
    counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
    val() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
    t=$(val total); e=$(val executed); p=$(val passed); f=$(val failed)
    f=$((f + $(val error) + $(val timeout) + $(val aborted)))
  fi
  if [ "$code" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1  # the test host crashed or the run failed without recording a failed test
  fi
  [ "$code" -ne 0 ] && broken+=("$name")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + t - e))
done

if [ ${#broken[@]} -gt 0 ]; then
  echo "run.sh: failing projects: ${broken[*]} (TRX files in $RESULTS)"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ ${#broken[@]} -eq 0 ]
