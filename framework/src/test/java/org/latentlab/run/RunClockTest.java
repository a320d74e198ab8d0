package org.latentlab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.latentlab.train.FitTimings;

class RunClockTest {
    @Test
    void theProcessAgeIsTheJvmUptimePlusItsLaunchInSeconds() {
        double uptime = ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
        Double age = RunClock.processAgeSeconds(Instant.now());
        assertNotNull(age);
        // The JVM counts its uptime from its own start, a little after the process began; clock ticks are 10 ms.
        assertTrue(age >= uptime - 0.05, age + " s old, JVM up " + uptime + " s");
        assertTrue(age <= uptime + 2, age + " s old, JVM up " + uptime + " s");
    }

    @Test
    void timingsAddUpAndNameEveryPhase() throws Exception {
        RunClock clock = RunClock.start();
        long t0 = System.nanoTime();
        Thread.sleep(30);
        FitTimings fit = new FitTimings(System.nanoTime(), 0.5, 0.25, 0.125, 0.01);
        long fitEnd = System.nanoTime();
        Thread.sleep(20);
        Map<String, Double> t = clock.timings(fit, null, fitEnd);
        assertTrue(t.get("run_to_first_step") >= 0.029, t.toString());
        assertTrue(t.get("after_training") >= 0.019, t.toString());
        assertTrue(t.get("run_total") >= (System.nanoTime() - t0) / 1e9 - 0.01, t.toString());
        assertEquals(0.5, t.get("steps"));
        assertEquals(0.25, t.get("epoch_evaluation"));
        assertEquals(0.125, t.get("epoch_end"));
        assertTrue(!t.containsKey("pretrain"), t.toString());
        // A second run in the same process does not count from the process's start.
        Map<String, Double> second = RunClock.start().timings(fit, 2.0, System.nanoTime());
        assertTrue(
                !second.containsKey("process_to_first_step") && !second.containsKey("process_total"),
                second.toString());
        assertEquals(2.0, second.get("pretrain"));
        assertEquals(
                List.of(
                        "run_to_first_step",
                        "prepare",
                        "pretrain",
                        "steps",
                        "epoch_evaluation",
                        "epoch_end",
                        "after_training",
                        "run_total"),
                List.copyOf(second.keySet()));
        String line = RunClock.describe(t);
        assertTrue(line.contains("s steps") && line.contains("end-of-epoch evaluation"), line);
    }
}
