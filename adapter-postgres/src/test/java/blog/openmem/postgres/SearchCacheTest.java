package blog.openmem.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.core.Memory;
import blog.openmem.core.embed.HashEmbedder;
import blog.openmem.spi.ProviderConfig;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.MemoryUpdate;
import blog.openmem.spi.model.SearchQuery;
import blog.openmem.spi.model.SearchResult;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Searches ranked in-process from cached rows ({@link SearchCache}, {@link RowRanking}) give what
 * the search statement gives, and see every change made by another instance, by hand or by a
 * truncate; on real PostgreSQL, in both vector modes, each on a database of its own.
 */
class SearchCacheTest {
    private static final Map<String, String> URLS = new ConcurrentHashMap<>();
    private static final HashEmbedder EMBEDDER = new HashEmbedder(384);

    static String url(String mode) {
        return URLS.computeIfAbsent(mode, k -> {
            try {
                return ReembedTest.freshDatabase("omp_test_search_cache_" + k);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static PostgresProvider provider(String mode, int cacheMb) {
        return (PostgresProvider) new PostgresProviderFactory().create(new ProviderConfig("postgres", url(mode),
                Map.of("vector_mode", mode, "search_cache_mb", String.valueOf(cacheMb)), Map.of(), () -> EMBEDDER));
    }

    static Instant day(String iso) {
        return LocalDate.parse(iso).atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(9 * 3600);
    }

    /** Fewer rows than a ranked side's candidates, so the statement scores every row too. */
    static void seed(Memory m, String u) {
        Instant now = Instant.now();
        String old = m.add(MemoryInput.builder(u, "My favourite colour is green").build()).id();
        m.add(MemoryInput.builder(u, "My favourite colour is blue now").supersedes(old).build());
        m.add(MemoryInput.builder(u, "Painting watercolours of the harbour on Sundays").scope("hobbies/art").build());
        m.add(MemoryInput.builder(u, "Painted the kitchen walls yellow").scope("home").tags("diy").build());
        m.add(MemoryInput.builder(u, "Hiking the ridge trail with Max the dog").validFrom(day("2023-05-03")).build());
        m.add(MemoryInput.builder(u, "Hiking in the Alps during June").validFrom(day("2022-06-18")).build());
        m.add(MemoryInput.builder(u, "Works on the billing project at Acme").scope("work/acme").build());
        m.add(MemoryInput.builder(u, "Allergic to peanuts and shellfish").confidence(0.9).build());
        m.add(MemoryInput.builder(u, "Planning a trip to Lisbon next spring").validFrom(now.plus(30, ChronoUnit.DAYS))
                .build());
        m.add(MemoryInput.builder(u, "Used to live in Berlin").validTo(now.minus(1, ChronoUnit.DAYS)).build());
        m.add(MemoryInput.builder(u, "Reads science fiction novels before bed").build());
        m.add(MemoryInput.builder(u, "Sister Anna lives in Porto and paints murals").scope("family").build());
        m.add(MemoryInput.builder(u, "Birthday on 14 August").validFrom(day("2023-08-14")).build());
        m.add(MemoryInput.builder(u, "Drinks oat milk flat whites").scope("hobbies/food").build());
        m.add(MemoryInput.builder(u, "the the the and of").build());
    }

    static List<SearchQuery> queries(String u) {
        Instant past = Instant.now().minus(3, ChronoUnit.DAYS);
        return List.of(
                SearchQuery.builder(u, "what colour does she like").build(),
                SearchQuery.builder(u, "what colour does she like").includeSuperseded(true).build(),
                SearchQuery.builder(u, "painting").build(),
                SearchQuery.builder(u, "painting").scope("hobbies").build(),
                SearchQuery.builder(u, "painting").scope("hobbies/*").build(),
                SearchQuery.builder(u, "painting").scope("*").build(),
                SearchQuery.builder(u, "hiking on May 3, 2023").build(),
                SearchQuery.builder(u, "what did she do in June").build(),
                SearchQuery.builder(u, "anything in 2023").limit(3).build(),
                SearchQuery.builder(u, "where does she live").build(),
                SearchQuery.builder(u, "where does she live").asOf(past).build(),
                SearchQuery.builder(u, "trip to Lisbon").build(),
                SearchQuery.builder(u, "allergies food").minScore(0.2).build(),
                SearchQuery.builder(u, "the of and").build(),
                SearchQuery.builder(u, "xylophone quantum").build(),
                SearchQuery.builder(u, "Acme billing work").limit(1).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"hnsw", "exact"})
    void rankingFromCachedRowsEqualsTheSearchStatement(String mode) {
        try (PostgresProvider cachedP = provider(mode, 64); PostgresProvider sqlP = provider(mode, 0)) {
            Memory cached = Memory.of(cachedP);
            Memory sql = Memory.of(sqlP);
            String u = "cache-eq-" + UUID.randomUUID();
            seed(cached, u);
            Set<List<String>> distinct = new HashSet<>();
            int nonEmpty = 0;
            for (SearchQuery q : queries(u)) {
                List<SearchResult> a = cached.search(q);
                List<SearchResult> b = sql.search(q);
                assertEquals(ids(b), ids(a), "same results for " + q);
                for (int i = 0; i < a.size(); i++) {
                    assertEquals(b.get(i).score(), a.get(i).score(), 1e-6, "same score for " + q);
                }
                distinct.add(ids(a));
                nonEmpty += a.isEmpty() ? 0 : 1;
            }
            assertNotNull(cachedP.searchCache().get(u), "the user's rows are held");
            assertFalse(cachedP.searchCache().get(u).tooLarge());
            assertNull(sqlP.searchCache().get(u), "search_cache_mb=0 caches nothing");
            assertTrue(nonEmpty >= 13 && distinct.size() >= 10, "the queries exercise the ranking: " + distinct);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hnsw", "exact"})
    void changesByAnotherInstanceOrByHandAreSeenByTheNextSearch(String mode) throws Exception {
        try (PostgresProvider ap = provider(mode, 64); PostgresProvider bp = provider(mode, 64)) {
            Memory a = Memory.of(ap);
            Memory b = Memory.of(bp);
            String u = "cache-fresh-" + UUID.randomUUID();
            seed(a, u);
            assertEquals(0, contents(a, u, "zebra").size());
            assertNotNull(ap.searchCache().get(u), "held from the first search");
            long fullReads = ap.searchCache().wholeReads();
            long changedReads = ap.searchCache().changedReads();
            // One change since the cached version: only the changed rows are read.
            String z1 = b.add(MemoryInput.builder(u, "Saw a zebra at the zoo").build()).id();
            assertEquals(List.of("Saw a zebra at the zoo"), contents(a, u, "zebra"));
            assertEquals(changedReads + 1, ap.searchCache().changedReads());
            // Two changes: still listed on the user's version row; only the rows changed after the
            // cached version are read, not the one before it that the list still holds.
            String z2 = b.add(MemoryInput.builder(u, "Zebra stripes wallpaper").build()).id();
            b.add(MemoryInput.builder(u, "A zebra crossing near the office").build());
            assertEquals(3, contents(a, u, "zebra").size());
            assertEquals(changedReads + 3, ap.searchCache().changedReads());
            // Deleted since: listed, nothing to read, and gone from the results.
            b.delete(z2, u);
            assertEquals(2, contents(a, u, "zebra").size());
            assertEquals(changedReads + 3, ap.searchCache().changedReads());
            z2 = b.add(MemoryInput.builder(u, "Zebra stripes wallpaper").build()).id();
            assertEquals(fullReads, ap.searchCache().wholeReads(), "listed changes read only their rows");
            // A change of more rows than a version row lists: the user's rows are read again.
            List<MemoryInput> many = new ArrayList<>();
            for (int i = 0; i <= Schema.LISTED_CHANGES; i++) {
                many.add(MemoryInput.builder(u, "filler note " + i).build());
            }
            b.addAll(many);
            assertEquals(3, contents(a, u, "zebra").size());
            assertEquals(fullReads + 1, ap.searchCache().wholeReads());
            assertEquals(10, contents(a, u, "filler").size());
            b.update(z1, MemoryUpdate.builder().content("Saw a lion at the zoo").build());
            assertEquals(List.of("Saw a lion at the zoo"), contents(a, u, "lion"));
            assertEquals(2, contents(a, u, "zebra").size());
            b.delete(z2);
            assertEquals(List.of("A zebra crossing near the office"), contents(a, u, "zebra"));
            try (Connection c = DriverManager.getConnection(PostgresSettings.parse(url(mode)).jdbc(), "postgres", null);
                 Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE omp_memories SET content = 'A giraffe crossing' WHERE content LIKE 'A zebra%'"
                        + " AND user_id = '" + u + "'");
                assertEquals(List.of("A giraffe crossing"), contents(a, u, "giraffe"));
                assertEquals(0, contents(a, u, "zebra").size());
                st.execute("TRUNCATE omp_memories");
            }
            assertEquals(0, contents(a, u, "giraffe").size(), "a truncate empties every cached user");
            assertEquals(0, contents(a, u, "painting").size());
            assertEquals(fullReads + 2, ap.searchCache().wholeReads(), "after a truncate the rows are read again");
        }
    }

    @Test
    void aVersion3StoreIsMigratedAndItsListsDropped() throws Exception {
        String url = ReembedTest.freshDatabase("omp_test_search_cache_v3");
        String u = "cache-v3-" + UUID.randomUUID();
        ProviderConfig config = new ProviderConfig("postgres", url, Map.of(), Map.of(), () -> EMBEDDER);
        try (PostgresProvider p = (PostgresProvider) new PostgresProviderFactory().create(config)) {
            Memory.of(p).add(MemoryInput.builder(u, "Saw a zebra at the zoo").build());
        }
        // Back to version 3 as it was: no per-id versions, a list of changed ids kept.
        try (Connection c = DriverManager.getConnection(PostgresSettings.parse(url).jdbc(), "postgres", null);
             Statement st = c.createStatement()) {
            st.execute("ALTER TABLE omp_user_versions DROP COLUMN changed_at");
            st.execute("UPDATE omp_meta SET value = '3' WHERE key = 'schema_version'");
        }
        try (PostgresProvider p = (PostgresProvider) new PostgresProviderFactory().create(config);
             Connection c = DriverManager.getConnection(PostgresSettings.parse(url).jdbc(), "postgres", null);
             Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT changed FROM omp_user_versions WHERE user_id = '" + u + "'")) {
                rs.next();
                assertNull(rs.getArray(1), "a list without versions is dropped");
            }
            Memory m = Memory.of(p);
            assertEquals(1, contents(m, u, "zebra").size());
            m.add(MemoryInput.builder(u, "Zebra stripes wallpaper").build());
            assertEquals(2, contents(m, u, "zebra").size());
            try (ResultSet rs = st.executeQuery("SELECT cardinality(changed), cardinality(changed_at)"
                    + " FROM omp_user_versions WHERE user_id = '" + u + "'")) {
                rs.next();
                assertEquals(1, rs.getInt(1));
                assertEquals(1, rs.getInt(2));
            }
        }
    }

    @Test
    void aUserWithTooManyRowsIsSearchedBySql() {
        try (PostgresProvider cachedP = provider("hnsw", 64); PostgresProvider sqlP = provider("hnsw", 0)) {
            Memory cached = Memory.of(cachedP);
            String u = "cache-large-" + UUID.randomUUID();
            List<MemoryInput> rows = new ArrayList<>();
            for (int i = 0; i <= SearchCache.MAX_ROWS; i++) {
                rows.add(MemoryInput.builder(u, "note " + i + " about " + (i % 7 == 0 ? "gardening" : "cooking")).build());
            }
            cached.addAll(rows);
            assertEquals(10, cached.search(SearchQuery.builder(u, "gardening").build()).size());
            assertTrue(cachedP.searchCache().get(u).tooLarge(), "marked, not held");
            SearchQuery q = SearchQuery.builder(u, "gardening note 14").build();
            assertEquals(ids(Memory.of(sqlP).search(q)), ids(cached.search(q)));
        }
    }

    @Test
    void theCacheKeepsItsBudgetAndDropsTheLeastRecentlySearchedFirst() {
        SearchCache.Row row = SearchCache.Row.of(blog.openmem.spi.model.Memory.builder().id("m").userId("u")
                .content("x".repeat(100)).createdAt(Instant.now()).build(), "1", new float[256], new String[] {"x"});
        long each = row.bytes() * 10 + 200;
        SearchCache cache = new SearchCache(each * 4);
        SearchCache.Version v = new SearchCache.Version(1, 0);
        for (String user : List.of("a", "b", "c", "d")) {
            cache.put(user, v, java.util.Collections.nCopies(10, row));
        }
        assertEquals(4, cache.users());
        assertNotNull(cache.get("a")); // a is now the most recently used
        cache.put("e", v, java.util.Collections.nCopies(10, row));
        assertNull(cache.get("b"), "least recently searched left");
        assertNotNull(cache.get("a"));
        assertTrue(cache.bytesUsed() <= each * 4);
        cache.put("huge", v, java.util.Collections.nCopies(20, row));
        assertNull(cache.get("huge"), "a user above a quarter of the budget is not held");
        cache.put("many", v, java.util.Collections.nCopies(SearchCache.MAX_ROWS + 1, row));
        assertTrue(cache.get("many").tooLarge());
        assertFalse(new SearchCache(0).enabled());
    }

    @Test
    void equalScoresRankNewestFirstAndOnlyTheTopLimitIsKept() {
        float[] v = {1, 0, 0, 0};
        List<SearchCache.Row> rows = new ArrayList<>();
        // Oldest first, as a cache holds them; "mem_9" scores higher (its vector is the query's).
        for (int i = 0; i < 9; i++) {
            rows.add(row("mem_" + i, i, new float[] {1, 1, 0, 0}));
        }
        rows.add(row("mem_9", 0, v));
        rows.add(row("mem_a", 5, new float[] {1, 1, 0, 0})); // same time as mem_5: the larger id first
        SearchQuery q = SearchQuery.builder("u", "hiking").limit(4).build();
        List<SearchResult> top = RowRanking.rank(rows, q, null, Instant.now(), v, new String[] {"hike"}, List.of(), 0.6, 0.15);
        assertEquals(List.of("mem_9", "mem_8", "mem_7", "mem_6"), top.stream().map(r -> r.memory().id()).toList());
        top = RowRanking.rank(rows, SearchQuery.builder("u", "hiking").limit(7).build(), null, Instant.now(), v,
                new String[] {"hike"}, List.of(), 0.6, 0.15);
        assertEquals(List.of("mem_9", "mem_8", "mem_7", "mem_6", "mem_a", "mem_5", "mem_4"),
                top.stream().map(r -> r.memory().id()).toList());
        assertTrue(top.get(0).score() > top.get(1).score());
        assertEquals(top.get(1).score(), top.get(6).score());
    }

    private static SearchCache.Row row(String id, int second, float[] vector) {
        blog.openmem.spi.model.Memory m = blog.openmem.spi.model.Memory.builder().id(id).content("went hiking")
                .userId("u").createdAt(Instant.parse("2024-01-01T00:00:00Z").plusSeconds(second))
                .embeddingModel("m").status(blog.openmem.spi.model.MemoryStatus.DONE).build();
        return SearchCache.Row.of(m, "1", vector, new String[] {"hike", "went"});
    }

    @Test
    void stemsMatchAsPrefixesAndDatesAsUtcPeriods() {
        String[] lexemes = {"dog", "hiking", "max", "ridg", "the", "trail"};
        java.util.Arrays.sort(lexemes);
        boolean[] has = terms(lexemes, new String[] {"hike", "hik", "ridg", "ridge", "zzz", "a", "trail"});
        assertEquals(List.of(false, true, true, false, false, false, true), toList(has));
        assertEquals(List.of(false), toList(terms(new String[0], new String[] {"x"})));
        // One- and two-character stems (below and at the prefix signature's shortest prefix).
        assertEquals(List.of(true, true, true, false, true, false), toList(terms(lexemes,
                new String[] {"h", "hi", "tr", "tx", "ma", "maxi"})));
        List<QueryDates.Period> may3 = QueryDates.parse("on May 3, 2023");
        assertTrue(RowRanking.inPeriods(Instant.parse("2023-05-03T00:00:00Z"), may3));
        assertTrue(RowRanking.inPeriods(Instant.parse("2023-05-03T23:59:59Z"), may3));
        assertFalse(RowRanking.inPeriods(Instant.parse("2023-05-04T00:00:00Z"), may3));
        List<QueryDates.Period> june = QueryDates.parse("in June");
        assertTrue(RowRanking.inPeriods(Instant.parse("2019-06-30T12:00:00Z"), june));
        assertFalse(RowRanking.inPeriods(Instant.parse("2019-07-01T00:00:00Z"), june));
    }

    /** Per stem, whether the ranking finds it in {@code lexemes} (sorted), through the prefix signature. */
    private static boolean[] terms(String[] lexemes, String[] stems) {
        long[] bits = RowRanking.prefixBits(lexemes);
        boolean[] has = new boolean[stems.length];
        for (int i = 0; i < stems.length; i++) {
            has[i] = RowRanking.contains(lexemes, bits, stems[i], RowRanking.prefixBit(stems[i]));
        }
        return has;
    }

    private static List<Boolean> toList(boolean[] a) {
        List<Boolean> out = new ArrayList<>();
        for (boolean b : a) {
            out.add(b);
        }
        return out;
    }

    private static List<String> ids(List<SearchResult> r) {
        return r.stream().map(s -> s.memory().id()).toList();
    }

    private static List<String> contents(Memory m, String u, String q) {
        return m.search(SearchQuery.builder(u, q).build()).stream().map(s -> s.memory().content())
                .filter(c -> c.toLowerCase(java.util.Locale.ROOT).contains(q)).toList();
    }
}
