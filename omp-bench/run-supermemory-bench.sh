#!/usr/bin/env bash
# adapter-supermemory (v5) against hand-written java.net.http calls of the same Supermemory routes,
# on the in-process v5 simulator, same run (not run by CI). Argument: iterations per side and operation.
set -euo pipefail
cd "$(dirname "$0")/.."
source omp-bench/bench-env.sh
bench_build omp-bench
bench_java blog.openmem.bench.SupermemoryBench "$@"
