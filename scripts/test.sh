#!/usr/bin/env bash
# The README's test command: prepares the local PostgreSQL (pgvector, test database), runs the whole
# build with every test (both postgres modes) and installs it in the local repository, then smoke-tests
# the packaged server jar and a separate consumer project built on the installed artifacts.
set -euo pipefail
cd "$(dirname "$0")/.."
OMP_TEST_POSTGRES_URL="$(bash scripts/setup-postgres.sh)"
export OMP_TEST_POSTGRES_URL
mvn -B -ntp install
bash scripts/smoke-server.sh
bash scripts/smoke-consumer.sh
