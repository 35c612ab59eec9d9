package blog.openmem.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.core.Memory;
import blog.openmem.core.MemoryBuilder;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.SearchQuery;
import blog.openmem.spi.model.SearchResult;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A query naming a date, month or year ranks the memories of that time higher (postgres
 * {@code date_weight}), on real PostgreSQL in both vector modes (exact mode on a database of its own:
 * a store keeps the mode it was created in), ranked in-process from cached rows and (":sql") by the
 * search statement.
 */
class DateRankingTest {
    static final java.util.Map<String, String> URLS = new java.util.concurrent.ConcurrentHashMap<>();

    static Memory open(String modeAndPath, String dateWeight) {
        String mode = modeAndPath.replace(":sql", "");
        String url = URLS.computeIfAbsent(mode, k -> {
            try {
                return k.equals("hnsw") ? PgTestSupport.url() : ReembedTest.freshDatabase("omp_test_dates_" + k);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        MemoryBuilder b = Memory.builder().config(url).embedder("hash").setting("vector_mode", mode)
                .setting("search_cache_mb", modeAndPath.endsWith(":sql") ? "0" : "64");
        return dateWeight == null ? b.build() : b.setting("date_weight", dateWeight).build();
    }

    static Instant day(String iso) {
        return LocalDate.parse(iso).atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(15 * 3600);
    }

    /** Identical hikes on different days, the newest stored first so that without dates it ranks last. */
    static List<String> hikes(Memory m, String u) {
        List<String> ids = new ArrayList<>();
        for (String d : List.of("2023-05-03", "2023-06-10", "2024-05-03", "2022-11-20")) {
            ids.add(m.add(MemoryInput.builder(u, "Went hiking up the ridge trail with the dog").validFrom(day(d))
                    .build()).id());
        }
        return ids;
    }

    static String top(Memory m, String u, String query) {
        List<SearchResult> r = m.search(SearchQuery.builder(u, query).limit(10).build());
        for (SearchResult s : r) {
            assertTrue(s.score() >= 0 && s.score() <= 1, "score in [0,1]: " + s.score());
        }
        return r.get(0).memory().id();
    }

    @ParameterizedTest
    @ValueSource(strings = {"hnsw", "exact", "hnsw:sql", "exact:sql"})
    void theMemoryOfTheNamedDayMonthOrYearRanksFirst(String mode) {
        try (Memory m = open(mode, null)) {
            String u = "dates-" + UUID.randomUUID();
            List<String> ids = hikes(m, u);
            assertEquals(ids.get(0), top(m, u, "Where did I go hiking on May 3, 2023?"));
            assertEquals(ids.get(0), top(m, u, "hiking on 3 May 2023"));
            assertEquals(ids.get(1), top(m, u, "hiking trip in June"));
            assertEquals(ids.get(2), top(m, u, "hiking in 2024"));
            assertEquals(ids.get(3), top(m, u, "the ridge trail in November 2022"));
            // Without a date the identical memories tie and the newest stored comes first.
            assertEquals(ids.get(3), top(m, u, "hiking on the ridge trail"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hnsw", "exact", "hnsw:sql", "exact:sql"})
    void aMemoryOfTheNamedDayIsFoundEvenWithoutSharedWords(String mode) {
        try (Memory m = open(mode, null)) {
            String u = "dates-" + UUID.randomUUID();
            // More rows sharing the query's word than either ranked side keeps (200 at limit 100).
            List<MemoryInput> fillers = new ArrayList<>();
            for (int i = 0; i < 250; i++) {
                fillers.add(MemoryInput.builder(u, "hiking trip note " + i).validFrom(day("2022-01-01")).build());
            }
            m.addAll(fillers);
            String quiet = m.add(MemoryInput.builder(u, "Lunch at the harbour cafe").validFrom(day("2023-08-14"))
                    .build()).id();
            List<SearchResult> r = m.search(SearchQuery.builder(u, "hiking on August 14, 2023").limit(100).build());
            assertTrue(r.stream().anyMatch(s -> s.memory().id().equals(quiet)),
                    "neither the keyword nor the vector side keeps it; the date side does");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hnsw", "exact", "hnsw:sql", "exact:sql"})
    void memoriesWithoutValidFromAreDatedByWhenTheyWereStored(String mode) {
        try (Memory m = open(mode, null)) {
            String u = "dates-" + UUID.randomUUID();
            String old = m.add(MemoryInput.builder(u, "Bought new running shoes").validFrom(day("2021-03-03")).build()).id();
            String now = m.add(MemoryInput.builder(u, "Bought new running shoes").build()).id();
            m.add(MemoryInput.builder(u, "Bought new running shoes").validFrom(day("2021-04-04")).build());
            String today = LocalDate.now(ZoneOffset.UTC).toString();
            assertEquals(now, top(m, u, "what did I buy on " + today));
            assertEquals(old, top(m, u, "what did I buy in March 2021"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hnsw", "exact", "hnsw:sql", "exact:sql"})
    void dateWeightZeroTurnsItOff(String mode) {
        try (Memory m = open(mode, "0")) {
            String u = "dates-" + UUID.randomUUID();
            List<String> ids = hikes(m, u);
            assertEquals(ids.get(3), top(m, u, "Where did I go hiking on May 3, 2023?"));
        }
    }
}
