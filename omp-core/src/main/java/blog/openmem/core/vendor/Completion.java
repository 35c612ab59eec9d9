package blog.openmem.core.vendor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client-side query completion: reads a vendor's pages, keeps what a filter accepts, and goes on
 * until {@code limit} items are found or the vendor has no more — bounded by a number of pages and
 * a time. At a bound it returns what it found with the position to continue from and says so in
 * the log (never fewer results without a trace). Positions are exact: a vendor page and how many
 * of its items were consumed, so the next call continues with the next item, without gaps or
 * duplicates as long as the vendor's order is stable.
 */
public final class Completion {
    private static final Logger LOG = LoggerFactory.getLogger(Completion.class);

    private Completion() {
    }

    /**
     * One page of a vendor.
     *
     * @param items its items, in the vendor's order
     * @param next  the token of the next page, or null at the end
     * @param <T>   the item type
     */
    public record Page<T>(List<T> items, String next) {
        /** Keeps the list as given (it may decode its items lazily); it must not change. */
        public Page {
            java.util.Objects.requireNonNull(items, "items");
        }
    }

    /**
     * Where to continue.
     *
     * @param page   the vendor page token (null = the first page)
     * @param offset items of that page already consumed
     */
    public record Position(String page, int offset) {
        /** The start. */
        public static final Position START = new Position(null, 0);

        /** @return this position as cursor values ({@link VendorCursor}) */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            if (page != null) {
                m.put("page", page);
            }
            m.put("offset", offset);
            return m;
        }

        /**
         * @param m cursor values
         * @return the position
         * @throws blog.openmem.spi.error.InvalidRequestException when they are not a position
         */
        public static Position fromMap(Map<String, Object> m) {
            Object page = m.get("page");
            Object offset = m.get("offset");
            if ((page != null && !(page instanceof String)) || !(offset instanceof Integer o) || o < 0) {
                throw new blog.openmem.spi.error.InvalidRequestException("cursor: malformed position");
            }
            return new Position((String) page, o);
        }
    }

    /**
     * What was found.
     *
     * @param items   the items kept, at most {@code limit}
     * @param next    where to continue, or null when the vendor has no more
     * @param bounded true when a bound stopped the reading before {@code limit} items were found
     * @param pages   vendor pages read
     * @param lastSeen the last vendor item examined (kept or not), or null when none was: a keyset
     *                 cursor continues after it
     * @param <T>     the item type
     */
    public record Result<T>(List<T> items, Position next, boolean bounded, int pages, T lastSeen) {
    }

    /**
     * The bounds of one completion.
     *
     * @param maxPages most vendor pages read for one call
     * @param maxTime  most time spent reading them
     */
    public record Bounds(int maxPages, Duration maxTime) {
        /** 20 pages or 10 s. */
        public static final Bounds DEFAULT = new Bounds(20, Duration.ofSeconds(10));
    }

    /**
     * Says in the log that a search found fewer than {@code limit} results because the vendor answers
     * at most {@code examined} hits a search and filtering here kept only {@code kept} of them: a short
     * answer is never silent. Nothing is logged when the limit was reached.
     *
     * @param provider the provider id
     * @param kept     results kept
     * @param limit    the query's limit
     * @param examined the vendor's most hits a search, all of which were read
     */
    public static void searchCut(String provider, int kept, int limit, int examined) {
        if (kept < limit) {
            LOG.warn("{}: search kept {} of {} results after filtering the vendor's {} best hits", provider, kept,
                    limit, examined);
        }
    }

    /**
     * @param start  where to start
     * @param fetch  reads a vendor page by token (null = the first)
     * @param keep   the filter
     * @param limit  how many items to find
     * @param bounds how far to read for them
     * @param what   the call, for the log (no user data)
     * @param <T>    the item type
     * @return what was found and where to continue
     */
    public static <T> Result<T> collect(Position start, Function<String, Page<T>> fetch, Predicate<T> keep, int limit,
                                        Bounds bounds, String what) {
        List<T> out = new ArrayList<>(Math.min(limit, 256));
        String token = start.page();
        int skip = start.offset();
        long deadline = System.nanoTime() + bounds.maxTime().toNanos();
        int pages = 0;
        T lastSeen = null;
        while (true) {
            Page<T> page = fetch.apply(token);
            pages++;
            List<T> items = page.items();
            for (int i = skip; i < items.size(); i++) {
                lastSeen = items.get(i);
                if (keep.test(items.get(i))) {
                    out.add(items.get(i));
                    if (out.size() == limit) {
                        Position next = i + 1 < items.size() ? new Position(token, i + 1)
                                : page.next() != null ? new Position(page.next(), 0) : null;
                        return new Result<>(out, next, false, pages, lastSeen);
                    }
                }
            }
            if (page.next() == null) {
                return new Result<>(out, null, false, pages, lastSeen);
            }
            token = page.next();
            skip = 0;
            if (pages >= bounds.maxPages() || System.nanoTime() >= deadline) {
                LOG.warn("{}: stopped after {} vendor page(s) with {} of {} items"
                        + " found (bound: {} pages or {} ms); the cursor continues from there", what, pages,
                        out.size(), limit, bounds.maxPages(), bounds.maxTime().toMillis());
                return new Result<>(out, new Position(token, 0), true, pages, lastSeen);
            }
        }
    }
}
