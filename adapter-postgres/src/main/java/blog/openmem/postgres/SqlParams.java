package blog.openmem.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** A SQL text being built together with its bind values, in order. */
final class SqlParams {
    private final StringBuilder sql = new StringBuilder();
    private final List<Object> values = new ArrayList<>();

    /** A {@code text[]} value. */
    record TextArray(String[] values) {
    }

    /**
     * A value in its text form whose type PostgreSQL takes from the statement ({@code ?::vector}):
     * it is converted once when bound, where a {@code varchar} value would be cast on every row a
     * reused (generic) plan evaluates it for.
     */
    record Untyped(String value) {
    }

    SqlParams sql(String text) {
        sql.append(text);
        return this;
    }

    SqlParams sql(String text, Object... params) {
        sql.append(text);
        values.addAll(java.util.Arrays.asList(params));
        return this;
    }

    SqlParams params(List<Object> params) {
        values.addAll(params);
        return this;
    }

    List<Object> values() {
        return java.util.Collections.unmodifiableList(values);
    }

    String text() {
        return sql.toString();
    }

    PreparedStatement prepare(Connection c) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql.toString());
        try {
            for (int i = 0; i < values.size(); i++) {
                bind(c, ps, i + 1, values.get(i));
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    private static void bind(Connection c, PreparedStatement ps, int i, Object v) throws SQLException {
        if (v == null) {
            ps.setNull(i, java.sql.Types.VARCHAR);
        } else if (v instanceof String s) {
            ps.setString(i, s);
        } else if (v instanceof Instant t) {
            ps.setObject(i, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
        } else if (v instanceof Integer n) {
            ps.setInt(i, n);
        } else if (v instanceof Long n) {
            ps.setLong(i, n);
        } else if (v instanceof Double d) {
            ps.setDouble(i, d);
        } else if (v instanceof Untyped u) {
            ps.setObject(i, u.value(), java.sql.Types.OTHER);
        } else if (v instanceof TextArray a) {
            ps.setArray(i, c.createArrayOf("text", a.values()));
        } else {
            throw new IllegalArgumentException("unsupported bind type " + v.getClass());
        }
    }
}
