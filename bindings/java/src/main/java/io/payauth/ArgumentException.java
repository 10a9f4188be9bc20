package io.payauth;

/** A failure of the {@code argument} status group: the arguments of the call (NULL, UTF-8, a value out of its domain). */
public class ArgumentException extends PayAuthException {
    private static final long serialVersionUID = 1L;

    /** See {@link PayAuthException#PayAuthException(int, String, String)}. */
    public ArgumentException(int code, String statusName, String detail) {
        super(code, statusName, detail);
    }
}
