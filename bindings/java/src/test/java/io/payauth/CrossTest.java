package io.payauth;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * The cross-check tool ({@link Cross}, run by bindings/java/cross; contract in tests/c/cross.c):
 * every signing, token-header and verification vector prints its headers, body to send and
 * status.
 */
public class CrossTest {
    private static final List<String> OPS = List.of("sign", "token_headers", "verify", "verify_rsa", "verify_snap_rsa", "verify_jws");

    @Test
    @SuppressWarnings("unchecked")
    public void printsEveryVectorsOutcome() throws Exception {
        File[] files = TestEnv.vectorsDir().listFiles((d, n) -> n.endsWith(".json"));
        Arrays.sort(files);
        List<Object> cases = new ArrayList<>();
        StringBuilder want = new StringBuilder();
        for (File f : files) {
            Object v = Json.parse(Files.readString(f.toPath(), StandardCharsets.UTF_8));
            Object expect = Json.get(v, "expect");
            if (!OPS.contains(Json.str(v, "operation")) || !(Json.get(v, "config") instanceof Map)) {
                continue;
            }
            Map<String, Object> c = new LinkedHashMap<>((Map<String, Object>) Json.get(v, "input"));
            c.put("op", Json.str(v, "operation"));
            c.put("config", Json.get(v, "config"));
            c.put("time_ms", c.remove("timestamp_ms"));
            cases.add(c);
            String status = Json.str(expect, "status");
            Object headers = Json.get(expect, "headers");
            if (status.equals("PAYAUTH_OK") && headers != null) {
                for (Object pair : (List<Object>) headers) {
                    List<Object> p = (List<Object>) pair;
                    want.append(p.get(0)).append(": ").append(p.get(1)).append('\n');
                }
            }
            if (Json.get(expect, "body") instanceof String) {
                want.append("= body: ").append(Json.str(expect, "body")).append('\n');
            }
            want.append("= status: ").append(status).append("\n\n");
        }
        assertTrue("enough vectors: " + cases.size(), cases.size() >= 80);
        File in = new File(Gateway.freshDir("cross-"), "cases.json");
        Files.writeString(in.toPath(), Json.write(Map.of("cases", cases)), StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Cross.run(in.toPath(), out);
        assertEquals(want.toString(), out.toString(StandardCharsets.UTF_8));
    }
}
