#!/usr/bin/env bash
# The passthrough adapter against a hand-written java.net.http call of the same routes, same
# omp-server (postgres provider on the local PostgreSQL, database omp_passthrough), same run (not run by CI).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-postgres.sh >/dev/null
source omp-bench/pg-bench-settings.sh
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'omp_passthrough'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE omp_passthrough"
mvn -B -ntp -q -DskipTests install -pl omp-server,omp-bench -am
mvn -B -ntp -q -f omp-bench/pom.xml dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
CP="omp-bench/target/classes:$(cat omp-bench/target/bench.classpath)"
java -jar omp-server/target/omp-server.jar --url postgres://postgres@127.0.0.1:5432/omp_passthrough --port 18092 \
  --embedder hash --log-level warn > omp-bench/target/server-passthrough.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:18092/healthz >/dev/null && break; sleep 0.2; done
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" blog.openmem.bench.PassthroughBench \
  http://127.0.0.1:18092 "$@"
