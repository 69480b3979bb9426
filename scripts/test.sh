#!/usr/bin/env bash
# `npm test`: unit, iac and integration first, alone (the chaos tests' timing must not share the cores with deploys),
# then k8s and lifecycle side by side in two vitest processes. Each of those starts its own test bed on free ports
# and spends most of its time waiting on API servers and Ansible, so together they take about as long as the longer.
# Every group runs even when one before it failed; the exit code is non-zero when any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
npx vitest run --project unit --project iac --project integration || status=1
npx concurrently --group --names k8s,lifecycle --success all \
  'vitest run --project k8s' 'vitest run --project lifecycle' || status=1
exit "$status"
