package io.payauth;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.Test;

/**
 * The one signing path ({@code payauth_*_sign_packed}): results larger than the per-call buffer
 * from one signing (the spill buffer), under threads too; the body to send; the client's results
 * accepted by the emulator for every profile; exceptions by the core's status group.
 */
public class ResultTest {
    private static final String SNAP = "{\"profile\":\"snap\",\"client_id\":\"c\",\"client_secret\":\"s\"}";

    private static byte[] pretty(int n) {
        return ("{\n  \"note\": \"" + "x".repeat(n) + "\",\n  \"items\": [1, 2]\n}\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    public void aResultLargerThanTheBufferComesFromOneSigning() throws Exception {
        try (Signer s = new Signer(SNAP)) {
            byte[] body = pretty(3 * Call.CAP);
            SignResult r = s.sign("POST", "/v1/pay", body, "tok-12345678", 0, Extras.NONE, true);
            String min = Primitives.jsonMinify(new String(body, StandardCharsets.UTF_8));
            assertEquals(min, new String(r.body(), StandardCharsets.UTF_8));
            String digest = Primitives.sha256Hex(r.body());
            assertEquals(digest, r.explain("body_sha256"));
            assertTrue(r.explain("string_to_sign").endsWith(":" + digest + ":" + r.header("X-TIMESTAMP")));
            assertNull("a compact body is sent as given", s.sign("POST", "/v1/pay", r.body(), "t").body());
        }
    }

    @Test
    public void spilledAndSmallResultsUnderThreadsStayApart() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (Signer s = new Signer(SNAP)) {
            List<Future<Boolean>> all = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                final int t = i;
                all.add(pool.submit(() -> {
                    for (int j = 0; j < 40; j++) {
                        byte[] body = pretty((t * 977 + j * 131) % (2 * Call.CAP));
                        SignResult r = s.sign("POST", "/t/" + t + "/" + j, body, "tok-12345678", 1000, Extras.NONE, true);
                        String min = Primitives.jsonMinify(new String(body, StandardCharsets.UTF_8));
                        if (!min.equals(new String(r.body(), StandardCharsets.UTF_8))
                                || !r.explain("string_to_sign").contains("/t/" + t + "/" + j + ":")) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : all) {
                assertTrue(f.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    public void clientResultsAndBodiesAreAcceptedForEveryProfile() throws Exception {
        Gateway gw = new Gateway();
        for (String profile : gw.profiles()) {
            try (Client c = new Client(gw.clientConfig(profile, null))) {
                String path = "/echo/" + profile + "/v1/pay";
                for (byte[] body : new byte[][] {pretty(10), pretty(2 * Call.CAP)}) {
                    SignResult r = c.signRequest("POST", path, body, 0, gw.extrasFor(profile), false);
                    assertEquals(profile, 200, gw.send("POST", path, r.headers(), r.body() != null ? r.body() : body));
                }
            }
        }
    }

    @Test
    public void exceptionsFollowTheStatusGroups() throws Exception {
        assertSame(ConfigException.class, assertThrows(PayAuthException.class, () -> new Signer("{\"profile\":\"nope\"}")).getClass());
        try (Signer s = new Signer(SNAP)) {
            PayAuthException e = assertThrows(PayAuthException.class, () -> s.sign("GET", "/x", null, null));
            assertSame(SigningException.class, e.getClass());
            assertEquals(3, e.group());
            e = assertThrows(PayAuthException.class, () -> s.sign("GET", "https://h/x", null, "t"));
            assertSame(ArgumentException.class, e.getClass());
            assertEquals(PayAuth.constant("PAYAUTH_GROUP_ARGUMENT"), e.group());
        }
        assertEquals(-1, PayAuth.statusGroup(777));
        assertEquals(4, PayAuth.statusGroup((int) PayAuth.constant("PAYAUTH_BACKOFF")));
    }
}
