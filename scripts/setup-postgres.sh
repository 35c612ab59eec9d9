#!/usr/bin/env bash
# Makes the local PostgreSQL 15 ready for the tests: starts it if it is down, builds and installs
# pgvector 0.8.x from Debian's own source package when the extension is missing, and creates the
# test database. Idempotent: a second run only checks. Prints the test URL on its last line.
set -euo pipefail

PGVER="${PGVER:-15}"
HOST="${OMP_PG_HOST:-127.0.0.1}"
PORT="${OMP_PG_PORT:-5432}"
DB="${OMP_PG_TEST_DB:-omp_test}"
PSQL=(psql -h "$HOST" -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -tA)
log() { echo "setup-postgres: $*" >&2; }

if ! pg_isready -h "$HOST" -p "$PORT" -q; then
  log "PostgreSQL $PGVER is not answering on $HOST:$PORT; starting it"
  pg_ctlcluster --skip-systemctl-redirect "$PGVER" main start
  for _ in $(seq 1 30); do pg_isready -h "$HOST" -p "$PORT" -q && break; sleep 1; done
  pg_isready -h "$HOST" -p "$PORT" -q || { log "PostgreSQL did not start"; exit 1; }
fi

if [ "$("${PSQL[@]}" -d postgres -c "SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'")" != "1" ]; then
  log "pgvector is not installed; building it from Debian's source package"
  export DEBIAN_FRONTEND=noninteractive
  src=/etc/apt/sources.list.d/omp-pgvector-src.sources
  # Source packages only: no binary package is ever taken from this suite.
  cat > "$src" <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  trap 'rm -f "$src"' EXIT
  apt-get update -qq
  apt-get install -y -qq "postgresql-server-dev-$PGVER" dpkg-dev make gcc >/dev/null
  work=$(mktemp -d)
  (cd "$work" && apt-get source -qq --download-only pgvector >/dev/null 2>&1 \
     && dpkg-source -x pgvector_*.dsc src >/dev/null \
     && cd src && make -s -j"$(nproc)" PG_CONFIG="/usr/lib/postgresql/$PGVER/bin/pg_config" >/dev/null \
     && make -s install PG_CONFIG="/usr/lib/postgresql/$PGVER/bin/pg_config" >/dev/null)
  rm -rf "$work"
  rm -f "$src"; trap - EXIT
  apt-get update -qq || true
  log "pgvector $("${PSQL[@]}" -d postgres -c "SELECT default_version FROM pg_available_extensions WHERE name = 'vector'") installed"
fi

if [ "$("${PSQL[@]}" -d postgres -c "SELECT count(*) FROM pg_database WHERE datname = '$DB'")" != "1" ]; then
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB" >/dev/null
  log "created database $DB"
fi
"${PSQL[@]}" -d "$DB" -c "CREATE EXTENSION IF NOT EXISTS vector" >/dev/null
echo "postgres://postgres@$HOST:$PORT/$DB"
