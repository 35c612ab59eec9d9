#!/usr/bin/env bash
# The README's test command: the whole build with every test.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp verify
