package io.payauth;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Signing cost through payauth (JNA direct mapping) vs the same scheme in pure Java with a
 * reused {@code javax.crypto.Mac}: paynet-reports and netzme, GET and a 1 KiB POST, ns/op after
 * warm-up and the ratio payauth/Java (target ≤ 1.5). Then a breakdown of where the binding's
 * time goes (native crossings vs library work vs Java-side result building).
 *
 * <p>Prints figures only — it never fails on a duration. {@code PAYAUTH_BENCH_QUICK=1} runs a
 * few seconds so the benchmark cannot rot; the default run is longer and steadier.
 * Run: {@code java -cp target/bindings/java/classes/test:target/bindings/java/payauth.jar:/usr/share/java/jna.jar io.payauth.SignBench}
 */
public final class SignBench {
    private static final boolean QUICK = "1".equals(System.getenv("PAYAUTH_BENCH_QUICK"));
    private static final int ROUNDS = QUICK ? 5 : 21;
    private static final int OPS = QUICK ? 10_000 : 50_000;
    private static final int WARMUP = QUICK ? 100_000 : 400_000;
    private static final String TOKEN = "cafebface38fe374af5bcf7579a711658585012507d409eebb74f33fa4684711";
    private static final long TS = 1_700_000_000_000L;
    private static volatile long sink;

    private SignBench() {}

    /** One measured operation; {@code i} varies the timestamp. */
    @FunctionalInterface
    interface Op {
        long run(int i) throws Exception;
    }

