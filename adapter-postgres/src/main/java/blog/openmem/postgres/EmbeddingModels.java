package blog.openmem.postgres;

import blog.openmem.spi.embed.Embedder;
import blog.openmem.spi.error.ErrorDetails;
import blog.openmem.spi.error.InvalidRequestException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The store's embedding models: a search refuses a user whose rows another model embedded, and
 * re-embedding moves every row to the current model.
 */
final class EmbeddingModels {
    private final Database db;
    private final Embedder embedder;
    private final boolean pgvector;
    private final String modelLiteral;
    /** Whether the store holds rows of a model other than this embedder's (checked every 30 s). */
    private final Refreshed<Boolean> mixedModels = new Refreshed<>(30_000);

    EmbeddingModels(Database db, Embedder embedder, boolean pgvector) {
        this.db = db;
        this.embedder = embedder;
        this.pgvector = pgvector;
        this.modelLiteral = Schema.literal(embedder.modelName());
    }

    /**
     * Refuses to rank a user whose memories were embedded by another model (CONTRACT §5): comparing
     * them with this model's query vector would be meaningless. The store-wide check is cached.
     */
    void checkSingleModel(String userId) {
        // min and max are read from the model index's two ends; "EXISTS (... model < x)" was planned
        // as a sequential scan whenever the statistics were stale (200 ms on 200 000 rows).
        boolean mixed;
        try {
            mixed = mixedModels.get(() -> db.read("search", c -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COALESCE((SELECT"
                        + " min(embedding_model) FROM omp_memories) < " + modelLiteral + " OR (SELECT"
                        + " max(embedding_model) FROM omp_memories) > " + modelLiteral + ", false)")) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }));
        } catch (SQLException e) {
            throw SqlErrors.map(e, "search");
        }
        if (!mixed) {
            return;
        }
        String other = db.read("search", c -> {
            try (PreparedStatement ps = new SqlParams().sql("(SELECT embedding_model FROM omp_memories WHERE user_id = ?"
                    + " AND embedding_model < ? LIMIT 1) UNION ALL (SELECT embedding_model FROM omp_memories"
                    + " WHERE user_id = ? AND embedding_model > ? LIMIT 1)", userId, embedder.modelName(), userId,
                    embedder.modelName()).prepare(c); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        });
        if (!other.isEmpty()) {
            throw new InvalidRequestException("query: memories of this user were embedded with '" + other
                    + "' but this server embeds queries with '" + embedder.modelName()
                    + "'; re-embed them or configure the embedder '" + other + "'",
                    ErrorDetails.provider("postgres"));
        }
    }

    /** Re-embeds every row of another model, batch by batch, in id order (see {@code MemoryProvider#reembed}). */
    long reembed(int batchSize, LongConsumer progress) {
        String model = embedder.modelName();
        long total = 0;
        String after = "";
        while (true) {
            // The next rows still on another model, after the last id seen: one pass over the ids
            // (rows already done are not re-read by every batch); a restarted run picks up anew.
            String from = after;
            List<String[]> batch = db.read("reembed", c -> {
                List<String[]> rows = new ArrayList<>();
                try (PreparedStatement ps = new SqlParams().sql("SELECT id, content FROM omp_memories"
                        + " WHERE id > ? AND embedding_model <> ? ORDER BY id LIMIT ?", from, model, batchSize)
                        .prepare(c);
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new String[] {rs.getString(1), rs.getString(2)});
                    }
                }
                return rows;
            });
            if (batch.isEmpty()) {
                break;
            }
            after = batch.get(batch.size() - 1)[0];
            List<float[]> vectors = embedder.embed(batch.stream().map(r -> r[1]).toList());
            int done = db.write("reembed", c -> {
                int n = 0;
                try (PreparedStatement ps = c.prepareStatement("UPDATE omp_memories SET embedding_model = ?, embedding = "
                        + (pgvector ? "?::vector" : "decode(?, 'hex')") + " WHERE id = ? AND embedding_model <> ?")) {
                    for (int i = 0; i < batch.size(); i++) {
                        float[] v = vectors.get(i);
                        ps.setString(1, model);
                        ps.setString(2, pgvector ? Vectors.toPgvector(v) : Vectors.toHex(v));
                        ps.setString(3, batch.get(i)[0]);
                        ps.setString(4, model);
                        ps.addBatch();
                    }
                    for (int r : ps.executeBatch()) {
                        n += Math.max(0, r);
                    }
                }
                return n;
            });
            total += done;
            progress.accept(total);
        }
        db.write("reembed", c -> {
            // Users on the ANN path stay there under the new model (their rows keep ann = true).
            try (PreparedStatement ps = new SqlParams().sql("INSERT INTO omp_large_users (user_id, embedding_model)"
                    + " SELECT DISTINCT user_id, ? FROM omp_large_users WHERE embedding_model <> ?"
                    + " ON CONFLICT DO NOTHING", model, model).prepare(c)) {
                ps.executeUpdate();
            }
            return null;
        });
        mixedModels.expire();
        return total;
    }
}
