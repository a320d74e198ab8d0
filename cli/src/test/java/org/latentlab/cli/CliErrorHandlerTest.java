package org.latentlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.data.DataException;
import org.latentlab.io.AtomicFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

class CliErrorHandlerTest {

    @Command(name = "tool", mixinStandardHelpOptions = true, subcommands = Fail.class)
    static class Tool {
        @Mixin
        VerboseOption verbose;
    }

    @Command(name = "fail")
    static class Fail implements Callable<Integer> {
        @Option(names = "--kind")
        String kind = "user";

        @Option(names = "--count")
        int count;

        @Override
        public Integer call() throws Exception {
            switch (kind) {
                case "user" -> throw new UserException("the file x is missing");
                case "data" -> throw new RuntimeException("wrapped", new DataException("bad IDX magic"));
                case "iae" -> throw new IllegalArgumentException("batch size must be positive");
                case "npe" -> throw new NullPointerException("boom");
                case "checked" -> throw new FileNotFoundException("/nope");
                default -> {
                    return 0;
                }
            }
        }
    }

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        Logging.configure(false);
        CommandLine cmd = CliErrorHandler.install(new CommandLine(new Tool()));
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    private String[] errLines() {
        return err.toString().lines().toArray(String[]::new);
    }

    @AfterEach
    void resetLogging() {
        Logging.configure(false);
    }

    @Test
    void aFailedAtomicWriteIsOneLineNamingTheFile(@TempDir Path tmp) {
        Path f = tmp.resolve("results.csv");
        String enospc = "No space left on device";
        UncheckedIOException e = assertThrows(
                UncheckedIOException.class,
                () -> AtomicFiles.write(f, t -> {
                    Files.writeString(t, "half a new ta");
                    throw new IOException(enospc);
                }));
        assertEquals("error: cannot write " + f + ": " + enospc, CliErrorHandler.describe(e, false));
    }

    @Test
    void userErrorsAreOneLineWithExitCode1() {
        assertEquals(1, run("fail", "--kind", "user"));
        assertEquals(1, errLines().length, err.toString());
        assertEquals("error: the file x is missing", errLines()[0]);
    }

    @Test
    void wrappedDataExceptionAndIllegalArgumentAreUserErrors() {
        assertEquals(1, run("fail", "--kind", "data"));
        assertEquals("error: bad IDX magic", err.toString().strip());
        err.getBuffer().setLength(0);
        assertEquals(1, run("fail", "--kind", "iae"));
        assertEquals("error: batch size must be positive", err.toString().strip());
    }

    @Test
    void unexpectedExceptionsNameTheirTypeAndPointToVerbose() {
        assertEquals(1, run("fail", "--kind", "npe"));
        assertEquals(1, errLines().length, err.toString());
        assertEquals(
                "error: unexpected NullPointerException: boom (run with --verbose for the stack trace)", errLines()[0]);
    }

    @Test
    void verboseAddsTheStackTraceWhereverTheOptionIsGiven() {
        assertEquals(1, run("--verbose", "fail", "--kind", "npe"));
        assertEquals("error: unexpected NullPointerException: boom", errLines()[0]);
        assertTrue(err.toString().contains("at org.latentlab.cli.CliErrorHandlerTest$Fail.call"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(1, run("fail", "--verbose", "--kind", "user"));
        assertEquals("error: the file x is missing", errLines()[0]);
        assertTrue(errLines().length > 1);
    }

    @Test
    void verboseOptionIsResetOnTheNextRun() {
        run("--verbose", "fail", "--kind", "none");
        assertTrue(Logging.isVerbose());
        run("fail", "--kind", "none");
        assertFalse(Logging.isVerbose());
    }

    @Test
    void checkedIoErrorsAreOneLine() {
        assertEquals(1, run("fail", "--kind", "checked"));
        assertEquals(
                "error: I/O error: FileNotFoundException: /nope", err.toString().strip());
    }

    @Test
    void usageErrorsGiveOneLinePlusHintAndExitCode2() {
        assertEquals(2, run("fail", "--bogus"));
        assertEquals(2, errLines().length, err.toString());
        assertTrue(errLines()[0].startsWith("error: Unknown option: '--bogus'"), errLines()[0]);
        assertEquals("Try 'tool fail --help'", errLines()[1]);
        err.getBuffer().setLength(0);
        assertEquals(2, run("fail", "--count", "many"));
        assertTrue(errLines()[0].startsWith("error: Invalid value for option '--count'"), errLines()[0]);
        err.getBuffer().setLength(0);
        assertEquals(2, run("fails"));
        assertTrue(errLines()[0].contains("did you mean fail?"), errLines()[0]);
        assertEquals("Try 'tool --help'", errLines()[1]);
    }

    @Test
    void outOfMemoryGetsAHint() {
        StringWriter sw = new StringWriter();
        assertEquals(
                1, CliErrorHandler.handleError(new OutOfMemoryError("Java heap space"), new PrintWriter(sw), false));
        assertTrue(sw.toString().startsWith("error: out of memory (Java heap space); "), sw.toString());
        assertTrue(sw.toString().contains("LATENTLAB_JAVA_OPTS"));
    }
}
