#!/usr/bin/env bash
# The README's run command: builds omp-server and starts it. With nothing configured it serves the
# postgres provider on an embedded PostgreSQL (data in ~/.omp/pgdata). Arguments go to the server.
set -euo pipefail
cd "$(dirname "$0")/.."
# The throughput collector: G1's extra work cost the load test 6% of its capacity (2 276 vs 2 400
# searches/s) and then the 2 000/s target rate. A tenth of the RAM as the initial heap: grown from the
# default, the old generation filled and a full collection stopped the server for 193 ms. The young
# generation fixed at 256 MB when the heap can be 1 GB or more (a smaller heap keeps the collector's
# sizing, which leaves room for the old generation): left to grow (to 1.4 GB under load), each young
# collection copied seconds' worth of new cache entries and stopped the server for 20-44 ms. The JDK's
# vector API (incubating in Java 17; the JVM prints a one-line warning for it) computes the in-process
# ranking's dot products, a third of the server's CPU under load, 2-4x faster than the scalar loop.
JVM_OPTIONS="-XX:+UseParallelGC -XX:InitialRAMPercentage=10 --add-modules jdk.incubator.vector"
# The JVM's own reading of the memory it may use (container limits included).
max_heap=$(java -XX:+UseParallelGC -XX:+PrintFlagsFinal -version 2>/dev/null | awk '$2 == "MaxHeapSize" {print $4}' || true)
if [ "${max_heap:-0}" -ge 1073741824 ]; then
  JVM_OPTIONS="$JVM_OPTIONS -Xmn256m"
fi
if [ "${1:-}" = "--print-jvm-options" ]; then
  echo "$JVM_OPTIONS"
  exit 0
fi
# Maven 3.8.7 writes colour resets (ESC[0m) to standard output even in batch mode: stripped here so that
# nothing stray comes before the server's start line.
mvn -B -ntp -q -DskipTests install -pl omp-server -am 2>&1 | sed $'s/\e\\[[0-9;]*m//g'
exec java $JVM_OPTIONS -jar omp-server/target/omp-server.jar "$@"
