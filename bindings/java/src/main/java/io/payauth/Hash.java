package io.payauth;

/** Hash functions of {@link Primitives}; their codes come from {@code payauth_constant}. */
public enum Hash {
    /** SHA-256. */
    SHA256("PAYAUTH_HASH_SHA256"),
    /** SHA-512. */
    SHA512("PAYAUTH_HASH_SHA512");

    private final String constant;
    private volatile int code = -1;

    Hash(String constant) {
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
