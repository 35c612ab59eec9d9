package blog.openmem.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import blog.openmem.core.Memory;
import blog.openmem.core.migrate.Origin;
import blog.openmem.spi.json.OmpJson;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.MemorySource;
import blog.openmem.spi.model.MemoryUpdate;
import blog.openmem.spi.model.SourceType;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Databases of their own for migration tests, a seeded source, and the field-by-field comparison. */
final class MigrationSupport {
    private MigrationSupport() {
    }

    /** @return the URL of a new, empty database on the test PostgreSQL (dropped first if left over) */
    static String freshDatabase(String name) {
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        URI u = URI.create(ServerTestSupport.pgUrl());
        return u.getScheme() + "://" + u.getRawAuthority() + "/" + name;
    }

    static Connection connect(String url) throws SQLException {
        URI u = URI.create(url);
        String user = u.getUserInfo() == null ? "postgres" : u.getUserInfo().split(":")[0];
        return DriverManager.getConnection("jdbc:postgresql://" + u.getHost() + ":" + u.getPort() + u.getPath(), user,
                "");
    }

    private static Connection admin() throws SQLException {
        URI u = URI.create(ServerTestSupport.pgUrl());
        return connect(u.getScheme() + "://" + u.getRawAuthority() + "/postgres");
    }

    static Memory postgres(String url) {
        return Memory.builder().config(url).embedder("hash").build();
    }

    /**
     * Seeds one user with every field, a supersession chain written newest-first as well as oldest-first,
     * an updated memory and an expired one; and {@code plain} more users of {@code perUser} memories.
     *
     * @return every memory written, as the source now holds it
     */
    static List<blog.openmem.spi.model.Memory> seed(Memory m, String prefix, int plain, int perUser) {
        return seed(m, prefix, plain, perUser, true);
    }

    /** As {@link #seed(Memory, String, int, int)}; without {@code update} for providers that have none. */
    static List<blog.openmem.spi.model.Memory> seed(Memory m, String prefix, int plain, int perUser, boolean update) {
        String alice = prefix + "-alice ü";
        List<blog.openmem.spi.model.Memory> out = new ArrayList<>();
        out.add(m.add(MemoryInput.builder(alice, "Alice prefers tea — 茶, not coffee ☕").scope("work/projects/x")
                .tags("prefs", "ünïcödé").source(new MemorySource("crm", SourceType.EXPLICIT, "ticket-7"))
                .confidence(0.8).validFrom(Instant.parse("2026-01-01T00:00:00Z"))
                .validTo(Instant.parse("2027-06-30T12:00:00.123456Z"))
                .extension("x-crm", Map.of("nested", List.of(1, "two", true), "emoji", "🚀", "n", 2.5)).build()));
        blog.openmem.spi.model.Memory paris = m.add(MemoryInput.of(alice, "Alice lives in Paris"));
        blog.openmem.spi.model.Memory berlin = m.add(MemoryInput.builder(alice, "Alice lives in Berlin")
                .supersedes(List.of(paris.id())).build());
        blog.openmem.spi.model.Memory rome = m.add(MemoryInput.builder(alice, "Alice lives in Rome")
                .supersedes(List.of(berlin.id())).build());
        out.addAll(List.of(paris, berlin, rome));
        blog.openmem.spi.model.Memory updated = m.add(MemoryInput.of(alice, "Alice's badge number is 4411"));
        out.add(update ? m.update(updated.id(), alice, MemoryUpdate.builder().content("Alice's badge number is 4412")
                .build()) : updated);
        out.add(m.add(MemoryInput.of(alice, "Alice's reading list, in order: " + "a long novel, ".repeat(20)
                + "and a short one.")));
        out.add(m.add(MemoryInput.builder(alice, "Alice was on call last week").validTo(Instant.parse(
                "2025-01-01T00:00:00Z")).build()));
        for (int u = 0; u < plain; u++) {
            List<MemoryInput> batch = new ArrayList<>();
            for (int i = 0; i < perUser; i++) {
                batch.add(MemoryInput.builder(prefix + "-user" + u, "note " + i + " of user " + u + " about topic "
                        + (i % 7)).tags("t" + (i % 3)).build());
            }
            out.addAll(m.addAll(batch));
        }
        return out;
    }

    /** @return every memory of these users, as the provider reads them back */
    static List<blog.openmem.spi.model.Memory> readAll(Memory m, List<String> users) {
        List<blog.openmem.spi.model.Memory> out = new ArrayList<>();
        users.forEach(u -> m.exportAll(u).forEach(out::add));
        return out;
    }

    /** The target's memories of these users, by the source id recorded in their origin. */
    static Map<String, blog.openmem.spi.model.Memory> byOrigin(Memory target, List<String> users) {
        Map<String, blog.openmem.spi.model.Memory> out = new HashMap<>();
        for (String u : users) {
            target.exportAll(u).forEach(t -> {
                String id = Origin.on(t).orElseThrow(() -> new AssertionError("no origin on " + t.id())).id();
                assertEquals(null, out.put(id, t), "two target memories of source memory " + id);
            });
        }
        return out;
    }

    static List<String> users(List<blog.openmem.spi.model.Memory> memories) {
        return memories.stream().map(blog.openmem.spi.model.Memory::userId).distinct().collect(Collectors.toList());
    }

    /**
     * Every field of every source memory on the target: content, owner, scope, tags, source,
     * confidence, validity, {@code x-} fields; {@code created_at} itself when the target keeps it, else
     * in the origin; supersedes as the target's ids.
     */
    static void assertSameFields(List<blog.openmem.spi.model.Memory> source,
                                 Map<String, blog.openmem.spi.model.Memory> target, String originProvider,
                                 boolean keepsCreatedAt) {
        assertEquals(source.size(), target.size(), "one target memory per source memory");
        for (blog.openmem.spi.model.Memory s : source) {
            blog.openmem.spi.model.Memory t = target.get(s.id());
            assertNotNull(t, "on the target: " + s.id());
            assertEquals(s.content(), t.content());
            assertEquals(s.userId(), t.userId());
            assertEquals(s.scope(), t.scope());
            assertEquals(s.tags(), t.tags());
            assertEquals(s.source(), t.source());
            assertEquals(s.confidence(), t.confidence());
            assertEquals(s.validFrom(), t.validFrom());
            assertEquals(s.validTo(), t.validTo());
            Origin o = Origin.on(t).orElseThrow();
            assertEquals(originProvider, o.provider());
            assertEquals(s.createdAt(), o.createdAt());
            assertEquals(s.updatedAt(), o.updatedAt());
            if (keepsCreatedAt) {
                assertEquals(s.createdAt(), t.createdAt(), "created_at kept");
            }
            List<String> mapped = s.supersedes() == null ? null
                    : s.supersedes().stream().map(id -> target.get(id).id()).toList();
            assertEquals(mapped, t.supersedes(), "supersedes as the target's ids");
            s.extensions().forEach((k, v) -> {
                if (k.startsWith("x-") && !k.equals(Origin.FIELD)) {
                    assertEquals(OmpJson.toTree(v), OmpJson.toTree(t.extensions().get(k)), k);
                }
            });
        }
    }
}
