package io.payauth;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Test;

/**
 * One client or signer shared by many threads: a cold start of 32 threads makes exactly one
 * token request, and closing a handle while other threads use it never crashes the JVM (each
 * call either completes or throws IllegalStateException).
 */
public class ClientConcurrencyTest {
    private final Gateway gw = new Gateway();

    @Test
    public void thirtyTwoThreadsOnOneClientMakeOneTokenRequest() throws Exception {
        int threads = 32;
        Object before = gw.stats();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (Client client = new Client(gw.clientConfig("netzme", null))) {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String path = "/echo/netzme/t" + i + "?n=" + i;
                results.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    SignResult r = client.signRequest("GET", path, null);
                    assertEquals(path, 200, gw.send("GET", path, r.headers(), null));
                    return r.header("Authorization");
                }));
            }
            Set<String> tokens = ConcurrentHashMap.newKeySet();
            for (Future<String> f : results) {
                tokens.add(f.get(60, TimeUnit.SECONDS));
            }
            assertEquals("every thread got the same token", 1, tokens.size());
        } finally {
            pool.shutdownNow();
        }
        Object after = gw.stats();
        assertEquals("exactly one token request", 1,
                Gateway.counter(after, "netzme", "token_requests") - Gateway.counter(before, "netzme", "token_requests"));
        assertEquals(threads, Gateway.counter(after, "netzme", "echo_ok") - Gateway.counter(before, "netzme", "echo_ok"));
    }

    /** Runs {@code work} on 8 threads, closes {@code handle} mid-way, and checks every outcome. */
    private static void closeWhileInUse(AutoCloseable handle, Task work) throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            fs.add(pool.submit(() -> {
                start.await(30, TimeUnit.SECONDS);
                for (int i = 0; i < 200_000; i++) {
                    try {
                        work.run();
                        ok.incrementAndGet();
                    } catch (IllegalStateException e) {
                        assertTrue(e.getMessage(), e.getMessage().contains("closed"));
                        closed.incrementAndGet();
                        return null;
                    }
                }
                fail("the handle was never seen closed");
                return null;
            }));
        }
        start.await(30, TimeUnit.SECONDS);
        while (ok.get() < 2000 && !fs.stream().allMatch(Future::isDone)) { // a failing worker ends the wait
            Thread.onSpinWait();
        }
        handle.close();
        handle.close();
        for (Future<?> f : fs) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals("every thread saw the close", threads, closed.get());
    }

    /** A call that may throw a checked exception. */
    interface Task {
        void run() throws Exception;
    }

    @Test
    public void closingASignerWhileEightThreadsSignIsSafe() throws Exception {
        Signer signer = new Signer("{\"profile\":\"paynet-reports\",\"client_id\":\"c\",\"client_secret\":\"s\"}");
        closeWhileInUse(signer, () -> signer.sign("GET", "/x", null, "tok"));
        assertTrue(signer.isClosed());
    }

    @Test
    public void closingAClientWhileEightThreadsSignIsSafe() throws Exception {
        Client client = new Client(gw.clientConfig("paytia", null));
        client.signRequest("GET", "/echo/paytia/x", null); // token cached: the loop is offline
        closeWhileInUse(client, () -> client.signRequest("GET", "/echo/paytia/x", null));
        assertTrue(client.isClosed());
    }
}
