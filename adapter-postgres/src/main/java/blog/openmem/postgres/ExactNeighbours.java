package blog.openmem.postgres;

import blog.openmem.spi.CallContext;
import blog.openmem.spi.embed.Embedder;
import blog.openmem.spi.model.SearchQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Exact mode (no pgvector): a user's nearest memories by cosine computed in the JVM, over vectors
 * kept decoded between searches, so the search statement ranks the ids it is handed.
 */
final class ExactNeighbours {
    private final Embedder embedder;
    private final PostgresSettings settings;
    /** Decoded vectors by memory id and row version. */
    private final VectorCache vectors;

    ExactNeighbours(Embedder embedder, PostgresSettings settings) {
        this.embedder = embedder;
        this.settings = settings;
        // Bounded in bytes: 32 MiB hold ~21 800 vectors of 384 dimensions, ~5 400 of 1 536.
        this.vectors = new VectorCache((int) Math.min(Integer.MAX_VALUE,
                settings.exactCacheMb() * 1_048_576L / (4L * Math.max(1, embedder.dimension()))));
    }

    /**
     * Exact mode: cosine over the user's newest rows of the current model, computed here. The rows'
     * ids and versions are read first; only vectors missing from (or stale in) the cache travel,
     * so a repeated search moves a few bytes per row instead of its whole vector.
     */
    Map<String, Double> find(Connection c, SearchQuery q, CallContext ctx, float[] qv, Instant at, int k)
            throws SQLException {
        SqlParams sql = new SqlParams();
        if (!q.includeSuperseded()) {
            Filters.superseded(sql.sql("WITH "), q).sql(" ");
        }
        boolean cached = settings.exactCacheMb() > 0;
        sql.sql("SELECT m.id, " + (cached ? "m.xmin::text" : "m.embedding") + " FROM omp_memories m WHERE ");
        Filters.filters(sql, q, at, ctx.readScopes());
        sql.sql(" AND m.embedding_model = ? ORDER BY m.created_at DESC LIMIT ?", embedder.modelName(),
                settings.exactScanLimit());
        PriorityQueue<Map.Entry<String, Double>> best = new PriorityQueue<>(Map.Entry.comparingByValue());
        List<String> missing = new ArrayList<>();
        double qnorm = Vectors.norm(qv);
        try (PreparedStatement ps = sql.prepare(c)) {
            ps.setFetchSize(2000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    float[] v;
                    if (!cached) {
                        v = Vectors.fromBytes(rs.getBytes(2));
                    } else {
                        v = vectors.get(id, rs.getString(2));
                        if (v == null) {
                            missing.add(id);
                            continue;
                        }
                    }
                    keepBest(best, k, id, Vectors.cosine(qv, qnorm, v, Vectors.norm(v)));
                }
            }
        }
        for (int from = 0; from < missing.size(); from += 1000) {
            List<String> ids = missing.subList(from, Math.min(missing.size(), from + 1000));
            try (PreparedStatement ps = new SqlParams().sql("SELECT id, xmin::text, embedding FROM omp_memories"
                    + " WHERE id = ANY(?::text[]) AND embedding_model = ?", new SqlParams.TextArray(
                    ids.toArray(String[]::new)), embedder.modelName()).prepare(c); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    float[] v = Vectors.fromBytes(rs.getBytes(3));
                    vectors.put(rs.getString(1), rs.getString(2), v);
                    keepBest(best, k, rs.getString(1), Vectors.cosine(qv, qnorm, v, Vectors.norm(v)));
                }
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        best.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static void keepBest(PriorityQueue<Map.Entry<String, Double>> best, int k, String id, double sim) {
        if (best.size() < k) {
            best.add(Map.entry(id, sim));
        } else if (sim > best.peek().getValue()) {
            best.poll();
            best.add(Map.entry(id, sim));
        }
    }
}
