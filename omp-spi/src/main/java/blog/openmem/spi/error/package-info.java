/**
 * The exception hierarchy of CONTRACT §9: one unchecked root, {@link blog.openmem.spi.error.OmpException},
 * one subclass per code, and {@link blog.openmem.spi.error.OmpErrors} mapping to and from the JSON envelope.
 */
package blog.openmem.spi.error;
