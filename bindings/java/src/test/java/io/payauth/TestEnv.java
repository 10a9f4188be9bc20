package io.payauth;

import java.io.File;

/** The environment the test suite runs in (set by bindings/java/test.sh and scripts/bindings-check.sh). */
final class TestEnv {
    private TestEnv() {}

    /** A required variable; fails the test with a clear message when unset. */
    static String require(String name) {
        String v = System.getenv(name);
        if (v == null || v.isEmpty()) {
            throw new AssertionError(name + " is not set: run bindings/java/test.sh through "
                    + "scripts/bindings-check.sh (or scripts/with-emulator.sh)");
        }
        return v;
    }

    /** The conformance vectors directory. */
    static File vectorsDir() {
        return new File(require("PAYAUTH_VECTORS_DIR"));
    }

    /** The repository root. */
    static File repo() {
        return new File(require("PAYAUTH_REPO"));
    }

    /** Where the tests may write: this run's directory (test.sh sets payauth.test.tmp), else target/bindings/java/tmp. */
    static File tmpRoot() {
        String run = System.getProperty("payauth.test.tmp");
        File d = run != null ? new File(run) : new File(repo(), "target/bindings/java/tmp");
        d.mkdirs();
        return d;
    }
}
