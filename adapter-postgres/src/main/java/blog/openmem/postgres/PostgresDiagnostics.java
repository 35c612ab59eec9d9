package blog.openmem.postgres;

import blog.openmem.spi.CallContext;
import blog.openmem.spi.MemoryProvider;
import blog.openmem.spi.model.SearchQuery;
import java.util.List;
import java.util.Optional;

/**
 * Diagnostics of the postgres provider: the exact SQL a search runs, so it can be explained or
 * timed with plain JDBC (the benchmark's raw-JDBC baseline). Not needed by applications.
 */
public final class PostgresDiagnostics {
    private PostgresDiagnostics() {
    }

    /**
     * A value to bind untyped ({@code setObject(i, value, Types.OTHER)}): PostgreSQL takes its type
     * from the statement, as the adapter binds its query vector.
     *
     * @param value the value's text form
     */
    public record Untyped(String value) {
    }

    /**
     * A statement and its bind values: {@code String}, {@code Integer}, {@code java.time.Instant},
     * {@code String[]}-backed text arrays (as {@code String[]}), {@link Untyped} or null.
     *
     * @param sql    the SQL text with {@code ?} placeholders
     * @param params the values, in order
     */
    public record Statement(String sql, List<Object> params) {
        /** Unwraps internal array holders into {@code String[]}. */
        public Statement {
            params = params.stream().map(p -> p instanceof SqlParams.TextArray a ? (Object) a.values()
                    : p instanceof SqlParams.Untyped u ? new Untyped(u.value()) : p).toList();
        }
    }

    /**
     * @param postgresUrl a {@code postgres://user@host:port/db} URL
     * @return the JDBC URL the adapter would use for it
     */
    public static String jdbcUrl(String postgresUrl) {
        return PostgresSettings.parse(postgresUrl).jdbc();
    }

    /**
     * @param provider a provider created by this module's factory
     * @param query    a search
     * @param ctx      the caller
     * @return the statement the search would run, or empty for another provider
     */
    public static Optional<Statement> searchStatement(MemoryProvider provider, SearchQuery query, CallContext ctx) {
        return provider instanceof PostgresProvider p ? Optional.of(p.describeSearch(query, ctx)) : Optional.empty();
    }

    /**
     * Waits until users that crossed {@code ann_threshold} have been moved into the HNSW graph
     * (normally done in the background).
     *
     * @param provider a provider created by this module's factory
     */
    public static void awaitBackgroundWork(MemoryProvider provider) {
        if (provider instanceof PostgresProvider p) {
            p.awaitPromotions();
        }
    }

    /**
     * @param provider a provider created by this module's factory
     * @return whether it runs with pgvector's HNSW index (else exact mode)
     */
    public static boolean usesHnsw(MemoryProvider provider) {
        return provider instanceof PostgresProvider p && p.pgvector();
    }
}
