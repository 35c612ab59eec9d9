package blog.openmem.spi;

import java.util.Objects;

/**
 * A command-line flag a provider adds to {@code omp-server}, so that the server names no provider:
 * {@code --<flag> VALUE} (or the environment variable) sets one of the provider's settings, or, for
 * {@link #TARGET}, the target of its config string (a database or server URL, which also selects
 * the provider when no {@code --provider} is given).
 *
 * @param flag        the flag without its dashes, e.g. {@code url}
 * @param environment the environment variable it may also come from, e.g. {@code OMP_POSTGRES_URL}
 * @param setting     the provider setting it sets, or {@link #TARGET}
 * @param help        one line for {@code --help}
 */
public record ServerFlag(String flag, String environment, String setting, String help) {
    /** The setting name that stands for the config string's target. */
    public static final String TARGET = "<target>";

    /** Requires every part. */
    public ServerFlag {
        Objects.requireNonNull(flag, "flag");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(setting, "setting");
        Objects.requireNonNull(help, "help");
    }
}
