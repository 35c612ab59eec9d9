#!/usr/bin/env bash
# Sourced by the benchmark scripts: a benchmark server is tuned like a production one. Debian's
# default shared_buffers (128 MB) cannot hold the HNSW index or the load databases; this persists
# shared_buffers = 4GB on the local cluster (undo with ALTER SYSTEM RESET shared_buffers and a restart).
if [ "$(psql -h 127.0.0.1 -U postgres -tAc 'SHOW shared_buffers')" != "4GB" ]; then
  psql -h 127.0.0.1 -U postgres -qc "ALTER SYSTEM SET shared_buffers = '4GB'"
  pg_ctlcluster --skip-systemctl-redirect 15 main restart
  until pg_isready -h 127.0.0.1 -q; do sleep 0.5; done
fi
