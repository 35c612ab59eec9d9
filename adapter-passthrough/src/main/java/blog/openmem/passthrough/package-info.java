/**
 * The {@code passthrough} provider: the OMP HTTP binding (CONTRACT §10) spoken to any OMP-native
 * server, including {@code omp-server}, through the shared
 * {@link blog.openmem.core.http.ResilientHttpClient}.
 */
package blog.openmem.passthrough;
