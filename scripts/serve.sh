#!/usr/bin/env bash
# The README's run command: builds omp-server and starts it. With nothing configured it serves the
# postgres provider on an embedded PostgreSQL (data in ~/.omp/pgdata). Arguments go to the server.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -DskipTests install -pl omp-server -am
exec java -jar omp-server/target/omp-server.jar "$@"
