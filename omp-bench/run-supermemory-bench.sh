#!/usr/bin/env bash
# adapter-supermemory (v5) against hand-written java.net.http calls of the same Supermemory routes,
# on the v5 simulator (its own JVM on CPU 1 where there are two),
# in forks (not run by CI). Arguments: iterations per side and operation (3000), forks (5).
set -euo pipefail
cd "$(dirname "$0")/.."
source omp-bench/bench-env.sh
bench_build omp-bench
vendor_bench blog.openmem.bench.SupermemoryBench "$@"
