package blog.openmem.bench;

import blog.openmem.core.Memory;
import blog.openmem.core.MemoryBuilder;
import blog.openmem.minilm.MiniLmEmbedder;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.SearchQuery;
import blog.openmem.spi.model.SearchResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.filter.MetadataFilterBuilder;
import dev.langchain4j.store.embedding.pgvector.PgVectorEmbeddingStore;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The LoCoMo retrieval benchmark of {@code ../shared/eval/README.md}, through the public SDK: one
 * memory per dialogue turn ({@code user_id} = the conversation, content {@code "<speaker>: <text>"},
 * {@code valid_from} = the session date, the turn id in {@code x-dia_id}); every category 1-4
 * question is a search; a hit at k when any evidence turn is in the top k. Configurations: hash
 * (hybrid), MiniLM vector-only, MiniLM hybrid (the default), each on PostgreSQL with pgvector and on
 * the embedded PostgreSQL in exact mode; and LangChain4j's PgVectorEmbeddingStore with the same
 * MiniLM model as the peer, same data, same questions, same run.
 *
 * <p>Usage: {@code LocomoBench <locomo10.json> <postgres-url>}.
 */
public final class LocomoBench {
    private static final Pattern DIA = Pattern.compile("D:?(\\d+):(\\d+)");
    private static final DateTimeFormatter SESSION_DATE = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("h:mm a 'on' d MMMM, yyyy").toFormatter(Locale.ENGLISH);
    private static final int K = 10;

    /** One dialogue turn. */
    record Turn(String conv, String dia, String content, Instant at) {
    }

    /** One question with its evidence turns. */
    record Question(String conv, String text, int category, Set<String> evidence) {
    }

    /** Ranks and timings of one configuration. */
    static final class Result {
        final String name;
        final Map<Integer, List<Integer>> ranks = new TreeMap<>(); // category → rank (0 = miss)
        final Stats search = new Stats();
        double ingestPerSecond;

        Result(String name) {
            this.name = name;
        }

        void add(Question q, int rank, long nanos) {
            ranks.computeIfAbsent(q.category(), c -> new ArrayList<>()).add(rank);
            search.add(nanos);
        }

        List<Integer> all() {
            List<Integer> out = new ArrayList<>();
            ranks.values().forEach(out::addAll);
            return out;
        }

        static double recall(List<Integer> r, int k) {
            return r.stream().filter(x -> x > 0 && x <= k).count() / (double) r.size();
        }

        static double mrr(List<Integer> r) {
            return r.stream().mapToDouble(x -> x > 0 ? 1.0 / x : 0).sum() / r.size();
        }
    }

    private LocomoBench() {
    }

