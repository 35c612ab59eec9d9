#!/usr/bin/env bash
# LoCoMo retrieval benchmark (not run by CI): hash, MiniLM vector-only and MiniLM hybrid on
# PostgreSQL + pgvector and on the embedded PostgreSQL (exact mode), and LangChain4j's
# PgVectorEmbeddingStore with the same MiniLM model, same data and questions, same run.
# Data: ../shared/eval/locomo10.json (not part of this repository). Databases omp_locomo_* are
# dropped and recreated on the local PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
source omp-bench/bench-env.sh
bench_build omp-bench
bench_java -Xmx4g blog.openmem.bench.LocomoBench \
  "${1:-../shared/eval/locomo10.json}" "${2:-postgres://postgres@127.0.0.1:5432/omp_locomo}"
