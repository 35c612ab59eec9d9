package blog.openmem.sim;

import java.util.Set;

/**
 * What both Supermemory simulators (v5 and the legacy v3/v4 API) share: the key, the documents
 * behind them and the test controls.
 */
public abstract class SupermemorySim extends VendorSim {
    /** The key the simulators accept. */
    public static final String API_KEY = "sm_sim_key";
    /** Characters per chunk. */
    public static final int CHUNK = SupermemoryStore.CHUNK;

    /** The documents; guarded by this object's monitor. */
    protected final SupermemoryStore store = new SupermemoryStore();

    /** @param contract the API's OpenAPI file */
    protected SupermemorySim(OpenApiContract contract) {
        super(contract);
    }

    /**
     * @param reads how many reads of a document answer a processing stage before it is done (0: done
     *              at once)
     * @return this
     */
    public synchronized SupermemorySim readsUntilDone(int reads) {
        store.readsUntilDone(reads);
        return this;
    }

    /** The next document to finish processing fails instead. */
    public synchronized void failNextDocument() {
        store.failNextDocument();
    }

    /** @return documents stored (all namespaces) */
    public synchronized int documentCount() {
        return store.documentCount();
    }

    /** @return the namespaces (container tags) that hold documents */
    public synchronized Set<String> namespaceNames() {
        return store.namespaceNames();
    }

    /** @return {@code v5} or {@code v4}: the adapter's {@code api_version} for this simulator */
    public abstract String apiVersion();
}
