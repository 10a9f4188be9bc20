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
 * The cross-check tool ({@link Cross}, run by bindings/java/cross): every successful "sign"
 * vector turned into a case must print exactly the vector's headers, one empty line per case.
 */
public class CrossTest {
    @Test
    @SuppressWarnings("unchecked")
    public void printsEveryVectorsHeadersInOrder() throws Exception {
        File[] files = TestEnv.vectorsDir().listFiles((d, n) -> n.endsWith(".json"));
        Arrays.sort(files);
        List<Object> cases = new ArrayList<>();
        StringBuilder want = new StringBuilder();
        for (File f : files) {
            Object v = Json.parse(Files.readString(f.toPath(), StandardCharsets.UTF_8));
            Object expect = Json.get(v, "expect");
            if (!Json.str(v, "operation").equals("sign") || !Json.str(expect, "status").equals("PAYAUTH_OK")) {
                continue;
            }
            Object input = Json.get(v, "input");
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("config", Json.get(v, "config"));
            c.put("method", Json.str(input, "method"));
            c.put("path", Json.str(input, "path"));
            c.put("body", Json.str(input, "body"));
            c.put("time_ms", Json.get(input, "timestamp_ms"));
            c.put("extra", Json.get(input, "extra"));
            c.put("token", Json.str(input, "token"));
            cases.add(c);
            for (Object pair : (List<Object>) Json.get(expect, "headers")) {
                List<Object> p = (List<Object>) pair;
                want.append(p.get(0)).append(": ").append(p.get(1)).append('\n');
            }
            want.append('\n');
        }
        assertTrue("enough sign vectors: " + cases.size(), cases.size() > 30);
        File in = new File(Gateway.freshDir("cross-"), "cases.json");
        Files.writeString(in.toPath(), Json.write(Map.of("cases", cases)), StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Cross.run(in.toPath(), out);
        assertEquals(want.toString(), out.toString(StandardCharsets.UTF_8));
    }
}
