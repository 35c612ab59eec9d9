package blog.openmem.letta;

import static org.junit.jupiter.api.Assertions.assertEquals;

import blog.openmem.core.Memory;
import blog.openmem.sim.LettaSim;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.SearchQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** A user's archive is found again by a new client, and clients racing to create it converge on one. */
class LettaUsersTest {
    private static Memory client(LettaSim sim, String... settings) {
        return sim.client("letta", LettaSim.API_KEY, settings);
    }

    @Test
    void aNewClientFindsTheSameUsersMemories() {
        try (LettaSim sim = (LettaSim) new LettaSim().start()) {
            String id;
            try (Memory before = client(sim)) {
                id = before.add("alice", "prefers window seats").id();
            }
            try (Memory after = client(sim)) { // nothing cached: a restarted process
                assertEquals("prefers window seats", after.get(id, "alice").content());
                assertEquals(id, after.search(SearchQuery.builder("alice", "window seats").build()).get(0).memory().id());
                after.add("alice", "likes tea");
            }
            assertEquals(1, sim.archivesNamed("omp-user:alice"), "the restart made no second archive");
            sim.assertClean();
        }
    }

    @Test
    void clientsRacingToCreateAUsersArchiveConvergeAndLoseNothing() throws Exception {
        try (LettaSim sim = (LettaSim) new LettaSim().start()) {
            int n = 6;
            List<Memory> clients = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                clients.add(client(sim));
            }
            ExecutorService pool = Executors.newFixedThreadPool(n);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Memory c = clients.get(i);
                String text = "memory " + i + " of bob";
                ids.add(pool.submit(() -> {
                    go.await();
                    return c.add("bob", text).id();
                }));
            }
            go.countDown();
            List<String> written = new ArrayList<>();
            for (Future<String> f : ids) {
                written.add(f.get());
            }
            pool.shutdown();
            assertEquals(1, sim.archivesNamed("omp-user:bob"), "one archive in the end");
            assertEquals(n, sim.passageCount());
            try (Memory fresh = client(sim)) {
                for (int i = 0; i < n; i++) {
                    assertEquals("memory " + i + " of bob", fresh.get(written.get(i), "bob").content());
                }
            }
            clients.forEach(Memory::close);
            sim.assertClean();
        }
    }

    @Test
    void everyClientAdoptsTheOldestOfArchivesSharingTheName() throws Exception {
        try (LettaSim sim = (LettaSim) new LettaSim().start()) {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            List<String> made = new ArrayList<>();
            for (int i = 0; i < 2; i++) { // what a lost race leaves behind
                made.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(http.send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(sim.url() + "/v1/archives/"))
                                .header("Authorization", "Bearer " + LettaSim.API_KEY)
                                .header("Content-Type", "application/json")
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"omp-user:dan\"}"))
                                .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body()).path("id").asText());
            }
            String a;
            String b;
            try (Memory one = client(sim); Memory two = client(sim)) {
                a = one.add("dan", "first").id();
                b = two.add("dan", "second").id();
                assertEquals("second", one.get(b, "dan").content());
                assertEquals("first", two.get(a, "dan").content());
            }
            assertEquals(2, sim.passagesIn(made.get(0)), "both wrote to the oldest archive");
            assertEquals(0, sim.passagesIn(made.get(1)));
            sim.assertClean();
        }
    }

    @Test
    void anArchiveDeletedBehindTheCacheIsMadeAgain() throws Exception {
        try (LettaSim sim = (LettaSim) new LettaSim().start(); Memory m = client(sim)) {
            m.add("erin", "first");
            sim.deleteArchivesNamed("omp-user:erin");
            String id = m.add("erin", "second").id();
            assertEquals("second", m.get(id, "erin").content());
            assertEquals(1, sim.archivesNamed("omp-user:erin"));
            sim.assertClean();
        }
    }

    @Test
    void aLongTextIsSeveralPassagesOfOneMemory() {
        try (LettaSim sim = (LettaSim) new LettaSim().start(); Memory m = client(sim, "max_passage_chars", "100")) {
            String text = "zebra crossing " + "x".repeat(250) + " \ud83d\ude00 the end";
            String id = m.add(MemoryInput.of("carol", text)).id();
            assertEquals(3, sim.passageCount());
            assertEquals(text, m.get(id, "carol").content());
            assertEquals(text, m.search(SearchQuery.builder("carol", "zebra crossing").build()).get(0).memory().content());
            m.delete(id, "carol");
            assertEquals(0, sim.passageCount(), "delete removes every passage of the memory");
            sim.assertClean();
        }
    }
}
