package blog.openmem.postgres;

import blog.openmem.spi.CallContext;
import blog.openmem.spi.embed.Embedder;
import blog.openmem.spi.error.ErrorDetails;
import blog.openmem.spi.error.ProviderException;
import blog.openmem.spi.json.OmpJson;
import blog.openmem.spi.model.AddOutcome;
import blog.openmem.spi.model.Memory;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.MemoryStatus;
import blog.openmem.spi.model.MemoryUpdate;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Writes: adds in one statement per batch with their audit entries, idempotency keys decided by the
 * unique index, updates that re-embed only changed content, deletes that report a missing id.
 */
final class MemoryWrites {
    private final Database db;
    private final Embedder embedder;
    private final boolean pgvector;
    private final UserTiers tiers;
    private Instant lastCreated = Instant.EPOCH;

    MemoryWrites(Database db, Embedder embedder, boolean pgvector, UserTiers tiers) {
        this.db = db;
        this.embedder = embedder;
        this.pgvector = pgvector;
        this.tiers = tiers;
    }

    /**
     * A repeat of a key returns the first memory; of racing first uses exactly one inserts (the
     * unique index decides) and only that one reports it created the memory.
     */
    AddOutcome addIdempotent(MemoryInput input, CallContext ctx) {
        Optional<Memory> earlier = findByIdempotencyKey(input.userId(), ctx.idempotencyKey(), ctx);
        if (earlier.isPresent()) {
            return new AddOutcome(earlier.get(), false);
        }
        Inserted r = insert(List.of(input), null, ctx);
        return new AddOutcome(r.memories().get(0), !r.conflicted());
    }

    /** What {@link #insert} wrote: the memories, and whether an idempotency key's twin won the race. */
    record Inserted(List<Memory> memories, boolean conflicted) {
    }

