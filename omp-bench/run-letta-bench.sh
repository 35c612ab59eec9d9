#!/usr/bin/env bash
# adapter-letta against hand-written java.net.http calls of the same Letta routes,
# on the in-process Letta simulator, same run (not run by CI). Argument: iterations per side and operation.
set -euo pipefail
cd "$(dirname "$0")/.."
source omp-bench/bench-env.sh
bench_build omp-bench
bench_java blog.openmem.bench.LettaBench "$@"
