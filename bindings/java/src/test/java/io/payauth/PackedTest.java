package io.payauth;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.After;
import org.junit.Test;

/**
 * The one-crossing path ({@link Packed}: {@code payauth_signer_sign_packed},
 * {@code payauth_client_sign_packed}) that {@code Signer.sign} and {@code Client.signRequest}
 * take without explain, against the object path ({@code payauth_*_sign*} + headers object) they
 * take with it: identical headers or identical statuses for every signing vector and every
 * emulator profile, the buffer-too-small growth path, inputs that cannot be packed (NUL bytes),
 * misuse, and the native declarations against include/payauth_ffi.h.
 */
public class PackedTest {
    private static final String NETZME =
            "{\"profile\":\"netzme\",\"client_id\":\"TokoNetmeClientId\",\"client_secret\":\"MaREaULkzAUTAFYg\"}";
    private static final String TOKEN = "cafebface38fe374af5bcf7579a711658585012507d409eebb74f33fa4684711";

    @After
    public void restoreBuffer() {
        Packed.firstOut = Packed.INITIAL_OUT;
    }

    /** The status name of {@code call}'s exception, or "PAYAUTH_OK" with its headers. */
    private static String outcome(Call call, List<String> headers) {
        try {
            SignResult r = call.run();
            for (Header h : r.headers()) {
                headers.add(h.name() + ": " + h.value());
            }
            assertEquals("headerBlock vs headers", headers.isEmpty() ? "" : String.join("\r\n", headers) + "\r\n",
                    r.headerBlock());
            assertTrue("no explain artifacts without explain", r.explain().isEmpty());
            return "PAYAUTH_OK";
        } catch (PayAuthException e) {
            assertFalse("a failure carries a message", e.detail().isEmpty());
            assertEquals(e.statusName(), PayAuth.statusName(e.code()));
            return e.statusName();
        }
    }

    /** A signing call. */
    interface Call {
        SignResult run() throws PayAuthException;
    }

    /** Asserts both paths give the same status and headers; returns the packed headers. */
    private static List<String> same(String what, Call packed, Call object) {
        List<String> hp = new ArrayList<>();
        List<String> ho = new ArrayList<>();
        String sp = outcome(packed, hp);
        String so = outcome(object, ho);
        assertEquals(what + ": status", so, sp);
        assertEquals(what + ": headers", ho, hp);
        return hp;
    }

    /** Every "sign" vector whose config builds a signer: packed == object path (explain off) == expected. */
    @Test
    @SuppressWarnings("unchecked")
    public void everySigningVectorGivesTheSameHeadersOnBothPaths() throws Exception {
        File[] files = TestEnv.vectorsDir().listFiles((d, n) -> n.endsWith(".json"));
        assertNotNull(files);
        Arrays.sort(files);
        int compared = 0;
        int ok = 0;
        for (int small : new int[] {Packed.INITIAL_OUT, 8}) { // then again through the growth path
            Packed.firstOut = small;
            for (File f : files) {
                Object v = Json.parse(Files.readString(f.toPath(), StandardCharsets.UTF_8));
                if (!Json.str(v, "operation").equals("sign") || !(Json.get(v, "config") instanceof Map)) {
                    continue;
                }
                Signer signer;
                try {
                    signer = new Signer(Json.write(Json.get(v, "config")));
                } catch (PayAuthException e) {
                    continue; // a configuration vector: VectorsTest checks its status
                }
                try (signer) {
                    Object in = Json.get(v, "input");
                    Object extraValue = Json.get(in, "extra");
                    String extra = extraValue == null ? null : Json.write(extraValue);
                    Object ts = Json.get(in, "timestamp_ms");
                    long timestampMs = ts instanceof Long ? (Long) ts : 0;
                    byte[] body = Json.str(in, "body").getBytes(StandardCharsets.UTF_8);
                    String method = Json.str(in, "method");
                    String path = Json.str(in, "path");
                    String token = Json.str(in, "token");
                    String what = f.getName() + " (first buffer " + small + ")";
                    List<String> got = same(what,
                            () -> signer.sign(method, path, body, token, timestampMs, extra, false),
                            () -> signer.sign(method, path, body, token, timestampMs, extra, false, false));
                    Object expect = Json.get(v, "expect");
                    Object want = Json.get(expect, "headers");
                    if (Json.str(expect, "status").equals("PAYAUTH_OK") && want != null) {
                        List<String> w = new ArrayList<>();
                        for (Object pair : (List<Object>) want) {
                            List<Object> p = (List<Object>) pair;
                            w.add(p.get(0) + ": " + p.get(1));
                        }
                        assertEquals(what + ": expected headers", w, got);
                        ok++;
                    }
                    compared++;
                }
            }
        }
        assertTrue("compared the signing vectors: " + compared, compared >= 2 * 40);
        assertTrue("with expected headers: " + ok, ok >= 2 * 35);
    }

