/**
 * Moving memories between providers: {@link blog.openmem.core.migrate.Migration} reads every memory of
 * the chosen users from one {@link blog.openmem.core.Memory} (or a JSON Lines export) and writes them
 * to another, exactly (fields, {@code x-} fields, creation times where the target keeps them,
 * supersession rewritten to the target's ids), idempotently (the origin of every memory is recorded
 * in {@code x-omp-origin}) and resumably (a checkpoint of finished users).
 */
package blog.openmem.core.migrate;
