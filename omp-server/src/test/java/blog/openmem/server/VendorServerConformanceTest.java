package blog.openmem.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.sim.LettaSim;
import blog.openmem.sim.Mem0PlatformSim;
import blog.openmem.sim.SupermemorySim;
import blog.openmem.sim.SupermemoryV5Sim;
import blog.openmem.sim.VendorSim;
import blog.openmem.tck.http.HttpConformance;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The black-box HTTP conformance runner against omp-server → a vendor adapter → that vendor's
 * simulator, for each vendor adapter the server jar carries.
 */
class VendorServerConformanceTest {
    static Stream<Arguments> vendors() {
        return Stream.of(
                Arguments.of("mem0", (Supplier<VendorSim>) Mem0PlatformSim::new, Mem0PlatformSim.API_KEY),
                // Documents are processed after two reads: the runner waits for ingestion as a client would.
                Arguments.of("supermemory", (Supplier<VendorSim>) () -> new SupermemoryV5Sim().readsUntilDone(2),
                        SupermemorySim.API_KEY),
                Arguments.of("letta", (Supplier<VendorSim>) LettaSim::new, LettaSim.API_KEY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vendors")
    void theRunnerPassesThroughTheServerToTheVendor(String provider, Supplier<VendorSim> simulator, String key) {
        try (VendorSim sim = simulator.get().start()) {
            ServerConfig config = ServerConfig.parse(new String[] {"--provider", provider, "--port", "0"}, Map.of());
            try (OmpServer server = OmpServer.start(withSettings(config, sim.url(), key), null)) {
                assertTrue(server.startLine().startsWith("omp-server: serving " + provider + " at"),
                        server.startLine());
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                HttpConformance.Result r = new HttpConformance(ServerTestSupport.base(server), null,
                        new PrintStream(buf, true, StandardCharsets.UTF_8)).run();
                String report = buf.toString(StandardCharsets.UTF_8);
                assertEquals(0, r.failed(), report);
                int before = sim.requestCount();
                for (int i = 0; i < 5; i++) {
                    assertEquals(200, ServerTestSupport.send(server, "GET", "/healthz", null).status());
                }
                assertEquals(before, sim.requestCount(), "health probes after recent answers cost no vendor call");
            }
            sim.assertClean();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The configuration with the simulator's address and key as provider settings: what
     * {@code OMP_<PROVIDER>_BASE_URL} and the vendor's key variable give a real start.
     */
    private static ServerConfig withSettings(ServerConfig c, String url, String key) {
        return new ServerConfig(c.provider(), c.host(), c.port(), c.maxRequestBytes(), c.corsOrigins(), c.logLevel(),
                c.apiKeysFile(), c.embedder(),
                Map.of("api_key", key, "base_url", url), c.bodyTimeoutMs());
    }
}
