#!/usr/bin/env bash
# The passthrough adapter against a hand-written java.net.http call of the same routes, same
# omp-server (postgres provider on the local PostgreSQL, database omp_passthrough), same run (not run by CI).
set -euo pipefail
cd "$(dirname "$0")/.."
source omp-bench/bench-env.sh
ensure_db omp_passthrough
bench_build omp-server,omp-bench
start_server omp_passthrough 18092 omp-bench/target/server-passthrough.log
bench_java blog.openmem.bench.PassthroughBench \
  http://127.0.0.1:18092 "$@"
