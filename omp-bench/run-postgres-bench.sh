#!/usr/bin/env bash
# Runs the adapter-postgres benchmark against the local PostgreSQL 15 + pgvector (database
# omp_bench, created on first run; the ~1.1 M rows are loaded once and reused). Not run by CI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-postgres.sh >/dev/null
# A benchmark server is tuned like a production one: Debian's default shared_buffers (128 MB) cannot
# hold the HNSW index. This persists shared_buffers = 4GB on the local cluster (undo with
# ALTER SYSTEM RESET shared_buffers and a restart).
if [ "$(psql -h 127.0.0.1 -U postgres -tAc 'SHOW shared_buffers')" != "4GB" ]; then
  psql -h 127.0.0.1 -U postgres -qc "ALTER SYSTEM SET shared_buffers = '4GB'"
  pg_ctlcluster --skip-systemctl-redirect 15 main restart
  until pg_isready -h 127.0.0.1 -q; do sleep 0.5; done
fi
mvn -B -ntp -q -DskipTests install -pl omp-bench -am
mvn -B -ntp -q -f omp-bench/pom.xml dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
exec java -Xmx4g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "omp-bench/target/classes:$(cat omp-bench/target/bench.classpath)" blog.openmem.bench.PostgresBench "$@"
