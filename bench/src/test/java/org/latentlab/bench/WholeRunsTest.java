package org.latentlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.models.Models;
import org.latentlab.sweep.SpecExperiment;

class WholeRunsTest {
    @TempDir
    Path tmp;

    @Test
    void theSweepSpecHasSixteenOneEpochTrialsOnTheSampleAndFourWhenQuick() throws Exception {
        for (int trials : new int[] {WholeRuns.SWEEP_TRIALS, WholeRuns.QUICK_SWEEP_TRIALS}) {
            Path spec = tmp.resolve("s" + trials + ".yaml");
            Files.writeString(spec, WholeRuns.spec(trials));
            SpecExperiment e = SpecExperiment.read(spec, Models.registry());
            assertEquals(trials, e.sweep().points().size(), WholeRuns.spec(trials));
            assertEquals("mnist-sample", e.baseConfig().dataset());
            assertEquals(1, e.baseConfig().trainer().epochs());
        }
    }

    @Test
    void sweepFactsSplitWorkerTimeIntoStepsAndOverhead() throws Exception {
        Path sweep = tmp.resolve("sweep");
        for (int i = 0; i < 4; i++) {
            Path trial = Files.createDirectories(sweep.resolve("trials").resolve("00" + i));
            Files.writeString(
                    trial.resolve("summary.json"),
                    "{\"test_loss\": 100, \"timings\": {\"run_to_first_step\": 0.5, \"steps\": 1.0, "
                            + "\"epoch_evaluation\": 0.25, \"after_training\": 0.5, \"run_total\": 2.5}}");
        }
        // 2 workers for 6 s: 12 s of worker time for 4 trials, 4 s of it in steps and 10 s inside the trials' clocks
        Map<String, Object> f = WholeRuns.sweepFacts(sweep, 4, 2, 6.0);
        assertEquals(4, f.get("trials_finished"));
        assertEquals(2400.0, (double) f.get("trials_per_hour"), 1e-9);
        assertEquals(3.0, (double) f.get("seconds_per_trial"), 1e-12);
        assertEquals(1.0, (double) f.get("step_seconds_per_trial"), 1e-12);
        assertEquals(2.0, (double) f.get("overhead_seconds_per_trial"), 1e-12);
        assertEquals(2.0 / 3, (double) f.get("overhead_fraction"), 1e-12);
        assertEquals(0.5, (double) f.get("outside_trials_seconds_per_trial"), 1e-12);
        @SuppressWarnings("unchecked")
        Map<String, Double> mean = (Map<String, Double>) f.get("mean_trial_timings");
        assertEquals(0.25, mean.get("epoch_evaluation"));
        assertTrue(!f.containsKey("trials_error"), f.toString());

        Map<String, Object> missing = WholeRuns.sweepFacts(sweep, 16, 1, 6.0);
        assertEquals("4 of 16 trials have timings", missing.get("trials_error"));
    }
}
