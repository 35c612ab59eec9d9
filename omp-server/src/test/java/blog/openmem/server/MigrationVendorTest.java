package blog.openmem.server;

import static blog.openmem.server.MigrationSupport.assertSameFields;
import static blog.openmem.server.MigrationSupport.byOrigin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.core.Memory;
import blog.openmem.core.migrate.Migration;
import blog.openmem.core.migrate.MigrationReport;
import blog.openmem.sim.LettaSim;
import blog.openmem.sim.Mem0PlatformSim;
import blog.openmem.sim.SupermemorySim;
import blog.openmem.sim.SupermemoryV5Sim;
import blog.openmem.sim.VendorSim;
import blog.openmem.spi.model.SearchQuery;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Migrations across kinds on the vendor simulators (every request and answer checked against the
 * vendor's OpenAPI file): postgres → each vendor, each vendor → postgres. What a vendor does not hold
 * as postgres does is reported by the dry run exactly as the run then reports it.
 */
class MigrationVendorTest {
    /** A vendor: its simulator, its client on it, whether it offers update, and what it does not hold. */
    record Vendor(String name, VendorSim sim, Memory memory, boolean update, Set<String> losses) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> vendors() {
        return Stream.of(Arguments.of("mem0", Set.of("created_at", "updated_at")),
                Arguments.of("supermemory", Set.of("created_at", "updated_at")),
                // Letta stores supersedes but does not hide superseded memories, and has no update.
                Arguments.of("letta", Set.of("created_at", "updated_at", "supersedes")));
    }

    static Vendor vendor(String name, Set<String> losses) {
        VendorSim sim = switch (name) {
            case "mem0" -> new Mem0PlatformSim();
            case "supermemory" -> new SupermemoryV5Sim().readsUntilDone(0);
            default -> new LettaSim();
        };
        sim.start();
        String key = switch (name) {
            case "mem0" -> Mem0PlatformSim.API_KEY;
            case "supermemory" -> SupermemorySim.API_KEY;
            default -> LettaSim.API_KEY;
        };
        // Letta: the seed's long memory becomes several passages.
        Memory memory = name.equals("letta") ? sim.client(name, key, "max_passage_chars", "100") : sim.client(name, key);
        return new Vendor(name, sim, memory, !name.equals("letta"), losses);
    }

    @ParameterizedTest(name = "postgres → {0}")
    @MethodSource("vendors")
    void postgresToVendor(String name, Set<String> losses) {
        Vendor v = vendor(name, losses);
        try (VendorSim sim = v.sim(); Memory target = v.memory();
             Memory source = MigrationSupport.postgres(MigrationSupport.freshDatabase("omp_migrate_to_" + name))) {
            List<blog.openmem.spi.model.Memory> seeded = MigrationSupport.seed(source, name, 2, 12);
            List<String> users = MigrationSupport.users(seeded);

            MigrationReport dry = Migration.from(source).to(target).dryRun(true).run();
            assertEquals(seeded.size(), dry.written(), dry.describe());
            assertTrue(MigrationSupport.readAll(target, users).isEmpty(), "a dry run writes nothing");

            MigrationReport r = Migration.from(source).to(target).verify(Migration.Verify.ALL).run();
            assertTrue(r.ok(), r.describe());
            assertEquals(seeded.size(), r.written());
            assertEquals(losses, r.losses().keySet(), r.describe());
            assertEquals(dry.losses(), r.losses(), "the dry run said what the run did");
            Map<String, blog.openmem.spi.model.Memory> moved = byOrigin(target, users);
            assertSameFields(MigrationSupport.readAll(source, users), moved, "postgres", false);
            if (target.capabilities().features().supportsSupersession()) {
                List<String> found = target.search(SearchQuery.builder(users.get(0), "Alice lives in").limit(10)
                        .build()).stream().map(h -> h.memory().content()).toList();
                assertTrue(found.contains("Alice lives in Rome"), found.toString());
                assertFalse(found.contains("Alice lives in Paris"), found.toString());
            }
            assertEquals(0, Migration.from(source).to(target).run().written(), "a second run writes nothing");
            sim.assertClean();
        }
    }

    @org.junit.jupiter.api.Test
    void aVendorsRateLimitIsWaitedOutAndNothingIsLostOrDoubled() {
        Vendor v = vendor("mem0", Set.of());
        try (VendorSim sim = v.sim(); Memory target = v.memory();
             Memory source = MigrationSupport.postgres(MigrationSupport.freshDatabase("omp_migrate_429"))) {
            List<blog.openmem.spi.model.Memory> seeded = MigrationSupport.seed(source, "rl", 1, 10);
            // The next three calls to Mem0 answer 429 with Retry-After: 1.
            sim.inject(blog.openmem.sim.Fault.rateLimited(1), blog.openmem.sim.Fault.rateLimited(1),
                    blog.openmem.sim.Fault.rateLimited(1));
            long t0 = System.nanoTime();
            MigrationReport r = Migration.from(source).to(target).concurrency(1).run();
            assertTrue(r.ok(), r.describe());
            assertEquals(seeded.size(), r.written());
            assertTrue(System.nanoTime() - t0 >= 1_000_000_000L, "Retry-After was honoured");
            assertEquals(seeded.size(), byOrigin(target, MigrationSupport.users(seeded)).size(), "each memory once");
            sim.assertClean();
        }
    }

    @ParameterizedTest(name = "{0} → postgres")
    @MethodSource("vendors")
    void vendorToPostgres(String name, Set<String> ignored) {
        Vendor v = vendor(name, ignored);
        try (VendorSim sim = v.sim(); Memory source = v.memory();
             Memory target = MigrationSupport.postgres(MigrationSupport.freshDatabase("omp_migrate_from_" + name))) {
            List<String> users = MigrationSupport.users(MigrationSupport.seed(source, name, 2, 12, v.update()));
            List<blog.openmem.spi.model.Memory> there = MigrationSupport.readAll(source, users);
            // Vendors cannot list their users: they are named.
            MigrationReport dry = Migration.from(source).users(users).to(target).dryRun(true).run();
            MigrationReport r = Migration.from(source).users(users).to(target).verify(Migration.Verify.ALL).run();
            assertTrue(r.ok(), r.describe());
            assertEquals(there.size(), r.written());
            assertEquals(dry.losses(), r.losses(), "the dry run said what the run did");
            assertFalse(r.losses().containsKey("created_at"), "postgres keeps the vendor's created_at");
            assertSameFields(there, byOrigin(target, users), name, true);
            assertEquals(0, Migration.from(source).users(users).to(target).run().written());
            sim.assertClean();
        }
    }
}
