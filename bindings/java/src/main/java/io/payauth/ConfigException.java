package io.payauth;

/** A failure of the {@code config} status group: the configuration (syntax, profile, fields, secret sources). */
public class ConfigException extends PayAuthException {
    private static final long serialVersionUID = 1L;

    /** See {@link PayAuthException#PayAuthException(int, String, String)}. */
    public ConfigException(int code, String statusName, String detail) {
        super(code, statusName, detail);
    }
}
