package blog.openmem.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.core.registry.ProviderRegistry;
import blog.openmem.core.testjar.AlphaFactory;
import blog.openmem.core.testjar.AlphaTwinFactory;
import blog.openmem.spi.MemoryProviderFactory;
import blog.openmem.spi.error.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery end to end: provider jars written at test time, loaded through a class loader. */
class DiscoveryTest {
    @TempDir
    Path dir;

    /** Writes a jar holding the factory's class file and a services entry naming {@code services}. */
    Path jar(String name, String services, Class<?>... classes) throws IOException {
        Path p = dir.resolve(name + ".jar");
        try (OutputStream os = Files.newOutputStream(p); JarOutputStream jar = new JarOutputStream(os)) {
            for (Class<?> c : classes) {
                String res = c.getName().replace('.', '/') + ".class";
                jar.putNextEntry(new JarEntry(res));
                try (InputStream in = c.getClassLoader().getResourceAsStream(res)) {
                    in.transferTo(jar);
                }
                jar.closeEntry();
            }
            jar.putNextEntry(new JarEntry("META-INF/services/" + MemoryProviderFactory.class.getName()));
            jar.write(services.getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return p;
    }

    ClassLoader loader(Path... jars) throws IOException {
        URL[] urls = new URL[jars.length];
        for (int i = 0; i < jars.length; i++) {
            urls[i] = jars[i].toUri().toURL();
        }
        return new URLClassLoader(urls, getClass().getClassLoader());
    }

    MemoryBuilder builder(ClassLoader cl) {
        return Memory.builder().classLoader(cl).environment(Map.of()).systemProperties(new Properties());
    }

    @Test
    void testClasspathHasNoProviders() {
        assertFalse(ProviderRegistry.load(getClass().getClassLoader()).providers().has("alpha"),
                "the factory is declared only inside the jars this test writes");
    }

    @Test
    void foundByIdAliasAndConfigStringDespiteABrokenJar() throws IOException {
        ClassLoader cl = loader(
                jar("broken", "com.example.DoesNotExist\n", new Class<?>[0]),
                jar("alpha", "# a comment\n" + AlphaFactory.class.getName() + "\n", AlphaFactory.class));
        ProviderRegistry reg = ProviderRegistry.load(cl);
        assertInstanceOf(AlphaFactory.class, reg.providers().find("alpha"));
        assertInstanceOf(AlphaFactory.class, reg.providers().find("ALPHADB"));
        assertTrue(reg.providers().ids().contains("alpha"));
        assertTrue(reg.providers().problems().stream().anyMatch(p -> p.contains("DoesNotExist")),
                "the broken jar is reported: " + reg.providers().problems());

        try (Memory m = builder(cl).config("alpha").build()) {
            assertEquals("alpha", m.providerId());
            assertEquals("stub", m.capabilities().provider());
        }
        try (Memory m = builder(cl).config("alphadb://svc:s3cret@host:1234/x").setting("api_key", "k").build()) {
            assertEquals("alpha", m.providerId());
            assertEquals("alphadb://svc:s3cret@host:1234/x", AlphaFactory.lastConfig.target().orElseThrow());
            assertEquals("k", AlphaFactory.lastConfig.secret("api_key").orElseThrow());
            assertFalse(AlphaFactory.lastConfig.toString().contains("s3cret"));
        }
    }

    @Test
    void fromEnvironmentVariables() throws IOException {
        ClassLoader cl = loader(jar("alpha", AlphaFactory.class.getName(), AlphaFactory.class));
        try (Memory m = Memory.builder().classLoader(cl).systemProperties(new Properties())
                .environment(Map.of("OMP_PROVIDER", "alpha", "OMP_ALPHA_REGION", "eu", "OMP_ALPHA_API_KEY", "sk"))
                .build()) {
            assertEquals("alpha", m.providerId());
            assertEquals("eu", AlphaFactory.lastConfig.get("region").orElseThrow());
            assertEquals("sk", AlphaFactory.lastConfig.secret("api_key").orElseThrow());
            assertTrue(AlphaFactory.lastConfig.get("api_key").isEmpty(), "secrets are kept apart from settings");
        }
        ConfigurationException none = assertThrows(ConfigurationException.class,
                () -> Memory.builder().classLoader(cl).environment(Map.of()).systemProperties(new Properties()).build());
        assertTrue(none.getMessage().contains("OMP_PROVIDER"), none.getMessage());
    }

    @Test
    void unknownIdListsTheAvailableOnes() throws IOException {
        ClassLoader cl = loader(jar("alpha", AlphaFactory.class.getName(), AlphaFactory.class));
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> builder(cl).config("nosuch").build());
        assertTrue(e.getMessage().contains("unknown provider 'nosuch'"), e.getMessage());
        assertTrue(e.getMessage().contains("available: alpha"), e.getMessage());
    }

    @Test
    void knownIdWithoutItsJarNamesTheArtifact() throws IOException {
        ClassLoader cl = loader(jar("alpha", AlphaFactory.class.getName(), AlphaFactory.class));
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> builder(cl).config("mem0").build());
        assertTrue(e.getMessage().contains("blog.openmem:adapter-mem0"), e.getMessage());
        ConfigurationException pg = assertThrows(ConfigurationException.class,
                () -> builder(cl).config("postgresql://localhost/omp").build());
        assertTrue(pg.getMessage().contains("blog.openmem:adapter-postgres"), pg.getMessage());
        ConfigurationException http = assertThrows(ConfigurationException.class,
                () -> builder(cl).config("http://localhost:8080").build());
        assertTrue(http.getMessage().contains("blog.openmem:adapter-passthrough"), http.getMessage());
    }

    @Test
    void duplicateIdsNameBothClasses() throws IOException {
        ClassLoader cl = loader(
                jar("alpha", AlphaFactory.class.getName(), AlphaFactory.class),
                jar("twin", AlphaTwinFactory.class.getName(), AlphaTwinFactory.class));
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> builder(cl).config("alpha").build());
        assertTrue(e.getMessage().contains(AlphaFactory.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(AlphaTwinFactory.class.getName()), e.getMessage());
    }

    @Test
    void builtInEmbeddersAreDiscovered() {
        ProviderRegistry reg = ProviderRegistry.load(getClass().getClassLoader());
        assertTrue(reg.embedders().ids().containsAll(java.util.Set.of("hash", "openai")));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> reg.embedders().find("minilm"));
        assertTrue(e.getMessage().contains("blog.openmem:embedder-minilm"), e.getMessage());
    }
}
