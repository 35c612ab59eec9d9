/**
 * The provider SPI: {@link blog.openmem.spi.MemoryProvider} and
 * {@link blog.openmem.spi.MemoryProviderFactory}, found through {@link java.util.ServiceLoader}.
 */
package blog.openmem.spi;
