package blog.openmem.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.core.context.ContextAssembler;
import blog.openmem.core.context.ContextRenderer;
import blog.openmem.core.context.TokenCounter;
import blog.openmem.spi.error.ConfigurationException;
import blog.openmem.spi.model.ContextBlock;
import blog.openmem.spi.model.Memory;
import blog.openmem.spi.model.SearchResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ContextAssemblerTest {
    static final TokenCounter CL100K = TokenCounter.bpe("cl100k_base");

    static SearchResult hit(String id, String content, double score) {
        return new SearchResult(Memory.builder().id(id).content(content).userId("u").createdAt(Instant.EPOCH).build(),
                score);
    }

    @Test
    void realBpeCountsNotCharactersOverFour() {
        assertEquals(1, CL100K.count("hello"));
        assertEquals(2, CL100K.count("hello world"));
        assertTrue(CL100K.count("<|endoftext|>") > 1, "special-token text is counted as ordinary text");
        assertNotEquals(CL100K.count("😀😀😀😀"), "😀😀😀😀".length() / 4);
        assertEquals("o200k_base", TokenCounter.bpe("o200k_base").encoding());
        assertThrows(ConfigurationException.class, () -> TokenCounter.bpe("nope"));
    }

    @Test
    void rendersD13Lines() {
        ContextBlock b = ContextAssembler.defaults().assemble(List.of(hit("m1", "likes tea", 0.9),
                hit("m2", "two\nlines", 0.5)), 500);
        assertEquals("- likes tea [m1]\n- two lines [m2]", b.text());
        assertEquals(CL100K.count(b.text()), b.tokenCount());
        assertEquals(List.of("m1", "m2"), b.citations().stream().map(c -> c.memoryId()).toList());
        assertEquals(0.9, b.citations().get(0).score());
    }

    @Test
    void skipsWhatDoesNotFitAndTriesLowerRanked() {
        ContextBlock b = ContextAssembler.defaults().assemble(List.of(hit("big", "word ".repeat(200), 0.9),
                hit("small", "likes tea", 0.5)), 20);
        assertEquals("- likes tea [small]", b.text());
        assertEquals(1, b.citations().size());
    }

    @Test
    void nothingFitsGivesTheEmptyBlock() {
        ContextBlock b = ContextAssembler.defaults().assemble(List.of(hit("m1", "likes tea very much", 0.9)), 2);
        assertEquals("", b.text());
        assertEquals(0, b.tokenCount());
        assertTrue(b.citations().isEmpty());
    }

    @Test
    void budgetNeverExceededForRandomContentAndBudgets() {
        Random rnd = new Random(42);
        String[] words = {"tea", "😀", "naïve", "東京", "pnpm", "XK-4471", "\n", "  ", "über", "code", "<|endoftext|>"};
        ContextRenderer withHeader = sel -> "Known facts:\n" + sel.stream()
                .map(r -> "* " + r.memory().content()).collect(Collectors.joining("\n"));
        for (ContextRenderer renderer : List.of(ContextRenderer.lines(), withHeader)) {
            ContextAssembler a = new ContextAssembler(CL100K, renderer);
            for (int trial = 0; trial < 200; trial++) {
                List<SearchResult> hits = new ArrayList<>();
                for (int i = 0; i < 1 + rnd.nextInt(15); i++) {
                    StringBuilder sb = new StringBuilder();
                    for (int w = 0; w < 1 + rnd.nextInt(40); w++) {
                        sb.append(words[rnd.nextInt(words.length)]).append(' ');
                    }
                    hits.add(hit("m" + i, sb.toString().trim().isEmpty() ? "x" : sb.toString(), 1.0 - i * 0.01));
                }
                int budget = 1 + rnd.nextInt(200);
                ContextBlock b = a.assemble(hits, budget);
                assertTrue(b.tokenCount() <= budget, "over budget: " + b.tokenCount() + " > " + budget);
                assertEquals(CL100K.count(b.text()), b.tokenCount());
                int lastPos = -1;
                for (var c : b.citations()) {
                    assertTrue(hits.stream().anyMatch(h -> h.memory().id().equals(c.memoryId())));
                    int idx = hits.indexOf(hits.stream().filter(h -> h.memory().id().equals(c.memoryId()))
                            .findFirst().orElseThrow());
                    assertTrue(idx > lastPos, "citations keep rank order");
                    lastPos = idx;
                }
            }
        }
    }
}
