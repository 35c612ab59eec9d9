package blog.openmem.core.migrate;

import blog.openmem.core.Memory;
import java.util.List;
import java.util.stream.Stream;

/** Where a migration reads: a provider, or a JSON Lines export. */
interface Source {
    /** @return the name recorded as the origin's provider */
    String name();

    /**
     * @return every user, where the source can enumerate them
     * @throws blog.openmem.spi.error.UnsupportedCapabilityException when it cannot
     */
    Stream<String> users();

    /**
     * @param userId a user
     * @return every memory of the user, superseded and expired ones included
     */
    List<blog.openmem.spi.model.Memory> memories(String userId);

    /** A provider as the source. */
    static Source of(Memory memory) {
        return new Source() {
            @Override
            public String name() {
                return memory.providerId();
            }

            @Override
            public Stream<String> users() {
                return memory.users();
            }

            @Override
            public List<blog.openmem.spi.model.Memory> memories(String userId) {
                try (Stream<blog.openmem.spi.model.Memory> s = memory.exportAll(userId)) {
                    return s.toList();
                }
            }
        };
    }
}
