#!/usr/bin/env bash
# LoCoMo retrieval benchmark (not run by CI): hash, MiniLM vector-only and MiniLM hybrid on
# PostgreSQL + pgvector and on the embedded PostgreSQL (exact mode), and LangChain4j's
# PgVectorEmbeddingStore with the same MiniLM model, same data and questions, same run.
# Data: ../shared/eval/locomo10.json (not part of this repository). Databases omp_locomo_* are
# dropped and recreated on the local PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-postgres.sh >/dev/null
source omp-bench/pg-bench-settings.sh
mvn -B -ntp -q -DskipTests install -pl omp-bench -am
mvn -B -ntp -q -f omp-bench/pom.xml dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
CP="omp-bench/target/classes:$(cat omp-bench/target/bench.classpath)"
java -Xmx4g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" blog.openmem.bench.LocomoBench \
  "${1:-../shared/eval/locomo10.json}" "${2:-postgres://postgres@127.0.0.1:5432/omp_locomo}"
