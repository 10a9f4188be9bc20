package io.payauth;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The cross-language check's Java entry (run through {@code bindings/java/cross CASES.json}).
 *
 * <p>Input: {@code {"cases":[{"config":{…},"method":"POST","path":"/x","body":"…",
 * "time_ms":1700000000000,"extra":{…}|null}, …]}} (an optional {@code "token"} string is passed
 * as the access token). Each case is signed offline with a {@link Signer} without explain, i.e.
 * through the packed one-crossing call ({@code payauth_signer_sign_packed}); the output is every
 * header as {@code Name: value} on its own line, in the library's order, then one empty line per
 * case, in UTF-8. Any error: a message on stderr and exit status 1.
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
        } catch (PayAuthException | IOException | RuntimeException e) {
            System.err.println("java cross: " + e.getMessage());
            System.exit(1);
        }
    }

    @SuppressWarnings("unchecked")
    static void run(Path file, OutputStream stdout) throws IOException, PayAuthException {
        Object doc = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        Object cases = Json.get(doc, "cases");
        if (!(cases instanceof List)) {
            throw new IllegalArgumentException(file + ": no \"cases\" array");
        }
        OutputStream out = new BufferedOutputStream(stdout);
        int n = 0;
        for (Object c : (List<Object>) cases) {
            Object cfg = Json.get(c, "config");
            if (cfg == null) {
                throw new IllegalArgumentException("case " + n + ": no config");
            }
            Object extra = Json.get(c, "extra");
            Object time = Json.get(c, "time_ms");
            Object token = Json.get(c, "token");
            try (Signer signer = new Signer(cfg instanceof String ? (String) cfg : Json.write(cfg))) {
                SignResult r = signer.sign(Json.str(c, "method"), Json.str(c, "path"),
                        Json.str(c, "body").getBytes(StandardCharsets.UTF_8),
                        token instanceof String ? (String) token : null,
                        time instanceof Long ? (Long) time : 0L,
                        extra == null ? null : Json.write(extra), false, true); // the packed path
                for (Header h : r.headers()) {
                    out.write((h.name() + ": " + h.value() + "\n").getBytes(StandardCharsets.UTF_8));
                }
                out.write('\n');
            } catch (PayAuthException e) {
                throw new PayAuthException(e.code(), e.statusName(), "case " + n + ": " + e.detail());
            }
            n++;
        }
        out.flush();
    }
}
