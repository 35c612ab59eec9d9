/** The scope matcher of CONTRACT §4, shared by every adapter and the server's grants. */
package blog.openmem.spi.scope;
