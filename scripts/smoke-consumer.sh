#!/usr/bin/env bash
# The consumer path of the README: builds examples/consumer (a separate project importing omp-bom, on
# the artifacts `mvn install` put in the local repository) with Maven as it is, runs it against the
# test database, and fails on anything but its one line of output: a warning, an SLF4J notice, a
# stray escape sequence.
set -euo pipefail
cd "$(dirname "$0")/../examples/consumer"
mvn -B -ntp -q package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt 2>&1 | sed $'s/\e\\[[0-9;]*m//g'
out="$(java -cp "target/classes:$(cat target/classpath.txt)" example.Main "${OMP_TEST_POSTGRES_URL:?}" 2>&1)"
echo "$out"
if [ "$(printf '%s\n' "$out" | wc -l)" -ne 1 ] || ! printf '%s' "$out" | grep -q '^added mem_.*; found: Prefers pnpm over npm$'; then
  echo "smoke-consumer: expected exactly one line 'added mem_...; found: Prefers pnpm over npm'" >&2
  exit 1
fi
echo "smoke-consumer: a consumer project builds on omp-bom and runs quietly"
