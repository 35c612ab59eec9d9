/**
 * The OMP data model as immutable records, with snake_case JSON, omitted nulls and preserved
 * {@code x-} / unknown fields (CONTRACT §2).
 */
package blog.openmem.spi.model;
