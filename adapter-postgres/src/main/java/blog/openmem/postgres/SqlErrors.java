package blog.openmem.postgres;

import blog.openmem.spi.error.ErrorDetails;
import blog.openmem.spi.error.InvalidRequestException;
import blog.openmem.spi.error.OmpException;
import blog.openmem.spi.error.ProviderException;
import blog.openmem.spi.error.ProviderUnavailableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Maps JDBC failures to OMP errors: an unreachable server, a dropped connection, an exhausted pool
 * or a cancelled statement is {@code provider_unavailable} (retryable); anything else is a
 * {@code provider_error}. Messages carry the SQLSTATE, never SQL text or values.
 */
final class SqlErrors {
    private SqlErrors() {
    }

    static OmpException map(SQLException e, String what) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        ErrorDetails d = new ErrorDetails("postgres", null, null, e);
        if (e instanceof SQLTransientConnectionException) {
            return new ProviderUnavailableException("postgres: no connection available for " + what
                    + " (database unreachable or pool exhausted)", d);
        }
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                || state.equals("53300") || state.equals("57014") || state.equals("40001") || state.equals("40P01")) {
            return new ProviderUnavailableException("postgres: " + what + " failed, database unavailable (SQLSTATE "
                    + state + ")", d);
        }
        if (state.equals("54000") || state.equals("22001")) {
            return new InvalidRequestException("content: too large for the database (SQLSTATE " + state + ")", d);
        }
        return new ProviderException("postgres: " + what + " failed (SQLSTATE " + (state.isEmpty() ? "unknown" : state)
                + ")", d);
    }
}
