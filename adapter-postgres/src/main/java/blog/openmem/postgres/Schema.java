package blog.openmem.postgres;

import blog.openmem.spi.error.ConfigurationException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;

/**
 * Creates and migrates the schema on start: versioned, idempotent, and serialised by a
 * transaction-scoped advisory lock so two processes starting at once cannot race. The vector mode
 * is chosen once, when the store is created ({@code hnsw} with pgvector, else {@code exact}), and
 * recorded in {@code omp_meta}.
 */
final class Schema {
    /** Arbitrary constant identifying this project's schema lock. */
    private static final long LOCK_ID = 0x6f6d70_5f736368L;
    static final int CURRENT_VERSION = 4;
    /** The most changed ids a user's version row lists (from version 4; 64 before). */
    static final int LISTED_CHANGES = 16;

    /** What the provider needs to know about the store. */
    record State(boolean pgvector, byte[] cursorKey, int version) {
    }

    private Schema() {
    }

    static State migrate(Connection c, String requestedMode) throws SQLException {
        // Migrations and index builds may run for minutes on a large store: no socket timeout here
        // (the pool restores the connection's setting when it is returned).
        c.setNetworkTimeout(Runnable::run, 0);
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL statement_timeout = 0");
            st.execute("SELECT pg_advisory_xact_lock(" + LOCK_ID + ")");
            st.execute("CREATE TABLE IF NOT EXISTS omp_meta (key text PRIMARY KEY, value text NOT NULL)");
            String mode = meta(c, "vector_mode");
            if (mode == null) {
                mode = chooseMode(c, requestedMode);
                create(st, mode.equals("hnsw"));
                put(c, "vector_mode", mode);
                put(c, "cursor_key", HexFormat.of().formatHex(randomKey()));
                put(c, "schema_version", "1");
            } else if (!requestedMode.equals("auto") && !requestedMode.equals(mode)) {
                throw new ConfigurationException("postgres.vector_mode: the store was created in '" + mode
                        + "' mode and cannot be opened as '" + requestedMode + "'");
            }
            if (mode.equals("hnsw")) {
                st.execute("CREATE EXTENSION IF NOT EXISTS vector");
            }
            int version = Integer.parseInt(meta(c, "schema_version"));
            if (version > CURRENT_VERSION) {
                throw new ConfigurationException("postgres: the schema is version " + version
                        + ", newer than this adapter (" + CURRENT_VERSION + "); upgrade openmem-java");
            }
            for (int v = version + 1; v <= CURRENT_VERSION; v++) {
                apply(st, v);
                try (PreparedStatement ps = c.prepareStatement("UPDATE omp_meta SET value = ? WHERE key = 'schema_version'")) {
                    ps.setString(1, String.valueOf(v));
                    ps.executeUpdate();
                }
                version = v;
            }
            byte[] key = HexFormat.of().parseHex(meta(c, "cursor_key"));
            c.commit();
            return new State(mode.equals("hnsw"), key, version);
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** The steps after version 1, one per version. */
    private static void apply(Statement st, int version) throws SQLException {
        switch (version) {
            case 2 -> {
                // Idempotent adds: the key is stored with the memory, so a repeat survives restarts.
                st.execute("ALTER TABLE omp_memories ADD COLUMN IF NOT EXISTS idempotency_key text");
                st.execute("CREATE UNIQUE INDEX IF NOT EXISTS omp_memories_idempotency ON omp_memories"
                        + " (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL");
            }
            case 3 -> {
                // Per-user store versions for in-process search caches (SearchCache): bumped by a
                // trigger in the same transaction as every change of the user's rows, with values
                // from one sequence, so a version is never reused. Each row also keeps the ids the
                // latest changes touched (up to 64), the versions those changes made, and the version
                // before the first of them: a cache at any of those versions reads just those rows.
                // The row of user '' (never a valid user id) is the store-wide version, bumped by a
                // truncate.
                st.execute("CREATE SEQUENCE IF NOT EXISTS omp_user_version_seq");
                st.execute("CREATE TABLE IF NOT EXISTS omp_user_versions (user_id text PRIMARY KEY,"
                        + " version bigint NOT NULL, previous bigint NOT NULL, versions bigint[] NOT NULL,"
                        + " changed text[])");
                // The function as of the latest version (a migration runs in one transaction, so the
                // columns version 4 adds exist before any write calls it).
                createVersionFunction(st);
                st.execute("DROP TRIGGER IF EXISTS omp_memories_version_ins ON omp_memories");
                st.execute("CREATE TRIGGER omp_memories_version_ins AFTER INSERT ON omp_memories"
                        + " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION omp_bump_user_versions()");
                st.execute("DROP TRIGGER IF EXISTS omp_memories_version_upd ON omp_memories");
                st.execute("CREATE TRIGGER omp_memories_version_upd AFTER UPDATE ON omp_memories"
                        + " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT"
                        + " EXECUTE FUNCTION omp_bump_user_versions()");
                st.execute("DROP TRIGGER IF EXISTS omp_memories_version_del ON omp_memories");
                st.execute("CREATE TRIGGER omp_memories_version_del AFTER DELETE ON omp_memories"
                        + " REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION omp_bump_user_versions()");
                st.execute("DROP TRIGGER IF EXISTS omp_memories_version_trunc ON omp_memories");
                st.execute("CREATE TRIGGER omp_memories_version_trunc AFTER TRUNCATE ON omp_memories"
                        + " FOR EACH STATEMENT EXECUTE FUNCTION omp_bump_user_versions()");
            }
            case 4 -> {
                // Each listed change keeps the version it made, so a cache a few changes behind reads
                // the rows changed after its version instead of every listed one. Lists are kept to
                // LISTED_CHANGES ids (64 made each bump write ~3 kB, out of line): a version row is
                // rewritten by every change. Lists kept so far have no such versions: they are
                // dropped, and caches read users afresh.
                st.execute("ALTER TABLE omp_user_versions ADD COLUMN IF NOT EXISTS changed_at bigint[]");
                st.execute("UPDATE omp_user_versions SET changed = NULL WHERE changed IS NOT NULL");
                createVersionFunction(st);
            }
            default -> throw new IllegalStateException("no migration to version " + version);
        }
    }

    /**
     * The trigger function bumping the versions of the users a statement changed (see step 3): one
     * sequence value per statement and user, appended with the ids it touched and, per id, that value.
     */
    private static void createVersionFunction(Statement st) throws SQLException {
        // Users in order, so two statements touching the same users lock their rows alike.
        String keep = "v.changed IS NOT NULL AND excluded.changed IS NOT NULL"
                + " AND cardinality(v.changed) + cardinality(excluded.changed) <= " + LISTED_CHANGES;
        String bump = "INSERT INTO omp_user_versions AS v (user_id, version, previous, versions, changed, changed_at)"
                + " SELECT user_id, ver, 0, ARRAY[ver], ids, CASE WHEN ids IS NOT NULL THEN array_fill(ver,"
                + " ARRAY[cardinality(ids)]) END FROM (SELECT user_id, nextval('omp_user_version_seq') AS ver,"
                + " CASE WHEN count(*) <= " + LISTED_CHANGES + " THEN array_agg(id) END AS ids FROM %s"
                + " GROUP BY user_id ORDER BY user_id) x"
                + " ON CONFLICT (user_id) DO UPDATE SET version = excluded.version,"
                + " previous = CASE WHEN " + keep + " THEN v.previous ELSE v.version END,"
                + " versions = CASE WHEN " + keep + " THEN v.versions || excluded.version"
                + " ELSE excluded.versions END,"
                + " changed = CASE WHEN " + keep + " THEN v.changed || excluded.changed ELSE excluded.changed END,"
                + " changed_at = CASE WHEN " + keep + " THEN v.changed_at || excluded.changed_at"
                + " ELSE excluded.changed_at END;";
        st.execute("CREATE OR REPLACE FUNCTION omp_bump_user_versions() RETURNS trigger LANGUAGE plpgsql AS $$"
                + " BEGIN"
                + " IF TG_OP = 'TRUNCATE' THEN"
                + " INSERT INTO omp_user_versions AS v (user_id, version, previous, versions)"
                + " VALUES ('', nextval('omp_user_version_seq'), 0, '{}')"
                + " ON CONFLICT (user_id) DO UPDATE SET version = excluded.version, previous = v.version;"
                + " ELSIF TG_OP = 'INSERT' THEN " + bump.formatted("new_rows")
                + " ELSIF TG_OP = 'DELETE' THEN " + bump.formatted("old_rows")
                + " ELSE " + bump.formatted("(SELECT user_id, id FROM new_rows UNION SELECT user_id, id"
                + " FROM old_rows) r")
                + " END IF;"
                + " RETURN NULL;"
                + " END $$");
    }

    private static String chooseMode(Connection c, String requested) throws SQLException {
        boolean available;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector')")) {
            rs.next();
            available = rs.getBoolean(1);
        }
        if (requested.equals("hnsw") && !available) {
            throw new ConfigurationException("postgres.vector_mode: hnsw needs the pgvector extension, which this server"
                    + " does not have (run scripts/setup-postgres.sh, or use vector_mode=auto)");
        }
        return requested.equals("exact") || !available ? "exact" : "hnsw";
    }

