package org.latentlab.sweep;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.data.Datasets;
import org.latentlab.run.RunConfig;
import org.latentlab.train.Optimizer;
import org.latentlab.train.TinyAutoencoder;
import org.latentlab.train.TrainerConfig;

class SweepRunnerTest {
    @TempDir
    Path tmp;

    /** Four tiny trials: code size 2 or 4, seeds 1 and 2; outputScale=inf makes a trial fail. */
    static class TinySweep extends Experiment {
        final Sweep sweep;

        TinySweep(Sweep sweep) {
            this.sweep = sweep;
        }

        @Override
        public RunConfig baseConfig() {
            return new RunConfig(
                    Datasets.MNIST_SAMPLE,
                    0.1,
                    new TinyAutoencoder.Config(784, 4, 1.0),
                    new TrainerConfig(1, 100, Optimizer.ADAM, 1e-2, 0, 0, 1, 0, 0, 0));
        }

        @Override
        public Sweep sweep() {
            return sweep;
        }
    }

    private static TinySweep fourTrials() {
        return new TinySweep(Sweep.grid().over("codeSize", 2, 4).seeds(1, 2));
    }

    private SweepRunner runner() {
        return new SweepRunner(TinyAutoencoder.registry(), Datasets.defaultDataDir(), false);
    }

    @Test
    void planResolvesBareNamesAndNamesTyposWithTheValidKeys() {
        List<Trial> trials = new TrialPlanner(TinyAutoencoder.registry()).plan(fourTrials());
        assertEquals(4, trials.size());
        assertEquals(
                Map.of("model.codeSize", 2, "trainer.seed", 1L), trials.get(0).params());
        assertEquals("000-codeSize=2-seed=1", trials.get(0).id());
        assertEquals(4, ((TinyAutoencoder.Config) trials.get(3).config().model()).codeSize());
        assertEquals(2L, trials.get(3).config().trainer().seed());

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new TrialPlanner(TinyAutoencoder.registry())
                        .plan(new TinySweep(Sweep.grid().over("codeSise", 1))));
        assertTrue(
                e.getMessage().contains("codeSise")
                        && e.getMessage().contains("model.codeSize")
                        && e.getMessage().contains("trainer.learningRate"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TrialPlanner(TinyAutoencoder.registry())
                .plan(new TinySweep(Sweep.grid().over("epochs", -3))));
        assertTrue(e.getMessage().contains("epochs must be at least 1, got -3"), e.getMessage());
    }

    @Test
    void randomSearchIsSeededAndStaysInRange() {
        List<Map<String, Object>> a = Sweep.random(20, 9)
                .logUniform("learningRate", 1e-4, 1e-2)
                .choice("codeSize", 2, 8)
                .points();
        List<Map<String, Object>> b = Sweep.random(20, 9)
                .logUniform("learningRate", 1e-4, 1e-2)
                .choice("codeSize", 2, 8)
                .points();
        List<Map<String, Object>> c = Sweep.random(20, 10)
                .logUniform("learningRate", 1e-4, 1e-2)
                .choice("codeSize", 2, 8)
                .points();
        assertEquals(a, b);
        assertNotEquals(a, c);
        for (Map<String, Object> p : a) {
            double lr = (Double) p.get("learningRate");
            assertTrue(lr >= 1e-4 && lr < 1e-2, "lr " + lr);
            assertTrue(List.of(2, 8).contains(p.get("codeSize")));
        }
    }

