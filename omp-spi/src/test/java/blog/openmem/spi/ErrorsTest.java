package blog.openmem.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.spi.error.ErrorCode;
import blog.openmem.spi.error.ErrorDetails;
import blog.openmem.spi.error.ErrorEnvelope;
import blog.openmem.spi.error.InternalErrorException;
import blog.openmem.spi.error.InvalidRequestException;
import blog.openmem.spi.error.NotFoundException;
import blog.openmem.spi.error.OmpErrors;
import blog.openmem.spi.error.OmpException;
import blog.openmem.spi.error.ProviderException;
import blog.openmem.spi.error.ProviderUnavailableException;
import blog.openmem.spi.error.RateLimitedException;
import blog.openmem.spi.error.ScopeDeniedException;
import blog.openmem.spi.error.UnauthorizedException;
import blog.openmem.spi.error.UnsupportedCapabilityException;
import blog.openmem.spi.json.OmpJson;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ErrorsTest {

    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, names = "CONFIGURATION_ERROR", mode = EnumSource.Mode.EXCLUDE)
    void everyCodeSurvivesTheEnvelopeRoundTrip(ErrorCode code) {
        OmpException e = OmpErrors.create(code.code(), code.type(), code.httpStatus(), "boom",
                new ErrorDetails("postgres", "req_1", Duration.ofSeconds(3), null));
        assertEquals(code.code(), e.code());
        assertEquals(code.httpStatus(), e.httpStatus());
        assertEquals(code.type(), e.type());
        assertEquals(code.retryable(), e.isRetryable());
        ErrorEnvelope env = OmpJson.read(OmpJson.write(e.toEnvelope()), ErrorEnvelope.class);
        OmpException back = OmpErrors.fromResponse(code.httpStatus(), env, Duration.ofSeconds(3), null, null);
        assertEquals(e.getClass(), back.getClass());
        assertEquals(code.code(), back.code());
        assertEquals("req_1", back.requestId().orElseThrow());
        assertEquals("postgres", back.provider().orElseThrow());
        assertEquals(Duration.ofSeconds(3), back.retryAfter().orElseThrow());
        assertTrue(back instanceof RuntimeException);
    }

    @Test
    void tableOfContract() {
        assertInstanceOf(UnauthorizedException.class, OmpErrors.fromResponse(401, null, null, "mem0", null));
        assertInstanceOf(ScopeDeniedException.class, OmpErrors.fromResponse(403, null, null, "mem0", null));
        assertInstanceOf(NotFoundException.class, OmpErrors.fromResponse(404, null, null, "mem0", null));
        assertInstanceOf(InvalidRequestException.class, OmpErrors.fromResponse(422, null, null, "mem0", null));
        assertInstanceOf(RateLimitedException.class, OmpErrors.fromResponse(429, null, null, "mem0", null));
        assertInstanceOf(ProviderUnavailableException.class, OmpErrors.fromResponse(503, null, null, null, null));
        assertInstanceOf(ProviderException.class, OmpErrors.fromResponse(500, null, null, null, null));
        assertEquals(400, new UnsupportedCapabilityException("x").httpStatus(), "D-1");
    }

    @Test
    void unknownCodeIsAProviderErrorKeepingTheCode() {
        ErrorEnvelope env = OmpJson.read("{\"error\":{\"code\":\"quota_exceeded\",\"message\":\"m\","
                + "\"type\":\"billing\",\"request_id\":\"r\"}}", ErrorEnvelope.class);
        OmpException e = OmpErrors.fromResponse(402, env, null, "mem0", null);
        assertInstanceOf(ProviderException.class, e);
        assertEquals("quota_exceeded", e.code());
        assertEquals("billing", e.type());
        assertEquals(ErrorCode.PROVIDER_ERROR, e.errorCode());
        assertEquals("quota_exceeded", e.toEnvelope().error().code());
    }

    @Test
    void internalErrorsNeverRevealTheirMessage() {
        OmpException e = new InternalErrorException("NullPointerException at Foo.java:12");
        assertEquals("internal server error", e.toEnvelope().error().message());
        assertEquals("internal server error", OmpErrors.internal("r").error().message());
    }

    @Test
    void withContextKeepsClassAndFillsRequestId() {
        OmpException e = new NotFoundException("memory 'x' not found").withContext("req_9", "postgres");
        assertInstanceOf(NotFoundException.class, e);
        assertEquals("req_9", e.requestId().orElseThrow());
        assertEquals("postgres", e.provider().orElseThrow());
        assertTrue(e.toString().contains("not_found"));
    }

    @Test
    void aProviderErrorThatNoRetryMendsStaysSoWithContext() {
        ProviderException quota = ProviderException.notRetryable("quota exhausted", null);
        assertFalse(quota.isRetryable());
        assertEquals(502, quota.httpStatus());
        OmpException e = quota.withContext("req_1", "supermemory");
        assertFalse(e.isRetryable());
        assertEquals("provider_error", e.code());
        assertTrue(new ProviderException("boom").withContext("req_2", "x").isRetryable());
    }

    @Test
    void redactionHidesPasswordsAndKeys() {
        String r = Redaction.url("postgres://omp:s3cret@db:5432/omp?sslmode=require&password=hunter2&api_key=k1");
        assertFalse(r.contains("s3cret"), r);
        assertFalse(r.contains("hunter2"), r);
        assertFalse(r.contains("k1"), r);
        assertTrue(r.contains("omp:***@db"), r);
        assertTrue(r.contains("sslmode=require"), r);
        ProviderConfig c = new ProviderConfig("mem0", "https://u:pw@h", java.util.Map.of("a", "b"),
                java.util.Map.of("api_key", "sk-secret"), null);
        assertFalse(c.toString().contains("sk-secret"));
        assertFalse(c.toString().contains(":pw@"));
    }
}
