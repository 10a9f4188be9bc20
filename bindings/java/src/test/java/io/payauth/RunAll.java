package io.payauth;

import java.io.File;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.runner.Description;
import org.junit.runner.JUnitCore;
import org.junit.runner.Result;
import org.junit.runner.notification.Failure;
import org.junit.runner.notification.RunListener;

/**
 * Runs the JUnit 4 test classes given as arguments (default: every {@code *Test} class next to
 * this one, so that a new test class cannot be forgotten) with
 * {@link JUnitCore}, printing one line per failure and a closing
 * {@code java: N passed, N failed, N skipped} line. Exits 1 on any failure or if no test ran.
 */
public final class RunAll {
    private RunAll() {}

    /** Every top-level {@code io.payauth.*Test} class in the directory this class was loaded from. */
    static List<Class<?>> discover() throws ClassNotFoundException {
        File dir;
        try {
            dir = new File(new File(RunAll.class.getProtectionDomain().getCodeSource().getLocation().toURI()), "io/payauth");
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        String[] names = dir.list((d, n) -> n.endsWith("Test.class") && !n.contains("$"));
        if (names == null || names.length == 0) {
            throw new IllegalStateException("no *Test classes in " + dir);
        }
        Arrays.sort(names);
        List<Class<?>> out = new ArrayList<>();
        for (String n : names) {
            out.add(Class.forName("io.payauth." + n.substring(0, n.length() - ".class".length())));
        }
        return out;
    }

    public static void main(String[] args) throws ClassNotFoundException {
        List<Class<?>> classes = new ArrayList<>();
        for (String a : args) {
            classes.add(Class.forName(a.contains(".") ? a : "io.payauth." + a));
        }
        JUnitCore core = new JUnitCore();
        core.addListener(new RunListener() {
            @Override
            public void testFailure(Failure f) {
                System.out.println("FAIL " + f.getDescription().getDisplayName() + ": " + f.getMessage());
                String trace = f.getTrace();
                System.out.println(trace.length() > 4000 ? trace.substring(0, 4000) + "…" : trace);
            }

            @Override
            public void testAssumptionFailure(Failure f) {
                System.out.println("SKIP " + f.getDescription().getDisplayName() + ": " + f.getMessage());
            }

            @Override
            public void testIgnored(Description d) {
                System.out.println("SKIP " + d.getDisplayName());
            }
        });
        if (classes.isEmpty()) {
            classes = discover();
        }
        Result r = core.run(classes.toArray(new Class<?>[0]));
        int failed = r.getFailureCount();
        int skipped = r.getIgnoreCount() + r.getAssumptionFailureCount();
        int passed = r.getRunCount() - failed - r.getAssumptionFailureCount();
        System.out.printf("JUnit ran %d tests in %.1f s%n", r.getRunCount(), r.getRunTime() / 1000.0);
        System.out.printf("java: %d passed, %d failed, %d skipped%n", passed, failed, skipped);
        System.exit(failed == 0 && passed > 0 ? 0 : 1);
    }
}
