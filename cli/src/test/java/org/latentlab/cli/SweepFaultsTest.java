package org.latentlab.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.latentlab.cli.CliRunner.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.cli.CliRunner.Result;
import org.latentlab.data.Datasets;
import org.latentlab.models.Models;
import org.latentlab.sweep.Experiment;
import org.latentlab.sweep.SweepEvents;
import org.latentlab.sweep.SweepEvents.Event;
import org.latentlab.sweep.SweepRunner;
import org.latentlab.sweep.Trial;
import org.latentlab.sweep.TrialClaim;
import org.latentlab.sweep.TrialPlanner;

/**
 * Sweeps under the faults they meet in practice, with real processes: a sweep killed with
 * SIGKILL over and over, shard processes writing one folder at the same time, two processes
 * given the same shard, and trials that fail by NaN, out-of-memory and corrupt data. Every wait
 * is for something the processes did (a line in {@code events.log}, a checkpoint written, an
 * exit), never for a length of time, so a loaded machine makes the tests slower, not flaky.
 * Every table is compared with one uninterrupted sequential run of the same sweep.
 */
@Tag("e2e")
class SweepFaultsTest {
    private static final String TWELVE = TwelveTrialSweep.class.getName();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long any one wait may take before the test gives up: it detects a hang, it synchronises nothing. */
    private static final Duration HANG = Duration.ofMinutes(4);

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    private static String reference;

    /** The uninterrupted sequential run every table here is compared with; made once. */
    private static synchronized String reference() throws Exception {
        if (reference == null) {
            long t0 = System.nanoTime();
            Path dir = shared.resolve("reference");
            Path log = shared.resolve("reference.log");
            assertExits0(startSweep(log, Map.of(), "-Xmx1g", TWELVE, "--out", dir.toString()), log);
            String table = SweepCommandTest.metrics(dir);
            assertEquals(13, table.lines().count(), table);
            assertEquals(
                    12, table.lines().filter(l -> l.contains(",completed,")).count(), table);
            assertEachTrialCompletedExactlyOnce(dir, trialIds(new TwelveTrialSweep()));
            report("reference: 12 trials, one uninterrupted process, %.1f s", seconds(t0));
            reference = table;
        }
        return reference;
    }

