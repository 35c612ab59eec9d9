package blog.openmem.core.embed;

import blog.openmem.spi.embed.Embedder;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A deterministic, offline embedder for tests and air-gapped use: feature hashing of word
 * unigrams and bigrams (signed, sub-linear term frequency, common English stop words dropped from
 * unigrams), L2-normalised, so lexical overlap gives real cosine similarity. Not semantic:
 * paraphrases without shared words are not found.
 */
public final class HashEmbedder implements Embedder {
    /** Default vector length. */
    public static final int DEFAULT_DIMENSION = 384;

    private static final Set<String> STOP = Set.of("a", "an", "the", "and", "or", "of", "to", "in", "on", "at",
            "for", "is", "are", "was", "were", "be", "been", "it", "its", "this", "that", "with", "as", "by", "from",
            "do", "does", "did", "what", "which", "who", "whom", "how", "when", "where", "why", "i", "you", "he",
            "she", "we", "they", "me", "my", "your", "his", "her", "our", "their", "s", "t");

    private final int dimension;

    /** @param dimension the vector length (8..8192) */
    public HashEmbedder(int dimension) {
        if (dimension < 8 || dimension > 8192) {
            throw new IllegalArgumentException("dimension must be between 8 and 8192");
        }
        this.dimension = dimension;
    }

    @Override
    public String modelName() {
        return "omp-hash-v1-" + dimension;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (String t : texts) {
            out.add(embedOne(t));
        }
        return out;
    }

    private float[] embedOne(String text) {
        List<String> words = words(text);
        Map<String, Integer> tf = new HashMap<>();
        String prev = null;
        for (String w : words) {
            if (!STOP.contains(w)) {
                tf.merge("u:" + w, 1, Integer::sum);
            }
            if (prev != null) {
                tf.merge("b:" + prev + " " + w, 1, Integer::sum);
            }
            prev = w;
        }
        float[] v = new float[dimension];
        for (Map.Entry<String, Integer> e : tf.entrySet()) {
            long h = hash(e.getKey());
            int idx = (int) Long.remainderUnsigned(h, dimension);
            float sign = ((h >>> 63) == 0) ? 1f : -1f;
            float weight = (float) (1.0 + Math.log(e.getValue())) * (e.getKey().startsWith("b:") ? 0.5f : 1f);
            v[idx] += sign * weight;
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        if (norm > 0) {
            float inv = (float) (1.0 / Math.sqrt(norm));
            for (int i = 0; i < v.length; i++) {
                v[i] *= inv;
            }
        }
        return v;
    }

    /** Combining marks left by NFKD (accents); compiled once, this runs for every text embedded. */
    private static final java.util.regex.Pattern MARKS = java.util.regex.Pattern.compile("\\p{M}+");

    /**
     * @param text any text
     * @return its lower-cased, accent-folded words (letters and digits)
     */
    static List<String> words(String text) {
        String n = MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFKD)).replaceAll("")
                .toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        n.codePoints().forEach(cp -> {
            if (Character.isLetterOrDigit(cp)) {
                cur.appendCodePoint(cp);
            } else if (cur.length() > 0) {
                out.add(cur.toString());
                cur.setLength(0);
            }
        });
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }

    /** 64-bit FNV-1a followed by a murmur3 finaliser: stable across JVMs and platforms. */
    static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
