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
}