    @Test
    void rerunSkipsCompletedTrialsRedoesInterruptedOnesAndShardsGiveTheSameTable() throws Exception {
        Path a = tmp.resolve("a");
        SweepRunner.Outcome first = runner().run(fourTrials(), a, Shard.ALL);
        assertEquals(new SweepRunner.Outcome(4, 0, 0), first);
        ResultsTable table = runner().collect(fourTrials(), a);
        assertEquals(4, table.rows().size());
        assertTrue(table.rows().stream().allMatch(r -> r.status().equals("completed")));
        assertTrue(table.best().isPresent());
        assertTrue(Files.readString(a.resolve("results.md")).contains("Best by test_loss"));

        assertEquals(new SweepRunner.Outcome(0, 4, 0), runner().run(fourTrials(), a, Shard.ALL));

        // An interrupted trial (status left at running, no summary) is redone; the others are skipped.
        Path t2 = a.resolve("trials").resolve(table.rows().get(2).trial());
        String before = metrics(ResultsTable.collect(a).toCsv());
        Files.delete(t2.resolve("summary.json"));
        Files.writeString(t2.resolve("status.json"), "{\"status\": \"running\"}");
        assertEquals(new SweepRunner.Outcome(1, 3, 0), runner().run(fourTrials(), a, Shard.ALL));
        assertEquals(before, metrics(ResultsTable.collect(a).toCsv()));

        // Two shards into another folder give the same metrics as the sequential run.
        Path b = tmp.resolve("b");
        assertEquals(2, runner().run(fourTrials(), b, new Shard(0, 2)).completed());
        assertEquals(2, runner().run(fourTrials(), b, new Shard(1, 2)).completed());
        assertEquals(before, metrics(runner().collect(fourTrials(), b).toCsv()));

        // The same folder with a different sweep is refused.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> runner().run(
                        new TinySweep(Sweep.grid().over("codeSize", 3)), a, Shard.ALL));
        assertTrue(e.getMessage().contains("other trials"), e.getMessage());
    }

    @Test
    void aFailingTrialIsRecordedAndTheSweepGoesOn() throws Exception {
        Path dir = tmp.resolve("f");
        TinySweep sweep = new TinySweep(Sweep.grid().over("outputScale", 1.0, Double.POSITIVE_INFINITY, 0.5));
        assertEquals(new SweepRunner.Outcome(2, 0, 1), runner().run(sweep, dir, Shard.ALL));
        ResultsTable table = runner().collect(sweep, dir);
        ResultsTable.Row failed = table.rows().get(1);
        assertEquals("failed", failed.status());
        assertTrue(failed.error().contains("NonFiniteLossException"), failed.error());
        assertEquals("completed", table.rows().get(2).status());
        assertTrue(Files.readString(dir.resolve("results.md"))
                .contains("2 of 3 trials completed. 1 failed (" + failed.trial() + ")"));
        assertEquals(
                List.of("started", "completed", "started", "failed", "started", "completed"),
                new SweepEvents(dir)
                        .read().stream().map(SweepEvents.Event::event).toList());
        // A rerun retries the failed trial only.
        assertEquals(new SweepRunner.Outcome(0, 2, 1), runner().run(sweep, dir, Shard.ALL));
    }

    @Test
    void aTrialClaimedElsewhereIsSkippedAndTakenOverOnceTheClaimIsGone() {
        Path dir = tmp.resolve("c");
        String held = new TrialPlanner(TinyAutoencoder.registry())
                .plan(fourTrials())
                .get(1)
                .id();
        try (TrialClaim claim =
                TrialClaim.tryAcquire(dir.resolve("trials").resolve(held)).orElseThrow()) {
            assertTrue(
                    TrialClaim.tryAcquire(dir.resolve("trials").resolve(held)).isEmpty(), "a second claim must fail");
            assertEquals(new SweepRunner.Outcome(3, 0, 0, 1), runner().run(fourTrials(), dir, Shard.ALL));
        }
        assertEquals(new SweepRunner.Outcome(1, 3, 0, 0), runner().run(fourTrials(), dir, Shard.ALL));
        List<SweepEvents.Event> events = new SweepEvents(dir).read();
        assertEquals(
                List.of("busy", "started", "completed"),
                events.stream()
                        .filter(e -> e.trial().equals(held))
                        .map(SweepEvents.Event::event)
                        .toList());
        assertTrue(
                events.stream()
                        .filter(e -> e.event().equals("busy"))
                        .allMatch(e -> e.trial().equals(held) && e.detail().startsWith("claimed by this process")),
                events.toString());
    }

    @Test
    void aTrialFinishedByAKilledProcessIsMarkedCompleteWithoutRetraining() throws Exception {
        Path dir = tmp.resolve("k");
        runner().run(fourTrials(), dir, Shard.ALL);
        List<String> ids = new TrialPlanner(TinyAutoencoder.registry())
                .plan(fourTrials()).stream().map(Trial::id).toList();
        // Trial 1: killed after summary.json, before status.json said completed (so before its log line).
        // Trial 2: killed after status.json said completed, before its log line.
        Path t1 = dir.resolve("trials").resolve(ids.get(1));
        Files.writeString(t1.resolve("status.json"), "{\"status\": \"running\"}");
        Path events = dir.resolve(SweepEvents.FILE);
        Files.write(
                events,
                Files.readAllLines(events).stream()
                        .filter(l ->
                                !(l.contains(ids.get(1)) || l.contains(ids.get(2))) || !l.contains("\tcompleted\t"))
                        .toList());
        String summary = Files.readString(t1.resolve("summary.json"));

        assertEquals(new SweepRunner.Outcome(1, 3, 0), runner().run(fourTrials(), dir, Shard.ALL));
        assertEquals(summary, Files.readString(t1.resolve("summary.json")), "trial 1 was trained again");
        List<SweepEvents.Event> log = new SweepEvents(dir).read();
        for (String id : ids) {
            assertEquals(
                    1,
                    log.stream()
                            .filter(e -> e.trial().equals(id) && e.event().equals("completed"))
                            .count(),
                    id);
            assertEquals(
                    1,
                    log.stream()
                            .filter(e -> e.trial().equals(id) && e.event().equals("started"))
                            .count(),
                    id);
        }
        assertTrue(log.stream()
                .anyMatch(e -> e.trial().equals(ids.get(1)) && e.detail().startsWith("found finished")));
        assertTrue(log.stream()
                .anyMatch(e -> e.trial().equals(ids.get(2)) && e.detail().contains("logged late")));
    }

    @Test
    void casesListChosenPointsRepeatedOverSeeds() {
        Sweep cases = Sweep.cases(Map.of(), Map.of("codeSize", 8, "learningRate", 0.1))
                .seeds(1, 2);
        List<Trial> trials = new TrialPlanner(TinyAutoencoder.registry()).plan(new TinySweep(cases));
        assertEquals(
                List.of(
                        "000-seed=1",
                        "001-seed=2",
                        "002-codeSize=8-learningRate=0.1-seed=1",
                        "003-codeSize=8-learningRate=0.1-seed=2"),
                trials.stream().map(Trial::id).toList());
        assertEquals(4, ((TinyAutoencoder.Config) trials.get(0).config().model()).codeSize());
        assertEquals(8, ((TinyAutoencoder.Config) trials.get(3).config().model()).codeSize());
        assertThrows(IllegalStateException.class, () -> Sweep.cases(Map.of()).over("codeSize", 2));
        assertThrows(IllegalArgumentException.class, Sweep::cases);
    }

    @Test
    void shardsComeFromSlurmOrKubernetesEnvironments() {
        assertEquals(
                new Shard(2, 4),
                Shard.fromEnvironment(Map.of("SLURM_ARRAY_TASK_ID", "2", "SLURM_ARRAY_TASK_COUNT", "4")));
        assertEquals(
                new Shard(1, 3),
                Shard.fromEnvironment(
                        Map.of("SLURM_ARRAY_TASK_ID", "6", "SLURM_ARRAY_TASK_MIN", "5", "SLURM_ARRAY_TASK_MAX", "7")));
        assertEquals(
                new Shard(3, 5),
                Shard.fromEnvironment(Map.of("JOB_COMPLETION_INDEX", "3", "LATENTLAB_SHARD_COUNT", "5")));
        assertEquals(Shard.ALL, Shard.fromEnvironment(Map.of()));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Shard.fromEnvironment(Map.of("JOB_COMPLETION_INDEX", "3")));
        assertTrue(e.getMessage().contains("LATENTLAB_SHARD_COUNT"));
        assertThrows(IllegalArgumentException.class, () -> new Shard(4, 4));
    }

    /** The CSV without the timing columns, which differ run to run. */
    static String metrics(String csv) {
        StringBuilder b = new StringBuilder();
        List<String> lines = csv.lines().toList();
        List<String> header = List.of(lines.get(0).split(","));
        for (String line : lines) {
            String[] cells = line.split(",", -1);
            for (int i = 0; i < cells.length; i++) {
                String h = header.get(i);
                if (!h.equals("samples_per_second") && !h.equals("train_seconds")) {
                    b.append(cells[i]).append(',');
                }
            }
            b.append('\n');
        }
        return b.toString();
    }
}
