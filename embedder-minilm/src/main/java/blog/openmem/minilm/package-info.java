/**
 * The {@code minilm} embedder: quantised all-MiniLM-L6-v2 sentence embeddings (384 dimensions),
 * computed in process on ONNX Runtime from a model that ships inside a Maven artifact, so nothing
 * is downloaded at run time.
 */
package blog.openmem.minilm;
