package io.payauth;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.util.Arrays;
import java.util.List;

/**
 * A full sign through payauth ({@code Signer.sign(...).headers()}, JNA direct mapping) against
 * the same scheme in pure Java ({@link PureJavaSchemes}), per scheme, GET and a 1 KiB POST:
 * medians of interleaved rounds and each ratio beside its issue-13 target (&lt;= 1.0 for every
 * scheme, &lt;= 0.6 for the body-hashing schemes at 1 KiB) with met/unmet; both sides first
 * checked to give the same headers. Then a no-op JNA crossing and the packed call alone.
 * Prints figures only. {@code PAYAUTH_BENCH_QUICK=1}: a few seconds.
 */
public final class SignBench {
    private static final boolean QUICK = "1".equals(System.getenv("PAYAUTH_BENCH_QUICK"));
    private static final int ROUNDS = QUICK ? 3 : 15;
    private static final int OPS = QUICK ? 5_000 : 40_000;
    private static final int WARMUP = QUICK ? 20_000 : 200_000;
    private static final String TOKEN = "4c8e2c551a86c8fa484bdaf47ae690db94da325a335a4e7d191058e6e6280555";
    private static final long T = 1_700_000_000_123L;
    private static final String EXT = "12345678901234567890123456789012";
    private static final String[] FIELDS = {"ACMEMYK1", "RPPEMYKL", "20240115ACMEMYK1861OBW00000002", "100.00"};
    private static final String AZ_SECRET = "HMAC_cdeijed78y3jdnjdfhjjnm";
    private static volatile long sink;

    private SignBench() {}

    /** One signing, {@code fixed}: pinned time and random ids (for the equality check). */
    interface Op {
        List<Header> run(boolean fixed) throws Exception;
    }

