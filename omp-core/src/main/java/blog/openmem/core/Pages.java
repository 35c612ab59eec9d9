package blog.openmem.core;

import blog.openmem.spi.model.MemoryPage;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Streams over paged reads, each page fetched only when the stream reaches it. */
final class Pages {
    private Pages() {
    }

    /** The items of a first page and of the pages its cursors lead to. */
    static Stream<blog.openmem.spi.model.Memory> memories(MemoryPage first, Function<String, MemoryPage> next) {
        return stream(new Iterator<>() {
            private MemoryPage page = first;
            private int index;

            @Override
            public boolean hasNext() {
                while (index >= page.items().size()) {
                    if (!page.hasMore()) {
                        return false;
                    }
                    page = next.apply(page.nextCursor());
                    index = 0;
                }
                return true;
            }

            @Override
            public blog.openmem.spi.model.Memory next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.items().get(index++);
            }
        });
    }

    /**
     * Keys read {@code pageSize} at a time, each page after the last key of the one before; a short
     * page is the last.
     *
     * @param next the page after a key (null: the first page)
     */
    static Stream<String> keys(int pageSize, Function<String, List<String>> next) {
        return stream(new Iterator<>() {
            private List<String> page = next.apply(null);
            private int index;

            @Override
            public boolean hasNext() {
                if (index >= page.size() && page.size() == pageSize) {
                    page = next.apply(page.get(page.size() - 1));
                    index = 0;
                }
                return index < page.size();
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.get(index++);
            }
        });
    }

    private static <T> Stream<T> stream(Iterator<T> it) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL),
                false);
    }
}
