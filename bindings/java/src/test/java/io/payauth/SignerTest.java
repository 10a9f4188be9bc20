package io.payauth;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/** The offline Signer API beyond the vectors: conveniences, lookups, verify, sharing, big bodies. */
public class SignerTest {
    private static final String NETZME = "{\"profile\":\"netzme\",\"client_id\":\"TokoNetmeClientId\",\"client_secret\":\"MaREaULkzAUTAFYg\"}";
    private static final String REPORTS = "{\"profile\":\"paynet-reports\",\"client_id\":\"c\",\"client_secret\":\"s\"}";

    @Test
    public void profileAndHeaderLookup() throws Exception {
        try (Signer s = new Signer(NETZME)) {
            assertEquals("netzme", s.profile());
            SignResult r = s.sign("get", "/api/x?userId=1", null, "tok", 1615190625765L, null, false);
            assertEquals("Bearer tok", r.header("authorization"));
            assertEquals("1615190625765", r.header("REQUEST-TIME"));
            assertNull(r.header("X-Nope"));
            assertTrue("no explain unless asked", r.explain().isEmpty());
            assertEquals("[Authorization, Request-Time, Signature, Client-Id, Content-Type]",
                    r.toString().substring("SignResult".length()));
            assertTrue(r.headerBlock().endsWith("Content-Type: application/json\r\n"));
            assertThrowsUnsupported(() -> r.headers().clear());
            assertThrowsUnsupported(() -> r.explain().clear());
        }
    }

    private static void assertThrowsUnsupported(Runnable r) {
        try {
            r.run();
        } catch (UnsupportedOperationException expected) {
            return;
        }
        throw new AssertionError("the collection is modifiable");
    }

    @Test
    public void timestampZeroMeansNow() throws Exception {
        try (Signer s = new Signer(REPORTS)) {
            long before = System.currentTimeMillis() / 1000;
            long ts = Long.parseLong(s.sign("GET", "/r", null, null).header("X-Timestamp"));
            long after = System.currentTimeMillis() / 1000;
            assertTrue(before + " <= " + ts + " <= " + after, before <= ts && ts <= after);
        }
    }

    @Test
    public void verifyAcceptsOwnSignaturesAndRejectsTampering() throws Exception {
        try (Signer s = new Signer(NETZME)) {
            byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
            SignResult r = s.sign("POST", "/cb", body, "tok", 1700000000000L, null, false);
            String ts = r.header("Request-Time");
            String sig = r.header("Signature");
            assertTrue(s.verify("POST", "/cb", body, "tok", ts, sig));
            assertTrue("hex is case-insensitive", s.verify("POST", "/cb", body, "tok", ts, sig.toUpperCase()));
            assertFalse(s.verify("POST", "/cb", "{\"a\":2}".getBytes(StandardCharsets.UTF_8), "tok", ts, sig));
            assertFalse(s.verify("POST", "/cb", body, "tok", "1700000000001", sig));
        }
        try (Signer rsa = new Signer("{\"profile\":\"paynet-jws\",\"client_id\":\"x\",\"private_key_file\":\""
                + TestEnv.repo() + "/tests/vectors/keys/rsa2048-pkcs1.pem\"}")) {
            MisuseTest.expect("PAYAUTH_UNSUPPORTED", () -> rsa.verify("GET", "/", null, null, "1", "ab"));
        }
    }

    @Test
    public void tokenHeadersOfSnapAndNetzme() throws Exception {
        String key = TestEnv.repo() + "/tests/vectors/keys/rsa2048-pkcs8.pem";
        try (Signer s = new Signer("{\"profile\":\"snap\",\"client_id\":\"cid\",\"client_secret\":\"cs\",\"private_key_file\":\"" + key + "\"}")) {
            SignResult r = s.tokenHeaders(1700000000000L, null, true);
            assertEquals("cid", r.header("X-CLIENT-KEY"));
            assertEquals("2023-11-15T05:13:20+07:00", r.header("X-TIMESTAMP"));
            assertEquals("cid|2023-11-15T05:13:20+07:00", r.explain("string_to_sign"));
            assertEquals(r.header("X-SIGNATURE"), Primitives.rsaSign(Hash.SHA256, Encoding.BASE64,
                    java.nio.file.Files.readString(java.nio.file.Path.of(key)),
                    "cid|2023-11-15T05:13:20+07:00".getBytes(StandardCharsets.UTF_8)));
        }
        try (Signer s = new Signer(NETZME)) {
            assertTrue(s.tokenHeaders().header("Authorization").startsWith("Basic "));
        }
    }

    @Test
    public void bodiesLargerThanTheKeptScratchBuffer() throws Exception {
        String key = TestEnv.repo() + "/tests/vectors/keys/rsa2048-pkcs1.pem";
        byte[] big = new byte[3 << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) ('a' + i % 26);
        }
        String want = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(big));
        try (Signer s = new Signer("{\"profile\":\"snap\",\"client_id\":\"c\",\"client_secret\":\"s\",\"private_key_file\":\"" + key + "\"}")) {
            for (int size : new int[] {0, 100, Scratch.KEEP_MAX, Scratch.KEEP_MAX + 1, big.length}) {
                byte[] body = java.util.Arrays.copyOf(big, size);
                String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
                SignResult r = s.sign("POST", "/p", body, "t", 1000, Extras.NONE.externalId("1"), true);
                assertEquals("size " + size, hash, r.explain("body_sha256"));
            }
            assertEquals(want, Primitives.sha256Hex(big));
        }
    }

    @Test
    public void oneSignerSharedBySixteenThreadsGivesTheSameSignatures() throws Exception {
        try (Signer s = new Signer(NETZME)) {
            List<String> want = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                want.add(s.sign("POST", "/p/" + i, ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), "tok", 1000 + i, null, false).headerBlock());
            }
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<Boolean>> fs = new ArrayList<>();
                for (int t = 0; t < 16; t++) {
                    fs.add(pool.submit(() -> {
                        for (int round = 0; round < 20; round++) {
                            for (int i = 0; i < want.size(); i++) {
                                String got = s.sign("POST", "/p/" + i, ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), "tok", 1000 + i, null, false).headerBlock();
                                if (!got.equals(want.get(i))) {
                                    return false;
                                }
                            }
                        }
                        return true;
                    }));
                }
                for (Future<Boolean> f : fs) {
                    assertTrue(f.get(60, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
