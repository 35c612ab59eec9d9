package blog.openmem.bench;

import java.util.Random;

/** Deterministic synthetic memories: short sentences over a fixed vocabulary of pseudo-words. */
final class Corpus {
    static final String[] WORDS = vocabulary(3000);

    private Corpus() {
    }

    private static String[] vocabulary(int size) {
        String[] syll = {"ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "pe", "shu", "dra", "ken", "mor", "lin", "qua",
            "ber", "tos", "fal", "gri", "hem"};
        Random r = new Random(42);
        String[] out = new String[size];
        for (int i = 0; i < size; i++) {
            StringBuilder sb = new StringBuilder();
            int parts = 2 + r.nextInt(2);
            for (int p = 0; p < parts; p++) {
                sb.append(syll[r.nextInt(syll.length)]);
            }
            out[i] = sb.append(i % 97).toString();
        }
        return out;
    }

    /** The i-th memory of a user: 8 to 16 words, the same on every run. */
    static String memory(String user, int i) {
        Random r = new Random(user.hashCode() * 1_000_003L + i);
        int len = 8 + r.nextInt(9);
        StringBuilder sb = new StringBuilder("note ").append(i).append(':');
        for (int w = 0; w < len; w++) {
            sb.append(' ').append(WORDS[zipf(r)]);
        }
        return sb.toString();
    }

    /** A query of 2 to 4 words, drawn like the memories (so some match). */
    static String query(Random r) {
        int len = 2 + r.nextInt(3);
        StringBuilder sb = new StringBuilder();
        for (int w = 0; w < len; w++) {
            sb.append(w == 0 ? "" : " ").append(WORDS[zipf(r)]);
        }
        return sb.toString();
    }

    /** Skewed word choice: frequent words are frequent, as in real text. */
    private static int zipf(Random r) {
        double u = r.nextDouble();
        return (int) Math.min(WORDS.length - 1, Math.floor(Math.pow(WORDS.length, u)) - 1 + r.nextInt(2));
    }

    /**
     * A user's memories and the queries a benchmark asks of them.
     *
     * @param user    the user
     * @param ids     the ids of the memories added
     * @param queries queries drawn from the corpus
     */
    record Seeded(String user, java.util.List<String> ids, String[] queries) {
    }

    /**
     * @param adapter the client that adds
     * @param user    the user to add for
     * @param count   memories to add
     * @return what was added, and 50 queries (seeded random, the same in every run)
     */
    static Seeded seed(blog.openmem.core.Memory adapter, String user, int count) {
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(adapter.add(blog.openmem.spi.model.MemoryInput.builder(user, memory(user, i)).build()).id());
        }
        Random r = new Random(7);
        String[] queries = new String[50];
        for (int i = 0; i < queries.length; i++) {
            queries[i] = query(r);
        }
        return new Seeded(user, ids, queries);
    }
}
