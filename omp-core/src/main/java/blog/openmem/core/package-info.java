/**
 * What applications call: {@link blog.openmem.core.Memory} and {@link blog.openmem.core.AsyncMemory},
 * selected by one config string.
 */
package blog.openmem.core;
