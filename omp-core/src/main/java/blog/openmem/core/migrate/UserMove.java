package blog.openmem.core.migrate;

import blog.openmem.core.Memory;
import blog.openmem.spi.error.InvalidRequestException;
import blog.openmem.spi.error.OmpException;
import blog.openmem.spi.error.PayloadTooLargeException;
import blog.openmem.spi.json.OmpJson;
import blog.openmem.spi.model.Features;
import blog.openmem.spi.model.ImportedMemory;
import blog.openmem.spi.model.ScopeSupport;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One user's move: read at the source, match against the origins already on the target, write the
 * rest level by level ({@link Levels}) in batches, then verify.
 */
final class UserMove {
    private final Source source;
    private final Memory target;
    private final TargetFit fit;
    private final int batchSize;
    private final Migration.Verify verify;
    private final boolean dryRun;
    private final MigrationListener listener;
    private final Features features;

    UserMove(Source source, Memory target, TargetFit fit, int batchSize, Migration.Verify verify, boolean dryRun,
             MigrationListener listener) {
        this.source = source;
        this.target = target;
        this.fit = fit;
        this.batchSize = batchSize;
        this.verify = verify;
        this.dryRun = dryRun;
        this.listener = listener;
        this.features = target.capabilities().features();
    }

    /** A source memory and what is written for it. */
    private record Pending(blog.openmem.spi.model.Memory source, ImportedMemory item) {
    }

    /**
     * @return true when every memory of the user is on the target (or, in a dry run, would be)
     * @throws OmpException when a side fails as a whole (unreachable, unauthorised): the run stops
     */
    boolean run(String user, Tally tally) {
        List<blog.openmem.spi.model.Memory> memories = source.memories(user);
        tally.read(memories.size());
        listener.read(memories.size());
        Map<String, String> present = new HashMap<>();
        for (var e : onTarget(user).entrySet()) {
            present.put(e.getKey(), e.getValue().id());
        }
        Set<String> known = new HashSet<>();
        memories.forEach(m -> known.add(m.id()));
        Map<String, String> ids = new HashMap<>();
        boolean complete = true;
        for (List<blog.openmem.spi.model.Memory> level : Levels.of(memories)) {
            List<Pending> pending = new ArrayList<>();
            int skipped = 0;
            for (blog.openmem.spi.model.Memory m : level) {
                String there = present.get(m.id());
                if (there != null) {
                    ids.put(m.id(), there);
                    skipped++;
                    continue;
                }
                TargetFit.Fitted f = fit.fit(m, Origin.of(source.name(), m), ids, known);
                tally.losses(f.losses());
                if (f.refusal() != null) {
                    tally.failed(new MigrationReport.Failure(user, m.id(), f.refusal()));
                    complete = false;
                } else {
                    pending.add(new Pending(m, f.item()));
                }
            }
            tally.skipped(skipped);
            listener.written(skipped);
            for (int i = 0; i < pending.size(); i += batchSize) {
                complete &= write(user, pending.subList(i, Math.min(pending.size(), i + batchSize)), ids, tally);
            }
        }
        if (!dryRun && verify != Migration.Verify.NONE) {
            verify(user, memories, ids, tally);
        }
        return complete;
    }

    /** @return the target's memories of this user that came from this source, by their source id */
    private Map<String, blog.openmem.spi.model.Memory> onTarget(String user) {
        Map<String, blog.openmem.spi.model.Memory> out = new HashMap<>();
        try (Stream<blog.openmem.spi.model.Memory> s = target.exportAll(user)) {
            s.forEach(m -> Origin.on(m).filter(o -> o.provider().equals(source.name()))
                    .ifPresent(o -> out.putIfAbsent(o.id(), m)));
        }
        return out;
    }

