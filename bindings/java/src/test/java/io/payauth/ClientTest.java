package io.payauth;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.After;
import org.junit.Test;

/**
 * The client against the loopback gateway emulator: tokens fetched and cached, signed requests
 * accepted by the emulator's independent verifier, invalidation after a 401, token failures.
 * Counters are compared before/after (other suites may have used the same emulator); no test
 * asserts a duration.
 */
public class ClientTest {
    private static final byte[] BODY =
            "{\"amount\":{\"value\":\"10.00\",\"currency\":\"MYR\"},\"note\":\"caf\u00e9 \u65e5\"}"
                    .getBytes(StandardCharsets.UTF_8);
    private static final byte[] TAMPERED =
            "{\"amount\":{\"value\":\"99.00\",\"currency\":\"MYR\"},\"note\":\"caf\u00e9 \u65e5\"}"
                    .getBytes(StandardCharsets.UTF_8);

    private final Gateway gw = new Gateway();

    @After
    public void clearFaults() {
        gw.control("clear-faults", null);
    }

    @Test
    public void everyProfileSignsRequestsTheGatewayAccepts() throws Exception {
        Object before = gw.stats();
        for (String profile : gw.profiles()) {
            try (Client client = new Client(gw.clientConfig(profile, null))) {
                String path = "/echo/" + profile + "/v1/pay?ref=A1&x=2";
                SignResult r = client.signRequest("POST", path, BODY, 0, gw.extrasFor(profile), false);
                assertEquals(profile + " POST " + r, 200, gw.send("POST", path, r.headers(), BODY));
                boolean bodySigned = !profile.matches("paynet|azupay|paytia|paynet-reports");
                assertEquals(profile, client.profile());
                if (bodySigned) {
                    assertEquals(profile + " accepted a tampered body", 401, gw.send("POST", path, r.headers(), TAMPERED));
                }
                String get = "/echo/" + profile + "/v1/balance?id=7";
                SignResult g = client.signRequest("GET", get, null, 0, gw.extrasFor(profile), false);
                assertEquals(profile + " GET", 200, gw.send("GET", get, g.headers(), null));
            }
        }
        Object after = gw.stats();
        for (String profile : gw.profiles()) {
            assertEquals(profile + " echo_ok", 2,
                    Gateway.counter(after, profile, "echo_ok") - Gateway.counter(before, profile, "echo_ok"));
            long tokens = Gateway.counter(after, profile, "token_requests")
                    - Gateway.counter(before, profile, "token_requests");
            assertEquals(profile + ": one token for both requests", gw.tokenPath(profile) == null ? 0 : 1, tokens);
        }
    }

    @Test
    public void invalidateAfterA401FetchesOneNewToken() throws Exception {
        Object before = gw.stats();
        try (Client client = new Client(gw.clientConfig("netzme", null))) {
            String first = client.signRequest("GET", "/echo/netzme/x", null).header("Authorization");
            assertTrue(first, first.startsWith("Bearer "));
            assertEquals("cached", first, client.signRequest("GET", "/echo/netzme/x", null).header("Authorization"));
            assertTrue("evicts the token sent", client.invalidate(first));
            assertFalse("the cache moved on", client.invalidate(first));
            SignResult again = client.signRequest("GET", "/echo/netzme/y", null);
            assertNotEquals(first, again.header("Authorization"));
            assertEquals(200, gw.send("GET", "/echo/netzme/y", again.headers(), null));
            String stats = client.statsJson();
            Object s = Json.parse(stats);
            assertEquals(stats, 2L, Json.get(s, "fetches"));
            assertEquals(stats, 1L, Json.get(s, "invalidations"));
        }
        Object after = gw.stats();
        assertEquals(2, Gateway.counter(after, "netzme", "token_requests") - Gateway.counter(before, "netzme", "token_requests"));
        assertEquals(0, Gateway.counter(after, "killed_token_uses") - Gateway.counter(before, "killed_token_uses"));
    }

    @Test
    public void explainArtifactsThroughTheClient() throws Exception {
        try (Client client = new Client(gw.clientConfig("snap", null))) {
            SignResult r = client.signRequest("POST", "/echo/snap/v1/pay", BODY, 0, Extras.NONE.externalId("42"), true);
            assertEquals("42", r.header("X-EXTERNAL-ID"));
            assertEquals(Primitives.sha256Hex(BODY), r.explain("body_sha256"));
            assertTrue(r.explain("string_to_sign"), r.explain("string_to_sign").startsWith("POST:/echo/snap/v1/pay:"));
            assertEquals(200, gw.send("POST", "/echo/snap/v1/pay", r.headers(), BODY));
        }
    }