    private static void create(Statement st, boolean pgvector) throws SQLException {
        if (pgvector) {
            st.execute("CREATE EXTENSION IF NOT EXISTS vector");
        }
        for (String ddl : List.of(
                "CREATE TABLE omp_memories ("
                        + " id text PRIMARY KEY,"
                        + " user_id text NOT NULL,"
                        + " content text NOT NULL,"
                        + " scope text,"
                        + " tags text[],"
                        + " source_app text,"
                        + " source_type text,"
                        + " source_ref text,"
                        + " confidence double precision,"
                        + " valid_from timestamptz,"
                        + " valid_to timestamptz,"
                        + " supersedes text[],"
                        + " embedding_model text NOT NULL,"
                        + " embedding " + (pgvector ? "vector" : "bytea") + " NOT NULL,"
                        + " ann boolean NOT NULL DEFAULT false,"
                        + " extensions jsonb,"
                        + " created_at timestamptz NOT NULL,"
                        + " updated_at timestamptz,"
                        + " tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', content)) STORED)",
                "CREATE INDEX omp_memories_user_created ON omp_memories (user_id, created_at DESC, id DESC)",
                "CREATE INDEX omp_memories_user_model ON omp_memories (user_id, embedding_model)",
                "CREATE INDEX omp_memories_model ON omp_memories (embedding_model)",
                "CREATE INDEX omp_memories_user_exact ON omp_memories (user_id, embedding_model) WHERE NOT ann",
                "CREATE INDEX omp_memories_tsv ON omp_memories USING gin (tsv)",
                "CREATE INDEX omp_memories_superseding ON omp_memories (user_id) WHERE supersedes IS NOT NULL",
                "CREATE TABLE omp_large_users (user_id text NOT NULL, embedding_model text NOT NULL,"
                        + " promoted_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (user_id, embedding_model))",
                "CREATE TABLE omp_audit (id bigserial PRIMARY KEY, user_id text NOT NULL, ts timestamptz NOT NULL,"
                        + " app text, action text NOT NULL, memory_id text, scope text, request_id text)",
                "CREATE INDEX omp_audit_user_ts ON omp_audit (user_id, ts DESC, id DESC)")) {
            st.execute(ddl);
        }
    }

