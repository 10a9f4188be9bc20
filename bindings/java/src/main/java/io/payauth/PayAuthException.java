package io.payauth;

/**
 * A payauth call failed: the library's status code, its name (e.g.
 * {@code PAYAUTH_CONFIG_INVALID_FIELD}) and detailed message, which never holds a secret. The
 * subclass is chosen by the core's status group ({@code payauth_status_group}), the same mapping
 * in every binding: {@link ArgumentException}, {@link ConfigException}, {@link SigningException},
 * {@link TokenException}; other groups (internal) are this class.
 */
public class PayAuthException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final String statusName;
    private final String detail;

    /**
     * @param code the status code returned by the library
     * @param statusName its name ({@code payauth_status_name})
     * @param detail the detailed message (or the status description when there is none)
     */
    public PayAuthException(int code, String statusName, String detail) {
        super(statusName + " (" + code + "): " + detail);
        this.code = code;
        this.statusName = statusName;
        this.detail = detail;
    }

    /** The exception of the status's group for {@code code}, with the library's message. */
    static PayAuthException of(int code, String detail) {
        String name = PayAuth.statusName(code);
        String d = detail.isEmpty() ? PayAuth.statusDescription(code) : detail;
        switch (NativeApi.payauth_status_group(code)) {
            case 1: return new ArgumentException(code, name, d);
            case 2: return new ConfigException(code, name, d);
            case 3: return new SigningException(code, name, d);
            case 4: return new TokenException(code, name, d);
            default: return new PayAuthException(code, name, d);
        }
    }

    /** The numeric status code (never 0). */
    public int code() {
        return code;
    }

    /** The status name, e.g. {@code PAYAUTH_TIMEOUT}. */
    public String statusName() {
        return statusName;
    }

    /** The library's detailed message, without the status prefix. */
    public String detail() {
        return detail;
    }

    /** The status group ({@code PAYAUTH_GROUP_*}: 1 argument, 2 config, 3 signing, 4 token, 9 internal). */
    public int group() {
        return NativeApi.payauth_status_group(code);
    }

    /** Whether this is the status named {@code name} (with or without the {@code PAYAUTH_} prefix). */
    public boolean is(String name) {
        return statusName.equals(name) || statusName.equals("PAYAUTH_" + name);
    }
}
