#!/usr/bin/env bash
# Proof under load and faults for omp-server (not run by CI): 64 clients adding and searching for
# 60 s against the server on the local PostgreSQL (database omp_load), every acknowledged write read
# back, the server's overhead over in-process calls; then kill -9 during writes and a restart.
# Traffic stays on 127.0.0.1; every loop is bounded in count and time.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-postgres.sh >/dev/null
source omp-bench/pg-bench-settings.sh
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'omp_load'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE omp_load"
mvn -B -ntp -q -DskipTests install -pl omp-server,omp-bench -am
mvn -B -ntp -q -f omp-bench/pom.xml dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
CP="omp-bench/target/classes:$(cat omp-bench/target/bench.classpath)"
java -jar omp-server/target/omp-server.jar --url postgres://postgres@127.0.0.1:5432/omp_load --port 18090 \
  --embedder hash --log-level warn > omp-bench/target/server-load.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:18090/healthz >/dev/null && break; sleep 0.2; done
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" blog.openmem.bench.ServerLoad "$@"
kill $SERVER; wait $SERVER 2>/dev/null || true
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" blog.openmem.bench.ServerKill omp-server/target/omp-server.jar
