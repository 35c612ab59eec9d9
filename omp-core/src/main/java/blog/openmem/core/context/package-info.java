/** Context blocks within a token budget: real BPE counting and pluggable rendering (CONTRACT §6). */
package blog.openmem.core.context;
