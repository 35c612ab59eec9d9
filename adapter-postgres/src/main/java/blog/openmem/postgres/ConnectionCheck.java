package blog.openmem.postgres;

import blog.openmem.spi.Redaction;
import blog.openmem.spi.error.ConfigurationException;
import blog.openmem.spi.error.ErrorDetails;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * One connection before the pool opens (the schema is migrated on it), so that a store that can
 * never work is said at once, as a
 * configuration error with what to do: a missing database or role, a refused password, a role without
 * the right to connect. The pool would retry these for its whole timeout and report them as an outage.
 * Anything else (the server down or unreachable) is left to the pool, as an outage is.
 */
final class ConnectionCheck {
    private ConnectionCheck() {
    }

    /**
     * @param jdbcUrl  the store's JDBC URL
     * @param user     the role, or null for the URL's
     * @param password the password, or null
     * @param timeout  the connect timeout
     * @return the open connection (the caller closes it), or null when the server cannot be reached now
     * @throws ConfigurationException when the server refuses the configuration itself
     */
    static Connection open(String jdbcUrl, String user, String password, Duration timeout) {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("connectTimeout", String.valueOf(Math.max(1, timeout.toSeconds())));
        p.setProperty("ApplicationName", "openmem-java");
        try {
            return new org.postgresql.Driver().connect(jdbcUrl, p);
        } catch (SQLException e) {
            String hint = hint(e.getSQLState(), jdbcUrl, user);
            if (hint != null) {
                throw new ConfigurationException("postgres: " + hint + " (" + Redaction.url(jdbcUrl) + ", SQLSTATE "
                        + e.getSQLState() + ")", ErrorDetails.cause(e));
            }
            return null;
        }
    }

    /** @return what is wrong and how to fix it, or null when the failure is not one of configuration */
    static String hint(String state, String jdbcUrl, String user) {
        Properties parsed = org.postgresql.Driver.parseURL(jdbcUrl, null);
        String db = parsed == null ? "?" : parsed.getProperty("PGDBNAME", "?");
        String role = user != null ? user : parsed == null ? null : parsed.getProperty("user");
        String who = role == null ? "the connecting role" : "role '" + role + "'";
        if (state == null) {
            return null;
        }
        return switch (state) {
            case "3D000" -> "database '" + db + "' does not exist: create it (CREATE DATABASE \"" + db
                    + "\";) or name an existing one in the URL";
            case "28000" -> who + " may not connect (no such role, or no pg_hba.conf entry for it): create the role"
                    + " (CREATE ROLE ... LOGIN) or name another in the URL";
            case "28P01" -> "password authentication failed for " + who + ": check the password (setting password,"
                    + " or OMP_POSTGRES_PASSWORD)";
            case "42501" -> who + " lacks the privilege to connect to database '" + db + "': GRANT CONNECT ON"
                    + " DATABASE \"" + db + "\" TO it";
            default -> null;
        };
    }
}
