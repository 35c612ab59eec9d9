#!/usr/bin/env bash
# Runs the adapter-postgres benchmark against the local PostgreSQL 15 + pgvector (database
# omp_bench, created on first run; the ~1.1 M rows are loaded once and reused). Not run by CI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-postgres.sh >/dev/null
source omp-bench/pg-bench-settings.sh
mvn -B -ntp -q -DskipTests install -pl omp-bench -am
mvn -B -ntp -q -f omp-bench/pom.xml dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
exec java -Xmx4g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "omp-bench/target/classes:$(cat omp-bench/target/bench.classpath)" blog.openmem.bench.PostgresBench "$@"