    /**
     * Medians (ns/op) of operations measured in interleaved rounds (a, b, c, a, b, c…) after a
     * warm-up of each, so that a change in machine load during the run affects all of them alike
     * and their ratios stay meaningful.
     */
    static double[] measure(Op... ops) throws Exception {
        long acc = 0;
        for (Op op : ops) {
            for (int i = 0; i < WARMUP; i++) {
                acc += op.run(i);
            }
        }
        double[][] r = new double[ops.length][ROUNDS];
        for (int k = 0; k < ROUNDS; k++) {
            for (int o = 0; o < ops.length; o++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < OPS; i++) {
                    acc += ops[o].run(i);
                }
                r[o][k] = (System.nanoTime() - t0) / (double) OPS;
            }
        }
        sink += acc;
        double[] medians = new double[ops.length];
        for (int o = 0; o < ops.length; o++) {
            Arrays.sort(r[o]);
            medians[o] = r[o][ROUNDS / 2];
        }
        return medians;
    }

    private static long weight(List<Header> headers) {
        long n = 0;
        for (Header h : headers) {
            n += h.value().length();
        }
        return n;
    }

    public static void main(String[] args) throws Exception {
        String reportsCfg = "{\"profile\":\"paynet-reports\",\"client_id\":\"reports-client\",\"client_secret\":\"my_client_secret\"}";
        String netzmeCfg = "{\"profile\":\"netzme\",\"client_id\":\"TokoNetmeClientId\",\"client_secret\":\"MaREaULkzAUTAFYg\"}";
        PureJavaSchemes java = new PureJavaSchemes("my_client_secret", "TokoNetmeClientId", "MaREaULkzAUTAFYg");
        byte[] body = new byte[1024];
        byte[] pattern = "{\"merchant\":\"M_pXAFWzCg\",\"amount\":\"10.00\",\"note\":\"abcdefghij\"},".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < body.length; i++) {
            body[i] = pattern[i % pattern.length];
        }
        String path = "/api/aggregator/merchant/qr/balance/detail?userId=M_pXAFWzCg";
        System.out.printf("payauth %s, JNA direct mapping, %s mode (%d rounds x %d ops, median)%n",
                PayAuth.versionString(), QUICK ? "quick" : "full", ROUNDS, OPS);
        System.out.printf("%-26s %12s %12s %8s%n", "case", "payauth ns", "Java ns", "ratio");
        try (Signer reports = new Signer(reportsCfg); Signer netzme = new Signer(netzmeCfg)) {
            for (String scheme : new String[] {"paynet-reports", "netzme"}) {
                for (boolean post : new boolean[] {false, true}) {
                    String method = post ? "POST" : "GET";
                    byte[] b = post ? body : null;
                    Signer signer = scheme.equals("netzme") ? netzme : reports;
                    Op viaPayauth = i -> weight(signer.sign(method, path, b, TOKEN, TS + i, null, false).headers());
                    Op viaJava = scheme.equals("netzme")
                            ? i -> weight(java.netzme(method, path, b, TOKEN, TS + i))
                            : i -> weight(java.paynetReports(TOKEN, TS + i));
                    for (int i : new int[] {0, 999, 1001}) { // the two must agree before they are compared
                        List<Header> want = scheme.equals("netzme") ? java.netzme(method, path, b, TOKEN, TS + i)
                                : java.paynetReports(TOKEN, TS + i);
                        List<Header> got = signer.sign(method, path, b, TOKEN, TS + i, null, false).headers();
                        if (!want.equals(got)) {
                            throw new AssertionError(scheme + " " + method + ": pure Java and payauth differ");
                        }
                    }
                    double[] pj = measure(viaPayauth, viaJava);
                    double p = pj[0];
                    double j = pj[1];
                    String label = scheme + (post ? " POST 1 KiB" : " GET");
                    System.out.printf("%-26s %12.0f %12.0f %8.2f%s%n", label, p, j, p / j, p / j <= 1.5 ? "" : "  (> 1.5)");
                }
            }
            breakdown(reports, reportsCfg, path);
        }
        System.out.println("(figures only: nothing here is asserted)");
    }

    /** Where the time of one paynet-reports GET goes, measured piece by piece. */
    private static void breakdown(Signer reports, String config, String path) throws Exception {
        System.out.println("breakdown, paynet-reports GET (ns/op):");
        byte[] m = "GET".getBytes(StandardCharsets.US_ASCII);
        byte[] p = path.getBytes(StandardCharsets.US_ASCII);
        byte[] t = TOKEN.getBytes(StandardCharsets.US_ASCII);
        byte[] c = config.getBytes(StandardCharsets.UTF_8);
        long h;
        try (Scratch s = Scratch.open(c.length)) { // a native signer of its own, without the Java wrapper
            if (NativeApi.payauth_signer_new(s.put(c), c.length, s.slot(0), 0) != 0) {
                throw new AssertionError("payauth_signer_new failed");
            }
            h = s.slotValue(0);
        }
        double[] r;
        // A private buffer, so that Signer.sign (measured alongside) keeps using the thread's own.
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocateDirect(512).order(java.nio.ByteOrder.nativeOrder());
        long base = com.sun.jna.Pointer.nativeValue(com.sun.jna.Native.getDirectBufferPointer(buf));
        buf.put(64, m).put(64 + m.length, p).put(64 + m.length + p.length, t);
        long ma = base + 64, pa = ma + m.length, ta = pa + p.length;
        try {
            Op raw = i -> {
                if (NativeApi.payauth_signer_sign(h, ma, m.length, pa, p.length, 0, 0, ta, t.length, TS + i, 0, 0, 0,
                        base, 0) != 0) {
                    throw new AssertionError("raw payauth_signer_sign failed");
                }
                long hh = buf.getLong(0);
                NativeApi.payauth_headers_text(hh, base + 8, base + 16);
                long n = buf.getLong(16);
                NativeApi.payauth_headers_free(hh);
                return n;
            };
            Op full = i -> weight(reports.sign("GET", path, null, TOKEN, TS + i, null, false).headers());
            r = measure(i -> NativeApi.payauth_version(), i -> {
                NativeApi.payauth_headers_free(0);
                return 1;
            }, i -> NativeApi.payauth_headers_text(0, 0, 0),
                    i -> NativeApi.payauth_signer_sign(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), raw, full,
                    i -> NativeApi.payauth_headers_get(0, 0, 0, 0, 0, 0));
        } finally {
            NativeApi.payauth_signer_free(h);
        }
        System.out.printf("  empty JNA crossing with 0 / 1 / 3 / 15 arguments: %.0f / %.0f / %.0f / %.0f%n",
                r[0], r[1], r[2], r[3]);
        double raw = r[4];
        double full = r[5];
        double crossings = r[3] + r[2] + r[1];
        System.out.printf("  three raw calls (sign, headers_text, headers_free): %.0f, of which crossings ~%.0f"
                + " and library work ~%.0f%n", raw, crossings, raw - crossings);
        System.out.printf("  Java side (encode inputs, copy text, parse %s): ~%.0f; whole Signer.sign: %.0f%n",
                "headers", full - raw, full);
        System.out.printf("  one 6-argument call (e.g. a request struct in, the header block into a caller buffer)"
                + " would cross for ~%.0f instead of ~%.0f%n", r[6], crossings);
    }
}
