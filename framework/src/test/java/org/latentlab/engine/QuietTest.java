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
}
