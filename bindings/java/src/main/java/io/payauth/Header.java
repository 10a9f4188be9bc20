package io.payauth;

import java.util.Objects;

/**
 * One HTTP header to send: a name and a value, in the order the library returned them.
 * {@link #toString()} hides the value (it may be a token or an API key).
 */
public final class Header {
    private final String name;
    private final String value;

    /** A header {@code name: value}. */
    public Header(String name, String value) {
        this.name = Objects.requireNonNull(name, "name");
        this.value = Objects.requireNonNull(value, "value");
    }

    /** The header name, e.g. {@code X-Signature}. */
    public String name() {
        return name;
    }

    /** The header value, exactly as it must be sent. */
    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Header h && h.name.equals(name) && h.value.equals(value);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + value.hashCode();
    }

    /** {@code Name: [N chars]} — the value is left out so that logging a header leaks nothing. */
    @Override
    public String toString() {
        return name + ": [" + value.length() + " chars]";
    }
}
