package blog.openmem.postgres;

import blog.openmem.spi.CallContext;
import blog.openmem.spi.model.AuditEntry;
import blog.openmem.spi.model.AuditQuery;
import blog.openmem.spi.model.Verb;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** The audit log (CONTRACT §9): the statement head writers use, and its reads. */
final class AuditLog {
    /** The head of every audit write: the entry is written in the same statement as what it records. */
    static final String INSERT = "INSERT INTO omp_audit (user_id, ts, app, action, memory_id, scope,"
            + " request_id) ";

    private final Database db;

    AuditLog(Database db) {
        this.db = db;
    }

    /** @return the user's entries, newest first, within the caller's read confinement */
    List<AuditEntry> read(AuditQuery q, CallContext ctx) {
        SqlParams sql = new SqlParams().sql("SELECT ts, app, action, memory_id, scope, request_id FROM omp_audit"
                + " WHERE user_id = ?", q.userId());
        if (q.app() != null) {
            sql.sql(" AND app = ?", q.app());
        }
        if (q.since() != null) {
            sql.sql(" AND ts >= ?", q.since());
        }
        Filters.readScopes(sql, ctx.readScopes(), "scope");
        sql.sql(" ORDER BY ts DESC, id DESC LIMIT ?", q.limit());
        return db.read("audit", c -> {
            List<AuditEntry> out = new ArrayList<>();
            try (PreparedStatement ps = sql.prepare(c); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AuditEntry(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getString(2),
                            Verb.fromWire(rs.getString(3)), rs.getString(4), rs.getString(5), rs.getString(6)));
                }
            }
            return out;
        });
    }
}