    static double[] measure(int ops, Op... fns) throws Exception {
        long acc = 0;
        for (Op f : fns) {
            for (int i = 0; i < Math.max(ops, WARMUP / (ops < OPS ? 100 : 1)); i++) {
                acc += f.run(false).size();
            }
        }
        double[][] r = new double[fns.length][ROUNDS];
        for (int k = 0; k < ROUNDS; k++) {
            for (int o = 0; o < fns.length; o++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < ops; i++) {
                    acc += fns[o].run(false).size();
                }
                r[o][k] = (System.nanoTime() - t0) / (double) ops;
            }
        }
        sink += acc;
        double[] m = new double[fns.length];
        for (int o = 0; o < fns.length; o++) {
            Arrays.sort(r[o]);
            m[o] = r[o][ROUNDS / 2];
        }
        return m;
    }

    public static void main(String[] args) throws Exception {
        String repo = System.getenv().getOrDefault("PAYAUTH_REPO", ".");
        Path keyFile = Path.of(repo, "tests/vectors/keys/rsa2048-pkcs1.pem");
        Signature rsa = PureJavaSchemes.rsa(Files.readString(Path.of(repo, "tests/vectors/keys/rsa2048-pkcs8.pem")));
        PureJavaSchemes java = new PureJavaSchemes();
        byte[] big = ("{\"merchantId\":\"M_pXAFWzCg\",\"note\":\"" + "x".repeat(1024)).substring(0, 1022).concat("\"}")
                .getBytes(StandardCharsets.UTF_8);
        String azupay = "{\"profile\":\"azupay\",\"api_key\":\"SECR528792_ckid445474d1d\",\"hmac\":{\"secret\":\"" + AZ_SECRET
                + "\",\"hash\":\"sha256\",\"key_encoding\":\"utf8\",\"output\":\"hex\",\"template\":\"{method}\\n{path}\\n{query}\\n{timestamp}\\n{body_sha256}\","
                + "\"timestamp_format\":\"unix_ms\",\"signature_header\":\"X-Azupay-Signature\",\"timestamp_header\":\"X-Azupay-Timestamp\"}}";
        String[][] schemes = {
            {"paynet-reports", "{\"profile\":\"paynet-reports\",\"client_id\":\"id\",\"client_secret\":\"my_client_secret\"}"},
            {"netzme", "{\"profile\":\"netzme\",\"client_id\":\"TokoNetmeClientId\",\"client_secret\":\"MaREaULkzAUTAFYg\"}"},
            {"snap", "{\"profile\":\"snap\",\"client_id\":\"TokoNetmeClientId\",\"client_secret\":\"f013bc2810be469790dc99773c08812e\"}"},
            {"azupay", azupay},
            {"paytia", "{\"profile\":\"paytia\",\"api_key\":\"pk_live_51H8xyz\",\"client_id\":\"c\",\"client_secret\":\"s\"}"},
            {"paynet", "{\"profile\":\"paynet\",\"client_id\":\"c\",\"client_secret\":\"s\",\"signature_key\":\"4F2A9C1D7E3B5A60\","
                    + "\"private_key_file\":\"" + keyFile + "\"}"},
        };
        System.out.printf("payauth %s via JNA direct mapping, Java %s; %d rounds, median ns/op%s%n", PayAuth.versionString(),
                System.getProperty("java.version"), ROUNDS, QUICK ? " (quick mode)" : "");
        System.out.printf("%-16s %-12s %9s %9s %6s %8s  %s%n", "scheme", "request", "payauth", "java", "ratio", "target", "verdict");
        for (String[] sc : schemes) {
            String name = sc[0];
            try (Signer s = new Signer(sc[1])) {
                for (String method : new String[] {"GET", "POST"}) {
                    String path = method.equals("GET") ? "/v1/balance?id=7" : "/v1/pay?ref=A1";
                    byte[] body = method.equals("GET") ? new byte[0] : big;
                    Op[] pair = ops(name, s, java, rsa, method, path, body);
                    if (!name.equals("paynet") && !pair[0].run(true).equals(pair[1].run(true))) {
                        throw new AssertionError(name + " " + method + ": payauth " + pair[0].run(true) + " vs java " + pair[1].run(true));
                    }
                    double[] m = measure(name.equals("paynet") ? OPS / 100 : OPS, pair);
                    double ratio = m[0] / m[1];
                    double target = method.equals("POST") && name.matches("netzme|snap|azupay") ? 0.6 : 1.0;
                    System.out.printf("%-16s %-12s %9.0f %9.0f %6.2f %8s  %s%n", name, method.equals("GET") ? "GET" : "POST " + body.length + " B",
                            m[0], m[1], ratio, String.format("<= %.1f", target), ratio <= target ? "met" : "unmet");
                }
            }
        }
        crossing();
    }

    /** payauth and pure Java for one scheme and request. */
    private static Op[] ops(String name, Signer s, PureJavaSchemes j, Signature rsa, String m, String p, byte[] b) {
        byte[] azSecret = AZ_SECRET.getBytes(StandardCharsets.UTF_8);
        switch (name) {
            case "paynet-reports":
                return new Op[] {f -> s.sign(m, p, b, TOKEN, f ? T : 0, Extras.NONE, false).headers(),
                    f -> j.paynetReports("my_client_secret".getBytes(StandardCharsets.UTF_8), TOKEN, f ? T : System.currentTimeMillis())};
            case "netzme":
                return new Op[] {f -> s.sign(m, p, b, TOKEN, f ? T : 0, Extras.NONE, false).headers(),
                    f -> j.netzme("TokoNetmeClientId", "MaREaULkzAUTAFYg", m, p, b, TOKEN, f ? T : System.currentTimeMillis())};
            case "snap":
                return new Op[] {f -> s.sign(m, p, b, TOKEN, f ? T : 0, f ? Extras.NONE.externalId(EXT) : Extras.NONE, false).headers(),
                    f -> j.snap("TokoNetmeClientId", "f013bc2810be469790dc99773c08812e".getBytes(StandardCharsets.UTF_8), m, p, b, TOKEN,
                            f ? T : System.currentTimeMillis(), f ? EXT : null)};
            case "azupay":
                return new Op[] {f -> s.sign(m, p, b, null, f ? T : 0, Extras.NONE, false).headers(),
                    f -> j.azupay("SECR528792_ckid445474d1d", azSecret, m, p, b, f ? T : System.currentTimeMillis())};
            case "paytia":
                return new Op[] {f -> s.sign(m, p, b, TOKEN, 0, Extras.NONE, false).headers(), f -> j.paytia("pk_live_51H8xyz", TOKEN)};
            default:
                return new Op[] {f -> s.sign(m, p, b, TOKEN, 0, Extras.NONE.stringToSign(FIELDS), false).headers(),
                    f -> j.paynetDobw(rsa, TOKEN, String.join("", FIELDS), "4F2A9C1D7E3B5A60")};
        }
    }

    /** A no-op JNA crossing, for the JNA-or-JNI choice (NativeApi's doc). */
    private static void crossing() throws Exception {
        double[] m = measure(OPS, f -> {
            sink += NativeApi.payauth_version();
            return List.of();
        });
        System.out.printf("%nno-op JNA direct-mapping crossing (payauth_version): %.0f ns/op%n", m[0]);
    }
}
