#!/usr/bin/env bash
# Sourced by the benchmark scripts (from the repository root): starts and tunes the local
# PostgreSQL, and offers the steps they share.
bash scripts/setup-postgres.sh >/dev/null
# A benchmark server is tuned like a production one: Debian's default shared_buffers (128 MB) cannot
# hold the HNSW index or the load databases. This persists shared_buffers = 4GB on the local cluster
# (undo with ALTER SYSTEM RESET shared_buffers and a restart).
if [ "$(psql -h 127.0.0.1 -U postgres -tAc 'SHOW shared_buffers')" != "4GB" ]; then
  psql -h 127.0.0.1 -U postgres -qc "ALTER SYSTEM SET shared_buffers = '4GB'"
  pg_ctlcluster --skip-systemctl-redirect 15 main restart
  until pg_isready -h 127.0.0.1 -q; do sleep 0.5; done
fi
# Write-heavy tuning, also as a production server would have it: checkpoints (and the burst of full
# page images in the WAL after each) every 30 min or 8 GB of WAL rather than 5 min / 1 GB, and
# compressed page images. New WAL segments are not zero-filled: until its first checkpoints recycle
# old segments, a fresh cluster creates each 16 MB segment anew, and zero-filling it held up every
# commit for 20-50 ms every ~6 s of the load test (a cluster in its steady state reuses segments and
# never pays this). Reloaded, no restart (undo with ALTER SYSTEM RESET and pg_reload_conf()).
if [ "$(psql -h 127.0.0.1 -U postgres -tAc 'SHOW max_wal_size')" != "8GB" ] \
    || [ "$(psql -h 127.0.0.1 -U postgres -tAc 'SHOW wal_init_zero')" != "off" ]; then
  psql -h 127.0.0.1 -U postgres -qc "ALTER SYSTEM SET max_wal_size = '8GB'" \
    -c "ALTER SYSTEM SET checkpoint_timeout = '30min'" -c "ALTER SYSTEM SET wal_compression = 'on'" \
    -c "ALTER SYSTEM SET wal_init_zero = 'off'" -c "SELECT pg_reload_conf()" >/dev/null
fi

# bench_java [JVM OPTIONS] CLASS [ARGS]: runs an omp-bench program on CP (set by bench_build), logging
# warnings only; in-process measurements run the adapter as the server does, with dot products on the
# JDK's vector API.
bench_java() {
  java --add-modules jdk.incubator.vector -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" "$@"
}

# vendor_bench CLASS [ARGS]: a vendor benchmark with its simulator in a JVM of its own on CPU 1 and the
# benchmark (adapter and raw client, each fork) on CPU 0, where the machine has two CPUs or more: the
# simulator then takes no CPU from the client side, whose own work is what is compared (a vendor's
# server runs elsewhere too). On one CPU, both share it in one JVM.
vendor_bench() {
  if [ "$(nproc)" -ge 2 ]; then
    taskset -c 0 java --add-modules jdk.incubator.vector -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
      -Dbench.simCpus=1 -cp "$CP" "$@"
  else
    bench_java "$@"
  fi
}

# bench_build MODULES: installs MODULES (and what they need) and sets CP to omp-bench's class path.
bench_build() {
  mvn -B -ntp -q -DskipTests install -pl "$1" -am 2>&1 | sed $'s/\e\\[[0-9;]*m//g'
  mvn -B -ntp -q -f omp-bench/pom.xml dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
    2>&1 | sed $'s/\e\\[[0-9;]*m//g'
  CP="omp-bench/target/classes:$(cat omp-bench/target/bench.classpath)"
}

# ensure_db NAME: creates the database NAME on the local PostgreSQL unless it exists.
ensure_db() {
  psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $1"
}

# start_server DB PORT LOG: the runnable jar on database DB (hash embedder) on PORT, logging to LOG,
# with the JVM options scripts/serve.sh uses (SERVER_JAVA_OPTS adds more); sets SERVER to its pid,
# stops it on exit, and returns once /healthz answers.
start_server() {
  java $(bash scripts/serve.sh --print-jvm-options) ${SERVER_JAVA_OPTS:-} -jar omp-server/target/omp-server.jar --url "postgres://postgres@127.0.0.1:5432/$1" --port "$2" \
    --embedder hash --log-level warn > "$3" 2>&1 &
  SERVER=$!
  trap 'kill $SERVER 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$2/healthz" >/dev/null && break; sleep 0.2; done
}
