package blog.openmem.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.core.Memory;
import blog.openmem.sim.Mem0PlatformSim;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar's export, import and migrate commands: exit statuses, messages, and what they write. */
class MoveCommandTest {
    /** Exit status, standard output, standard error. */
    record Run(int status, String out, String err) {
    }

    static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = MoveCommand.run(args[0], List.of(args).subList(1, args.length).toArray(String[]::new), env,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void exportToAFileThenImportItElsewhere(@TempDir Path dir) throws Exception {
        String from = MigrationSupport.freshDatabase("omp_cli_src");
        String to = MigrationSupport.freshDatabase("omp_cli_dst");
        int n;
        try (Memory src = MigrationSupport.postgres(from)) {
            n = MigrationSupport.seed(src, "cli", 2, 5).size();
        }
        Path file = dir.resolve("all.jsonl");
        Run export = run(Map.of(), "export", "--from", from, "--from-setting", "embedder=hash", "--out",
                file.toString());
        assertEquals(0, export.status(), export.err());
        assertEquals(n, Files.readAllLines(file).size());
        Run imported = run(Map.of(), "import", "--to", to, "--to-setting", "embedder=hash", "--in", file.toString(),
                "--origin", "nightly");
        assertEquals(0, imported.status(), imported.err());
        assertTrue(imported.err().contains(n + " written"), imported.err());
        Run dry = run(Map.of(), "migrate", "--from", from, "--to", to, "--from-setting", "embedder=hash",
                "--to-setting", "embedder=hash", "--dry-run");
        assertEquals(0, dry.status(), dry.err());
        assertTrue(dry.err().contains("dry run: 3 users") && dry.err().contains(n + " to write"), dry.err());
    }

    @Test
    void aMalformedImportNamesTheLineAndWritesNothing(@TempDir Path dir) throws Exception {
        String to = MigrationSupport.freshDatabase("omp_cli_bad");
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, "{\"id\":\"a\",\"content\":\"c\",\"user_id\":\"u\",\"created_at\":\"2026-01-01T00:00:00Z\"}\n"
                + "{\"id\":\"b\",\"content\":\"c\",\"user_id\":\"u\",\"created_at\":\"yesterday\"}\n");
        Run r = run(Map.of(), "import", "--to", to, "--to-setting", "embedder=hash", "--in", file.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("line 2: ") && r.err().contains("created_at") && r.err().contains("nothing was "
                + "written"), r.err());
        try (Memory m = MigrationSupport.postgres(to)) {
            assertEquals(0, m.users().count());
        }
    }

    @Test
    void badSidesFailBeforeAnythingIsRead() {
        Run unknown = run(Map.of(), "migrate", "--from", "nosuchvendor", "--to", "postgres://x@127.0.0.1:1/none");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().contains("nosuchvendor"), unknown.err());
        Run noKey = run(Map.of(), "export", "--from", "mem0");
        assertEquals(2, noKey.status());
        assertTrue(noKey.err().contains("MEM0_API_KEY"), noKey.err());
        Run usage = run(Map.of(), "migrate", "--from", "mem0", "--to");
        assertEquals(2, usage.status());
        assertTrue(usage.err().contains("--to needs a value"), usage.err());
    }

    @Test
    void aSourceThatCannotListItsUsersAsksForThem() {
        try (Mem0PlatformSim sim = (Mem0PlatformSim) new Mem0PlatformSim().start()) {
            Run r = run(Map.of("MEM0_API_KEY", Mem0PlatformSim.API_KEY), "export", "--from", "mem0", "--from-setting",
                    "base_url=" + sim.url());
            assertEquals(2, r.status());
            assertTrue(r.err().contains("cannot list its users") && r.err().contains("--user"), r.err());
            Run named = run(Map.of("MEM0_API_KEY", Mem0PlatformSim.API_KEY), "export", "--from", "mem0",
                    "--from-setting", "base_url=" + sim.url(), "--user", "nobody");
            assertEquals(0, named.status(), named.err());
            assertEquals("", named.out(), "no memories, no lines");
            sim.assertClean();
        }
    }
}
