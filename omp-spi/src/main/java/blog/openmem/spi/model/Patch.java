package blog.openmem.spi.model;

import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;

/**
 * One field of a partial update: left unchanged (absent from JSON), cleared (explicit JSON
 * {@code null}) or set to a value. This is how {@link MemoryUpdate} keeps "absent vs explicit
 * null" apart (CONTRACT D-10).
 *
 * @param <T> the field's type
 */
public final class Patch<T> {
    private enum State { UNCHANGED, CLEAR, SET }

    private static final Patch<?> UNCHANGED = new Patch<>(State.UNCHANGED, null);
    private static final Patch<?> CLEAR = new Patch<>(State.CLEAR, null);

    private final State state;
    private final T value;

    private Patch(State state, T value) {
        this.state = state;
        this.value = value;
    }

    /** @param <T> type @return the "leave as is" patch */
    @SuppressWarnings("unchecked")
    public static <T> Patch<T> unchanged() {
        return (Patch<T>) UNCHANGED;
    }

    /** @param <T> type @return the "clear the field" patch (explicit JSON null) */
    @SuppressWarnings("unchecked")
    public static <T> Patch<T> clear() {
        return (Patch<T>) CLEAR;
    }

    /**
     * @param value the new value; null means {@link #clear()}
     * @param <T>   type
     * @return a patch setting the value
     */
    public static <T> Patch<T> set(T value) {
        return value == null ? clear() : new Patch<>(State.SET, value);
    }

    /** @return true when the field is absent from the update */
    public boolean isUnchanged() {
        return state == State.UNCHANGED;
    }

    /** @return true when the update clears the field */
    public boolean isClear() {
        return state == State.CLEAR;
    }

    /** @return true when the update sets a value */
    public boolean isSet() {
        return state == State.SET;
    }

    /**
     * @return the value being set
     * @throws NoSuchElementException unless {@link #isSet()}
     */
    public T value() {
        if (state != State.SET) {
            throw new NoSuchElementException("patch does not set a value");
        }
        return value;
    }

    /**
     * Applies this patch to a current value.
     *
     * @param current the current value
     * @return the value after the update
     */
    public T applyTo(T current) {
        return switch (state) {
            case UNCHANGED -> current;
            case CLEAR -> null;
            case SET -> value;
        };
    }

    /**
     * @param f   mapping of a set value
     * @param <R> result type
     * @return a patch in the same state with the value mapped
     */
    public <R> Patch<R> map(Function<? super T, ? extends R> f) {
        return state == State.SET ? Patch.set(f.apply(value)) : (state == State.CLEAR ? clear() : unchanged());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Patch<?> p && p.state == state && Objects.equals(p.value, value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(state, value);
    }

    @Override
    public String toString() {
        return switch (state) {
            case UNCHANGED -> "unchanged";
            case CLEAR -> "clear";
            case SET -> "set(" + value + ")";
        };
    }
}
