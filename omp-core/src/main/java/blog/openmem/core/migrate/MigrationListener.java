package blog.openmem.core.migrate;

/**
 * Told of a migration's progress, from the threads doing the work (implementations are thread-safe).
 * Every method does nothing by default.
 */
public interface MigrationListener {
    /**
     * @param users the users to take, or -1 when not known in advance
     */
    default void started(int users) {
    }

    /**
     * @param memories memories just read from the source
     */
    default void read(int memories) {
    }

    /**
     * @param memories memories just written (or found already present)
     */
    default void written(int memories) {
    }

    /**
     * @param userId a user whose memories are all moved
     */
    default void userDone(String userId) {
    }
}
