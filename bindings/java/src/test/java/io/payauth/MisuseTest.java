package io.payauth;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.Test;

/**
 * Misuse from Java gives an exception, never a JVM crash: null arguments
 * ({@code PAYAUTH_NULL_ARGUMENT}), bad configurations and values of the wrong JSON type
 * ({@code PAYAUTH_CONFIG_*}, {@code PAYAUTH_INVALID_ARGUMENT}), closed handles
 * ({@link IllegalStateException}), double close (harmless), and no secret in any message.
 */
public class MisuseTest {
    private static final String SECRET = "Zq8-very-secret-value-77";
    private static final String NETZME = "{\"profile\":\"netzme\",\"client_id\":\"id\",\"client_secret\":\"" + SECRET + "\"}";
    /** This test's cache directory (JUnit makes one instance per test). */
    private java.io.File cacheDir;

    /** A client configuration plus {@code fields}, with this test's cache directory; its token URL is never contacted. */
    private String netzmeClient(String fields) {
        if (cacheDir == null) {
            cacheDir = Gateway.freshDir("cache-");
        }
        return NETZME.substring(0, NETZME.length() - 1) + ",\"token_url\":\"https://127.0.0.1:1/token\",\"cache\":{\"dir\":\""
                + cacheDir + "\"}" + fields + "}";
    }

    /** Runs {@code call}, expects a PayAuthException named {@code status}, returns it. */
    static PayAuthException expect(String status, ThrowingRunnable call) {
        PayAuthException e = assertThrows(PayAuthException.class, call::run);
        assertEquals(e.getMessage(), status, e.statusName());
        assertFalse("empty message", e.detail().isEmpty());
        assertFalse("secret in message: " + e.getMessage(), e.getMessage().contains(SECRET));
        return e;
    }

    /** A call that may throw anything. */
    interface ThrowingRunnable {
        void run() throws Throwable;
    }

    @Test
    public void nullArgumentsAreNullArgumentErrors() throws Exception {
        expect("PAYAUTH_NULL_ARGUMENT", () -> new Signer(null));
        expect("PAYAUTH_NULL_ARGUMENT", () -> new Client(null));
        try (Signer s = new Signer(NETZME)) {
            expect("PAYAUTH_NULL_ARGUMENT", () -> s.sign(null, "/x", null, "t"));
            expect("PAYAUTH_NULL_ARGUMENT", () -> s.sign("GET", null, null, "t"));
            expect("PAYAUTH_NULL_ARGUMENT", () -> s.verify("GET", "/x", null, "t", null, "ab"));
            expect("PAYAUTH_NULL_ARGUMENT", () -> s.verify("GET", "/x", null, "t", "1", null));
            // Optional arguments: null means none.
            expect("PAYAUTH_MISSING_TOKEN", () -> s.sign("GET", "/x", null, null));
            assertEquals(s.sign("GET", "/x", null, "t", 1000, null, false).headers(),
                    s.sign("GET", "/x", new byte[0], "t", 1000, null, false).headers());
        }
        expect("PAYAUTH_NULL_ARGUMENT", () -> PayAuth.constant(null));
        expect("PAYAUTH_NULL_ARGUMENT", () -> Primitives.hmac(null, Encoding.HEX, new byte[1], new byte[1]));
        expect("PAYAUTH_NULL_ARGUMENT", () -> Primitives.hmac(Hash.SHA256, null, new byte[1], new byte[1]));
        expect("PAYAUTH_NULL_ARGUMENT", () -> Primitives.hmac(Hash.SHA256, Encoding.HEX, null, new byte[1]));
        expect("PAYAUTH_NULL_ARGUMENT", () -> Primitives.hmac(Hash.SHA256, Encoding.HEX, new byte[1], null));
        expect("PAYAUTH_NULL_ARGUMENT", () -> Primitives.hmacVerify(Hash.SHA256, Encoding.HEX, new byte[1], new byte[1], null));
        expect("PAYAUTH_NULL_ARGUMENT", () -> Primitives.sha256Hex(null));
        expect("PAYAUTH_NULL_ARGUMENT", () -> Primitives.rsaSign(Hash.SHA256, Encoding.BASE64, null, new byte[1]));
        expect("PAYAUTH_NULL_ARGUMENT", () -> Primitives.jsonMinify(null));
    }

    @Test
    public void badConfigurationsAreConfigErrorsWithoutSecrets() {
        expect("PAYAUTH_CONFIG_JSON", () -> new Signer(""));
        expect("PAYAUTH_CONFIG_JSON", () -> new Signer("not json " + SECRET));
        expect("PAYAUTH_CONFIG_JSON", () -> new Signer("[\"profile\"]"));
        expect("PAYAUTH_CONFIG_UNKNOWN_PROFILE", () -> new Signer("{\"profile\":\"nope\"}"));
        expect("PAYAUTH_CONFIG_MISSING_FIELD", () -> new Signer("{\"profile\":\"netzme\",\"client_id\":\"x\"}"));
        expect("PAYAUTH_CONFIG_INVALID_FIELD", () -> new Signer(NETZME.replace("}", ",\"clientsecret\":\"x\"}")));
        // Wrong JSON types.
        expect("PAYAUTH_CONFIG_INVALID_FIELD", () -> new Signer("{\"profile\":\"netzme\",\"client_id\":5,\"client_secret\":\"" + SECRET + "\"}"));
        expect("PAYAUTH_CONFIG_INVALID_FIELD", () -> new Signer("{\"profile\":\"netzme\",\"client_id\":\"x\",\"client_secret\":[\"" + SECRET + "\"]}"));
        expect("PAYAUTH_CONFIG_SECRET_SOURCE", () -> new Signer("{\"profile\":\"netzme\",\"client_id\":\"x\",\"client_secret_env\":\"PAYAUTH_JAVA_TEST_UNSET_VARIABLE\"}"));
        expect("PAYAUTH_KEY_INVALID", () -> new Signer("{\"profile\":\"paynet-jws\",\"client_id\":\"x\",\"private_key\":\"" + SECRET + "\"}"));
        expect("PAYAUTH_CONFIG_INVALID_FIELD", () -> new Client(netzmeClient(",\"timeout_ms\":\"soon\"")));
        expect("PAYAUTH_CONFIG_JSON", () -> new Client("{\"profile\":"));
    }