    /**
     * 12 trials; 10 processes each killed with SIGKILL at a point of its own progress (after its
     * n-th trial started or resumed, after its n-th checkpoint, after its n-th trial completed),
     * then a rerun. Every trial must end complete exactly once (one 'completed' in the events log,
     * no start after it), every JSON file must parse after every kill, trials a killed process had
     * claimed must be taken over despite its leftover lock file, and the table must equal the
     * uninterrupted run's.
     */
    @Test
    void sweepKilledTenTimesCompletesEveryTrialExactlyOnce() throws Exception {
        String expected = reference();
        long t0 = System.nanoTime();
        List<String> ids = trialIds(new TwelveTrialSweep());
        Path sweep = tmp.resolve("killed");
        // Nominally these leave 3 trials for the rerun; a kill landing late only moves work earlier.
        List<KillPoint> plan = List.of(
                new KillPoint(Kind.STARTED, 1),
                new KillPoint(Kind.CHECKPOINT, 1),
                new KillPoint(Kind.COMPLETED, 1),
                new KillPoint(Kind.STARTED, 2),
                new KillPoint(Kind.COMPLETED, 2),
                new KillPoint(Kind.CHECKPOINT, 1),
                new KillPoint(Kind.COMPLETED, 3),
                new KillPoint(Kind.STARTED, 1),
                new KillPoint(Kind.CHECKPOINT, 2),
                new KillPoint(Kind.COMPLETED, 1));
        int jsonParsed = 0;
        Set<Path> leftovers = new TreeSet<>();
        List<String> interrupted = new ArrayList<>();
        List<String> kills = new ArrayList<>();
        for (int k = 0; k < plan.size(); k++) {
            KillPoint point = plan.get(k);
            Path log = tmp.resolve("kill-" + (k + 1) + ".log");
            Instant since = Instant.now();
            Process p = startSweep(log, Map.of(), "-Xmx1g", TWELVE, "--out", sweep.toString());
            awaitThenKill(p, point, sweep, since, log);

            jsonParsed += assertJsonFilesParse(sweep);
            leftovers.addAll(temporaryFiles(sweep.resolve(SweepRunner.TRIALS_DIR)));
            List<String> claimedByDead = new ArrayList<>();
            for (String id : ids) {
                Path dir = sweep.resolve(SweepRunner.TRIALS_DIR).resolve(id);
                JsonNode status = readJson(dir.resolve(SweepRunner.STATUS_FILE));
                if (status != null
                        && status.path("status").asText().equals("running")
                        && status.path("pid").asLong() == p.pid()) {
                    // Its claim died with it; the lock file stays behind and must not keep the trial from a rerun.
                    assertTrue(Files.exists(dir.resolve(TrialClaim.LOCK_FILE)), dir.toString());
                    claimedByDead.add(id + latestCheckpoint(dir));
                }
            }
            interrupted.addAll(claimedByDead);
            List<Event> own = new SweepEvents(sweep)
                    .read().stream().filter(e -> e.pid() == p.pid()).toList();
            kills.add(String.format(
                    Locale.ROOT,
                    "kill %d at %s: last event %s, left running %s",
                    k + 1,
                    point,
                    own.isEmpty()
                            ? "none"
                            : own.get(own.size() - 1).trial() + " "
                                    + own.get(own.size() - 1).event(),
                    claimedByDead));
        }

        Path rerunLog = tmp.resolve("rerun.log");
        assertExits0(startSweep(rerunLog, Map.of(), "-Xmx1g", TWELVE, "--out", sweep.toString()), rerunLog);
        List<Event> events = assertEachTrialCompletedExactlyOnce(sweep, ids);
        assertTrue(Files.readString(rerunLog).contains("already completed, skipped"), tail(rerunLog));
        jsonParsed += assertJsonFilesParse(sweep);
        assertEquals(
                List.of(),
                temporaryFiles(sweep.resolve(SweepRunner.TRIALS_DIR)),
                "temporary files of killed writes must be gone from redone trials");
        assertEquals(expected, SweepCommandTest.metrics(sweep));
        assertFalse(interrupted.isEmpty(), "no kill left a trial running: " + kills);
        long distinct = interrupted.stream()
                .map(t -> t.substring(0, t.indexOf(' ')))
                .distinct()
                .count();
        long resumed = events.stream().filter(e -> e.event().equals("resumed")).count();
        long processes = events.stream().map(Event::pid).distinct().count();

        kills.forEach(k -> report("  %s", k));
        report(
                "sweepKilledTenTimesCompletesEveryTrialExactlyOnce: 12 trials, 10 SIGKILLs, %d times a trial claimed by the "
                        + "killed process was taken over by the next (%d distinct trials; %d 'resumed' events), rerun: "
                        + "12/12 completed exactly once (events of %d processes), %d JSON files parsed after the kills and "
                        + "at the end, %d temporary files of killed writes found and removed, table equal; %.1f s",
                interrupted.size(), distinct, resumed, processes, jsonParsed, leftovers.size(), seconds(t0));
    }