    /**
     * One batch; a batch the target refuses as a whole is written memory by memory, so that one bad
     * memory fails alone. Failures of the target itself (unreachable, rate limited past its retries)
     * stop the run.
     */
    private boolean write(String user, List<Pending> batch, Map<String, String> ids, Tally tally) {
        if (dryRun) {
            batch.forEach(p -> ids.put(p.source().id(), p.source().id()));
            tally.written(batch.size());
            listener.written(batch.size());
            return true;
        }
        try {
            List<blog.openmem.spi.model.Memory> out = target.importAll(batch.stream().map(Pending::item).toList());
            for (int i = 0; i < batch.size(); i++) {
                ids.put(batch.get(i).source().id(), out.get(i).id());
            }
            tally.written(batch.size());
            listener.written(batch.size());
            return true;
        } catch (InvalidRequestException | PayloadTooLargeException e) {
            if (batch.size() == 1) {
                tally.failed(new MigrationReport.Failure(user, batch.get(0).source().id(), e.getMessage()));
                return false;
            }
            boolean all = true;
            for (Pending p : batch) {
                all &= write(user, List.of(p), ids, tally);
            }
            return all;
        }
    }

    private void verify(String user, List<blog.openmem.spi.model.Memory> memories, Map<String, String> ids,
                        Tally tally) {
        Map<String, blog.openmem.spi.model.Memory> there = onTarget(user);
        long expected = memories.stream().filter(m -> ids.containsKey(m.id())).count();
        if (there.size() != expected) {
            tally.mismatch("user " + user + ": " + there.size() + " memories from " + source.name()
                    + " on the target, " + expected + " expected");
        }
        int step = verify == Migration.Verify.ALL ? 1 : Math.max(1, Math.min(memories.size() / 10, 20));
        long compared = 0;
        for (int i = 0; i < memories.size(); i += step) {
            blog.openmem.spi.model.Memory m = memories.get(i);
            blog.openmem.spi.model.Memory t = there.get(m.id());
            if (!ids.containsKey(m.id())) {
                continue;
            }
            compared++;
            String diff = t == null ? "missing on the target" : difference(m, t, ids);
            if (diff != null) {
                tally.mismatch("user " + user + ", " + m.id() + ": " + diff);
            }
        }
        tally.verified(compared);
    }

    /** @return the first field the target holds differently (only fields it declares it holds), or null */
    private String difference(blog.openmem.spi.model.Memory s, blog.openmem.spi.model.Memory t,
                              Map<String, String> ids) {
        if (!s.content().equals(t.content())) {
            return "content";
        }
        if (features.effectiveScopes() != ScopeSupport.NONE && !Objects.equals(s.scope(), t.scope())) {
            return "scope";
        }
        if (!Objects.equals(s.tags(), t.tags())) {
            return "tags";
        }
        if (!Objects.equals(s.source(), t.source())) {
            return "source";
        }
        if (!Objects.equals(s.confidence(), t.confidence())) {
            return "confidence";
        }
        if (!sameTime(s.validFrom(), t.validFrom()) || !sameTime(s.validTo(), t.validTo())) {
            return "validity";
        }
        Instant created = features.has(Features.KEEPS_CREATED_AT) ? t.createdAt()
                : Origin.on(t).map(Origin::createdAt).orElse(null);
        if (!sameTime(s.createdAt(), created)) {
            return "created_at";
        }
        List<String> mapped = s.supersedes() == null ? null : s.supersedes().stream().filter(ids::containsKey)
                .map(ids::get).toList();
        if (!Objects.equals(mapped == null || mapped.isEmpty() ? null : mapped, t.supersedes())) {
            return "supersedes";
        }
        for (var e : s.extensions().entrySet()) {
            if (e.getKey().startsWith("x-") && !e.getKey().equals(Origin.FIELD)
                    && !sameJson(e.getValue(), t.extensions().get(e.getKey()))) {
                return e.getKey();
            }
        }
        return null;
    }

    private static boolean sameTime(Instant a, Instant b) {
        return a == null ? b == null : b != null && a.truncatedTo(ChronoUnit.MICROS).equals(b.truncatedTo(ChronoUnit.MICROS));
    }

    /** JSON equality with numbers compared by value (1 and 1.0 are the same after a round trip). */
    private static boolean sameJson(Object a, Object b) {
        JsonNode x = OmpJson.toTree(a);
        JsonNode y = OmpJson.toTree(b);
        return x.equals((n1, n2) -> n1.isNumber() && n2.isNumber()
                ? n1.decimalValue().compareTo(n2.decimalValue()) : n1.equals(n2) ? 0 : 1, y);
    }
}
