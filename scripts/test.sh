#!/usr/bin/env bash
# The README's test command: prepares the local PostgreSQL (pgvector, test database), runs the whole
# build with every test (both postgres modes), then smoke-tests the packaged server jar.
set -euo pipefail
cd "$(dirname "$0")/.."
OMP_TEST_POSTGRES_URL="$(bash scripts/setup-postgres.sh)"
export OMP_TEST_POSTGRES_URL
mvn -B -ntp verify
bash scripts/smoke-server.sh
