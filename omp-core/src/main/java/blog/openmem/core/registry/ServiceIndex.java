package blog.openmem.core.registry;

import blog.openmem.spi.error.ConfigurationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Factories of one SPI type found through {@link ServiceLoader}, indexed by id and alias.
 * Discovery tries the given (context) class loader, then the SPI's own; a broken jar is logged
 * and skipped so it cannot hide the others; two factory classes claiming one id are an error
 * naming both, raised when that id is asked for.
 *
 * @param <F> the factory type
 */
public final class ServiceIndex<F> {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceIndex.class);
    private static final int MAX_ERRORS = 100;

    private final String kind;
    private final Map<String, List<F>> byId = new LinkedHashMap<>();
    private final Set<String> primaryIds = new TreeSet<>();
    private final List<String> problems = new ArrayList<>();
    private final Map<String, String> knownArtifacts;

    /**
     * @param type           the SPI interface
     * @param loader         the class loader to try first (usually the context loader); may be null
     * @param id             the id of a factory
     * @param aliases        the aliases of a factory
     * @param kind           "provider" or "embedder", for messages
     * @param knownArtifacts ids this project ships, mapped to their Maven artifact
     */
    public ServiceIndex(Class<F> type, ClassLoader loader, Function<F, String> id, Function<F, Set<String>> aliases,
                        String kind, Map<String, String> knownArtifacts) {
        this.kind = kind;
        this.knownArtifacts = knownArtifacts;
        Set<String> seenClasses = new LinkedHashSet<>();
        List<ClassLoader> loaders = new ArrayList<>();
        if (loader != null) {
            loaders.add(loader);
        }
        if (type.getClassLoader() != null && type.getClassLoader() != loader) {
            loaders.add(type.getClassLoader());
        }
        for (ClassLoader cl : loaders) {
            Iterator<F> it = ServiceLoader.load(type, cl).iterator();
            int errors = 0;
            while (errors < MAX_ERRORS) {
                F factory;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    factory = it.next();
                } catch (ServiceConfigurationError | LinkageError e) {
                    // One broken jar must not break discovery of the others.
                    errors++;
                    String msg = "skipping a broken " + kind + " factory: " + e.getMessage();
                    problems.add(msg);
                    LOG.warn(msg);
                    continue;
                }
                if (!seenClasses.add(factory.getClass().getName())) {
                    continue;
                }
                String primary;
                Set<String> names = new LinkedHashSet<>();
                try {
                    primary = normalise(id.apply(factory));
                    names.add(primary);
                    for (String a : aliases.apply(factory)) {
                        names.add(normalise(a));
                    }
                } catch (RuntimeException e) {
                    String msg = "skipping " + kind + " factory " + factory.getClass().getName() + ": " + e;
                    problems.add(msg);
                    LOG.warn(msg);
                    continue;
                }
                primaryIds.add(primary);
                for (String n : names) {
                    byId.computeIfAbsent(n, k -> new ArrayList<>()).add(factory);
                }
            }
        }
    }

    /** Ids are case-insensitive. */
    static String normalise(String id) {
        return id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * @param id an id or alias
     * @return the one factory registered for it
     * @throws ConfigurationException when unknown (listing the available ids), when a known id's
     *     jar is missing (naming the artifact), or when two classes claim it (naming both)
     */
    public F find(String id) {
        String key = normalise(id);
        List<F> found = byId.get(key);
        if (found == null || found.isEmpty()) {
            String artifact = knownArtifacts.get(key);
            if (artifact != null) {
                throw new ConfigurationException(kind + " '" + key + "' is not on the classpath; add the Maven artifact "
                        + artifact + " (available: " + available() + ")");
            }
            throw new ConfigurationException("unknown " + kind + " '" + key + "'; available: " + available());
        }
        if (found.size() > 1) {
            throw new ConfigurationException("two " + kind + " factories claim the id '" + key + "': "
                    + found.get(0).getClass().getName() + " and " + found.get(1).getClass().getName()
                    + "; remove one of the jars");
        }
        return found.get(0);
    }

    /**
     * @param id an id or alias
     * @return whether exactly one factory is registered for it
     */
    public boolean has(String id) {
        List<F> found = byId.get(normalise(id));
        return found != null && found.size() == 1;
    }

    /** @return the primary ids of all factories found, sorted */
    public Set<String> ids() {
        return Collections.unmodifiableSet(primaryIds);
    }

    /** @return every factory found, one per class */
    public List<F> all() {
        Set<F> out = new LinkedHashSet<>();
        byId.values().forEach(out::addAll);
        return List.copyOf(out);
    }

    /** @return messages about broken jars that discovery skipped */
    public List<String> problems() {
        return Collections.unmodifiableList(problems);
    }

    private String available() {
        return primaryIds.isEmpty() ? "none (no " + kind + " jar on the classpath)" : String.join(", ", primaryIds);
    }
}
