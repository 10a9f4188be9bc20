package io.payauth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The benchmark's baseline: the paynet-reports and netzme schemes of docs/profiles.md written in
 * plain Java with one reused {@link Mac} each, doing everything the library does for the same
 * headers (timestamp formatting, string-to-sign, key derivation, hex). Single-threaded.
 */
final class PureJavaSchemes {
    private static final HexFormat HEX = HexFormat.of();
    private final Mac reportsMac;
    private final Mac netzmeMac;
    private final String netzmeSecret;
    private final String netzmeClientId;

    PureJavaSchemes(String reportsSecret, String netzmeClientId, String netzmeSecret) throws GeneralSecurityException {
        reportsMac = Mac.getInstance("HmacSHA256");
        reportsMac.init(new SecretKeySpec(reportsSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        netzmeMac = Mac.getInstance("HmacSHA256");
        this.netzmeSecret = netzmeSecret;
        this.netzmeClientId = netzmeClientId;
    }

    /** paynet-reports: X-Signature = hex(HMAC-SHA256(secret, unix seconds)); the body is not signed. */
    List<Header> paynetReports(String token, long timestampMs) {
        String ts = Long.toString(Math.floorDiv(timestampMs, 1000L));
        String sig = HEX.formatHex(reportsMac.doFinal(ts.getBytes(StandardCharsets.US_ASCII)));
        List<Header> out = new ArrayList<>(3);
        if (token != null && !token.isEmpty()) {
            out.add(new Header("Authorization", "Bearer " + token));
        }
        out.add(new Header("X-Timestamp", ts));
        out.add(new Header("X-Signature", sig));
        return out;
    }

    /**
     * netzme legacy: key = secret-ts-Bearer token (a new key per request), message =
     * path=…&method=…&token=Bearer …&timestamp=…&body=….
     */
    List<Header> netzme(String method, String path, byte[] body, String token, long timestampMs)
            throws GeneralSecurityException {
        String ts = Long.toString(timestampMs);
        String auth = "Bearer " + token;
        String m = method.toUpperCase(Locale.ROOT);
        netzmeMac.init(new SecretKeySpec((netzmeSecret + "-" + ts + "-" + auth).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        netzmeMac.update(("path=" + path + "&method=" + m + "&token=" + auth + "&timestamp=" + ts + "&body=")
                .getBytes(StandardCharsets.UTF_8));
        if (body != null) {
            netzmeMac.update(body);
        }
        String sig = HEX.formatHex(netzmeMac.doFinal());
        List<Header> out = new ArrayList<>(5);
        out.add(new Header("Authorization", auth));
        out.add(new Header("Request-Time", ts));
        out.add(new Header("Signature", sig));
        out.add(new Header("Client-Id", netzmeClientId));
        out.add(new Header("Content-Type", "application/json"));
        return out;
    }
}
