package org.latentlab.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.io.FaultPoint;

/**
 * A training run killed with SIGKILL at five exact points, each time resumed with
 * {@code --resume}, ends with the same results as a run that was never interrupted, bit for bit:
 * test metrics, every metrics.csv column but the timings, every checkpoint's and the final
 * model's parameters and updater state, the pictures.
 *
 * <p>Each kill is a real {@link Process#destroyForcibly()} (SIGKILL: no shutdown hooks, no
 * finally blocks) of a real {@code latentlab} JVM, sent once that JVM has paused at a named
 * {@link FaultPoint} and said so on standard error; the test never sleeps to guess where a
 * process is, so load on the machine cannot move a kill. The five points, one per process:
 * mid-epoch (batch 11 of epoch 2), inside a checkpoint save (model written into the temporary
 * folder, {@code state.json} not), between epochs (after epoch 3's checkpoint), inside the final
 * model's save, and during the final evaluation (reconstructions written, samples and summary
 * not).
 *
 * <p>Child JVMs run with the default, timed per-op thread choices: each resumed process plans
 * and times its step anew, and the result must still be the uninterrupted run's, bit for bit.
 */
@Tag("e2e")
class TrainKillResumeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A failure bound only, never a synchronisation: each process normally pauses within seconds. */
    private static final long STEP_TIMEOUT_MINUTES = 5;

    private static final int EPOCHS = 4;
    private static final List<String> TRAIN = List.of(
            "train",
            "--model",
            "vae",
            "--dataset",
            "mnist-sample",
            "--epochs",
            String.valueOf(EPOCHS),
            "--batch-size",
            "64",
            "--seed",
            "3",
            "--set",
            "hiddenSizes=128",
            "--set",
            "latentSize=8",
            "--checkpoint-every",
            "1",
            // the last epoch's model, so that the kill points count this test's model saves (KeepModelTest resumes
            // runs that keep the best one)
            "--keep",
            "last",
            "--no-progress");

    @TempDir
    Path tmp;

    @Test
    void runKilledAtFivePointsAndResumedEqualsTheUninterruptedRun() throws Exception {
        Path reference = tmp.resolve("reference");
        finish(with(TRAIN, "--out", reference.toString()), tmp.resolve("reference.log"));

        Path run = tmp.resolve("killed");
        Path checkpoints = run.resolve("checkpoints");
        List<String> resume = List.of("train", "--resume", "--no-progress", "--out", run.toString());

        // (a) Mid-epoch: 1,800 training images in batches of 64 are 29 steps an epoch; step 40 is epoch 2, batch 11.
        killAt("batch:40", "epoch 2, batch 11", with(TRAIN, "--out", run.toString()));
        assertEquals(List.of("epoch-0001"), visible(checkpoints));
        assertEquals(2, Files.readAllLines(run.resolve("metrics.csv")).size(), "header and epoch 1");

        // (b) Inside epoch 2's checkpoint save: the folder exists only under its temporary name, without state.json.
        killAt("checkpoint-write:1", checkpoints.resolve("epoch-0002").toString(), resume);
        assertEquals(List.of("epoch-0001"), visible(checkpoints));
        List<Path> partial = hidden(checkpoints);
        assertEquals(1, partial.size(), partial.toString());
        assertTrue(Files.isRegularFile(partial.get(0).resolve("model/graph.sdz")), "model written before the kill");
        assertFalse(Files.exists(partial.get(0).resolve("state.json")), "state.json not yet written");

        // (c) Between epochs: resumed from epoch 1 (the partial folder is ignored, then removed), killed after epoch 3.
        killAt("epoch-end:2", "epoch 3", resume);
        assertEquals(List.of("epoch-0001", "epoch-0002", "epoch-0003"), visible(checkpoints));
        assertEquals(List.of(), hidden(checkpoints), "the resumed run removed the half-written checkpoint");

        // (d) Inside the final model's save (the 2nd model save of this process: epoch 4's checkpoint is the 1st).
        killAt("model-write:2", run.resolve("model").toString(), resume);
        assertEquals(List.of("epoch-0001", "epoch-0002", "epoch-0003", "epoch-0004"), visible(checkpoints));
        assertFalse(Files.exists(run.resolve("model")), "the final model is not in place");

        // (e) During the final evaluation: nothing left to train; killed with reconstructions.png but no summary.
        killAt("final-evaluation:1", run.toString(), resume);
        assertTrue(Files.isRegularFile(run.resolve("reconstructions.png")));
        assertFalse(Files.exists(run.resolve("summary.json")));
        assertFalse(Files.exists(run.resolve("samples.png")));

        String log = finish(resume, tmp.resolve("final.log"));
        assertTrue(log.contains("resuming") && log.contains("epoch-0004"), log);

        assertEquals(summaryWithoutTimes(reference), summaryWithoutTimes(run));
        assertEquals(metricsWithoutTimes(reference), metricsWithoutTimes(run));
        for (int epoch = 1; epoch <= EPOCHS; epoch++) {
            String cp = String.format("checkpoints/epoch-%04d/model/graph.sdz", epoch);
            assertSameBytes(reference, run, cp);
        }
        for (String f : List.of("model/graph.sdz", "model/model.json", "reconstructions.png", "samples.png")) {
            assertSameBytes(reference, run, f);
        }
        assertEquals(List.of(), hidden(run), "no temporary files left in the run folder");
        assertEquals(List.of(), hidden(checkpoints), "no temporary folders left in checkpoints/");
    }

    /** Starts {@code args} with the pause point {@code point}, waits for its marker, kills it with SIGKILL. */
    private void killAt(String point, String expectedDetail, List<String> args) throws Exception {
        Path log = tmp.resolve("kill-" + point.replace(':', '-') + ".log");
        Process p = start(args, point);
        CompletableFuture<String> marker = new CompletableFuture<>();
        Thread reader = drain(p, log, marker);
        String line;
        try {
            line = marker.get(STEP_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        } catch (ExecutionException | TimeoutException e) {
            p.destroyForcibly();
            reader.join();
            fail("no pause at " + point + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e) + "\n" + Files.readString(log));
            return;
        }
        assertEquals(FaultPoint.MARKER + point + " (" + expectedDetail + ")", line);
        p.destroyForcibly(); // SIGKILL on Linux
        assertTrue(p.waitFor(1, TimeUnit.MINUTES), "killed process did not end");
        assertEquals(128 + 9, p.exitValue(), "ended by SIGKILL");
        reader.join();
        assertVisibleJsonParses(tmp.resolve("killed"));
    }

    /** Runs {@code args} to the end without a pause point; returns its output. */
    private String finish(List<String> args, Path log) throws Exception {
        Process p = start(args, null);
        CompletableFuture<String> marker = new CompletableFuture<>();
        Thread reader = drain(p, log, marker);
        assertTrue(p.waitFor(STEP_TIMEOUT_MINUTES, TimeUnit.MINUTES), "run did not finish: " + Files.readString(log));
        reader.join();
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        assertFalse(marker.isDone() && !marker.isCompletedExceptionally(), "paused without a pause point: " + out);
        return out;
    }

    private static Process start(List<String> args, String pauseAt) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                LatentLab.class.getName()));
        cmd.addAll(args);
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true);
        b.environment().remove(FaultPoint.ENV);
        b.environment().remove("LATENTLAB_OP_THREADS"); // the default: timed thread choices
        if (pauseAt != null) {
            b.environment().put(FaultPoint.ENV, pauseAt);
        }
        return b.start();
    }

    /** Copies the process's output to {@code log}; completes {@code marker} with the pause line, or exceptionally at its end. */
    private static Thread drain(Process p, Path log, CompletableFuture<String> marker) {
        Thread t = new Thread(
                () -> {
                    try (BufferedReader in = new BufferedReader(
                                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                            var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                        String line;
                        while ((line = in.readLine()) != null) {
                            out.write(line);
                            out.newLine();
                            out.flush();
                            if (line.startsWith(FaultPoint.MARKER)) {
                                marker.complete(line);
                            }
                        }
                    } catch (IOException e) {
                        marker.completeExceptionally(e);
                    }
                    marker.completeExceptionally(new IllegalStateException("process output ended without a pause"));
                },
                "drain " + log.getFileName());
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static List<String> with(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(Arrays.asList(more));
        return all;
    }

    private static List<String> visible(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .sorted()
                    .toList();
        }
    }

    private static List<Path> hidden(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        }
    }

    /** A kill leaves nothing half-written under a real name: every JSON file outside temporary siblings parses. */
    private static void assertVisibleJsonParses(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".json"))
                    .filter(f ->
                            Stream.of(dir.relativize(f).toString().split("/")).noneMatch(n -> n.startsWith(".")))
                    .toList()) {
                JSON.readTree(f.toFile());
            }
        }
    }

    private static ObjectNode summaryWithoutTimes(Path run) throws IOException {
        ObjectNode s = (ObjectNode) JSON.readTree(run.resolve("summary.json").toFile());
        s.remove(List.of("train_seconds", "samples_per_second", "started", "finished", "timings", "provenance"));
        assertTrue(s.path("test_neg_elbo").isNumber(), s.toString());
        return s;
    }

    /** metrics.csv without the train_seconds and samples_per_second columns (the last two). */
    private static String metricsWithoutTimes(Path run) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        assertTrue(lines.get(0).endsWith(",train_seconds,samples_per_second"), lines.get(0));
        assertEquals(EPOCHS + 1, lines.size(), String.join("\n", lines));
        StringBuilder b = new StringBuilder();
        for (String line : lines) {
            String[] cells = line.split(",", -1);
            b.append(String.join(",", Arrays.copyOf(cells, cells.length - 2))).append('\n');
        }
        return b.toString();
    }

    private static void assertSameBytes(Path expected, Path actual, String file) throws IOException {
        assertEquals(
                -1L,
                Files.mismatch(expected.resolve(file), actual.resolve(file)),
                file + " differs from the uninterrupted run's");
    }
}
