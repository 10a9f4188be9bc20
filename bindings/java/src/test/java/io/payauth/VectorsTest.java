package io.payauth;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * Every conformance vector in PAYAUTH_VECTORS_DIR (format: docs/vectors-format.md) through the
 * Java API, checking what tests/c/vector_runner.c checks: the status, the exact header list in
 * order, each listed explain artifact, minify output, and that a failure carries its status
 * name and a detailed message.
 */
@RunWith(Parameterized.class)
public class VectorsTest {
    private final String id;
    private final File file;

    public VectorsTest(String id, File file) {
        this.id = id;
        this.file = file;
    }

    /** One test per *.json file, sorted by name. */
    @Parameters(name = "{0}")
    public static List<Object[]> vectors() {
        File[] files = TestEnv.vectorsDir().listFiles((d, n) -> n.endsWith(".json"));
        if (files == null || files.length < 30) {
            throw new AssertionError("expected the full vector set in " + TestEnv.vectorsDir());
        }
        Arrays.sort(files);
        List<Object[]> out = new ArrayList<>();
        for (File f : files) {
            out.add(new Object[] {f.getName().substring(0, f.getName().length() - 5), f});
        }
        return out;
    }

    @Test
    public void vector() throws IOException {
        Object v = Json.parse(Files.readString(file.toPath(), StandardCharsets.UTF_8));
        assertEquals("id differs from the file name", id, Json.str(v, "id"));
        Object expect = Json.get(v, "expect");
        String wantStatus = Json.str(expect, "status");
        assertFalse("expect.status is missing", wantStatus.isEmpty());
        SignResult result = null;
        String gotStatus = "PAYAUTH_OK";
        try {
            result = run(v, expect);
        } catch (PayAuthException e) {
            gotStatus = e.statusName();
            assertEquals("status name vs code", e.statusName(), PayAuth.statusName(e.code()));
            assertFalse("a failure must carry a message", e.detail().isEmpty());
            if (!wantStatus.equals(gotStatus)) {
                fail("status " + gotStatus + " (" + e.detail() + "), want " + wantStatus);
            }
        }
        assertEquals(wantStatus, gotStatus);
        if (result != null) {
            checkHeaders(result, expect);
        }
    }

    /** Runs the operation; returns the headers (sign/token_headers) or null. */
    private SignResult run(Object v, Object expect) throws PayAuthException {
        Object input = Json.get(v, "input");
        String op = Json.str(v, "operation");
        if (op.equals("minify")) {
            String out = Primitives.jsonMinify(Json.str(input, "json"));
            assertEquals("minify output", Json.str(expect, "output"), out);
            return null;
        }
        Object cfg = Json.get(v, "config");
        String config = cfg instanceof String ? (String) cfg : Json.write(cfg);
        try (Signer signer = new Signer(config)) {
            Object ts = Json.get(input, "timestamp_ms");
            long timestampMs = ts instanceof Long ? (Long) ts : 0;
            byte[] body = Json.str(input, "body").getBytes(StandardCharsets.UTF_8);
            Extras extras = extras(Json.get(input, "extra"));
            boolean ok;
            switch (op) {
                case "signer_new":
                    return null;
                case "sign":
                    return signer.sign(Json.str(input, "method"), Json.str(input, "path"), body,
                            Json.str(input, "token"), timestampMs, extras, true);
                case "token_headers":
                    return signer.tokenHeaders(timestampMs, extras.timestamp, true);
                case "verify":
                    ok = signer.verify(Json.str(input, "method"), Json.str(input, "path"), body,
                            Json.str(input, "token"), Json.str(input, "timestamp"), Json.str(input, "signature"));
                    break;
                case "verify_rsa":
                    ok = signer.verifyRsa(Json.str(input, "message"), Json.str(input, "signature"));
                    break;
                case "verify_snap_rsa":
                    ok = signer.verifySnapRsa(Json.str(input, "method"), Json.str(input, "path"), body,
                            Json.str(input, "timestamp"), Json.str(input, "signature"));
                    break;
                case "verify_jws":
                    ok = signer.verifyJws(Json.str(input, "jws"), body);
                    break;
                default:
                    throw new AssertionError("unknown operation " + op);
            }
            if (!ok) {
                int code = (int) PayAuth.constant("PAYAUTH_SIGNATURE_MISMATCH");
                throw new PayAuthException(code, PayAuth.statusName(code), "verification returned false");
            }
            return null;
        }
    }

    /** A vector's {@code extra} object as typed {@link Extras} ({@code fields}: the string to sign as a list). */
    @SuppressWarnings("unchecked")
    static Extras extras(Object extra) {
        Extras x = Extras.NONE;
        if (extra == null) {
            return x;
        }
        Object f = Json.get(extra, "fields");
        if (f instanceof List) {
            x = x.stringToSign(((List<Object>) f).toArray(new String[0]));
        } else if (Json.get(extra, "string_to_sign") instanceof String) {
            x = x.stringToSign(Json.str(extra, "string_to_sign"));
        }
        if (Json.get(extra, "timestamp") instanceof String) {
            x = x.timestamp(Json.str(extra, "timestamp"));
        }
        if (Json.get(extra, "external_id") instanceof String) {
            x = x.externalId(Json.str(extra, "external_id"));
        }
        if (Json.get(extra, "message_id") instanceof String) {
            x = x.messageId(Json.str(extra, "message_id"));
        }
        return x;
    }

    @SuppressWarnings("unchecked")
    private static void checkHeaders(SignResult r, Object expect) {
        Object want = Json.get(expect, "headers");
        if (want != null) {
            List<String> w = new ArrayList<>();
            for (Object pair : (List<Object>) want) {
                List<Object> p = (List<Object>) pair;
                w.add(p.get(0) + ": " + p.get(1));
            }
            List<String> got = new ArrayList<>();
            for (Header h : r.headers()) {
                got.add(h.name() + ": " + h.value());
            }
            assertEquals("headers (exact list, in order)", w, got);
            assertEquals("headerBlock", w.isEmpty() ? "" : String.join("\r\n", w) + "\r\n", r.headerBlock());
        }
        Object explain = Json.get(expect, "explain");
        if (explain != null) {
            for (Map.Entry<String, Object> e : ((Map<String, Object>) explain).entrySet()) {
                assertTrue("explain `" + e.getKey() + "` missing from " + r.explain().keySet(),
                        r.explain().containsKey(e.getKey()));
                assertEquals("explain `" + e.getKey() + "`", e.getValue(), r.explain(e.getKey()));
            }
        }
        Object body = Json.get(expect, "body");
        byte[] got = r.body();
        assertEquals("the body to send", body, got == null ? null : new String(got, StandardCharsets.UTF_8));
    }
}
