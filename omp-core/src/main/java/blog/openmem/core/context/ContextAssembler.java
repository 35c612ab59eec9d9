package blog.openmem.core.context;

import blog.openmem.spi.model.Citation;
import blog.openmem.spi.model.ContextBlock;
import blog.openmem.spi.model.SearchResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds context blocks from a ranking (CONTRACT §6): candidates in rank order, each kept only if
 * the whole rendered text still fits the budget; a candidate that does not fit is skipped and
 * lower-ranked ones are still tried. {@code token_count} is the exact count of the final text,
 * never above the budget.
 */
public final class ContextAssembler {
    private final TokenCounter tokens;
    private final ContextRenderer renderer;

    /**
     * @param tokens   the token counter
     * @param renderer the layout
     */
    public ContextAssembler(TokenCounter tokens, ContextRenderer renderer) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.renderer = Objects.requireNonNull(renderer, "renderer");
    }

    /** @return an assembler with {@code cl100k_base} and the D-13 layout */
    public static ContextAssembler defaults() {
        return new ContextAssembler(TokenCounter.bpe("cl100k_base"), ContextRenderer.lines());
    }

    /** @return the token counter */
    public TokenCounter tokens() {
        return tokens;
    }

    /**
     * @param ranked candidates, best first
     * @param budget the token budget (at least 1)
     * @return the block
     */
    public ContextBlock assemble(List<SearchResult> ranked, int budget) {
        List<SearchResult> chosen = new ArrayList<>();
        String text = "";
        int count = 0;
        for (SearchResult candidate : ranked) {
            chosen.add(candidate);
            String tentative = renderer.render(chosen);
            int n = tokens.count(tentative);
            if (n <= budget) {
                text = tentative;
                count = n;
            } else {
                chosen.remove(chosen.size() - 1);
            }
        }
        if (chosen.isEmpty()) {
            return ContextBlock.empty();
        }
        List<Citation> citations = chosen.stream().map(r -> new Citation(r.memory().id(), r.score())).toList();
        return new ContextBlock(text, citations, count);
    }
}