    /**
     * Creates the HNSW index of one embedding model: a partial expression index (one column holds
     * vectors of every model) over the rows flagged {@code ann}, i.e. the rows of users large enough
     * to need it. Typical users' rows never enter the graph, so their inserts stay cheap and their
     * searches are exact. {@code m = 24, ef_construction = 128}: measured on the benchmark's data,
     * the default m = 16 graph reached only 0.86 recall@10 at ef_search 100. Idempotent; cheap when
     * the index exists.
     */
    static String ensureAnnIndex(Connection c, String model, int dimension) throws SQLException {
        String name = annIndexName(model, dimension);
        c.setNetworkTimeout(Runnable::run, 0);
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            // Building the graph over an existing large user's rows can take minutes: no timeout here.
            st.execute("SET LOCAL statement_timeout = 0");
            st.execute("SET LOCAL maintenance_work_mem = '1GB'");
            st.execute("SELECT pg_advisory_xact_lock(" + LOCK_ID + ")");
            st.execute("CREATE INDEX IF NOT EXISTS " + name + " ON omp_memories USING hnsw ((embedding::vector("
                    + dimension + ")) vector_cosine_ops) WITH (m = 24, ef_construction = 128) WHERE embedding_model = " + literal(model)
                    + " AND ann");
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
        return name;
    }

    static String annIndexName(String model, int dimension) {
        // The graph parameters are part of the name: a store built with others gets a new index.
        return "omp_hnsw_" + Integer.toHexString(model.hashCode()) + "_" + dimension + "_m24";
    }

    /** A SQL string literal; the embedder's model name is trusted, but quoting is exact anyway. */
    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static String meta(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM omp_meta WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void put(Connection c, String key, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO omp_meta (key, value) VALUES (?, ?)")) {
            ps.setString(1, key);
            ps.setString(2, value);
            ps.executeUpdate();
        }
    }

    private static byte[] randomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }
}
