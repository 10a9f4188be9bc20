package io.payauth;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One signed request: the headers in sending order, the body to send when the signature covers
 * other bytes than the body given (a minified JSON body; else null), and the explain artifacts
 * when asked for (secrets as {@code [field, N bytes]}). Immutable; holds no native memory.
 */
public final class SignResult {
    private final List<Header> headers;
    private final byte[] body;
    private final Map<String, String> explain;

    private SignResult(List<Header> headers, byte[] body, Map<String, String> explain) {
        this.headers = headers;
        this.body = body;
        this.explain = explain;
    }

    /** Decodes the library's result: {@code name\0value} pairs, then optional tagged sections. */
    static SignResult decode(byte[] d) {
        int end = 0;
        while (end < d.length && d[end] != 1) {
            end++;
        }
        List<Header> list = new ArrayList<>(8);
        for (int at = 0; at < end;) {
            int nul = at;
            while (d[nul] != 0) {
                nul++;
            }
            int v = nul + 1;
            int stop = v;
            while (stop < end && d[stop] != 0) {
                stop++;
            }
            list.add(new Header(text(d, at, nul - at), text(d, v, stop - v)));
            at = stop + 1;
        }
        byte[] body = null;
        Map<String, String> explain = Map.of();
        for (int at = end + 1; at < d.length;) {
            byte tag = d[at++];
            if (tag == 'B') {
                int n = le32(d, at);
                body = java.util.Arrays.copyOfRange(d, at + 4, at + 4 + n);
                at += 4 + n;
            } else {
                int count = le32(d, at);
                at += 4;
                Map<String, String> m = new LinkedHashMap<>();
                for (int i = 0; i < count; i++) {
                    int nl = le32(d, at);
                    String name = text(d, at + 4, nl);
                    at += 4 + nl;
                    int vl = le32(d, at);
                    m.put(name, text(d, at + 4, vl));
                    at += 4 + vl;
                }
                explain = Collections.unmodifiableMap(m);
            }
        }
        return new SignResult(Collections.unmodifiableList(list), body, explain);
    }

    private static String text(byte[] d, int at, int n) {
        return new String(d, at, n, StandardCharsets.UTF_8);
    }

    private static int le32(byte[] d, int at) {
        return (d[at] & 0xff) | (d[at + 1] & 0xff) << 8 | (d[at + 2] & 0xff) << 16 | (d[at + 3] & 0xff) << 24;
    }

    /** Every header, in order (unmodifiable). */
    public List<Header> headers() {
        return headers;
    }

    /** The value of the first header named {@code name} (ASCII case-insensitive), or null. */
    public String header(String name) {
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                return h.value();
            }
        }
        return null;
    }

    /** The headers as one block, {@code Name: value\r\n} per header. */
    public String headerBlock() {
        StringBuilder b = new StringBuilder();
        for (Header h : headers) {
            b.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        return b.toString();
    }

    /** The body to send instead of the one given, or null: send your body as it is. */
    public byte[] body() {
        return body == null ? null : body.clone();
    }

    /** The explain artifacts by name, in the library's order (empty unless asked for). */
    public Map<String, String> explain() {
        return explain;
    }

    /** One explain artifact, or null. */
    public String explain(String name) {
        return explain.get(name);
    }

    /** Header names only (values carry tokens and keys). */
    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        headers.forEach(h -> names.add(h.name()));
        return "SignResult" + names + (body == null ? "" : "+body[" + body.length + " bytes]");
    }
}