    @Test
    public void badRequestValuesAreInvalidArgumentErrors() throws Exception {
        try (Signer s = new Signer(NETZME)) {
            expect("PAYAUTH_INVALID_ARGUMENT", () -> s.sign("GET", "/x", null, "t", -1, null, false));
            expect("PAYAUTH_INVALID_ARGUMENT", () -> s.sign("GET", "/x\0y", null, "t"));
            expect("PAYAUTH_INVALID_ARGUMENT", () -> s.sign("GET", "/x", null, "t", Long.MAX_VALUE, null, false));
            expect("PAYAUTH_INVALID_ARGUMENT", () -> s.sign("GET", "/x", null, "t", 0, Extras.NONE.externalId("abc"), false));
            expect("PAYAUTH_INVALID_ARGUMENT", () -> s.sign("GET", "/x", null, "t", 0, Extras.NONE.timestamp("a\nb"), false));
            expect("PAYAUTH_INVALID_ARGUMENT", () -> s.sign("GET", "/x", null, "t", 0, Extras.NONE.messageId("m\0"), false));
            expect("PAYAUTH_INVALID_ARGUMENT", () -> s.sign("GET", "/x\r\nX-Injected: 1", null, "t"));
            expect("PAYAUTH_INVALID_ARGUMENT", () -> s.sign("GET", "/x", null, "t\nX: y"));
            expect("PAYAUTH_INVALID_ARGUMENT", () -> s.sign("", "/x", null, "t"));
            expect("PAYAUTH_UNSUPPORTED", () -> new Signer("{\"profile\":\"paytia\",\"api_key\":\"k\"}").tokenHeaders());
        }
        try (Client c = new Client(netzmeClient(""))) {
            expect("PAYAUTH_INVALID_ARGUMENT", () -> c.invalidate(""));
            expect("PAYAUTH_NULL_ARGUMENT", () -> c.invalidate(null));
            expect("PAYAUTH_NULL_ARGUMENT", () -> c.signRequest(null, "/x", null));
        }
        expect("PAYAUTH_NOT_FOUND", () -> PayAuth.constant("PAYAUTH_NO_SUCH_CONSTANT"));
        expect("PAYAUTH_JSON_INVALID", () -> Primitives.jsonMinify("{\"a\":"));
        expect("PAYAUTH_KEY_INVALID", () -> Primitives.rsaSign(Hash.SHA256, Encoding.BASE64, "not a key", new byte[1]));
    }

    @Test
    public void closedHandlesThrowAndDoubleCloseIsHarmless() throws Exception {
        Signer s = new Signer(NETZME);
        assertFalse(s.isClosed());
        s.close();
        s.close();
        assertTrue(s.isClosed());
        assertThrows(IllegalStateException.class, () -> s.sign("GET", "/x", null, "t"));
        assertThrows(IllegalStateException.class, () -> s.tokenHeaders());
        assertThrows(IllegalStateException.class, () -> s.verify("GET", "/x", null, "t", "1", "ab"));
        assertThrows(IllegalStateException.class, s::profile);
        assertEquals("Signer[closed]", s.toString());

        Client c = new Client(netzmeClient(""));
        c.close();
        c.close();
        assertThrows(IllegalStateException.class, () -> c.signRequest("GET", "/x", null));
        assertThrows(IllegalStateException.class, () -> c.invalidate("t"));
        assertThrows(IllegalStateException.class, c::statsJson);
        assertEquals("Client[closed]", c.toString());
    }

    @Test
    public void unclosedHandlesAreLeftToTheCleaner() throws Exception {
        for (int i = 0; i < 2000; i++) {
            new Signer(NETZME).sign("GET", "/x", null, "t");
            new Client(netzmeClient(""));
        }
        System.gc();
        // Still usable afterwards: nothing freed twice, nothing in use freed.
        try (Signer s = new Signer(NETZME)) {
            assertEquals("netzme", s.profile());
        }
    }

    @Test
    public void textsAndReprsNeverShowSecrets() throws Exception {
        try (Signer s = new Signer(NETZME)) {
            SignResult r = s.sign("POST", "/x", "{}".getBytes(StandardCharsets.UTF_8), "tok-123", 1000, Extras.NONE, true);
            assertEquals("Signer[netzme]", s.toString());
            String all = s + " " + r + " " + r.headers() + " " + r.explain() + " " + r.headerBlock();
            assertFalse(all, all.contains(SECRET));
            assertFalse("Header.toString hides values: " + r.headers(), r.headers().toString().contains("tok-123"));
            assertTrue(r.explain("hmac_key"), r.explain("hmac_key").startsWith("[client_secret, " + SECRET.length() + " bytes]"));
        }
    }
}
