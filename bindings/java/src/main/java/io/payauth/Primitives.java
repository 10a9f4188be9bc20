package io.payauth;

import java.nio.charset.StandardCharsets;

/**
 * The library's building blocks, for schemes a profile does not cover: HMAC (and its
 * constant-time check), SHA-256, RSA PKCS#1 v1.5 signatures and JSON minification. Thread-safe;
 * null inputs throw {@link ArgumentException} ({@code PAYAUTH_NULL_ARGUMENT}).
 */
public final class Primitives {
    private Primitives() {}

    /** The call to make once the inputs are placed at {@code a} (address, length pairs). */
    private interface Placed {
        Call.Output with(long[] a);
    }

    private static byte[] run(Placed p, byte[]... inputs) throws PayAuthException {
        long size = Call.CAP;
        for (byte[] b : inputs) {
            if (b == null) {
                throw PayAuthException.of(Call.NULL_ARG, "an input is null");
            }
            size += b.length;
        }
        try (Scratch s = Scratch.open(size)) {
            long[] a = new long[2 * inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                a[2 * i] = s.put(inputs[i]);
                a[2 * i + 1] = inputs[i].length;
            }
            return Call.output(s, p.with(a));
        }
    }

    private static String ascii(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** HMAC of {@code msg} under {@code key}, encoded. */
    public static String hmac(Hash hash, Encoding encoding, byte[] key, byte[] msg) throws PayAuthException {
        int h = code(hash), e = code(encoding);
        return ascii(run(a -> (out, cap, len, err) -> NativeApi.payauth_hmac(h, e, a[0], a[1], a[2], a[3], out, cap, len,
                err), key, msg));
    }

    /** Constant-time check that {@code signature} is the HMAC of {@code msg} (hex ignores case). */
    public static boolean hmacVerify(Hash hash, Encoding encoding, byte[] key, byte[] msg, String signature)
            throws PayAuthException {
        int h = code(hash), e = code(encoding);
        byte[] sig = Call.required(signature, "signature");
        if (key == null || msg == null) {
            throw PayAuthException.of(Call.NULL_ARG, "key and msg must not be null");
        }
        try (Scratch s = Scratch.open((long) key.length + msg.length + sig.length)) {
            long k = s.put(key), m = s.put(msg), g = s.put(sig);
            return Call.verified(s, NativeApi.payauth_hmac_verify(h, e, k, key.length, m, msg.length, g, sig.length, s.err));
        }
    }

    /** Lowercase hex SHA-256 of {@code data}. */
    public static String sha256Hex(byte[] data) throws PayAuthException {
        return ascii(run(a -> (out, cap, len, err) -> NativeApi.payauth_sha256_hex(a[0], a[1], out, cap, len, err), data));
    }

    /** RSASSA-PKCS1-v1_5 signature (the key is parsed per call: use a {@link Signer} to repeat). */
    public static String rsaSign(Hash hash, Encoding encoding, String privateKey, byte[] msg) throws PayAuthException {
        int h = code(hash), e = code(encoding);
        return ascii(run(a -> (out, cap, len, err) -> NativeApi.payauth_rsa_sign(h, e, a[0], a[1], a[2], a[3], out, cap,
                len, err), Call.required(privateKey, "privateKey"), msg));
    }

    /** JSON without insignificant whitespace (key order, numbers and escapes kept byte for byte). */
    public static String jsonMinify(String json) throws PayAuthException {
        return new String(run(a -> (out, cap, len, err) -> NativeApi.payauth_json_minify(a[0], a[1], out, cap, len, err),
                Call.required(json, "json")), StandardCharsets.UTF_8);
    }

    private static int code(Object hashOrEncoding) throws PayAuthException {
        if (hashOrEncoding instanceof Hash) {
            return ((Hash) hashOrEncoding).code();
        }
        if (hashOrEncoding instanceof Encoding) {
            return ((Encoding) hashOrEncoding).code();
        }
        throw PayAuthException.of(Call.NULL_ARG, "hash and encoding must not be null");
    }

    static int constantCode(String name) {
        try {
            return (int) PayAuth.constant(name);
        } catch (PayAuthException e) {
            throw new IllegalStateException("libpayauth lacks " + name, e);
        }
    }
}
