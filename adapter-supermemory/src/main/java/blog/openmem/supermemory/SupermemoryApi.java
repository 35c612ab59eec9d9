package blog.openmem.supermemory;

import blog.openmem.core.vendor.Rest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The calls the provider makes, in one form for both of Supermemory's APIs ({@link V5Api} and the
 * legacy {@link V4Api}): each implementation only translates to its routes and wire forms. Ids in
 * and out are OMP ids ({@code mem_<key>.<namespace>}); each API knows how its own document ids sit in
 * them.
 */
interface SupermemoryApi {
    /**
     * A document, read by id, listed, or attached to a search hit.
     *
     * @param id        the OMP id
     * @param content   the text, or null when the answer did not carry it
     * @param status    Supermemory's processing status
     * @param createdAt Supermemory's creation time (the order of every list)
     * @param updatedAt its last change, or null
     * @param metadata  the metadata as plain values ({@link blog.openmem.core.vendor.MetadataCodec#plain}; empty
     *                  when none)
     */
    record Document(String id, String content, String status, Instant createdAt, Instant updatedAt,
                    Map<String, ?> metadata) {
    }

    /**
     * One page of a namespace's documents, newest first.
     *
     * @param documents the documents
     * @param more      whether more pages follow
     */
    record Page(List<Document> documents, boolean more) {
    }

    /**
     * A search hit: a chunk of a document's text or a memory extracted from it.
     *
     * @param document   the document it came from (without content)
     * @param text       the chunk or the memory
     * @param similarity Supermemory's score
     */
    record Hit(Document document, String text, double similarity) {
    }

    /**
     * What Supermemory filters itself, on the metadata; null or empty parts filter nothing.
     *
     * @param scopePrefix    a scope subtree's base (the stored scope prefixes contain it)
     * @param tag            a tag the memory carries
     * @param supersedingAny documents that supersede any of these OMP ids
     */
    record Filter(String scopePrefix, String tag, List<String> supersedingAny) {
        boolean isEmpty() {
            return scopePrefix == null && tag == null && (supersedingAny == null || supersedingAny.isEmpty());
        }
    }

    /** @return {@code v5} or {@code v4} */
    String version();

    /**
     * Adds a document; repeating the call with the same key lands on the same document.
     *
     * @param key      32 hex digits, new for each memory
     * @param metadata the metadata
     * @return the new memory's OMP id
     */
    String add(String ns, String key, String content, ObjectNode metadata, String taskType, String requestId);

    /** @return the document, or empty when there is none */
    Optional<Document> document(String ns, String id, String requestId);

    /**
     * @return the document's read, started; joining it fails with {@code NotFoundException} when
     *     there is none
     */
    Rest.Pending<Document> documentAsync(String ns, String id, String requestId);

    /**
     * @param content the new text, or null to keep it
     * @return the status after the change, or empty when the document does not exist
     */
    Optional<String> patch(String ns, String id, String content, ObjectNode metadata, String requestId);

    /** @return whether the document existed and is now deleted */
    boolean delete(String ns, String id, String requestId);

    /**
     * @param page the page, from 1
     * @return the page, newest first
     */
    Page list(String ns, int page, int limit, Filter filter, String requestId);

    /**
     * @param chunks    search the text's chunks ({@code superrag}), else the extracted memories
     * @param threshold the lowest similarity
     * @return hits, best first
     */
    List<Hit> search(String ns, String query, boolean chunks, int limit, double threshold, Filter filter,
                     String requestId);

    /** A cheap call that proves the API answers and the key is accepted. */
    void ping();
}
