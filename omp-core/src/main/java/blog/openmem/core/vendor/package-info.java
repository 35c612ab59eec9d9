/**
 * The vendor kit: what every adapter to a vendor's REST API needs and must not write again —
 * the OMP-fields codec for vendor metadata ({@link blog.openmem.core.vendor.MetadataCodec}),
 * client-side query completion ({@link blog.openmem.core.vendor.ClientFilter},
 * {@link blog.openmem.core.vendor.Completion}), tamper-evident cursors
 * ({@link blog.openmem.core.vendor.VendorCursor}), ingestion polling
 * ({@link blog.openmem.core.vendor.IngestionPoller}) and REST helpers
 * ({@link blog.openmem.core.vendor.Rest}). An adapter built on it only translates.
 */
package blog.openmem.core.vendor;
