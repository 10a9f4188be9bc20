package io.payauth;

/**
 * A payauth call failed. Carries the library's status code, its name (e.g.
 * {@code PAYAUTH_CONFIG_INVALID_FIELD}) and the library's detailed message, which never contains
 * a secret. Compare statuses by name ({@link #is}) rather than by number.
 */
public class PayAuthException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The status code. */
    private final int code;
    /** The status name. */
    private final String statusName;
    /** The library's message. */
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

    /** Whether this is the status named {@code name} (with or without the {@code PAYAUTH_} prefix). */
    public boolean is(String name) {
        return statusName.equals(name) || statusName.equals("PAYAUTH_" + name);
    }
}
