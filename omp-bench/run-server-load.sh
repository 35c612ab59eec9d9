#!/usr/bin/env bash
# Proof under load and faults for omp-server (not run by CI): 64 clients adding and searching for
# 60 s against the server on the local PostgreSQL (database omp_load), first as fast as answered,
# then at 2 500 requests/s offered; every acknowledged write read back, the server's overhead over
# in-process calls; then kill -9 during writes and a restart.
# Traffic stays on 127.0.0.1; every loop is bounded in count and time.
set -euo pipefail
cd "$(dirname "$0")/.."
source omp-bench/bench-env.sh
ensure_db omp_load
bench_build omp-server,omp-bench
start_server omp_load 18090 omp-bench/target/server-load.log
# Capacity: every client sends its next request on an answer (closed loop).
bench_java blog.openmem.bench.ServerLoad "$@"
# Latency at the target: 2 500 requests/s offered on a fixed schedule, 80% searches (open loop).
bench_java blog.openmem.bench.ServerLoad --rate 2500 "$@"
kill $SERVER; wait $SERVER 2>/dev/null || true
bench_java blog.openmem.bench.ServerKill omp-server/target/omp-server.jar
