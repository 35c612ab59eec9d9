/** Built-in embedders: {@code hash} (offline, lexical, deterministic) and {@code openai} (any compatible endpoint). */
package blog.openmem.core.embed;
