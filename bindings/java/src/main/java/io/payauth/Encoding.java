package io.payauth;

/** Output encodings of {@link Primitives}; their codes come from {@code payauth_constant}. */
public enum Encoding {
    /** Lowercase hex. */
    HEX("PAYAUTH_ENCODING_HEX"),
    /** Uppercase hex. */
    HEX_UPPER("PAYAUTH_ENCODING_HEX_UPPER"),
    /** Standard base64 with padding. */
    BASE64("PAYAUTH_ENCODING_BASE64"),
    /** URL-safe base64 without padding. */
    BASE64URL("PAYAUTH_ENCODING_BASE64URL");

    private final String constant;
    private volatile int code = -1;

    Encoding(String constant) {
        this.constant = constant;
    }

    int code() {
        int c = code;
        if (c < 0) {
            code = c = Primitives.constantCode(constant);
        }
        return c;
    }
}
