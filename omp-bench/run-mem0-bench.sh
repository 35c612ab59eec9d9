#!/usr/bin/env bash
# adapter-mem0 against hand-written java.net.http calls of the same Mem0 routes, on the in-process
# platform simulator, same run (not run by CI). Argument: iterations per side and operation.
set -euo pipefail
cd "$(dirname "$0")/.."
source omp-bench/bench-env.sh
bench_build omp-bench
bench_java blog.openmem.bench.Mem0Bench "$@"
