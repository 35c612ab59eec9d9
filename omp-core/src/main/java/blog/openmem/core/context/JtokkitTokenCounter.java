package blog.openmem.core.context;

import blog.openmem.spi.error.ConfigurationException;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import java.util.Locale;

/** BPE token counting with jtokkit; special-token text is counted as ordinary text. */
final class JtokkitTokenCounter implements TokenCounter {
    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

    private final Encoding encoding;
    private final String name;

    private JtokkitTokenCounter(Encoding encoding, String name) {
        this.encoding = encoding;
        this.name = name;
    }

    static JtokkitTokenCounter of(String name) {
        String n = name == null ? "cl100k_base" : name.trim().toLowerCase(Locale.ROOT);
        Encoding e = REGISTRY.getEncoding(n).orElseThrow(() -> new ConfigurationException(
                "unknown tokenizer encoding '" + n + "'; use cl100k_base, o200k_base, p50k_base, p50k_edit or r50k_base"));
        return new JtokkitTokenCounter(e, n);
    }

    @Override
    public int count(String text) {
        // Ordinary counting: user text such as "<|endoftext|>" must be counted, never rejected.
        return text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
    }

    @Override
    public String encoding() {
        return name;
    }
}
