package io.payauth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The headers of one signed request, in the order they should be sent, plus the explain
 * artifacts ({@code string_to_sign}, {@code body_sha256}, {@code hmac_key}…) when the call asked
 * for them. Immutable; holds no native memory.
 */
public final class SignResult {
    private final List<Header> headers;
    private final Map<String, String> explain;
    private final String block;

    private SignResult(List<Header> headers, Map<String, String> explain, String block) {
        this.headers = headers;
        this.explain = explain;
        this.block = block;
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
        return block;
    }

    /** The explain artifacts by name, in the library's order (empty unless explain was asked). */
    public Map<String, String> explain() {
        return explain;
    }

    /** One explain artifact, or null. Secrets appear only as {@code [field, N bytes]}. */
    public String explain(String name) {
        return explain.get(name);
    }

    /** Lists the header names only (values may be secrets). */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("SignResult");
        String sep = "[";
        for (Header h : headers) {
            b.append(sep).append(h.name());
            sep = ", ";
        }
        return b.append(headers.isEmpty() ? "[]" : "]").toString();
    }

    /**
     * Reads a live {@code payauth_headers} (the caller frees it): all headers through one
     * {@code payauth_headers_text} call, and the explain artifacts when {@code explain}.
     */
    static SignResult read(long h, Scratch s, boolean explain) {
        if (NativeApi.payauth_headers_text(h, s.slot(1), s.slot(2)) != 0) {
            throw new IllegalStateException("payauth_headers_text failed on a live result");
        }
        String block = Scratch.text(s.slotValue(1), s.slotValue(2));
        List<Header> list = parse(block);
        Map<String, String> artifacts = Map.of();
        if (explain) {
            long n = NativeApi.payauth_headers_explain_count(h);
            Map<String, String> m = new LinkedHashMap<>();
            for (long i = 0; i < n; i++) {
                if (NativeApi.payauth_headers_explain_get(h, i, s.slot(3), s.slot(4), s.slot(5), s.slot(6)) != 0) {
                    throw new IllegalStateException("payauth_headers_explain_get failed within its count");
                }
                m.put(Scratch.text(s.slotValue(3), s.slotValue(4)), Scratch.text(s.slotValue(5), s.slotValue(6)));
            }
            artifacts = Collections.unmodifiableMap(m);
        }
        return new SignResult(list, artifacts, block);
    }

    /** A result from a header block alone ({@code Name: value\r\n} lines, no explain artifacts). */
    static SignResult ofBlock(String block) {
        return new SignResult(parse(block), Map.of(), block);
    }

    /**
     * Splits {@code Name: value\r\n…} (names never hold ':', values never hold CR or LF). Works on
     * the decoded text: {@code String.indexOf} is vectorised, which makes this about a third
     * cheaper than scanning the bytes.
     */
    static List<Header> parse(String block) {
        List<Header> out = new ArrayList<>(8);
        int at = 0;
        int n = block.length();
        while (at < n) {
            int colon = block.indexOf(':', at);
            int eol = colon < 0 ? -1 : block.indexOf('\r', colon);
            if (eol < 0 || eol + 1 >= n || block.charAt(eol + 1) != '\n') {
                throw new IllegalStateException("malformed header block from payauth");
            }
            int v = colon + 1 < eol && block.charAt(colon + 1) == ' ' ? colon + 2 : colon + 1;
            out.add(new Header(block.substring(at, colon), block.substring(v, eol)));
            at = eol + 2;
        }
        return Collections.unmodifiableList(out);
    }
}
