package org.latentlab.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.latentlab.train.FitTimings;

/**
 * Where a run's wall time goes, for the {@code timings} of {@code summary.json} and the run's last log line. Taken
 * when {@link TrainingRun#train} or {@link TrainingRun#resume} is entered; the first run of a process also counts
 * from the process's start (the JVM's start, ND4J's initialisation and the command line before it), which the
 * operating system records.
 *
 * <p>Keys, in seconds: {@code process_to_first_step} (first run of the process only: from the process's start to
 * the end of the first gradient step, planning included), {@code run_to_first_step} (from entering the run: data,
 * model, planning, the first step), {@code prepare} (optimizer and gradient function), {@code pretrain} (greedy
 * pretraining, when any), {@code steps} (gradient steps of this process), {@code epoch_evaluation} (loss terms on the
 * training probe and validation set after each epoch), {@code epoch_end} (checkpoints, metrics file, sample grids,
 * TensorBoard), {@code after_training} (the kept model, test metrics, pictures), {@code run_total} and, for the
 * first run of a process, {@code process_total}. The rest of {@code run_total} is data loading and model building.
 */
final class RunClock {
    private static final AtomicBoolean FIRST_IN_PROCESS = new AtomicBoolean(true);

    private final long startNanos;
    /** Seconds from the process's start to this run's start, or null if not the process's first run or unknown. */
    private final Double processToRun;

    private RunClock(long startNanos, Double processToRun) {
        this.startNanos = startNanos;
        this.processToRun = processToRun;
    }

    static RunClock start() {
        long nanos = System.nanoTime();
        Instant now = Instant.now();
        Double processToRun = null;
        if (FIRST_IN_PROCESS.getAndSet(false)) {
            processToRun = processAgeSeconds(now);
        }
        return new RunClock(nanos, processToRun);
    }

    /**
     * Seconds since this process started, or null if unknown. On Linux from {@code /proc}: the uptime now less the
     * process's start in clock ticks after boot (both counted from boot, to 10 ms). The JDK's own start instant
     * adds the boot time, which {@code /proc/stat} gives in whole seconds, so it can be a second off.
     */
    static Double processAgeSeconds(Instant now) {
        try {
            String uptime = Files.readString(Path.of("/proc/uptime")).trim().split("\\s+")[0];
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // fields after the command name (which may hold spaces), from field 3 on: starttime is field 22
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            double startTicks = Double.parseDouble(fields[22 - 3]);
            return Math.max(0, Double.parseDouble(uptime) - startTicks / CLOCK_TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            Optional<Instant> start = ProcessHandle.current().info().startInstant();
            return start.map(s -> Math.max(0, Duration.between(s, now).toNanos() / 1e9))
                    .orElse(null);
        }
    }

    /** USER_HZ, the unit of /proc's process times: 100 on every Linux architecture Java runs on. */
    private static final double CLOCK_TICKS_PER_SECOND = 100;

    /** The timings of a run whose {@code fit} ended at {@code fitEndNanos}, taken now (the summary is next). */
    Map<String, Double> timings(FitTimings fit, Double pretrainSeconds, long fitEndNanos) {
        long now = System.nanoTime();
        Map<String, Double> t = new LinkedHashMap<>();
        Double runToFirstStep = fit.firstStepEndNanos() < 0 ? null : (fit.firstStepEndNanos() - startNanos) / 1e9;
        if (processToRun != null && runToFirstStep != null) {
            t.put("process_to_first_step", round(processToRun + runToFirstStep));
        }
        if (runToFirstStep != null) {
            t.put("run_to_first_step", round(runToFirstStep));
        }
        t.put("prepare", round(fit.prepareSeconds()));
        if (pretrainSeconds != null) {
            t.put("pretrain", round(pretrainSeconds));
        }
        t.put("steps", round(fit.stepSeconds()));
        t.put("epoch_evaluation", round(fit.evaluationSeconds()));
        t.put("epoch_end", round(fit.epochEndSeconds()));
        t.put("after_training", round((now - fitEndNanos) / 1e9));
        double runTotal = (now - startNanos) / 1e9;
        t.put("run_total", round(runTotal));
        if (processToRun != null) {
            t.put("process_total", round(processToRun + runTotal));
        }
        return t;
    }

    /** One line for the log: the first step, then each phase. */
    static String describe(Map<String, Double> t) {
        StringBuilder b = new StringBuilder();
        if (t.containsKey("process_to_first_step")) {
            b.append(String.format("first step done %.2f s after the process started", t.get("process_to_first_step")));
        } else if (t.containsKey("run_to_first_step")) {
            b.append(String.format("first step done %.2f s after the run started", t.get("run_to_first_step")));
        }
        String[][] parts = {
            {"steps", "steps"},
            {"epoch_evaluation", "end-of-epoch evaluation"},
            {"epoch_end", "checkpoints and metrics"},
            {"after_training", "model, test metrics and pictures"},
            {"run_total", "run in all"},
            {"process_total", "process in all"}
        };
        for (String[] p : parts) {
            Double v = t.get(p[0]);
            if (v != null) {
                b.append(b.length() == 0 ? "" : "; ").append(String.format("%.2f s %s", v, p[1]));
            }
        }
        return b.toString();
    }

    /** Milliseconds are enough: the JSON stays readable. */
    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
