/**
 * Stateful simulators of vendor REST APIs for adapter tests: {@link blog.openmem.sim.VendorSim}
 * runs one on MockWebServer and checks every request it receives and every answer it gives
 * against the vendor's OpenAPI file ({@link blog.openmem.sim.OpenApiContract}); a test fails on
 * any violation. Faults (429 with Retry-After, 5xx bursts, resets, slow or malformed answers) are
 * injected with {@link blog.openmem.sim.Fault}.
 */
package blog.openmem.sim;
