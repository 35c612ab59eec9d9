package blog.openmem.core.migrate;

import blog.openmem.spi.error.ConfigurationException;
import blog.openmem.spi.json.OmpJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The users a migration has finished, one JSON string per line after a header naming the source and
 * the target; each line is forced to disk before the next user starts, so a run killed at any point
 * resumes after the last finished user (the user in progress is completed by its origins on the
 * target). A checkpoint of another source or target is refused rather than silently reused.
 */
final class Checkpoint implements AutoCloseable {
    private static final String HEADER = "# omp migration checkpoint: ";
    private final Set<String> done = new HashSet<>();
    private final FileChannel out;

    private Checkpoint(FileChannel out) {
        this.out = out;
    }

    /** A checkpoint that records nothing (no file given). */
    static Checkpoint none() {
        return new Checkpoint(null);
    }

    /**
     * @param file  the file, created when absent
     * @param route {@code source -> target}, checked against the file's header
     * @return the checkpoint holding the users finished earlier
     */
    static Checkpoint open(Path file, String route) {
        try {
            Checkpoint c;
            if (Files.exists(file) && Files.size(file) > 0) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (!lines.get(0).equals(HEADER + route)) {
                    throw new ConfigurationException("checkpoint: " + file + " belongs to another migration ("
                            + lines.get(0).replace(HEADER, "") + "), not " + route);
                }
                c = new Checkpoint(FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
                for (String line : lines.subList(1, lines.size())) {
                    if (line.startsWith("\"")) { // a line cut by a kill is not a finished user
                        try {
                            c.done.add(OmpJson.read(line, String.class));
                        } catch (RuntimeException cut) {
                            // ignored: the user is done again, without duplicates
                        }
                    }
                }
            } else {
                c = new Checkpoint(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING));
                c.append(HEADER + route);
            }
            return c;
        } catch (IOException e) {
            throw new ConfigurationException("checkpoint: cannot use " + file + ": " + e.getMessage());
        }
    }

    /** @return true when an earlier run finished this user */
    synchronized boolean done(String user) {
        return done.contains(user);
    }

    /** Records a finished user, durably. */
    synchronized void finished(String user) {
        done.add(user);
        if (out != null) {
            append(OmpJson.write(user));
        }
    }

    private void append(String line) {
        try {
            ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                out.write(b);
            }
            out.force(false);
        } catch (IOException e) {
            throw new ConfigurationException("checkpoint: cannot write: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // nothing left to write
            }
        }
    }
}
