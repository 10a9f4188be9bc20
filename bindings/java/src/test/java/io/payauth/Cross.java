package io.payauth;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The cross-language check's Java entry ({@code bindings/java/cross CASES.json}; contract in
 * tests/c/cross.c): every case run offline through a {@link Signer}; per case the headers
 * ({@code Name: value}, library order), {@code = body: …} when there is a body to send,
 * {@code = status: PAYAUTH_…}, then an empty line. An unreadable file: stderr, exit 1.
 */
public final class Cross {
    private Cross() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: bindings/java/cross CASES.json");
            System.exit(2);
        }
        try {
            run(Path.of(args[0]), System.out);
        } catch (IOException | RuntimeException e) {
            System.err.println("java cross: " + e.getMessage());
            System.exit(1);
        }
    }

    @SuppressWarnings("unchecked")
    static void run(Path file, OutputStream stdout) throws IOException {
        Object cases = Json.get(Json.parse(Files.readString(file, StandardCharsets.UTF_8)), "cases");
        if (!(cases instanceof List)) {
            throw new IllegalArgumentException(file + ": no \"cases\" array");
        }
        StringBuilder out = new StringBuilder();
        for (Object c : (List<Object>) cases) {
            Object cfg = Json.get(c, "config");
            try (Signer s = new Signer(cfg instanceof String ? (String) cfg : Json.write(cfg))) {
                out.append(one(s, c));
            } catch (PayAuthException e) {
                out.append("= status: ").append(e.statusName()).append('\n');
            }
            out.append('\n');
        }
        OutputStream o = new BufferedOutputStream(stdout);
        o.write(out.toString().getBytes(StandardCharsets.UTF_8));
        o.flush();
    }

    private static String one(Signer s, Object c) throws PayAuthException {
        Object time = Json.get(c, "time_ms");
        long ts = time instanceof Long ? (Long) time : 0L;
        byte[] body = Json.str(c, "body").getBytes(StandardCharsets.UTF_8);
        Extras x = VectorsTest.extras(Json.get(c, "extra"));
        SignResult r = null;
        boolean ok = true;
        switch (Json.str(c, "op")) {
            case "sign":
                r = s.sign(Json.str(c, "method"), Json.str(c, "path"), body, Json.str(c, "token"), ts, x, false);
                break;
            case "token_headers":
                r = s.tokenHeaders(ts, x.timestamp, false);
                break;
            case "verify":
                ok = s.verify(Json.str(c, "method"), Json.str(c, "path"), body, Json.str(c, "token"),
                        Json.str(c, "timestamp"), Json.str(c, "signature"));
                break;
            case "verify_rsa":
                ok = s.verifyRsa(Json.str(c, "message"), Json.str(c, "signature"));
                break;
            case "verify_snap_rsa":
                ok = s.verifySnapRsa(Json.str(c, "method"), Json.str(c, "path"), body, Json.str(c, "timestamp"),
                        Json.str(c, "signature"));
                break;
            case "verify_jws":
                ok = s.verifyJws(Json.str(c, "jws"), body);
                break;
            default:
                throw new IllegalArgumentException("unknown op " + Json.str(c, "op"));
        }
        StringBuilder b = new StringBuilder();
        if (r != null) {
            for (Header h : r.headers()) {
                b.append(h.name()).append(": ").append(h.value()).append('\n');
            }
            if (r.body() != null) {
                b.append("= body: ").append(new String(r.body(), StandardCharsets.UTF_8)).append('\n');
            }
        }
        return b.append("= status: ").append(ok ? "PAYAUTH_OK" : "PAYAUTH_SIGNATURE_MISMATCH").append('\n').toString();
    }
}
