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
}
