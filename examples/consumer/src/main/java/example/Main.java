package example;

import blog.openmem.core.Memory;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.SearchResult;
import java.util.List;
import java.util.UUID;

/** Adds a memory, finds it, deletes it. Argument: a config string (default: embedded PostgreSQL). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        String config = args.length > 0 ? args[0] : "postgres";
        try (Memory memory = Memory.create(config)) {
            String user = "example-" + UUID.randomUUID();
            var added = memory.add(MemoryInput.builder(user, "Prefers pnpm over npm").tags("tooling").build());
            List<SearchResult> hits = memory.search(user, "pnpm");
            System.out.println("added " + added.id() + "; found: " + hits.get(0).memory().content());
            memory.delete(added.id(), user);
        }
    }
}
