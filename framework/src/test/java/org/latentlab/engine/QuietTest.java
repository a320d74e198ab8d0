package org.latentlab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class QuietTest {

    @Test
    void silencesStdoutAndRestoresItEvenOnException() {
        PrintStream original = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        try {
            System.out.println("before");
            int v = Quiet.stdout(() -> {
                System.out.println("Added differentiated op ...");
                Quiet.stdout(() -> System.out.println("nested"));
                return 42;
            });
            assertEquals(42, v);
            assertSame(capture, System.out);
            assertThrows(
                    IllegalStateException.class,
                    () -> Quiet.stdout(() -> {
                        System.out.println("hidden");
                        throw new IllegalStateException("x");
                    }));
            assertSame(capture, System.out);
            System.out.println("after");
        } finally {
            System.setOut(original);
        }
        assertEquals(
                "before" + System.lineSeparator() + "after" + System.lineSeparator(),
                buf.toString(StandardCharsets.UTF_8));
    }

    /** Another thread's lines (the data loader's log) go through while one thread is silenced. */
    @Test
    void otherThreadsKeepTheirOutput() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch written = new java.util.concurrent.CountDownLatch(1);
            Thread other = new Thread(() -> {
                try {
                    inside.await();
                    System.out.println("loaded");
                    written.countDown();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            other.start();
            Quiet.stdout(() -> {
                System.out.println("hidden");
                inside.countDown();
                try {
                    written.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                System.out.println("hidden too");
            });
            other.join();
        } finally {
            System.setOut(original);
        }
        assertEquals("loaded" + System.lineSeparator(), buf.toString(StandardCharsets.UTF_8));
    }
}
