#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian machine with the .NET SDK: installs what the tests need
# (OpenLDAP's slapd and tools, PostgreSQL, chromium) when missing, then builds and runs every test project.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/sbin/slapd ] || missing+=(slapd)
command -v ldapadd >/dev/null 2>&1 || missing+=(ldap-utils)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
# The admin console's browser tests drive Debian's chromium (Playwright cannot download its own browsers here).
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  # policy-rc.d 101 keeps the packages' own services from starting; the tests start their own servers.
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null && $SUDO chmod +x /usr/sbin/policy-rc.d
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  $SUDO rm -f /usr/sbin/policy-rc.d
fi

dotnet tool restore >/dev/null
dotnet build ScimBridge.sln -c Release -nologo -clp:ErrorsOnly
log=$(mktemp)
status=0
dotnet test ScimBridge.sln -c Release --no-build -nologo --logger "console;verbosity=minimal" "$@" 2>&1 | tee "$log" || status=$?

# One closing line over all test projects.
sed -nE 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\1 \2 \3/p' "$log" \
  | awk '{f+=$1; p+=$2; s+=$3} END {printf "tests: %d passed, %d failed, %d skipped\n", p, f, s}'
rm -f "$log"
exit $status
