package io.payauth;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.Test;

/**
 * The primitives against the JDK's own implementations, and the constant twins against the
 * numbers in the generated payauth.h.
 */
public class PrimitivesTest {
    private static final byte[] KEY = "key-\u00e9".getBytes(StandardCharsets.UTF_8);
    private static final byte[] MSG = "The quick brown fox".getBytes(StandardCharsets.UTF_8);

    private static byte[] jdkHmac(String alg, byte[] key, byte[] msg) throws Exception {
        Mac mac = Mac.getInstance(alg);
        mac.init(new SecretKeySpec(key, alg));
        return mac.doFinal(msg);
    }

    @Test
    public void hmacMatchesTheJdkInEveryEncoding() throws Exception {
        byte[] s256 = jdkHmac("HmacSHA256", KEY, MSG);
        byte[] s512 = jdkHmac("HmacSHA512", KEY, MSG);
        assertEquals(HexFormat.of().formatHex(s256), Primitives.hmac(Hash.SHA256, Encoding.HEX, KEY, MSG));
        assertEquals(HexFormat.of().withUpperCase().formatHex(s256), Primitives.hmac(Hash.SHA256, Encoding.HEX_UPPER, KEY, MSG));
        assertEquals(Base64.getEncoder().encodeToString(s512), Primitives.hmac(Hash.SHA512, Encoding.BASE64, KEY, MSG));
        assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(s512), Primitives.hmac(Hash.SHA512, Encoding.BASE64URL, KEY, MSG));
        byte[] big = new byte[200_000];
        assertEquals(HexFormat.of().formatHex(jdkHmac("HmacSHA256", KEY, big)), Primitives.hmac(Hash.SHA256, Encoding.HEX, KEY, big));
    }

    @Test
    public void hmacVerifyIsTrueOnlyForTheRightSignature() throws Exception {
        String sig = Primitives.hmac(Hash.SHA256, Encoding.HEX, KEY, MSG);
        assertTrue(Primitives.hmacVerify(Hash.SHA256, Encoding.HEX, KEY, MSG, sig));
        assertTrue(Primitives.hmacVerify(Hash.SHA256, Encoding.HEX, KEY, MSG, sig.toUpperCase()));
        assertFalse(Primitives.hmacVerify(Hash.SHA256, Encoding.HEX, KEY, "other".getBytes(StandardCharsets.UTF_8), sig));
        assertFalse(Primitives.hmacVerify(Hash.SHA256, Encoding.HEX, KEY, MSG, ""));
    }

    @Test
    public void sha256MatchesMessageDigest() throws Exception {
        for (int n : new int[] {0, 1, 64, 100_000}) {
            byte[] d = new byte[n];
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(d)), Primitives.sha256Hex(d));
        }
    }

    @Test
    public void rsaSignMatchesJavaSecurity() throws Exception {
        Path pem = TestEnv.repo().toPath().resolve("tests/vectors/keys/rsa2048-pkcs8.pem");
        String text = Files.readString(pem);
        String b64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(key);
        s.update(MSG);
        assertEquals(Base64.getEncoder().encodeToString(s.sign()), Primitives.rsaSign(Hash.SHA256, Encoding.BASE64, text, MSG));
        assertEquals("bare base64 DER", Primitives.rsaSign(Hash.SHA512, Encoding.HEX, text, MSG),
                Primitives.rsaSign(Hash.SHA512, Encoding.HEX, b64, MSG));
        String small = Files.readString(TestEnv.repo().toPath().resolve("tests/vectors/keys/rsa1024-pkcs1.pem"));
        MisuseTest.expect("PAYAUTH_KEY_TOO_SMALL", () -> Primitives.rsaSign(Hash.SHA256, Encoding.BASE64, small, MSG));
    }

    @Test
    public void jsonMinifyKeepsOrderAndEscapes() throws Exception {
        assertEquals("{\"b\":1,\"a\":[1,2,{\"c\":\"x y\\n\"}]}", Primitives.jsonMinify(" {\n \"b\" : 1,\t\"a\": [ 1, 2, {\"c\": \"x y\\n\"} ] }\n"));
        StringBuilder big = new StringBuilder("[");
        for (int i = 0; i < 20_000; i++) {
            big.append(i == 0 ? "" : ", ").append(i);
        }
        assertEquals(big.toString().replace(" ", "") + "]", Primitives.jsonMinify(big + "]"));
    }

    /** Every {@code #define PAYAUTH_X N} of payauth.h has the same value through payauth_constant. */
    @Test
    public void constantTwinsMatchTheHeader() throws Exception {
        String header = Files.readString(Path.of(TestEnv.require("PAYAUTH_INCLUDE_DIR"), "payauth.h"));
        Matcher m = Pattern.compile("(?m)^#define (PAYAUTH_[A-Z0-9_]+) (\\d+)$").matcher(header);
        int checked = 0;
        while (m.find()) {
            String name = m.group(1);
            if (name.startsWith("PAYAUTH_VERSION_")) {
                continue;
            }
            long value = Long.parseLong(m.group(2));
            assertEquals(name, value, PayAuth.constant(name));
            if (!name.startsWith("PAYAUTH_FLAG_") && !name.startsWith("PAYAUTH_HASH_") && !name.startsWith("PAYAUTH_ENCODING_")
                    && !name.startsWith("PAYAUTH_GROUP_")) {
                assertEquals(name, PayAuth.statusName((int) value));
                assertFalse(name, PayAuth.statusDescription((int) value).isEmpty());
            }
            checked++;
        }
        assertTrue("found the status codes in payauth.h", checked > 35);
        assertEquals("PAYAUTH_UNKNOWN", PayAuth.statusName(123456));
        Matcher v = Pattern.compile("#define PAYAUTH_VERSION_STRING \"([^\"]+)\"").matcher(header);
        assertTrue(v.find());
        assertEquals("header and library versions", v.group(1), PayAuth.versionString());
        String[] p = v.group(1).split("\\.");
        assertEquals(Integer.parseInt(p[0]) * 10000 + Integer.parseInt(p[1]) * 100 + Integer.parseInt(p[2]), PayAuth.version());
        assertEquals(PayAuth.version(), PayAuth.constant("PAYAUTH_VERSION"));
    }
}
