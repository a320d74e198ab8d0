package org.latentlab.sweep;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.data.Datasets;
import org.latentlab.train.TinyAutoencoder;

/** A TPE sweep run by the SweepRunner: rounds planned from earlier results, recorded, resumable, deterministic. */
class AdaptiveSweepTest {
    @TempDir
    Path tmp;

    private static SweepRunnerTest.TinySweep tpe() {
        return new SweepRunnerTest.TinySweep(Sweep.tpe(6, 5)
                .batch(2)
                .startup(2)
                .logUniform("trainer.learningRate", 1e-3, 1e-1)
                .choice("codeSize", 2, 4, 8));
    }

    private static SweepRunner runner() {
        return new SweepRunner(TinyAutoencoder.registry(), Datasets.defaultDataDir(), false).tensorBoard(false);
    }

    @Test
    void roundsArePlannedFromEarlierResultsRecordedAndTheSameEveryTime() throws Exception {
        Path a = tmp.resolve("a");
        SweepRunner.Outcome first = runner().run(tpe(), a, Shard.ALL);
        assertEquals(new SweepRunner.Outcome(6, 0, 0), first);
        JsonNode sweep =
                new ObjectMapper().readTree(a.resolve(SweepRunner.SWEEP_FILE).toFile());
        assertEquals(6, sweep.get("trials").size());
        ResultsTable table = runner().collect(tpe(), a);
        assertEquals(6, table.rows().size());
        for (ResultsTable.Row row : table.rows()) {
            assertEquals("completed", row.status(), row.trial());
        }
        // The first round comes from the prior, the later ones from the results: each round's points follow from
        // the values of the rounds before it, and those are what the runner recorded.
        List<Double> values = SweepRunner.adaptiveValues(a);
        assertEquals(6, values.size());
        List<Map<String, Object>> replanned = tpe().sweep().adaptivePoints(values);
        assertEquals(6, replanned.size());
        List<Map<String, Object>> fromTwo = tpe().sweep().adaptivePoints(values.subList(0, 2));
        assertEquals(4, fromTwo.size(), "values of round 1 allow round 2, not round 3");
        assertEquals(replanned.subList(0, 4), fromTwo);

        // A rerun does nothing; another folder gets the same trials and numbers.
        assertEquals(new SweepRunner.Outcome(0, 0, 0), runner().run(tpe(), a, Shard.ALL));
        Path b = tmp.resolve("b");
        runner().run(tpe(), b, Shard.ALL);
        assertEquals(
                Files.readString(a.resolve(SweepRunner.SWEEP_FILE)),
                Files.readString(b.resolve(SweepRunner.SWEEP_FILE)));
        assertEquals(values, SweepRunner.adaptiveValues(b));
    }

    @Test
    void anInterruptedSearchContinuesWhereItStopped() throws Exception {
        Path whole = tmp.resolve("whole");
        runner().run(tpe(), whole, Shard.ALL);
        Path cut = tmp.resolve("cut");
        // Only shard 0 of 2 runs first: it does its own trials of round 1, then the other shard's (no live process
        // holds them), and so on: one process finishes an adaptive search alone.
        SweepRunner.Outcome alone = runner().run(tpe(), cut, new Shard(0, 2));
        assertEquals(6, alone.completed());
        assertEquals(SweepRunner.adaptiveValues(whole), SweepRunner.adaptiveValues(cut));
        List<String> ids = new ArrayList<>();
        runner().collect(tpe(), cut).rows().forEach(r -> ids.add(r.trial()));
        List<String> wholeIds = new ArrayList<>();
        runner().collect(tpe(), whole).rows().forEach(r -> wholeIds.add(r.trial()));
        assertEquals(wholeIds, ids);
    }

    @Test
    void aTpeSweepRefusesSeedsAndPointsWithoutResults() {
        assertThrows(IllegalStateException.class, () -> Sweep.tpe(4, 1).seeds(1, 2));
        assertThrows(IllegalStateException.class, () -> Sweep.tpe(4, 1).over("codeSize", 2, 4));
        assertThrows(
                IllegalStateException.class,
                () -> Sweep.tpe(4, 1).choice("codeSize", 2).points());
        assertThrows(IllegalStateException.class, () -> Sweep.grid().batch(2));
    }

    /** The tiny sweep's model and data, trained up to 4 epochs at a constant learning rate. */
    static final class FourEpochs extends Experiment {
        final Sweep sweep;

        FourEpochs(Sweep sweep) {
            this.sweep = sweep;
        }

        @Override
        public org.latentlab.run.RunConfig baseConfig() {
            return new SweepRunnerTest.TinySweep(sweep)
                    .baseConfig()
                    .withTrainer(org.latentlab.train.TrainerConfig.builder()
                            .epochs(4)
                            .batchSize(100)
                            .learningRate(1e-2)
                            .checkpointEvery(1)
                            .build());
        }

        @Override
        public Sweep sweep() {
            return sweep;
        }
    }

    @Test
    void successiveHalvingContinuesTheBestOfEachRungFromItsCheckpoint() throws Exception {
        FourEpochs exp = new FourEpochs(Sweep.tpe(4, 5)
                .batch(4)
                .startup(4)
                .halving(1, 2)
                .logUniform("trainer.learningRate", 1e-3, 1e-1)
                .choice("codeSize", 2, 4, 8));
        assertEquals(4 + 2 + 1, exp.sweep().adaptiveTrials(4), "rungs of 1, 2 and 4 epochs");
        Path dir = tmp.resolve("halving");
        assertEquals(new SweepRunner.Outcome(7, 0, 0), runner().run(exp, dir, Shard.ALL));

        List<Trial> trials = new TrialPlanner(TinyAutoencoder.registry()).plan(exp, SweepRunner.adaptiveValues(dir));
        assertEquals(7, trials.size());
        List<Double> values = SweepRunner.adaptiveValues(dir);
        for (int i = 0; i < 4; i++) {
            assertNull(trials.get(i).parent());
            assertEquals(1, trials.get(i).config().trainer().epochs());
        }
        // rung 1: the two best of rung 0, continued to 2 epochs; rung 2: the better of those, to 4
        List<Integer> best = java.util.stream.IntStream.range(0, 4)
                .boxed()
                .sorted(java.util.Comparator.comparingDouble(values::get))
                .toList();
        assertEquals(
                best.subList(0, 2),
                List.of(trials.get(4).parent(), trials.get(5).parent()));
        assertEquals(2, trials.get(4).config().trainer().epochs());
        int winner = values.get(4) <= values.get(5) ? 4 : 5;
        assertEquals(winner, trials.get(6).parent());
        assertEquals(4, trials.get(6).config().trainer().epochs());
        Path last = dir.resolve(SweepRunner.TRIALS_DIR).resolve(trials.get(6).id());
        assertEquals(1 + 4, Files.readAllLines(last.resolve("metrics.csv")).size(), "the parent's epochs and its own");

        // A continued trial is the trial trained that long from the start.
        Path fresh = tmp.resolve("fresh");
        org.latentlab.run.RunSummary direct = new org.latentlab.run.TrainingRun(
                        TinyAutoencoder.registry(), Datasets.defaultDataDir(), false)
                .tensorBoard(false)
                .train(trials.get(6).config(), fresh);
        assertEquals(
                direct.testMetrics(), org.latentlab.run.RunSummary.read(last).testMetrics());
    }
}
