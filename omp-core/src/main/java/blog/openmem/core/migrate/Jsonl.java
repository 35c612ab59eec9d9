package blog.openmem.core.migrate;

import blog.openmem.spi.error.InvalidRequestException;
import blog.openmem.spi.error.OmpException;
import blog.openmem.spi.json.OmpJson;
import blog.openmem.spi.model.Memory;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.Validation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The export format: JSON Lines, one OMP {@code Memory} per line in its wire form (every field, the
 * {@code x-} fields, ids and timestamps). An import reads the whole file before writing anything, so
 * a malformed line fails the import, naming the line, with nothing written.
 */
final class Jsonl {
    private Jsonl() {
    }

    /** @return one line of the export */
    static String line(Memory m) {
        return OmpJson.write(m);
    }

    /**
     * @param in   the export
     * @param name the name recorded as the origin's provider
     * @return a source over its memories, grouped by user in the order users first appear
     * @throws InvalidRequestException naming the first malformed line
     */
    static Source read(Reader in, String name) {
        Map<String, List<Memory>> byUser = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(in)) {
            int n = 0;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                Memory m = parse(line, n);
                byUser.computeIfAbsent(m.userId(), k -> new ArrayList<>()).add(m);
            }
        } catch (IOException e) {
            throw new InvalidRequestException("in: cannot read the export: " + e.getMessage());
        }
        return new Source() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Stream<String> users() {
                return byUser.keySet().stream();
            }

            @Override
            public List<Memory> memories(String userId) {
                return byUser.getOrDefault(userId, List.of());
            }
        };
    }

    private static Memory parse(String line, int n) {
        Memory m;
        try {
            m = OmpJson.read(line, Memory.class);
        } catch (OmpException e) {
            throw new InvalidRequestException("line " + n + ": " + e.getMessage());
        }
        String missing = blank(m.id()) ? "id" : blank(m.userId()) ? "user_id" : blank(m.content()) ? "content"
                : m.createdAt() == null ? "created_at" : null;
        if (missing != null) {
            throw new InvalidRequestException("line " + n + ": " + missing + " is required");
        }
        try {
            // The fields an add checks (confidence range, source type, ...); the content's length is the
            // target's to judge.
            Validation.input(MemoryInput.builder(m.userId(), m.content()).scope(m.scope()).tags(m.tags())
                    .source(m.source()).confidence(m.confidence()).validFrom(m.validFrom()).validTo(m.validTo())
                    .supersedes(m.supersedes()).build(), Integer.MAX_VALUE);
        } catch (OmpException e) {
            throw new InvalidRequestException("line " + n + ": " + e.getMessage());
        }
        return m;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
