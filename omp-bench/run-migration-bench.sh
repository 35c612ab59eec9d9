#!/usr/bin/env bash
# Migration postgres → postgres on the local PostgreSQL (source omp_migrate_bench_src seeded once,
# target omp_migrate_bench_dst made afresh for every run), with the hash embedder and with MiniLM, and
# a hand-written copy loop beside it (not run by CI). Arguments: users, memories per user, memories
# moved with MiniLM (0 skips it), memories of the copy loop.
set -euo pipefail
cd "$(dirname "$0")/.."
source omp-bench/bench-env.sh
bench_build omp-bench
bench_java -Xmx4g blog.openmem.bench.MigrationBench "$@"
