package blog.openmem.core.context;

/** Counts tokens the way the model that will read the context does. */
public interface TokenCounter {

    /**
     * @param text any text
     * @return its exact token count
     */
    int count(String text);

    /** @return the encoding name, e.g. {@code cl100k_base} */
    String encoding();

    /**
     * @param encoding a jtokkit encoding name: {@code cl100k_base} (default), {@code o200k_base},
     *                 {@code p50k_base}, {@code p50k_edit}, {@code r50k_base}
     * @return a real BPE counter
     */
    static TokenCounter bpe(String encoding) {
        return JtokkitTokenCounter.of(encoding);
    }
}
