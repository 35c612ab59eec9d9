/** JSON support: the configured mapper, RFC 3339 timestamps and the mapping of JSON errors to 400s. */
package blog.openmem.spi.json;