    /**
     * Two, then four shard processes write one sweep folder at the same time (two by flags, four
     * by the Slurm array variables sbatch sets, as docker/slurm/sweep.sbatch runs them); collect
     * must build the sequential run's table, each trial completed once, by its shard's process.
     */
    @Test
    void twoAndFourShardProcessesShareOneFolderAndCollectBuildsTheSequentialTable() throws Exception {
        String expected = reference();
        List<String> ids = trialIds(new TwelveTrialSweep());
        for (int count : new int[] {2, 4}) {
            long t0 = System.nanoTime();
            Path sweep = tmp.resolve(count + "-shards");
            List<Process> shards = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Path log = tmp.resolve(count + "-shards-" + i + ".log");
                shards.add(
                        count == 2
                                ? startSweep(
                                        log,
                                        Map.of(),
                                        "-Xmx1g",
                                        TWELVE,
                                        "--out",
                                        sweep.toString(),
                                        "--shard-index",
                                        String.valueOf(i),
                                        "--shard-count",
                                        "2",
                                        "--no-collect")
                                : startSweep(
                                        log,
                                        Map.of("SLURM_ARRAY_TASK_ID", String.valueOf(i), "SLURM_ARRAY_TASK_COUNT", "4"),
                                        "-Xmx1g",
                                        TWELVE,
                                        "--out",
                                        sweep.toString(),
                                        "--no-collect"));
            }
            for (int i = 0; i < count; i++) {
                assertExits0(shards.get(i), tmp.resolve(count + "-shards-" + i + ".log"));
            }
            Result c = run("collect", "--sweep", sweep.toString());
            assertEquals(0, c.exit(), c.err());
            assertEquals(expected, SweepCommandTest.metrics(sweep));
            List<Event> events = assertEachTrialCompletedExactlyOnce(sweep, ids);
            for (Event e : events) {
                assertNotEquals("busy", e.event(), "shards are disjoint, yet " + e);
                if (e.event().equals("completed")) {
                    int index = Integer.parseInt(e.trial().substring(0, 3));
                    assertEquals(shards.get(index % count).pid(), e.pid(), e + " was not completed by its shard");
                }
            }
            assertJsonFilesParse(sweep);
            report(
                    "twoAndFourShardProcessesShareOneFolderAndCollectBuildsTheSequentialTable: %d shard processes at "
                            + "once, 12/12 completed exactly once by their shard, collect equal to sequential; %.1f s",
                    count, seconds(t0));
        }
    }

    /**
     * Two processes run the same shard (all twelve trials) at once while this JVM, standing for a
     * third live process, holds the claim of trial 5. Both must skip trial 5 saying who holds it,
     * no trial may be started twice, and every other trial must complete exactly once; once the
     * claim is released (as when its holder dies), a rerun takes trial 5 over, and the table
     * equals the sequential run's.
     */
    @Test
    void twoProcessesOnTheSameShardNeverTrainATrialTwice() throws Exception {
        String expected = reference();
        long t0 = System.nanoTime();
        List<String> ids = trialIds(new TwelveTrialSweep());
        Path sweep = tmp.resolve("same-shard");
        String held = ids.get(5);
        Process a;
        Process b;
        try (TrialClaim claim = TrialClaim.tryAcquire(
                        sweep.resolve(SweepRunner.TRIALS_DIR).resolve(held))
                .orElseThrow()) {
            a = startSweep(
                    tmp.resolve("same-a.log"),
                    Map.of(),
                    "-Xmx1g",
                    TWELVE,
                    "--out",
                    sweep.toString(),
                    "--shard-index",
                    "0",
                    "--shard-count",
                    "1",
                    "--no-collect");
            b = startSweep(
                    tmp.resolve("same-b.log"),
                    Map.of(),
                    "-Xmx1g",
                    TWELVE,
                    "--out",
                    sweep.toString(),
                    "--shard-index",
                    "0",
                    "--shard-count",
                    "1",
                    "--no-collect");
            assertExits0(a, tmp.resolve("same-a.log"));
            assertExits0(b, tmp.resolve("same-b.log"));
        }
        String claimedBy =
                "trial " + held + ": claimed by pid " + ProcessHandle.current().pid() + " on ";
        assertTrue(Files.readString(tmp.resolve("same-a.log")).contains(claimedBy), claimedBy);
        assertTrue(Files.readString(tmp.resolve("same-b.log")).contains(claimedBy), claimedBy);
        List<Event> events = new SweepEvents(sweep).read();
        for (String id : ids) {
            List<Event> mine = events.stream().filter(e -> e.trial().equals(id)).toList();
            long starts = mine.stream()
                    .filter(e -> e.event().equals("started") || e.event().equals("resumed"))
                    .count();
            long completions =
                    mine.stream().filter(e -> e.event().equals("completed")).count();
            assertEquals(id.equals(held) ? 0 : 1, starts, id + " " + mine);
            assertEquals(id.equals(held) ? 0 : 1, completions, id + " " + mine);
        }
        List<Long> busyPids = events.stream()
                .filter(e -> e.trial().equals(held) && e.event().equals("busy"))
                .map(Event::pid)
                .sorted()
                .toList();
        assertEquals(Stream.of(a.pid(), b.pid()).sorted().toList(), busyPids, events.toString());
        long byA = events.stream()
                .filter(e -> e.pid() == a.pid() && e.event().equals("completed"))
                .count();
        long byB = events.stream()
                .filter(e -> e.pid() == b.pid() && e.event().equals("completed"))
                .count();
        long busy = events.stream().filter(e -> e.event().equals("busy")).count();

        Path rerunLog = tmp.resolve("same-rerun.log");
        assertExits0(startSweep(rerunLog, Map.of(), "-Xmx1g", TWELVE, "--out", sweep.toString()), rerunLog);
        assertTrue(
                Files.readString(rerunLog).contains("trial " + held + ": {"), tail(rerunLog)); // trained from the start
        assertEachTrialCompletedExactlyOnce(sweep, ids);
        assertEquals(expected, SweepCommandTest.metrics(sweep));
        assertJsonFilesParse(sweep);
        report(
                "twoProcessesOnTheSameShardNeverTrainATrialTwice: 2 processes x 12 trials, trial 5 held by a third: "
                        + "%d + %d completed, %d skips of claimed trials logged, each trial started once; rerun took trial 5 "
                        + "over; table equal; %.1f s",
                byA, byB, busy, seconds(t0));
    }

    /**
     * One sweep whose trials fail in the three ways trials do (NaN loss, out of memory on and off
     * the heap, corrupt data) between two that succeed, in a child JVM with a 256 MB heap: each
     * failure is recorded with its reason in status.json, events.log, results.csv and results.md,
     * the last trial still completes in the same process, and a rerun retries the failures and
     * skips the completed trials.
     */
    @Test
    void nanOutOfMemoryAndCorruptDataFailOnlyTheirTrials() throws Exception {
        long t0 = System.nanoTime();
        List<String> ids = trialIds(new FailingTrialsSweep());
        Path data = tmp.resolve("data");
        Path mnist = data.resolve("mnist");
        Files.createDirectories(mnist);
        for (String f : List.of(
                "train-images-idx3-ubyte",
                "train-labels-idx1-ubyte",
                "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte")) {
            try (InputStream in = new GZIPInputStream(Datasets.class.getResourceAsStream("mnist-sample/" + f + ".gz"));
                    OutputStream out = Files.newOutputStream(mnist.resolve(f))) {
                in.transferTo(out);
            }
        }
        // A partial copy, as an interrupted download or a full disk leaves one.
        Path images = mnist.resolve("train-images-idx3-ubyte");
        Files.write(images, Arrays.copyOf(Files.readAllBytes(images), 100_000));

        Path sweep = tmp.resolve("failing");
        Path log = tmp.resolve("failing.log");
        Process p = startSweep(
                log,
                Map.of(),
                "-Xmx256m",
                FailingTrialsSweep.class.getName(),
                "--out",
                sweep.toString(),
                "--data-dir",
                data.toString());
        assertExits0(p, log);
        List<String> statuses = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (String id : ids) {
            JsonNode status =
                    readJson(sweep.resolve(SweepRunner.TRIALS_DIR).resolve(id).resolve(SweepRunner.STATUS_FILE));
            statuses.add(status.path("status").asText());
            errors.add(status.path("error").asText(""));
        }
        assertEquals(
                List.of("completed", "failed", "failed", "failed", "failed", "completed"), statuses, errors.toString());
        assertTrue(
                errors.get(1).startsWith("NonFiniteLossException: ")
                        && errors.get(1).contains("NaN"),
                errors.get(1));
        // Out of heap while the model's weights are drawn: reported as a model too large for the memory
        assertTrue(
                errors.get(2).contains("out of memory (Java heap space)")
                        && errors.get(2).contains("hiddenSizes=[2000000]"),
                errors.get(2));
        assertTrue(errors.get(3).startsWith("OutOfMemoryError: "), errors.get(3));
        assertTrue(
                errors.get(4).startsWith("DataException: ")
                        && errors.get(4).contains("truncated")
                        && errors.get(4).contains(images.toString()),
                errors.get(4));
        // The table of the first run already shows every failure with its reason.
        String csv = Files.readString(sweep.resolve("results.csv"));
        String md = Files.readString(sweep.resolve("results.md"));
        assertTrue(md.contains("2 of 6 trials completed. 4 failed"), md);
        for (int i = 1; i <= 4; i++) {
            String id = ids.get(i);
            String row =
                    csv.lines().filter(l -> l.startsWith(id + ",")).findFirst().orElseThrow();
            assertTrue(row.contains(",failed,"), row);
            assertTrue(row.contains(errors.get(i).substring(0, 40)), row);
            assertTrue(md.contains(errors.get(i).substring(0, 40)), md);
        }
        // All in one process, which went on after each failure (the last trial ran after both out-of-memory errors).
        List<Event> events = new SweepEvents(sweep).read();
        assertTrue(events.stream().allMatch(e -> e.pid() == p.pid()), events.toString());
        assertEquals(
                List.of("completed", "failed", "failed", "failed", "failed", "completed"),
                events.stream()
                        .filter(e -> !e.event().equals("started"))
                        .map(Event::event)
                        .toList());

        // A rerun retries the failed trials (they fail again) and leaves the completed ones alone.
        Path relog = tmp.resolve("failing-rerun.log");
        Process again = startSweep(
                relog,
                Map.of(),
                "-Xmx256m",
                FailingTrialsSweep.class.getName(),
                "--out",
                sweep.toString(),
                "--data-dir",
                data.toString());
        assertExits0(again, relog);
        List<Event> second = new SweepEvents(sweep)
                .read().stream().filter(e -> e.pid() == again.pid()).toList();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            List<String> kinds = second.stream()
                    .filter(e -> e.trial().equals(id))
                    .map(Event::event)
                    .toList();
            assertEquals(
                    i == 0 || i == 5 ? List.of() : List.of(i == 1 || i == 3 ? "resumed" : "started", "failed"),
                    kinds,
                    id);
        }
        assertTrue(Files.readString(relog).contains("trial " + ids.get(0) + ": already completed, skipped"));
        report(
                "nanOutOfMemoryAndCorruptDataFailOnlyTheirTrials: 6 trials in one -Xmx256m JVM, 4 failed with their "
                        + "reasons (%s | %s | %s | %s), 2 completed; rerun retried the 4, skipped the 2; %.1f s",
                errors.get(1), errors.get(2), errors.get(3), errors.get(4), seconds(t0));
    }

    // ---- kill points

    /** What a kill waits for. */
    private enum Kind {
        /** a 'started' or 'resumed' event of the process: it has claimed a trial and begun it */
        STARTED,
        /** a checkpoint folder written by the process (state.json newer than its start) */
        CHECKPOINT,
        /** a 'completed' event of the process */
        COMPLETED
    }

    /**
     * The n-th occurrence of {@code kind} in the process about to be killed: counted in that
     * process's own progress, never an earlier one's, so the point is always ahead of it.
     */
    private record KillPoint(Kind kind, int nth) {
        boolean reached(Path sweep, long pid, Instant since) {
            try {
                long n =
                        switch (kind) {
                            case STARTED ->
                                new SweepEvents(sweep)
                                        .read().stream()
                                                .filter(e -> e.pid() == pid
                                                        && (e.event().equals("started")
                                                                || e.event().equals("resumed")))
                                                .count();
                            case COMPLETED ->
                                new SweepEvents(sweep)
                                        .read().stream()
                                                .filter(e -> e.pid() == pid
                                                        && e.event().equals("completed"))
                                                .count();
                            case CHECKPOINT -> checkpointsSince(sweep, since);
                        };
                return n >= nth;
            } catch (IOException | RuntimeException e) {
                return false; // a folder renamed while being listed: look again
            }
        }

        @Override
        public String toString() {
            return kind.name().toLowerCase(Locale.ROOT) + " #" + nth;
        }
    }

    private static void awaitThenKill(Process p, KillPoint point, Path sweep, Instant since, Path log)
            throws Exception {
        Instant deadline = Instant.now().plus(HANG);
        while (!point.reached(sweep, p.pid(), since)) {
            if (!p.isAlive()) {
                fail("the sweep process ended (exit " + p.exitValue() + ") before kill point " + point + "; log:\n"
                        + tail(log));
            }
            if (Instant.now().isAfter(deadline)) {
                p.destroyForcibly();
                fail("kill point " + point + " not reached in " + HANG + "; log:\n" + tail(log));
            }
            Thread.sleep(20); // how often to look; what the test waits for is the condition above
        }
        p.destroyForcibly(); // SIGKILL on Linux
        assertTrue(p.waitFor(HANG.toSeconds(), TimeUnit.SECONDS));
        assertEquals(128 + 9, p.exitValue(), "the process was not ended by SIGKILL");
    }

    private static long checkpointsSince(Path sweep, Instant since) throws IOException {
        Path trials = sweep.resolve(SweepRunner.TRIALS_DIR);
        if (!Files.isDirectory(trials)) {
            return 0;
        }
        long n = 0;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(trials)) {
            for (Path trial : dirs) {
                Path checkpoints = trial.resolve("checkpoints");
                if (!Files.isDirectory(checkpoints)) {
                    continue;
                }
                try (DirectoryStream<Path> cps = Files.newDirectoryStream(checkpoints, "epoch-*")) {
                    for (Path cp : cps) {
                        Path state = cp.resolve("state.json");
                        if (Files.exists(state)
                                && Files.getLastModifiedTime(state).toInstant().isAfter(since)) {
                            n++;
                        }
                    }
                }
            }
        }
        return n;
    }

    private static String latestCheckpoint(Path trialDir) throws IOException {
        Path checkpoints = trialDir.resolve("checkpoints");
        if (!Files.isDirectory(checkpoints)) {
            return " (no checkpoint)";
        }
        try (Stream<Path> s = Files.list(checkpoints)) {
            return s.map(x -> x.getFileName().toString())
                    .filter(n -> n.startsWith("epoch-"))
                    .max(String::compareTo)
                    .map(n -> " (at " + n + ")")
                    .orElse(" (no checkpoint)");
        }
    }

    // ---- checks shared by the tests

    /**
     * Each trial has exactly one 'completed' event and no 'started' or 'resumed' after it (a
     * completed trial is never retrained), its status.json says completed, and every line of
     * the log parses. Returns the events.
     */
    static List<Event> assertEachTrialCompletedExactlyOnce(Path sweep, List<String> ids) throws IOException {
        SweepEvents log = new SweepEvents(sweep);
        List<Event> events = log.read();
        assertEquals(Files.readAllLines(log.file()).size(), events.size(), "events.log has lines that do not parse");
        for (String id : ids) {
            List<Event> mine = events.stream().filter(e -> e.trial().equals(id)).toList();
            List<String> kinds = mine.stream().map(Event::event).toList();
            assertEquals(1, kinds.stream().filter("completed"::equals).count(), "trial " + id + " events: " + mine);
            List<String> after = kinds.subList(kinds.indexOf("completed") + 1, kinds.size());
            assertFalse(after.contains("started") || after.contains("resumed"), "trial " + id + " retrained: " + mine);
            JsonNode status =
                    readJson(sweep.resolve(SweepRunner.TRIALS_DIR).resolve(id).resolve(SweepRunner.STATUS_FILE));
            assertEquals("completed", status.path("status").asText(), id);
        }
        return events;
    }

    /** Parses every JSON file a reader would open (temporary files of killed writes excluded); returns how many. */
    private static int assertJsonFilesParse(Path sweep) throws IOException {
        int n = 0;
        try (Stream<Path> files = Files.walk(sweep)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                if (isTemporary(sweep.relativize(f))) {
                    continue;
                }
                try {
                    JSON.readTree(f.toFile());
                } catch (IOException e) {
                    fail("unreadable JSON file " + f + ": " + e.getMessage());
                }
                n++;
            }
        }
        return n;
    }

    /** What AtomicFiles writes before its rename: hidden names (.x.json123.tmp, .epoch-0002.new123); not .lock. */
    private static boolean isTemporary(Path relative) {
        for (Path part : relative) {
            String s = part.toString();
            if (s.startsWith(".") && !s.equals(TrialClaim.LOCK_FILE)) {
                return true;
            }
        }
        return false;
    }

    private static List<Path> temporaryFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> !f.equals(dir) && isTemporary(dir.relativize(f)))
                    .toList();
        }
    }

    private static JsonNode readJson(Path file) throws IOException {
        return Files.isRegularFile(file) ? JSON.readTree(file.toFile()) : null;
    }

    private static List<String> trialIds(Experiment experiment) {
        return new TrialPlanner(Models.registry())
                .plan(experiment).stream().map(Trial::id).toList();
    }

    // ---- processes

    /**
     * Starts {@code latentlab sweep ARGS} in a JVM of its own on the test class path, output to
     * {@code log}. Set for many short JVMs sharing 2 cores, none of which changes a result: C1
     * only (in a JVM that lives seconds C2's compiler threads take the cores from training: four
     * tiny trials took 9 s against 19-26 s), libnd4j on one OpenMP thread that sleeps when idle
     * ({@code OMP_WAIT_POLICY=PASSIVE}, as {@code ./latentlab} sets it; spinning threads of 2-4
     * processes starve each other: 12 trials took 11 CPU-s against 40 CPU-s).
     */
    private static Process startSweep(Path log, Map<String, String> env, String heap, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                heap,
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                LatentLab.class.getName(),
                "sweep"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        // only the shard settings this test chooses
        pb.environment()
                .keySet()
                .removeIf(k -> k.startsWith("SLURM_")
                        || k.equals("JOB_COMPLETION_INDEX")
                        || k.equals("LATENTLAB_SHARD_COUNT"));
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().putAll(env);
        return pb.start();
    }

    private static void assertExits0(Process p, Path log) throws Exception {
        if (!p.waitFor(HANG.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("sweep process still running after " + HANG + "; log:\n" + tail(log));
        }
        assertEquals(0, p.exitValue(), tail(log));
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void report(String format, Object... args) {
        System.out.println("[SweepFaultsTest] " + String.format(Locale.ROOT, format, args));
    }
}
