package io.payauth;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The loopback gateway emulator started by scripts/with-emulator.sh (PAYAUTH_GATEWAY,
 * PAYAUTH_CA_FILE): an HTTPS client trusting only its CA, its control endpoints, and client
 * configurations for each profile with the credentials it accepts.
 */
final class Gateway {
    final String base = TestEnv.require("PAYAUTH_GATEWAY");
    final String caFile = TestEnv.require("PAYAUTH_CA_FILE");
    private final HttpClient http;

    Gateway() {
        try {
            http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .sslContext(trusting(new File(caFile)))
                    .connectTimeout(Duration.ofSeconds(5))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
        } catch (IOException | GeneralSecurityException e) {
            throw new AssertionError("cannot trust " + caFile + ": " + e, e);
        }
    }

    /** An SSL context trusting exactly the certificates in a PEM file. */
    static SSLContext trusting(File pem) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = new FileInputStream(pem)) {
            int n = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca" + n++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private Map<String, Object> clients;

    /**
     * The emulator's per-profile table ({@code GET /_emulator/clients}): each profile's client
     * configuration fields, token path (null without one) and required per-request inputs, so
     * that these tests keep no per-profile lists.
     */
    @SuppressWarnings("unchecked")
    synchronized Map<String, Object> clients() {
        if (clients == null) {
            clients = new LinkedHashMap<>();
            for (Object row : (List<Object>) Json.get(get("/_emulator/clients"), "profiles")) {
                clients.put(Json.str(row, "profile"), row);
            }
        }
        return clients;
    }

    /** Every profile the emulator serves. */
    List<String> profiles() {
        return List.copyOf(clients().keySet());
    }

    /** The token endpoint path of a profile, or null (the JWS profiles have none). */
    String tokenPath(String profile) {
        Object p = Json.get(clients().get(profile), "token_path");
        return p instanceof String ? (String) p : null;
    }

    /** The typed per-request inputs a profile needs (paynet-jws: a message id). */
    Extras extrasFor(String profile) {
        Object need = Json.get(clients().get(profile), "per_request");
        Object id = Json.get(need, "message_id");
        return id instanceof String ? Extras.NONE.messageId((String) id) : Extras.NONE;
    }

    /**
     * A client configuration for {@code profile} with the emulator's credentials, its CA, short
     * timeouts, a fresh cache directory, plus {@code extra}.
     */
    String clientConfig(String profile, Map<String, Object> extra) {
        Map<String, Object> c = configMap(profile);
        if (extra != null) {
            c.putAll(extra);
        }
        return Json.write(c);
    }

    /** The configuration of {@link #clientConfig} as a mutable map. */
    @SuppressWarnings("unchecked")
    Map<String, Object> configMap(String profile) {
        Map<String, Object> c = new LinkedHashMap<>((Map<String, Object>) Json.get(clients().get(profile), "config"));
        c.put("ca_file", caFile);
        c.put("connect_timeout_ms", 2000L);
        c.put("timeout_ms", 3000L);
        if (tokenPath(profile) != null) {
            c.put("token_url", base + tokenPath(profile));
        }
        Map<String, Object> cache = new LinkedHashMap<>();
        cache.put("dir", freshDir("cache-").getPath());
        c.put("cache", cache);
        return c;
    }

    /** A new empty directory under target/bindings/java/tmp. */
    static File freshDir(String prefix) {
        try {
            return Files.createTempDirectory(TestEnv.tmpRoot().toPath(), prefix).toFile();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Sends a request with the signed headers; returns the HTTP status. */
    int send(String method, String path, List<Header> headers, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        for (Header h : headers) {
            b.header(h.name(), h.value());
        }
        b.method(method, body == null || body.length == 0
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** GET a control endpoint and parse its JSON. */
    Object get(String path) {
        try {
            HttpRequest r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != 200) {
                throw new AssertionError("GET " + path + ": HTTP " + resp.statusCode() + " " + resp.body());
            }
            return Json.parse(resp.body());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("GET " + path + ": " + e, e);
        }
    }

    /** POST JSON to a control endpoint (fault, ttl, clear-faults). */
    void control(String path, String json) {
        try {
            HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/_emulator/" + path))
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(json == null ? "" : json)).build();
            HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != 200) {
                throw new AssertionError("POST " + path + ": HTTP " + resp.statusCode() + " " + resp.body());
            }
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("POST " + path + ": " + e, e);
        }
    }

    /** A snapshot of the emulator's counters. */
    Object stats() {
        return get("/_emulator/stats");
    }

    /** One per-profile counter of a snapshot. */
    static long counter(Object stats, String profile, String field) {
        Object v = Json.get(Json.get(Json.get(stats, "profiles"), profile), field);
        if (!(v instanceof Long)) {
            throw new AssertionError("no counter profiles." + profile + "." + field);
        }
        return (Long) v;
    }

    /** A top-level counter of a snapshot (killed_token_uses…). */
    static long counter(Object stats, String field) {
        Object v = Json.get(stats, field);
        return v instanceof Long ? (Long) v : -1;
    }
}