    /** Headers larger than the first buffer (a long per-request field): grown and signed again. */
    @Test
    public void headersLargerThanTheBufferAreFetchedWithAGrownBuffer() throws Exception {
        try (Signer s = new Signer(NETZME)) {
            SignResult want = s.sign("POST", "/v1/pay?x=1", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), TOKEN, 1_700_000_000_000L,
                    null, false, false);
            for (int first : new int[] {1, 16, want.headerBlock().length(), want.headerBlock().length() + 1}) {
                Packed.firstOut = first;
                SignResult got = s.sign("POST", "/v1/pay?x=1", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), TOKEN,
                        1_700_000_000_000L, null, false);
                assertEquals("first buffer " + first, want.headers(), got.headers());
                assertEquals("first buffer " + first, want.headerBlock(), got.headerBlock());
            }
            // Time-dependent signing (timestamp 0 = now) through the growth path: a valid result.
            Packed.firstOut = 1;
            SignResult now = s.sign("GET", "/v1/x", null, TOKEN);
            assertEquals(want.headers().size(), now.headers().size());
        }
        // A natural one: a token longer than the default 4 KiB buffer, echoed in Authorization.
        Packed.firstOut = Packed.INITIAL_OUT;
        StringBuilder longToken = new StringBuilder();
        while (longToken.length() < 6000) {
            longToken.append(TOKEN);
        }
        String big = longToken.toString();
        try (Signer s = new Signer(NETZME)) {
            List<String> h = same("6000-byte token", () -> s.sign("GET", "/v1/x", null, big, 1_700_000_000_000L, null, false),
                    () -> s.sign("GET", "/v1/x", null, big, 1_700_000_000_000L, null, false, false));
            assertTrue("headers exceed the first buffer: " + String.join("", h).length(),
                    String.join("\r\n", h).length() > Packed.INITIAL_OUT);
        }
    }

    /** Bodies with NUL bytes are packed (the body is the rest); NULs in the other fields fall back. */
    @Test
    public void nulBytesGiveTheSameResultOnBothPaths() throws Exception {
        try (Signer s = new Signer(NETZME)) {
            byte[] body = {'{', 0, '}', 0, 0};
            same("NUL in body", () -> s.sign("POST", "/p", body, TOKEN, 1_700_000_000_000L, null, false),
                    () -> s.sign("POST", "/p", body, TOKEN, 1_700_000_000_000L, null, false, false));
            for (String[] a : new String[][] {
                {"GE\0T", "/p", TOKEN, null}, {"GET", "/p\0/q", TOKEN, null}, {"GET", "/p", "to\0ken", null},
                {"GET", "/p", TOKEN, "{\"timestamp\":\"x\0\"}"}, {"GET", "/p", TOKEN, "\0"}}) {
                same("NUL in " + Arrays.toString(a).replace("\0", "\\0"),
                        () -> s.sign(a[0], a[1], null, a[2], 1_700_000_000_000L, a[3], false),
                        () -> s.sign(a[0], a[1], null, a[2], 1_700_000_000_000L, a[3], false, false));
            }
            assertFalse(Packed.packable("GE\0T".getBytes(StandardCharsets.UTF_8), new byte[1], null, null));
            assertTrue(Packed.packable("GET".getBytes(StandardCharsets.UTF_8), new byte[] {'/'}, null, null));
        }
    }

    /** Misuse through the packed path: same exceptions as before, never a crash. */
    @Test
    public void misuseOnThePackedPath() throws Exception {
        Signer s = new Signer(NETZME);
        MisuseTest.expect("PAYAUTH_NULL_ARGUMENT", () -> s.sign(null, "/x", null, TOKEN));
        MisuseTest.expect("PAYAUTH_NULL_ARGUMENT", () -> s.sign("GET", null, null, TOKEN));
        MisuseTest.expect("PAYAUTH_MISSING_TOKEN", () -> s.sign("GET", "/x", null, null));
        MisuseTest.expect("PAYAUTH_MISSING_TOKEN", () -> s.sign("GET", "/x", null, ""));
        for (String[] bad : new String[][] {{"G ET", "/x", null}, {"GET", "", null}, {"GET", "/x", "{not json"},
            {"GET", "/x", "[1]"}, {"GET", "/x\r\nX: y", null}}) {
            same("bad " + Arrays.toString(bad), () -> s.sign(bad[0], bad[1], null, TOKEN, 0, bad[2], false),
                    () -> s.sign(bad[0], bad[1], null, TOKEN, 0, bad[2], false, false));
        }
        same("negative timestamp", () -> s.sign("GET", "/x", null, TOKEN, -5, null, false),
                () -> s.sign("GET", "/x", null, TOKEN, -5, null, false, false));
        // The thread's scratch buffer still works after failures and after a grown output.
        Packed.firstOut = 2;
        assertEquals(s.sign("GET", "/x", null, TOKEN, 1000, null, false, false).headers(),
                s.sign("GET", "/x", null, TOKEN, 1000, null, false).headers());
        s.close();
        assertThrows(IllegalStateException.class, () -> s.sign("GET", "/x", null, TOKEN));
        s.close();
        // Raw misuse of the C calls: NULL handles and buffers are statuses, not crashes.
        try (Scratch sc = Scratch.open(64)) {
            long req = sc.next();
            sc.putField("GET".getBytes(StandardCharsets.US_ASCII));
            long out = sc.reserve(16);
            assertEquals(Errors.NULL_ARGUMENT, NativeApi.payauth_signer_sign_packed(0, req, 4, 0, out, 16, sc.slot(0), 0));
            assertEquals(Errors.NULL_ARGUMENT, NativeApi.payauth_client_sign_packed(0, req, 4, 0, out, 16, sc.slot(0), 0));
        }
    }

    /** A client whose token endpoint is unreachable: the same status on both paths (withError kept). */
    @Test
    public void clientFailuresAreTheSameOnBothPaths() throws Exception {
        File dir = Gateway.freshDir("cache-");
        String cfg = NETZME.substring(0, NETZME.length() - 1) + ",\"token_url\":\"https://127.0.0.1:1/token\","
                + "\"connect_timeout_ms\":500,\"timeout_ms\":1000,\"cache\":{\"dir\":\"" + dir + "\"}}";
        try (Client c = new Client(cfg)) {
            PayAuthException packed = assertThrows(PayAuthException.class,
                    () -> c.signRequest("GET", "/x", null, 1000, null, false));
            assertFalse(packed.detail().isEmpty());
            PayAuthException object = assertThrows(PayAuthException.class,
                    () -> c.signRequest("GET", "/x", null, 1000, null, false, false));
            assertTrue(packed.statusName() + " / " + object.statusName(),
                    packed.statusName().equals(object.statusName()) || object.is("BACKOFF"));
        }
    }

    /** Every emulator profile through the client: packed == object path, and the gateway accepts it. */
    @Test
    public void everyProfileThroughTheClientGivesTheSameHeadersOnBothPaths() throws Exception {
        Gateway gw = new Gateway();
        byte[] body = "{\"amount\":\"10.00\"}".getBytes(StandardCharsets.UTF_8);
        for (String profile : Gateway.PROFILES) {
            String extra = profile.equals("paynet-jws") ? Gateway.extraFor(profile)
                    : profile.contains("snap") ? "{\"external_id\":\"12345678901234567890123456789012\"}" : null;
            String path = "/echo/" + profile + "/v1/pay?ref=P1";
            long ts = System.currentTimeMillis();
            try (Client client = new Client(gw.clientConfig(profile, null))) {
                for (int first : new int[] {Packed.INITIAL_OUT, 3}) {
                    Packed.firstOut = first;
                    List<String> h = same(profile + " (first buffer " + first + ")",
                            () -> client.signRequest("POST", path, body, ts, extra, false),
                            () -> client.signRequest("POST", path, body, ts, extra, false, false));
                    assertFalse(profile + " signed", h.isEmpty());
                }
                Packed.firstOut = Packed.INITIAL_OUT;
                SignResult r = client.signRequest("POST", path, body, 0, extra, false);
                assertEquals(profile + " accepted", 200, gw.send("POST", path, r.headers(), body));
                MisuseTest.expect("PAYAUTH_NULL_ARGUMENT", () -> client.signRequest(null, path, body));
            }
        }
    }

    /**
     * Every native method of {@link NativeApi} is declared in include/payauth_ffi.h (the generated
     * declaration list the bindings follow) with as many parameters, so that a changed C signature
     * cannot go unnoticed by this binding.
     */
    @Test
    public void nativeDeclarationsMatchPayauthFfiH() throws Exception {
        String h = Files.readString(Path.of(TestEnv.require("PAYAUTH_INCLUDE_DIR"), "payauth_ffi.h"));
        int checked = 0;
        for (Method m : NativeApi.class.getDeclaredMethods()) {
            if (!Modifier.isNative(m.getModifiers())) {
                continue;
            }
            Matcher d = Pattern.compile("\\b" + m.getName() + "\\(([^)]*)\\);").matcher(h);
            assertTrue(m.getName() + " is not in payauth_ffi.h", d.find());
            String params = d.group(1).trim();
            int n = params.equals("void") || params.isEmpty() ? 0 : params.split(",").length;
            assertEquals(m.getName() + " parameters", n, m.getParameterCount());
            checked++;
        }
        assertTrue("checked " + checked, checked >= 30);
        assertTrue(h.contains("payauth_signer_sign_packed") && h.contains("payauth_client_sign_packed"));
    }
}