    /**
     * @param args the LoCoMo file and a PostgreSQL URL (a database the benchmark may fill)
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "../shared/eval/locomo10.json");
        String pgUrl = args.length > 1 ? args[1] : "postgres://postgres@127.0.0.1:5432/omp_locomo";
        List<Turn> turns = new ArrayList<>();
        List<Question> questions = new ArrayList<>();
        load(file, turns, questions);
        System.out.printf(Locale.ROOT, "LoCoMo: %d turns, %d questions of categories 1-4, %d conversations%n",
                turns.size(), questions.size(), turns.stream().map(Turn::conv).distinct().count());

        double embedRate = embeddingThroughput(turns);
        System.out.printf(Locale.ROOT, "MiniLM embedding throughput (batches of 64 turns, 2 000 texts): %.0f texts/s%n",
                embedRate);

        // Tuning knobs (defaults run everything from scratch): -Dlocomo.only=minilm,pgvector keeps
        // the configurations whose name has all those words; -Dlocomo.reuse=true searches the stores
        // a previous run left; -Dlocomo.weights=0.5,0.6 sets the hybrid vector weights to compare.
        List<String> only = List.of(System.getProperty("locomo.only", "").split(",")).stream()
                .filter(x -> !x.isBlank()).toList();
        boolean reuse = Boolean.getBoolean("locomo.reuse");
        // NaN: the adapter's own default weight (no setting given)
        List<Double> hybridWeights = List.of(System.getProperty("locomo.weights", "NaN").split(",")).stream()
                .map(Double::parseDouble).toList();
        List<Result> results = new ArrayList<>();
        Path embeddedDir = reuse ? Path.of("omp-bench/target/locomo-embedded")
                : Files.createTempDirectory("omp-locomo-pg");
        for (String mode : List.of("pgvector", "embedded-exact")) {
            for (String embedder : List.of("hash", "minilm")) {
                if (!only.stream().allMatch(w -> (embedder + " " + mode).contains(w))) {
                    continue;
                }
                String db = "omp_locomo_" + embedder;
                // One store per mode and embedder: a database of the local server, or an embedded one.
                String url = !mode.equals("pgvector") ? null
                        : reuse ? replaceDb(pgUrl, db) : freshDatabase(pgUrl, db);
                Path dir = embeddedDir.resolve(embedder);
                double rate = Double.NaN;
                try (Memory m = store(embedder, url, dir).build()) {
                    if (!reuse || m.list(blog.openmem.spi.model.ListQuery.builder(turns.get(0).conv()).limit(1)
                            .build()).items().isEmpty()) {
                        rate = ingest(m, turns);
                    }
                }
                List<Double> weights = new ArrayList<>();
                if (embedder.equals("minilm")) {
                    weights.add(1.0);
                }
                weights.addAll(hybridWeights);
                for (double w : weights) {
                    MemoryBuilder sb = store(embedder, url, dir);
                    if (!Double.isNaN(w)) {
                        sb.setting("vector_weight", String.valueOf(w));
                    }
                    if (w == 1.0) {
                        sb.setting("date_weight", "0"); // vector-only means the cosine alone
                    }
                    String name = embedder + (w == 1.0 ? " vector-only" : " hybrid") + (hybridWeights.size() > 1
                            && w != 1.0 ? " w=" + w : "") + " (" + mode + ")";
                    try (Memory m = sb.build()) {
                        Result r = new Result(name);
                        r.ingestPerSecond = rate;
                        List<Double> relevant = new ArrayList<>();
                        List<Double> other = new ArrayList<>();
                        for (Question q : questions) {
                            long t0 = System.nanoTime();
                            List<SearchResult> hits = m.search(SearchQuery.builder(q.conv(), q.text()).limit(K).build());
                            long took = System.nanoTime() - t0;
                            r.add(q, rank(hits.stream().map(h -> String.valueOf(h.memory().extensions().get("x-dia_id")))
                                    .toList(), q.evidence()), took);
                            for (SearchResult h : hits) {
                                (q.evidence().contains(String.valueOf(h.memory().extensions().get("x-dia_id")))
                                        ? relevant : other).add(h.score());
                            }
                        }
                        results.add(r);
                        System.out.println("done: " + name);
                        scores(name, relevant, other);
                    }
                }
            }
        }
        if (only.isEmpty()) {
            results.add(langchain4j(pgUrl, turns, questions));
        }
        report(results);
        if (!reuse) {
            deleteTree(embeddedDir.toFile());
        }
    }

    /**
     * The scores of the top-10 hits that are evidence of their question and of those that are not,
     * and what a {@code min_score} would keep of each: the figures behind a recommended threshold.
     */
    static void scores(String name, List<Double> relevant, List<Double> other) {
        java.util.function.BiFunction<List<Double>, Double, Double> pct = (l, p) -> {
            List<Double> sorted = l.stream().sorted().toList();
            return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1, p * sorted.size()));
        };
        System.out.printf(Locale.ROOT, "scores, %s: evidence hits (n=%d) p10 %.3f p25 %.3f p50 %.3f p75 %.3f p90 %.3f"
                + " | other hits (n=%d) p10 %.3f p25 %.3f p50 %.3f p75 %.3f p90 %.3f%n", name, relevant.size(),
                pct.apply(relevant, 0.1), pct.apply(relevant, 0.25), pct.apply(relevant, 0.5), pct.apply(relevant, 0.75),
                pct.apply(relevant, 0.9), other.size(), pct.apply(other, 0.1), pct.apply(other, 0.25),
                pct.apply(other, 0.5), pct.apply(other, 0.75), pct.apply(other, 0.9));
        StringBuilder line = new StringBuilder("  min_score kept (evidence / other):");
        for (double t : new double[] {0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7}) {
            line.append(String.format(Locale.ROOT, " %.2f: %.0f%% / %.0f%%;", t,
                    100.0 * relevant.stream().filter(x -> x >= t).count() / Math.max(1, relevant.size()),
                    100.0 * other.stream().filter(x -> x >= t).count() / Math.max(1, other.size())));
        }
        System.out.println(line);
    }

    /** A client of the store: the database at {@code url}, or (url null) the embedded one in exact mode. */
    static MemoryBuilder store(String embedder, String url, Path embeddedDir) {
        MemoryBuilder b = Memory.builder().embedder(embedder);
        return url != null ? b.config(url)
                : b.config("postgres").setting("data_dir", embeddedDir.toString()).setting("vector_mode", "exact");
    }

    // ------------------------------------------------------------------ data

    static void load(Path file, List<Turn> turns, List<Question> questions) throws Exception {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        for (JsonNode sample : root) {
            String conv = sample.get("sample_id").asText();
            JsonNode c = sample.get("conversation");
            for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!key.matches("session_\\d+")) {
                    continue;
                }
                Instant at = LocalDateTime.parse(c.get(key + "_date_time").asText().trim(), SESSION_DATE)
                        .toInstant(ZoneOffset.UTC);
                for (JsonNode t : c.get(key)) {
                    turns.add(new Turn(conv, t.get("dia_id").asText(), t.get("speaker").asText() + ": "
                            + t.get("text").asText(), at));
                }
            }
            for (JsonNode q : sample.get("qa")) {
                int cat = q.get("category").asInt();
                if (cat < 1 || cat > 4) {
                    continue;
                }
                Set<String> ev = new LinkedHashSet<>();
                for (JsonNode e : q.path("evidence")) {
                    Matcher m = DIA.matcher(e.asText());
                    while (m.find()) {
                        ev.add("D" + m.group(1) + ":" + m.group(2));
                    }
                }
                if (!ev.isEmpty()) {
                    questions.add(new Question(conv, q.get("question").asText(), cat, ev));
                }
            }
        }
    }

    static int rank(List<String> ids, Set<String> evidence) {
        for (int i = 0; i < ids.size(); i++) {
            if (evidence.contains(ids.get(i))) {
                return i + 1;
            }
        }
        return 0;
    }

    // ------------------------------------------------------------------ ours

    static double ingest(Memory m, List<Turn> turns) {
        long t0 = System.nanoTime();
        List<MemoryInput> batch = new ArrayList<>();
        for (Turn t : turns) {
            batch.add(MemoryInput.builder(t.conv(), t.content()).validFrom(t.at()).extension("x-dia_id", t.dia())
                    .build());
            if (batch.size() == 64) {
                m.addAll(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            m.addAll(batch);
        }
        return turns.size() / ((System.nanoTime() - t0) / 1e9);
    }

    static double embeddingThroughput(List<Turn> turns) {
        MiniLmEmbedder e = new MiniLmEmbedder();
        e.embed(turns.subList(0, 64).stream().map(Turn::content).toList()); // loads the model
        List<String> texts = turns.subList(100, 2100).stream().map(Turn::content).toList();
        long t0 = System.nanoTime();
        for (int i = 0; i < texts.size(); i += 64) {
            e.embed(texts.subList(i, Math.min(texts.size(), i + 64)));
        }
        return texts.size() / ((System.nanoTime() - t0) / 1e9);
    }

    // ------------------------------------------------------------------ peer

    static Result langchain4j(String pgUrl, List<Turn> turns, List<Question> questions) throws Exception {
        String url = freshDatabase(pgUrl, "omp_locomo_lc4j");
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(blog.openmem.postgres.PostgresDiagnostics.jdbcUrl(url));
        hc.setUsername("postgres");
        hc.setMaximumPoolSize(4);
        try (HikariDataSource ds = new HikariDataSource(hc)) {
            PgVectorEmbeddingStore store = PgVectorEmbeddingStore.datasourceBuilder().datasource(ds).table("locomo")
                    .dimension(384).createTable(true).dropTableFirst(true).useIndex(false).build();
            EmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();
            Result r = new Result("LangChain4j PgVectorEmbeddingStore + MiniLM (pgvector)");
            long t0 = System.nanoTime();
            for (int i = 0; i < turns.size(); i += 64) {
                List<Turn> part = turns.subList(i, Math.min(turns.size(), i + 64));
                List<TextSegment> segs = part.stream().map(t -> TextSegment.from(t.content(),
                        Metadata.from(Map.of("user_id", t.conv(), "dia_id", t.dia())))).toList();
                List<Embedding> embs = model.embedAll(segs).content();
                store.addAll(embs, segs);
            }
            r.ingestPerSecond = turns.size() / ((System.nanoTime() - t0) / 1e9);
            for (Question q : questions) {
                long s0 = System.nanoTime();
                Embedding qe = model.embed(q.text()).content();
                List<EmbeddingMatch<TextSegment>> hits = store.search(EmbeddingSearchRequest.builder().queryEmbedding(qe)
                        .maxResults(K).filter(MetadataFilterBuilder.metadataKey("user_id").isEqualTo(q.conv())).build())
                        .matches();
                long took = System.nanoTime() - s0;
                r.add(q, rank(hits.stream().map(h -> h.embedded().metadata().getString("dia_id")).toList(),
                        q.evidence()), took);
            }
            System.out.println("done: " + r.name);
            return r;
        }
    }

    // ------------------------------------------------------------------ output

    static void report(List<Result> results) {
        System.out.println();
        System.out.println("| configuration | R@1 | R@5 | R@10 | MRR | R@10 cat 1 | R@10 cat 2 | R@10 cat 3 | R@10 cat 4 "
                + "| ingest (memories/s) | search p50 | search p99 |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Result r : results) {
            List<Integer> all = r.all();
            Function<Integer, String> cat = c -> String.format(Locale.ROOT, "%.3f",
                    Result.recall(r.ranks.getOrDefault(c, List.of(0)), 10));
            System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.3f | %s | %s | %s | %s | %.0f | %.1f ms "
                            + "| %.1f ms |%n", r.name, Result.recall(all, 1), Result.recall(all, 5),
                    Result.recall(all, 10), Result.mrr(all), cat.apply(1), cat.apply(2), cat.apply(3), cat.apply(4),
                    r.ingestPerSecond, r.search.p50(), r.search.p99());
        }
        System.out.println();
        System.out.println("Per category (R@1 / R@5 / R@10 / MRR):");
        for (Result r : results) {
            StringBuilder sb = new StringBuilder("  " + r.name + ":");
            Map<Integer, List<Integer>> byCat = new LinkedHashMap<>(r.ranks);
            byCat.forEach((c, ranks) -> sb.append(String.format(Locale.ROOT, " cat %d (n=%d) %.3f/%.3f/%.3f/%.3f;", c,
                    ranks.size(), Result.recall(ranks, 1), Result.recall(ranks, 5), Result.recall(ranks, 10),
                    Result.mrr(ranks))));
            System.out.println(sb);
        }
    }

    // ------------------------------------------------------------------ helpers

    static String freshDatabase(String pgUrl, String db) throws Exception {
        String admin = blog.openmem.postgres.PostgresDiagnostics.jdbcUrl(replaceDb(pgUrl, "postgres"));
        try (Connection c = DriverManager.getConnection(admin, "postgres", null); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + db);
        }
        return replaceDb(pgUrl, db);
    }

    static String replaceDb(String pgUrl, String db) {
        return pgUrl.substring(0, pgUrl.lastIndexOf('/') + 1) + db;
    }

    static void deleteTree(File f) {
        File[] kids = f.listFiles();
        if (kids != null) {
            for (File k : kids) {
                deleteTree(k);
            }
        }
        f.delete();
    }
}
