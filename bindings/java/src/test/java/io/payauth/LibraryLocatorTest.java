package io.payauth;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import org.junit.Test;

/**
 * The library lookup order: explicit path (property, then PAYAUTH_LIBRARY), a copy next to or
 * inside payauth.jar, then the system. The order itself is checked directly; each step is then
 * exercised in a child JVM running {@code io.payauth.PayAuth} (which prints the path it loaded).
 */
public class LibraryLocatorTest {
    private static final File LIB = new File(TestEnv.require("PAYAUTH_LIBRARY"));
    private static final File JAR = new File(TestEnv.repo(), "target/bindings/java/payauth.jar");
    private static final String JNA = System.getProperty("payauth.test.jna", "/usr/share/java/jna.jar");

    private static List<String> order(String prop, String env, File jarDir, boolean resource) {
        List<String> out = new ArrayList<>();
        for (LibraryLocator.Candidate c : LibraryLocator.candidates(prop, env, jarDir, resource)) {
            out.add(c.kind() + " " + c.location());
        }
        return out;
    }

    @Test
    public void lookupOrder() {
        assertEquals(List.of("EXPLICIT /p.so"), order("/p.so", "/e.so", new File("/j"), true));
        assertEquals(List.of("EXPLICIT /e.so"), order(null, "/e.so", new File("/j"), true));
        assertEquals(List.of("EXPLICIT /e.so"), order("", "/e.so", null, false));
        assertEquals(List.of("FILE /j/libpayauth.so", "RESOURCE " + LibraryLocator.RESOURCE,
                "SYSTEM libpayauth.so.0", "SYSTEM libpayauth.so"), order(null, null, new File("/j"), true));
        assertEquals(List.of("SYSTEM libpayauth.so.0", "SYSTEM libpayauth.so"), order(null, "", null, false));
    }

    @Test
    public void thisJvmLoadedPayauthLibrary() throws IOException {
        assertEquals(LIB.getCanonicalPath(), new File(PayAuth.libraryPath()).getCanonicalPath());
    }

    /** Runs {@code io.payauth.PayAuth} in a child JVM; returns exit code and output. */
    private static String[] child(String classpath, Map<String, String> env, String... jvmArgs) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(new File(System.getProperty("java.home"), "bin/java").getPath());
        cmd.add("-Djna.tmpdir=" + TestEnv.tmpRoot());
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", classpath, "io.payauth.PayAuth"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("PAYAUTH_LIBRARY");
        pb.environment().remove("LD_LIBRARY_PATH");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new String[] {String.valueOf(p.waitFor()), out};
    }

    private static File copy(File from, File dir) throws IOException {
        File to = new File(dir, from.getName());
        Files.copy(from.toPath(), to.toPath(), StandardCopyOption.REPLACE_EXISTING);
        return to;
    }

    @Test
    public void aLibraryNextToTheJarIsUsedWithoutEnvironment() throws Exception {
        File dir = Gateway.freshDir("next-to-jar-");
        File jar = copy(JAR, dir);
        File lib = copy(LIB, dir);
        String[] r = child(jar + ":" + JNA, Map.of());
        assertEquals(r[1], "0", r[0]);
        assertTrue(r[1], r[1].contains("from " + lib.getCanonicalPath()));
    }

    @Test
    public void aLibraryInsideTheJarIsExtractedAndUsed() throws Exception {
        File dir = Gateway.freshDir("in-jar-");
        File jar = new File(dir, "payauth-bundled.jar");
        try (JarInputStream in = new JarInputStream(new FileInputStream(JAR));
                JarOutputStream out = new JarOutputStream(new FileOutputStream(jar), in.getManifest())) {
            for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                out.putNextEntry(new JarEntry(e.getName()));
                in.transferTo(out);
            }
            out.putNextEntry(new JarEntry(LibraryLocator.RESOURCE.substring(1)));
            try (InputStream lib = new FileInputStream(LIB)) {
                lib.transferTo(out);
            }
        }
        String[] r = child(jar + ":" + JNA, Map.of());
        assertEquals(r[1], "0", r[0]);
        assertTrue(r[1], r[1].startsWith("payauth "));
        assertTrue("extracted under jna.tmpdir: " + r[1], r[1].contains(TestEnv.tmpRoot().getPath()));
    }

    @Test
    public void theSystemPathComesLast() throws Exception {
        File dir = Gateway.freshDir("system-");
        File so0 = new File(dir, "libpayauth.so.0");
        Files.copy(LIB.toPath(), so0.toPath());
        String classes = new File(TestEnv.repo(), "target/bindings/java/classes/main").getPath();
        String[] r = child(classes + ":" + JNA, Map.of("LD_LIBRARY_PATH", dir.getPath()));
        assertEquals(r[1], "0", r[0]);
        assertTrue(r[1], r[1].startsWith("payauth "));
    }

    @Test
    public void anExplicitPathThatFailsIsAnErrorNotAFallBack() throws Exception {
        File dir = Gateway.freshDir("explicit-");
        copy(LIB, dir); // a usable copy next to the jar must NOT be used instead
        File jar = copy(JAR, dir);
        String[] r = child(jar + ":" + JNA, Map.of("PAYAUTH_LIBRARY", "/nonexistent/libpayauth.so"));
        assertNotEquals(r[1], "0", r[0]);
        assertTrue(r[1], r[1].contains("cannot load /nonexistent/libpayauth.so (from the environment variable PAYAUTH_LIBRARY)"));
        // The system property wins over the environment.
        r = child(jar + ":" + JNA, Map.of("PAYAUTH_LIBRARY", "/nonexistent/libpayauth.so"), "-Dpayauth.library=" + LIB);
        assertEquals(r[1], "0", r[0]);
        assertTrue(r[1], r[1].contains("from " + LIB.getCanonicalPath()) || r[1].contains("from " + LIB.getPath()));
    }
}