    /** Injects {@code fault} on the paynet token endpoint and returns the failure of a fresh client. */
    private PayAuthException fails(String faultJson, Map<String, Object> extra) throws Exception {
        gw.control("clear-faults", null);
        gw.control("fault", faultJson);
        try (Client client = new Client(gw.clientConfig("paynet", extra))) {
            client.signRequest("GET", "/echo/paynet/x", null);
            fail("expected a token failure for " + faultJson);
            return null;
        } catch (PayAuthException e) {
            return e;
        }
    }

    @Test
    public void tokenFailuresGiveTheirStatusAndNoSecret() throws Exception {
        String secret = Json.str(Json.get(gw.get("/_emulator/config"), "paynet"), "client_secret");
        String[][] cases = {
            {"{\"endpoint\":\"paynet\",\"fault\":\"status\",\"status\":503}", "PAYAUTH_HTTP_STATUS"},
            {"{\"endpoint\":\"paynet\",\"fault\":\"malformed\"}", "PAYAUTH_TOKEN_RESPONSE_INVALID"},
            {"{\"endpoint\":\"paynet\",\"fault\":\"reset\"}", "PAYAUTH_NETWORK"},
            {"{\"endpoint\":\"paynet\",\"fault\":\"invalid_credentials\"}", "PAYAUTH_CREDENTIALS_REJECTED"},
            {"{\"endpoint\":\"paynet\",\"fault\":\"rate_limited\",\"retry_after_s\":30}", "PAYAUTH_RATE_LIMITED"},
        };
        for (String[] c : cases) {
            PayAuthException e = fails(c[0], null);
            assertEquals(c[0] + ": " + e.getMessage(), c[1], e.statusName());
            assertEquals(e.code(), PayAuth.constant(c[1]));
            assertFalse("secret in message: " + e.getMessage(), e.getMessage().contains(secret));
        }
    }

    @Test
    public void rejectedCredentialsAreNotRetriedDuringTheBackoff() throws Exception {
        gw.control("fault", "{\"endpoint\":\"paynet\",\"fault\":\"invalid_credentials\"}");
        Object before = gw.stats();
        try (Client client = new Client(gw.clientConfig("paynet", null))) {
            for (int i = 0; i < 4; i++) {
                try {
                    client.signRequest("GET", "/echo/paynet/x", null);
                    fail("expected a failure");
                } catch (PayAuthException e) {
                    assertEquals(i == 0 ? "PAYAUTH_CREDENTIALS_REJECTED" : "PAYAUTH_BACKOFF", e.statusName());
                }
            }
        }
        assertEquals("one token request", 1, Gateway.counter(gw.stats(), "paynet", "token_requests")
                - Gateway.counter(before, "paynet", "token_requests"));
    }

    @Test
    public void unreachableAndUntrustedGatewaysAreClearErrors() throws Exception {
        String config = gw.clientConfig("paynet", Map.of("token_url", "https://127.0.0.1:1/auth/token"));
        try (Client client = new Client(config)) {
            client.signRequest("GET", "/x", null);
            fail("connected to port 1");
        } catch (PayAuthException e) {
            assertEquals(e.getMessage(), "PAYAUTH_NETWORK", e.statusName());
        }
        // The system roots do not trust the emulator's private CA.
        Map<String, Object> untrusted = gw.configMap("paynet");
        untrusted.remove("ca_file");
        try (Client client = new Client(Json.write(untrusted))) {
            client.signRequest("GET", "/x", null);
            fail("trusted a private CA");
        } catch (PayAuthException e) {
            assertEquals(e.getMessage(), "PAYAUTH_TLS", e.statusName());
        }
    }

    @Test
    public void statsJsonIsAJsonObjectOfCounters() throws Exception {
        try (Client client = new Client(gw.clientConfig("paytia", null))) {
            Object s = Json.parse(client.statsJson());
            assertNotNull(Json.get(s, "hits"));
            assertEquals(0L, Json.get(s, "fetches"));
            client.signRequest("GET", "/echo/paytia/x", null);
            client.signRequest("GET", "/echo/paytia/x", null);
            s = Json.parse(client.statsJson());
            assertEquals(1L, Json.get(s, "fetches"));
            assertEquals(1L, Json.get(s, "hits"));
        }
    }
}
