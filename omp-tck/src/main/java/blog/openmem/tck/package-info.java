/**
 * The OMP conformance suite (TCK): extend {@link blog.openmem.tck.MemoryProviderContract} in an
 * adapter's tests. The areas are test interfaces that can also be mixed in one by one.
 */
package blog.openmem.tck;
