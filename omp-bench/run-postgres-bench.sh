#!/usr/bin/env bash
# Runs the adapter-postgres benchmark against the local PostgreSQL 15 + pgvector (database
# omp_bench, created on first run; the ~1.1 M rows are loaded once and reused). Not run by CI.
set -euo pipefail
cd "$(dirname "$0")/.."
source omp-bench/bench-env.sh
bench_build omp-bench
bench_java -Xmx4g blog.openmem.bench.PostgresBench "$@"
