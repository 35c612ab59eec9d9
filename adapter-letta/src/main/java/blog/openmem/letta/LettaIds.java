package blog.openmem.letta;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The adapter's memory ids, {@code mem_<micros>_<12 hex>}: the microsecond the memory's passages
 * were created at (the adapter sends it as their {@code created_at}), and a random part. A read by
 * id asks Letta for the passages of that one microsecond carrying the id's tag, which stays exact
 * where Letta applies its result limit before its tag filter.
 */
final class LettaIds {
    private static final AtomicLong LAST = new AtomicLong();
    private static final HexFormat HEX = HexFormat.of();

    private LettaIds() {
    }

    /** @return a new id, its time after every id this process made before */
    static String next() {
        Instant now = Instant.now();
        long micros = LAST.accumulateAndGet(now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000,
                (last, t) -> Math.max(last + 1, t));
        // The low 12 of 16 hex digits: String.format would parse its pattern on every add.
        return "mem_" + micros + "_" + HEX.toHexDigits(ThreadLocalRandom.current().nextLong()).substring(4);
    }

    /** @return the creation time an id names, or empty when it is not one of this adapter's */
    static Optional<Instant> createdAt(String id) {
        if (!id.startsWith("mem_") || id.length() != 4 + 16 + 1 + 12 || id.charAt(20) != '_') {
            return Optional.empty();
        }
        for (int i = 4; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            if (i < 20 ? !digit : i > 20 && !(digit || c >= 'a' && c <= 'f')) {
                return Optional.empty();
            }
        }
        long micros = Long.parseLong(id.substring(4, 20));
        return Optional.of(Instant.ofEpochSecond(micros / 1_000_000L, (micros % 1_000_000L) * 1_000L));
    }
}
