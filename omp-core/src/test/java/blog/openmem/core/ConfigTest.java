package blog.openmem.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.core.registry.ConfigResolver;
import blog.openmem.core.registry.ConfigString;
import blog.openmem.spi.ProviderConfig;
import blog.openmem.spi.error.ConfigurationException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigTest {

    @ParameterizedTest
    @CsvSource({
        "postgres://user@host:5432/db, postgres, postgres://user@host:5432/db",
        "postgresql://h/db, postgresql, postgresql://h/db",
        "http://host:8080, passthrough, http://host:8080",
        "HTTPS://omp.example.com, passthrough, HTTPS://omp.example.com",
        "mem0, mem0, ",
        "  Supermemory , supermemory, ",
        "letta, letta, ",
    })
    void configStrings(String text, String id, String target) {
        ConfigString cs = ConfigString.parse(text);
        assertEquals(id, cs.providerId());
        assertEquals(target, cs.target());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "mem 0", "://nohost", "1abc", "a@b"})
    void badConfigStrings(String text) {
        assertThrows(ConfigurationException.class, () -> ConfigString.parse(text));
    }

    @Test
    void configStringNeverPrintsPasswords() {
        ConfigString cs = ConfigString.parse("postgres://omp:hunter2@db/omp");
        assertFalse(cs.toString().contains("hunter2"));
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ConfigString.parse("bad scheme!://u:hunter2@x"));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void precedenceIsMapThenPropertyThenEnvironment() {
        Properties props = new Properties();
        props.setProperty("omp.mem0.timeout", "5s");
        props.setProperty("omp.mem0.region", "prop");
        ConfigResolver r = new ConfigResolver(Map.of("OMP_MEM0_REGION", "env", "OMP_MEM0_POLL", "env",
                "OMP_MEM0_API_KEY", "sk-env", "OMP_OTHER_X", "no"), props);
        ConfigResolver.Resolved res = r.resolve("mem0", Set.of("api_key"), Map.of("region", "map"));
        assertEquals("map", res.settings().get("region"));
        assertEquals("5s", res.settings().get("timeout"));
        assertEquals("env", res.settings().get("poll"));
        assertNull(res.settings().get("x"));
        assertEquals("sk-env", res.secrets().get("api_key"));
        assertFalse(res.settings().containsKey("api_key"));
        assertEquals("sk-map", r.resolve("mem0", Set.of("api_key"), Map.of("API_KEY", "sk-map")).secrets()
                .get("api_key"));
    }

    @Test
    void secretsAreRefusedAsSystemProperties() {
        Properties props = new Properties();
        props.setProperty("omp.mem0.api_key", "sk-leaky");
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> new ConfigResolver(Map.of(), props).resolve("mem0", Set.of("api_key"), Map.of()));
        assertTrue(e.getMessage().contains("OMP_MEM0_API_KEY"), e.getMessage());
        assertFalse(e.getMessage().contains("sk-leaky"));
    }

    @Test
    void typedSettings() {
        ProviderConfig c = ProviderConfig.of("x", Map.of("n", "12", "d", "250ms", "d2", "PT3S", "b", "yes",
                "bad", "zz"));
        assertEquals(12, c.getInt("n", 0));
        assertEquals(7, c.getInt("missing", 7));
        assertEquals(Duration.ofMillis(250), c.getDuration("d", null));
        assertEquals(Duration.ofSeconds(3), c.getDuration("d2", null));
        assertTrue(c.getBoolean("b", false));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> c.getInt("bad", 0));
        assertTrue(e.getMessage().contains("x.bad"), e.getMessage());
        assertThrows(ConfigurationException.class, () -> c.getDuration("bad", null));
        assertThrows(ConfigurationException.class, () -> c.getBoolean("bad", false));
        assertThrows(ConfigurationException.class, c::embedder);
    }

    @Test
    void aFactorysEnvironmentAliasesComeBelowOmpVariables() {
        ConfigResolver only = new ConfigResolver(Map.of("MEM0_API_KEY", "sk-vendor"), new java.util.Properties());
        assertEquals("sk-vendor", only.resolve("mem0", Set.of("api_key"), Map.of("api_key", "MEM0_API_KEY"), Map.of())
                .secrets().get("api_key"));
        ConfigResolver both = new ConfigResolver(Map.of("MEM0_API_KEY", "sk-vendor", "OMP_MEM0_API_KEY", "sk-omp"),
                new java.util.Properties());
        assertEquals("sk-omp", both.resolve("mem0", Set.of("api_key"), Map.of("api_key", "MEM0_API_KEY"), Map.of())
                .secrets().get("api_key"));
    }
}
