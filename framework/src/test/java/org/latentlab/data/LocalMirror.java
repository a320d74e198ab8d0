package org.latentlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * The mirrors of the fetcher tests, with no network: a local HTTP server that answers under {@code /good/} with the
 * files as they are and under {@code /bad/} with them corrupted, counting the requests each gets, and that records the
 * log lines of {@link VerifiedDownload} (where every fetcher's download lines are logged) and of the given classes.
 * Registered with {@code @RegisterExtension}, it starts before and stops after each test.
 */
final class LocalMirror implements BeforeEachCallback, AfterEachCallback {

    /** What the server answers for a file. */
    @FunctionalInterface
    interface Responder {
        /**
         * The body for a request for {@code name} (the last segment of the request's path), corrupted if
         * {@code corrupt}; {@code null} for a 404.
         */
        byte[] body(String name, boolean corrupt) throws IOException;
    }

    private final Responder responder;
    private final List<Class<?>> loggers;
    private final AtomicInteger goodHits = new AtomicInteger();
    private final AtomicInteger badHits = new AtomicInteger();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private HttpServer server;

    /** Answers with {@code files}, as they are then; a served file is corrupted by {@link #flipped} in its middle. */
    LocalMirror(Map<String, byte[]> files, Class<?>... loggers) {
        this(
                (name, corrupt) -> {
                    byte[] body = files.get(name);
                    return body == null || !corrupt ? body : flipped(body, body.length / 2);
                },
                loggers);
    }

    LocalMirror(Responder responder, Class<?>... loggers) {
        this.responder = responder;
        this.loggers = Stream.concat(Stream.of(VerifiedDownload.class), Arrays.stream(loggers))
                .distinct()
                .toList();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/good/", ex -> serve(ex, goodHits, false));
        server.createContext("/bad/", ex -> serve(ex, badHits, true));
        server.start();
        logs.start();
        loggers.forEach(c -> ((Logger) LoggerFactory.getLogger(c)).addAppender(logs));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        server.stop(0);
        loggers.forEach(c -> ((Logger) LoggerFactory.getLogger(c)).detachAppender(logs));
    }

    private void serve(HttpExchange ex, AtomicInteger hits, boolean corrupt) throws IOException {
        hits.incrementAndGet();
        String path = ex.getRequestURI().getPath();
        byte[] body = responder.body(path.substring(path.lastIndexOf('/') + 1), corrupt);
        if (body == null) {
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
        }
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** The base URI of {@code context} ({@code "good"} or {@code "bad"}), ending in a slash. */
    URI uri(String context) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + context + "/");
    }

    /** Requests answered under {@code /good/}. */
    int goodHits() {
        return goodHits.get();
    }

    /** Requests answered under {@code /bad/}. */
    int badHits() {
        return badHits.get();
    }

    /** The log lines recorded so far. */
    List<ILoggingEvent> logs() {
        return List.copyOf(logs.list);
    }

    /** Whether a warning was logged whose message contains every one of {@code parts}. */
    boolean warned(String... parts) {
        return logs().stream()
                .anyMatch(e ->
                        e.getLevel() == Level.WARN && Arrays.stream(parts).allMatch(e.getFormattedMessage()::contains));
    }

    /** What byte {@code index} of the {@code file}-th fixture file of {@link #idxFiles} holds. */
    @FunctionalInterface
    interface IdxContent {
        int value(int file, boolean images, int index);
    }

    /**
     * IDX fixtures for files named like MNIST's, in the order of {@code files}: a {@code train*} file holds
     * {@code trainSize} items and a {@code t10k*} file {@code testSize}, an {@code *images*} file images of
     * {@code side} x {@code side} pixels and any other labels; byte {@code i} of the data of file {@code k} is
     * {@code content.value(k, images, i)}.
     */
    static Map<String, byte[]> idxFiles(List<String> files, int trainSize, int testSize, int side, IdxContent content)
            throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (int k = 0; k < files.size(); k++) {
            String f = files.get(k);
            boolean images = f.contains("images");
            int n = f.startsWith("train") ? trainSize : testSize;
            byte[] data = new byte[images ? n * side * side : n];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) content.value(k, images, i);
            }
            out.put(f, IdxReaderTest.idxBytes(new IdxArray(images ? new int[] {n, side, side} : new int[] {n}, data)));
        }
        return out;
    }

    /** Each of {@code files} gzip-compressed, in the same order. */
    static Map<String, byte[]> gzipped(Map<String, byte[]> files) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            out.put(e.getKey(), IdxReaderTest.gzip(e.getValue()));
        }
        return out;
    }

    /** A gzip-compressed IDX file of {@code data} in {@code shape}. */
    static byte[] gzIdx(int[] shape, byte[] data) throws IOException {
        return IdxReaderTest.gzip(IdxReaderTest.idxBytes(new IdxArray(shape, data)));
    }

    /** A copy of {@code bytes} with byte {@code index} XORed with 0x55. */
    static byte[] flipped(byte[] bytes, int index) {
        byte[] out = bytes.clone();
        out[index] ^= 0x55;
        return out;
    }

    /** The lower-case hex digest of {@code bytes} by {@code algorithm} ({@code "SHA-256"}, {@code "MD5"}). */
    static String hex(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The lower-case hex digest by {@code algorithm} of each of {@code files}. */
    static Map<String, String> hex(String algorithm, Map<String, byte[]> files) {
        Map<String, String> out = new HashMap<>();
        files.forEach((f, bytes) -> out.put(f, hex(algorithm, bytes)));
        return out;
    }

    /** Asserts that {@code dir} holds exactly the files of {@code expected}, with their bytes, and no temp files. */
    static void assertHoldsExactly(Path dir, Map<String, byte[]> expected) throws IOException {
        for (Map.Entry<String, byte[]> e : expected.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(dir.resolve(e.getKey())), e.getKey());
        }
        assertEquals(expected.size(), count(dir), "no temp files may be left behind");
    }

    /** Asserts that {@code dir} is empty, as a failed fetch must leave it. */
    static void assertEmpty(Path dir) throws IOException {
        assertEquals(0, count(dir), "a failed fetch must leave nothing behind");
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}
