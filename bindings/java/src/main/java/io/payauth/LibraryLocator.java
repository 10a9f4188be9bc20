package io.payauth;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds libpayauth, in the order every payauth binding uses:
 *
 * <ol>
 *   <li>an explicit path: the system property {@code payauth.library}, else the environment
 *       variable {@code PAYAUTH_LIBRARY} (a failure to load an explicit path is an error, never a
 *       silent fall-back);
 *   <li>a copy shipped with the package: {@code libpayauth.so} in the directory of
 *       {@code payauth.jar}, then the resource {@code io/payauth/native/<platform>/libpayauth.so}
 *       inside the jar (extracted to a temporary file by JNA);
 *   <li>the system: {@code libpayauth.so.0} (the SONAME), then {@code libpayauth.so} (the
 *       dynamic loader's path, plus {@code jna.library.path}).
 * </ol>
 */
final class LibraryLocator {
    /** The system property naming the library file. */
    static final String PROPERTY = "payauth.library";
    /** The environment variable naming the library file. */
    static final String ENV = "PAYAUTH_LIBRARY";
    /** The library's file name on this platform ({@code libpayauth.so} on Linux). */
    static final String FILE_NAME = System.mapLibraryName("payauth");
    /** Where a jar may carry the library. */
    static final String RESOURCE = "/io/payauth/native/" + Platform.RESOURCE_PREFIX + "/" + FILE_NAME;

    private LibraryLocator() {}

    /** How to load one candidate. */
    enum Kind {
        /** An explicit file: must load. */
        EXPLICIT,
        /** A file that is tried only if it exists. */
        FILE,
        /** A resource in the jar, extracted first. */
        RESOURCE,
        /** A name for the dynamic loader. */
        SYSTEM
    }

    /** One place to look, with a label for error messages. */
    record Candidate(Kind kind, String location, String origin) {}

    /**
     * The candidates in lookup order. Pure, so that the order is testable.
     *
     * @param property the {@code payauth.library} property, or null
     * @param env the {@code PAYAUTH_LIBRARY} variable, or null
     * @param jarDir the directory of the jar holding this class, or null
     * @param hasResource whether that jar carries {@link #RESOURCE}
     */
    static List<Candidate> candidates(String property, String env, File jarDir, boolean hasResource) {
        List<Candidate> out = new ArrayList<>();
        if (property != null && !property.isEmpty()) {
            out.add(new Candidate(Kind.EXPLICIT, property, "system property " + PROPERTY));
            return out;
        }
        if (env != null && !env.isEmpty()) {
            out.add(new Candidate(Kind.EXPLICIT, env, "environment variable " + ENV));
            return out;
        }
        if (jarDir != null) {
            out.add(new Candidate(Kind.FILE, new File(jarDir, FILE_NAME).getPath(), "next to payauth.jar"));
        }
        if (hasResource) {
            out.add(new Candidate(Kind.RESOURCE, RESOURCE, "inside payauth.jar"));
        }
        if (FILE_NAME.endsWith(".so")) {
            out.add(new Candidate(Kind.SYSTEM, FILE_NAME + ".0", "system library path"));
        }
        out.add(new Candidate(Kind.SYSTEM, FILE_NAME, "system library path"));
        return out;
    }

    /** Loads the first candidate that works; throws {@link UnsatisfiedLinkError} listing every attempt. */
    static NativeLibrary load() {
        List<Candidate> list = candidates(System.getProperty(PROPERTY), System.getenv(ENV), jarDirectory(),
                LibraryLocator.class.getResource(RESOURCE) != null);
        StringBuilder tried = new StringBuilder();
        for (Candidate c : list) {
            try {
                switch (c.kind()) {
                    case EXPLICIT:
                        return NativeLibrary.getInstance(new File(c.location()).getAbsolutePath());
                    case FILE:
                        if (new File(c.location()).isFile()) {
                            return NativeLibrary.getInstance(new File(c.location()).getAbsolutePath());
                        }
                        tried.append("\n  ").append(c.location()).append(" (").append(c.origin()).append("): absent");
                        continue;
                    case RESOURCE:
                        File f = Native.extractFromResourcePath(c.location(), LibraryLocator.class.getClassLoader());
                        f.deleteOnExit();
                        return NativeLibrary.getInstance(f.getAbsolutePath());
                    default:
                        return NativeLibrary.getInstance(c.location());
                }
            } catch (UnsatisfiedLinkError | java.io.IOException e) {
                if (c.kind() == Kind.EXPLICIT) {
                    throw new UnsatisfiedLinkError("payauth: cannot load " + c.location() + " (from the "
                            + c.origin() + "): " + firstLine(e.getMessage()));
                }
                tried.append("\n  ").append(c.location()).append(" (").append(c.origin()).append("): ")
                        .append(firstLine(e.getMessage()));
            }
        }
        throw new UnsatisfiedLinkError("payauth: libpayauth not found; set " + ENV + " (or -D" + PROPERTY
                + ") to its full path. Tried:" + tried);
    }

    /** The directory of the jar this class was loaded from, or null when not loaded from a jar. */
    static File jarDirectory() {
        try {
            CodeSource src = LibraryLocator.class.getProtectionDomain().getCodeSource();
            URL url = src == null ? null : src.getLocation();
            if (url == null || !"file".equals(url.getProtocol()) || !url.getPath().endsWith(".jar")) {
                return null;
            }
            return new File(url.toURI()).getParentFile();
        } catch (URISyntaxException | SecurityException e) {
            return null;
        }
    }

    /** JNA's multi-line reason on one line, shortened. */
    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        String one = s.replaceAll("\\s*\\n\\s*", " ").trim();
        return one.length() > 300 ? one.substring(0, 300) + "…" : one;
    }
}
