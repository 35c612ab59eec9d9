#!/usr/bin/env bash
# Smoke test of the packaged main job: the runnable jar with no provider configured must start an
# embedded PostgreSQL and answer over HTTP. Runs after `mvn verify` (the jar exists only then).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=omp-server/target/omp-server.jar
data=$(mktemp -d)
log=$(mktemp)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
java -jar "$jar" --port "$port" --data-dir "$data" > "$log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$data" "$log"; }
trap cleanup EXIT
for _ in $(seq 1 120); do grep -q "omp-server: serving postgres at http://127.0.0.1:$port" "$log" && break; sleep 0.5; done
grep -q "omp-server: serving postgres at http://127.0.0.1:$port" "$log" || { echo "smoke: no start line"; cat "$log"; exit 1; }
base="http://127.0.0.1:$port"
curl -sf "$base/healthz" | grep -q '"ok"'
id=$(curl -sf -X POST "$base/memories" -d '{"content":"smoke test memory about pnpm","user_id":"smoke"}' \
     | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
curl -sf "$base/memories/search?q=pnpm&user_id=smoke" | grep -q "$id"
curl -sf "$base/capabilities" | grep -q '"vector_index":"exact"'
# semantic out of the box: the jar's default embedder is MiniLM
curl -sf "$base/capabilities" | grep -q '"embedding_model":"all-minilm-l6-v2-q"'
java -jar omp-tck/target/omp-tck.jar --base-url "$base" | tail -1
echo "smoke: the runnable jar serves postgres on an embedded PostgreSQL"
