/** The embedder SPI: text to vectors, with the model name recorded on every memory. */
package blog.openmem.spi.embed;
