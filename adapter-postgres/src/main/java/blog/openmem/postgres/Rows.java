package blog.openmem.postgres;

import blog.openmem.spi.json.OmpJson;
import blog.openmem.spi.model.Memory;
import blog.openmem.spi.model.MemorySource;
import blog.openmem.spi.model.MemoryStatus;
import blog.openmem.spi.model.SourceType;
import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/** Row mapping: a memory from its columns, and the values it is written with. */
final class Rows {
    /** The columns {@link #row} reads, of the table aliased {@code m}. */
    static final String COLS = "m.id, m.user_id, m.content, m.scope, m.tags, m.source_app, m.source_type,"
            + " m.source_ref, m.confidence, m.valid_from, m.valid_to, m.supersedes, m.embedding_model, m.extensions,"
            + " m.created_at, m.updated_at";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private Rows() {
    }

    static Memory row(ResultSet rs) throws SQLException {
        String ext = rs.getString("extensions");
        String sourceApp = rs.getString("source_app");
        String sourceType = rs.getString("source_type");
        String sourceRef = rs.getString("source_ref");
        double conf = rs.getDouble("confidence");
        Double confidence = rs.wasNull() ? null : conf;
        return Memory.builder()
                .id(rs.getString("id"))
                .userId(rs.getString("user_id"))
                .content(rs.getString("content"))
                .scope(rs.getString("scope"))
                .tags(strings(rs.getArray("tags")))
                .source(sourceApp == null && sourceType == null && sourceRef == null ? null
                        : new MemorySource(sourceApp, sourceType == null ? null : SourceType.fromWire(sourceType),
                        sourceRef))
                .confidence(confidence)
                .validFrom(instant(rs, "valid_from"))
                .validTo(instant(rs, "valid_to"))
                .supersedes(strings(rs.getArray("supersedes")))
                .embeddingModel(rs.getString("embedding_model"))
                .extensions(ext == null ? Map.of() : OmpJson.read(ext, MAP))
                .createdAt(instant(rs, "created_at"))
                .updatedAt(instant(rs, "updated_at"))
                .status(MemoryStatus.DONE)
                .build();
    }

    private static Instant instant(ResultSet rs, String col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static List<String> strings(Array a) throws SQLException {
        return a == null ? null : List.of((String[]) a.getArray());
    }

    /** @return {@code t} to the microsecond, as PostgreSQL stores it */
    static Instant micros(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
    }

    /** @return a list as a text[] parameter, null for null */
    static SqlParams.TextArray array(List<String> l) {
        return l == null ? null : new SqlParams.TextArray(l.toArray(String[]::new));
    }
}
