package io.payauth;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Signing cost through payauth (JNA direct mapping) vs the same scheme in pure Java with a
 * reused {@code javax.crypto.Mac}: paynet-reports and netzme, GET and a 1 KiB POST, ns/op after
 * warm-up and the ratio payauth/Java (target ≤ 1.5), for {@code Signer.sign}'s packed path (one
 * crossing) and, measured in the same interleaved rounds, the object path it replaced. Then a
 * breakdown of where the binding's time goes (native crossings vs library work vs Java-side
 * packing and result building).
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
        System.out.println("packed = Signer.sign (one payauth_signer_sign_packed crossing);"
                + " object = the previous path (payauth_signer_sign + headers_text + headers_free)");
        System.out.printf("%-26s %10s %10s %10s %8s %8s%n", "case", "packed ns", "object ns", "Java ns",
                "packed/J", "object/J");
        try (Signer reports = new Signer(reportsCfg); Signer netzme = new Signer(netzmeCfg)) {
            for (String scheme : new String[] {"paynet-reports", "netzme"}) {
                for (boolean post : new boolean[] {false, true}) {
                    String method = post ? "POST" : "GET";
                    byte[] b = post ? body : null;
                    Signer signer = scheme.equals("netzme") ? netzme : reports;
                    Op viaPacked = i -> weight(signer.sign(method, path, b, TOKEN, TS + i, null, false).headers());
                    Op viaObject = i -> weight(signer.sign(method, path, b, TOKEN, TS + i, null, false, false).headers());
                    Op viaJava = scheme.equals("netzme")
                            ? i -> weight(java.netzme(method, path, b, TOKEN, TS + i))
                            : i -> weight(java.paynetReports(TOKEN, TS + i));
                    for (int i : new int[] {0, 999, 1001}) { // all three must agree before they are compared
                        List<Header> want = scheme.equals("netzme") ? java.netzme(method, path, b, TOKEN, TS + i)
                                : java.paynetReports(TOKEN, TS + i);
                        if (!want.equals(signer.sign(method, path, b, TOKEN, TS + i, null, false).headers())
                                || !want.equals(signer.sign(method, path, b, TOKEN, TS + i, null, false, false).headers())) {
                            throw new AssertionError(scheme + " " + method + ": pure Java and payauth differ");
                        }
                    }
                    double[] r = measure(viaPacked, viaObject, viaJava);
                    String label = scheme + (post ? " POST 1 KiB" : " GET");
                    System.out.printf("%-26s %10.0f %10.0f %10.0f %8.2f %8.2f%s%n", label, r[0], r[1], r[2],
                            r[0] / r[2], r[1] / r[2], r[0] / r[2] <= 1.5 ? "" : "  (packed > 1.5)");
                }
            }
            breakdown(reports, reportsCfg, path);
        }
        System.out.println("(figures only: nothing here is asserted)");
    }

    /** Where the time of one paynet-reports GET goes, measured piece by piece, for both paths. */
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
        long shownLen;
        // A private buffer, so that Signer.sign (measured alongside) keeps using the thread's own:
        // [0, 64) slots, [64, 512) the separate inputs, [512, 1024) the packed request, [1024, 5120) output.
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocateDirect(5120).order(java.nio.ByteOrder.nativeOrder());
        long base = com.sun.jna.Pointer.nativeValue(com.sun.jna.Native.getDirectBufferPointer(buf));
        buf.put(64, m).put(64 + m.length, p).put(64 + m.length + p.length, t);
        long ma = base + 64, pa = ma + m.length, ta = pa + p.length;
        int at = 512;
        buf.put(at, m);
        at += m.length + 1;
        buf.put(at, p);
        at += p.length + 1;
        buf.put(at, t);
        at += t.length + 2; // token NUL, empty extra, its NUL; no body
        long req = base + 512, reqLen = at - 512, out = base + 1024;
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
            Op rawPacked = i -> {
                if (NativeApi.payauth_signer_sign_packed(h, req, reqLen, TS + i, out, 4096, base + 8, 0) != 0) {
                    throw new AssertionError("raw payauth_signer_sign_packed failed");
                }
                return buf.getLong(8);
            };
            // The Java side of the packed path in two parts: encoding and packing the inputs into the
            // thread's scratch (and zeroing it again), then decoding and splitting the header text.
            if (NativeApi.payauth_signer_sign_packed(h, req, reqLen, TS, out, 4096, base + 8, 0) != 0) {
                throw new AssertionError("raw payauth_signer_sign_packed failed");
            }
            long blockLen = buf.getLong(8);
            shownLen = blockLen;
            Op pack = i -> {
                byte[] pm = "GET".getBytes(StandardCharsets.UTF_8);
                byte[] pp = path.getBytes(StandardCharsets.UTF_8);
                byte[] pt = TOKEN.getBytes(StandardCharsets.UTF_8);
                try (Scratch sc = Scratch.open(4L + pm.length + pp.length + pt.length + 4096)) {
                    long at0 = sc.next();
                    sc.putField(pm);
                    sc.putField(pp);
                    sc.putField(pt);
                    sc.putField(null);
                    long o = sc.reserve(4096);
                    sc.writtenUpTo(o + blockLen + 1);
                    return at0 + i;
                }
            };
            Op parse = i -> {
                byte[] text = new byte[(int) blockLen];
                buf.get(1024, text);
                return weight(SignResult.ofBlock(new String(text, StandardCharsets.UTF_8)).headers());
            };
            Op full = i -> weight(reports.sign("GET", path, null, TOKEN, TS + i, null, false, false).headers());
            Op fullPacked = i -> weight(reports.sign("GET", path, null, TOKEN, TS + i, null, false).headers());
            r = measure(i -> NativeApi.payauth_version(), i -> {
                NativeApi.payauth_headers_free(0);
                return 1;
            }, i -> NativeApi.payauth_headers_text(0, 0, 0),
                    i -> NativeApi.payauth_signer_sign(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                    i -> NativeApi.payauth_signer_sign_packed(0, 0, 0, 0, 0, 0, 0, 0),
                    raw, full, rawPacked, fullPacked, pack, parse);
        } finally {
            NativeApi.payauth_signer_free(h);
        }
        System.out.printf("  empty JNA crossing with 0 / 1 / 3 / 8 / 15 arguments: %.0f / %.0f / %.0f / %.0f / %.0f%n",
                r[0], r[1], r[2], r[4], r[3]);
        double raw = r[5], full = r[6], rawPacked = r[7], fullPacked = r[8];
        double crossings = r[3] + r[2] + r[1];
        System.out.printf("  object path: three raw calls (sign, headers_text, headers_free) %.0f = crossings ~%.0f"
                + " + library work ~%.0f; Java side ~%.0f; whole %.0f%n", raw, crossings, raw - crossings,
                full - raw, full);
        System.out.printf("  packed path: one raw sign_packed call %.0f = crossing ~%.0f + library work ~%.0f;"
                + " Java side (encode + pack inputs, decode text, parse headers) ~%.0f; whole %.0f%n",
                rawPacked, r[4], rawPacked - r[4], fullPacked - rawPacked, fullPacked);
        System.out.printf("    of the Java side: encode + pack + zero the scratch ~%.0f; decode + split %d bytes of"
                + " headers ~%.0f; handle acquire/release and the rest ~%.0f%n", r[9], shownLen, r[10],
                fullPacked - rawPacked - r[9] - r[10]);
    }
}
