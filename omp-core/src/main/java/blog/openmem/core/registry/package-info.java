/**
 * Discovery and configuration: {@link java.util.ServiceLoader} indexes of provider and embedder
 * factories, the config string, and settings resolution (map &gt; system property &gt; environment).
 */
package blog.openmem.core.registry;
