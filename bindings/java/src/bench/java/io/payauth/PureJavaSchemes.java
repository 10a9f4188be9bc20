package io.payauth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The benchmark's baseline: each scheme of docs/profiles.md in plain Java (reused {@link Mac},
 * {@link MessageDigest} and {@link Signature} objects), producing the same headers as the
 * library. One instance per thread.
 */
final class PureJavaSchemes {
    private static final HexFormat HEX = HexFormat.of();
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX")
            .withZone(ZoneOffset.ofHours(7));
    private final Mac sha256 = mac("HmacSHA256");
    private final Mac sha512 = mac("HmacSHA512");
    private final MessageDigest digest;
    private final SecureRandom random = new SecureRandom();

    PureJavaSchemes() throws GeneralSecurityException {
        digest = MessageDigest.getInstance("SHA-256");
    }

    private static Mac mac(String alg) {
        try {
            return Mac.getInstance(alg);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Header> headers(String... nv) {
        List<Header> out = new ArrayList<>(nv.length / 2);
        for (int i = 0; i < nv.length; i += 2) {
            out.add(new Header(nv[i], nv[i + 1]));
        }
        return out;
    }

    /** paynet-reports: X-Signature = hex(HMAC-SHA256(secret, unix seconds)). */
    List<Header> paynetReports(byte[] secret, String token, long ms) throws GeneralSecurityException {
        String ts = Long.toString(ms / 1000);
        sha256.init(new SecretKeySpec(secret, "HmacSHA256"));
        return headers("Authorization", "Bearer " + token, "X-Timestamp", ts, "X-Signature", HEX.formatHex(sha256.doFinal(utf8(ts))));
    }

    /** netzme legacy: HMAC-SHA256 under secret-ts-Bearer token of path=…&method=…&token=…&timestamp=…&body=…. */
    List<Header> netzme(String clientId, String secret, String method, String path, byte[] body, String token, long ms)
            throws GeneralSecurityException {
        String ts = Long.toString(ms);
        String auth = "Bearer " + token;
        sha256.init(new SecretKeySpec(utf8(secret + "-" + ts + "-" + auth), "HmacSHA256"));
        sha256.update(utf8("path=" + path + "&method=" + method.toUpperCase(Locale.ROOT) + "&token=" + auth + "&timestamp=" + ts + "&body="));
        String sig = HEX.formatHex(sha256.doFinal(body));
        return headers("Authorization", auth, "Request-Time", ts, "Signature", sig, "Client-Id", clientId,
                "Content-Type", "application/json");
    }

    /** snap: base64(HMAC-SHA512(secret, METHOD:path:token:sha256hex(body):ts)), ISO +07:00, 32 random digits. */
    List<Header> snap(String clientId, byte[] secret, String method, String path, byte[] body, String token, long ms,
            String externalId) throws GeneralSecurityException {
        String ts = ISO.format(Instant.ofEpochSecond(ms / 1000));
        String sts = method + ":" + path + ":" + token + ":" + HEX.formatHex(digest.digest(body)) + ":" + ts;
        sha512.init(new SecretKeySpec(secret, "HmacSHA512"));
        String sig = Base64.getEncoder().encodeToString(sha512.doFinal(utf8(sts)));
        String ext = externalId != null ? externalId
                : String.format("%016d%016d", Math.floorMod(random.nextLong(), 10_000_000_000_000_000L),
                        Math.floorMod(random.nextLong(), 10_000_000_000_000_000L));
        return headers("Authorization", "Bearer " + token, "X-TIMESTAMP", ts, "X-SIGNATURE", sig, "X-PARTNER-ID", clientId,
                "X-EXTERNAL-ID", ext, "Content-Type", "application/json");
    }

    /** azupay with an HMAC block: hex(HMAC-SHA256(secret, METHOD\npath\nquery\nms\nsha256hex(body))). */
    List<Header> azupay(String apiKey, byte[] secret, String method, String path, byte[] body, long ms)
            throws GeneralSecurityException {
        String ts = Long.toString(ms);
        int q = path.indexOf('?');
        String p = q < 0 ? path : path.substring(0, q), query = q < 0 ? "" : path.substring(q + 1);
        sha256.init(new SecretKeySpec(secret, "HmacSHA256"));
        String sig = HEX.formatHex(sha256.doFinal(utf8(method + "\n" + p + "\n" + query + "\n" + ts + "\n" + HEX.formatHex(digest.digest(body)))));
        return headers("Authorization", apiKey, "X-Azupay-Timestamp", ts, "X-Azupay-Signature", sig);
    }

    /** paytia: the API key and the access token. */
    List<Header> paytia(String apiKey, String token) {
        return headers("X-API-KEY", apiKey, "ACCESS-TOKEN", token);
    }

    /** paynet DOBW: base64(RSASSA-PKCS1-v1_5-SHA256(key, the fields concatenated)). */
    List<Header> paynetDobw(Signature rsa, String token, String stringToSign, String keyId) throws GeneralSecurityException {
        rsa.update(utf8(stringToSign));
        return headers("Authorization", "Bearer " + token, "X-Signature", Base64.getEncoder().encodeToString(rsa.sign()),
                "X-Signature-Key", keyId);
    }

    /** A signing object for a PKCS#8 PEM private key. */
    static Signature rsa(String pkcs8Pem) throws GeneralSecurityException {
        String b64 = pkcs8Pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(key);
        return s;
    }
}
