/** HTTP support shared by the adapters and HTTP-based embedders. */
package blog.openmem.core.http;