    /** @param createdAts each row's creation time, or null for now */
    Inserted insert(List<MemoryInput> inputs, List<Instant> createdAts, CallContext ctx) {
        List<float[]> vectors = embedder.embed(inputs.stream().map(MemoryInput::content).toList());
        int n = inputs.size();
        String[][] cols = new String[17][n];
        List<Memory> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            MemoryInput in = inputs.get(i);
            Memory m = Memory.builder().id("mem_" + Ulid.next()).content(in.content()).userId(in.userId())
                    .createdAt(createdAts == null ? nextCreatedAt() : createdAts.get(i)).scope(in.scope()).tags(in.tags()).source(in.source())
                    .confidence(in.confidence()).validFrom(Rows.micros(in.validFrom())).validTo(Rows.micros(in.validTo()))
                    .supersedes(in.supersedes()).embeddingModel(embedder.modelName()).status(MemoryStatus.DONE)
                    .extensions(in.extensions()).build();
            out.add(m);
            cols[0][i] = m.id();
            cols[1][i] = m.userId();
            cols[2][i] = m.content();
            cols[3][i] = m.scope();
            cols[4][i] = m.tags() == null ? null : OmpJson.write(m.tags());
            cols[5][i] = m.source() == null ? null : m.source().app();
            cols[6][i] = m.source() == null || m.source().type() == null ? null : m.source().type().wireName();
            cols[7][i] = m.source() == null ? null : m.source().ref();
            cols[8][i] = m.confidence() == null ? null : m.confidence().toString();
            cols[9][i] = m.validFrom() == null ? null : m.validFrom().toString();
            cols[10][i] = m.validTo() == null ? null : m.validTo().toString();
            cols[11][i] = m.supersedes() == null ? null : OmpJson.write(m.supersedes());
            cols[12][i] = pgvector ? Vectors.toPgvector(vectors.get(i)) : Vectors.toHex(vectors.get(i));
            cols[13][i] = m.extensions().isEmpty() ? null : OmpJson.write(m.extensions());
            cols[14][i] = m.createdAt().toString();
            cols[15][i] = pgvector && tiers.cached(m.userId()) != UserTiers.Tier.TYPICAL ? "t" : "f";
            cols[16][i] = n == 1 ? ctx.idempotencyKey() : null;
        }
        SqlParams sql = new SqlParams().sql("WITH " + Database.DURABLE + ", ins AS (INSERT INTO omp_memories (id, user_id,"
                + " content, scope, tags, source_app, source_type, source_ref, confidence, valid_from, valid_to,"
                + " supersedes, embedding_model, embedding, extensions, created_at, ann, idempotency_key)"
                + " SELECT u.id, u.user_id, u.content, u.scope,"
                + " CASE WHEN u.tags IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(u.tags::jsonb)) END,"
                + " u.source_app, u.source_type, u.source_ref, u.confidence::float8, u.valid_from::timestamptz,"
                + " u.valid_to::timestamptz,"
                + " CASE WHEN u.supersedes IS NULL THEN NULL"
                + " ELSE ARRAY(SELECT jsonb_array_elements_text(u.supersedes::jsonb)) END, ?, "
                + (pgvector ? "u.emb::vector" : "decode(u.emb, 'hex')")
                + ", u.extensions::jsonb, u.created_at::timestamptz, u.ann::boolean, u.idem FROM unnest(", embedder.modelName());
        for (int c = 0; c < cols.length; c++) {
            sql.sql(c == 0 ? "?::text[]" : ", ?::text[]", new SqlParams.TextArray(cols[c]));
        }
        sql.sql(") AS u(id, user_id, content, scope, tags, source_app, source_type, source_ref, confidence,"
                + " valid_from, valid_to, supersedes, emb, extensions, created_at, ann, idem)"
                + " ON CONFLICT (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING"
                + " RETURNING id, user_id, scope, source_app), aud AS ("
                + AuditLog.INSERT + "SELECT user_id, clock_timestamp(), COALESCE(?, source_app), 'add', id, scope, ?"
                + " FROM ins) SELECT count(*) FROM ins, sync", ctx.app(), ctx.requestId());
        long inserted = db.writeOne("add", c -> {
            try (PreparedStatement ps = sql.prepare(c); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
        if (inserted < n) {
            // Only a single add with an idempotency key can conflict: a concurrent twin won the race.
            return new Inserted(List.of(findByIdempotencyKey(inputs.get(0).userId(), ctx.idempotencyKey(), ctx)
                    .orElseThrow(() -> new ProviderException("postgres: add conflicted but no earlier memory was found",
                            ErrorDetails.provider("postgres")))), true);
        }
        return new Inserted(out, false);
    }

    /** @return the user's memory written under {@code key}, if any */
    Optional<Memory> findByIdempotencyKey(String userId, String key, CallContext ctx) {
        return db.read("add", c -> {
            try (PreparedStatement ps = new SqlParams().sql("SELECT " + Rows.COLS + " FROM omp_memories m WHERE m.user_id = ?"
                    + " AND m.idempotency_key = ?", userId, key).prepare(c); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Rows.row(rs)) : Optional.<Memory>empty();
            }
        });
    }

    /** @return the updated memory (re-embedded when its content or model changed), empty when absent */
    Optional<Memory> update(String id, String userId, MemoryUpdate update, CallContext ctx) {
        return db.write("update", c -> {
            Memory current;
            try (PreparedStatement ps = Filters.byId("SELECT " + Rows.COLS + " FROM omp_memories m WHERE m.id = ?", id, userId,
                    " FOR UPDATE").prepare(c);
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.<Memory>empty();
                }
                current = Rows.row(rs);
            }
            Memory next = update.applyTo(current, Rows.micros(Instant.now()));
            boolean reembed = !next.content().equals(current.content())
                    || !embedder.modelName().equals(current.embeddingModel());
            SqlParams sql = new SqlParams().sql("WITH upd AS (UPDATE omp_memories SET content = ?, scope = ?,"
                    + " tags = ?::text[], confidence = ?::float8, valid_to = ?::timestamptz, supersedes = ?::text[],"
                    + " updated_at = ?::timestamptz",
                    next.content(), next.scope(), Rows.array(next.tags()), next.confidence(), next.validTo(),
                    Rows.array(next.supersedes()), next.updatedAt());
            if (reembed) {
                float[] v = embedder.embed(next.content());
                sql.sql(", embedding_model = ?, embedding = " + (pgvector ? "?::vector" : "decode(?, 'hex')"),
                        embedder.modelName(), pgvector ? Vectors.toPgvector(v) : Vectors.toHex(v));
                next = next.toBuilder().embeddingModel(embedder.modelName()).build();
            }
            sql.sql(" WHERE id = ? RETURNING id, user_id, scope) " + AuditLog.INSERT
                    + "SELECT user_id, clock_timestamp(), ?, 'update', id, scope, ? FROM upd", id, ctx.app(),
                    ctx.requestId());
            try (PreparedStatement ps = sql.prepare(c)) {
                ps.executeUpdate();
            }
            return Optional.of(next);
        });
    }

    /** @return whether the memory existed (and was the user's, when given) */
    boolean delete(String id, String userId, CallContext ctx) {
        return db.writeOne("delete", c -> {
            SqlParams sql = Filters.byId("WITH " + Database.DURABLE + ", del AS (DELETE FROM omp_memories m WHERE m.id = ?", id,
                    userId,
                    " RETURNING m.id, m.user_id, m.scope), aud AS (" + AuditLog.INSERT
                            + "SELECT user_id, clock_timestamp(), ?, 'delete', id, scope, ? FROM del)"
                            + " SELECT count(*) FROM del, sync");
            sql.params(Arrays.asList(ctx.app(), ctx.requestId()));
            try (PreparedStatement ps = sql.prepare(c); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        });
    }

    /** @return a creation time after every earlier one of this process, to the microsecond (list order) */
    private synchronized Instant nextCreatedAt() {
        Instant now = Rows.micros(Instant.now());
        lastCreated = now.isAfter(lastCreated) ? now : lastCreated.plus(1, ChronoUnit.MICROS);
        return lastCreated;
    }
}
