package blog.openmem.spi.scope;

import java.util.List;

/**
 * A SQL boolean expression with {@code ?} placeholders and the values to bind, in order.
 *
 * @param sql        the expression, safe to splice into a WHERE clause
 * @param parameters the bind values
 */
public record SqlPredicate(String sql, List<Object> parameters) {
    /** Copies the parameters. */
    public SqlPredicate {
        parameters = List.copyOf(parameters);
    }
}
