package org.latentlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.latentlab.bench.Measurements;
import org.latentlab.bench.TimingPlan;
import org.latentlab.bench.Workload;
import org.latentlab.io.AtomicFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code latentlab bench-worker}: one measurement of {@code latentlab bench}, run by it in a JVM
 * of its own, which writes its result (with this process's peak resident memory, VmHWM) as JSON.
 * Not meant to be called by hand; hidden from the help.
 */
@Command(name = "bench-worker", hidden = true, description = "One measurement of 'latentlab bench' (internal).")
public final class BenchWorkerCommand implements Callable<Integer> {
    /** What one worker measures. */
    public enum Task {
        LATENTLAB,
        DL4J,
        GEMM
    }

    @Option(
            names = "--task",
            required = true,
            paramLabel = "TASK",
            description = "latentlab, dl4j or gemm.",
            converter = TaskConverter.class)
    Task task;

    @Option(names = "--workload", paramLabel = "NAME", description = "Workload (not for gemm).")
    String workload;

    @Option(names = "--quick", description = "Short windows.")
    boolean quick;

    @Option(names = "--result", required = true, paramLabel = "FILE", description = "JSON file to write.")
    Path result;

    @Mixin
    DataDirOption dataDir;

    @Mixin
    BackendOption backend;

    @Mixin
    DryRunOption dryRun;

    @Override
    public Integer call() throws Exception {
        backend.check();
        TimingPlan plan = quick ? TimingPlan.quick() : TimingPlan.full();
        Map<String, Object> r = new LinkedHashMap<>();
        if (task == Task.GEMM && dryRun.dryRun()) {
            return 0;
        }
        if (task == Task.GEMM) {
            r.putAll(Measurements.gemm(quick));
        } else {
            if (workload == null) {
                throw new UserException(
                        "--workload is required for --task " + task.name().toLowerCase(Locale.ROOT));
            }
            Workload w;
            try {
                w = Workload.parse(workload);
            } catch (IllegalArgumentException e) {
                throw new UserException("--workload: " + e.getMessage());
            }
            if (dryRun.dryRun()) {
                return 0;
            }
            r.putAll(
                    task == Task.LATENTLAB
                            ? Measurements.latentLab(w, plan, dataDir.dataDir())
                            : Measurements.dl4jLayer(w, plan, dataDir.dataDir()));
        }
        r.put("pid", ProcessHandle.current().pid());
        r.put("jvm_flags", ManagementFactory.getRuntimeMXBean().getInputArguments());
        // Read last: the peak resident set size of this whole process (heap, native ND4J buffers, code).
        r.put("peak_rss_kib", Measurements.peakRssKib());
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        AtomicFiles.writeString(result, json.writeValueAsString(r));
        return 0;
    }

    static final class TaskConverter implements CommandLine.ITypeConverter<Task> {
        @Override
        public Task convert(String value) {
            try {
                return Task.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("expected latentlab, dl4j or gemm, got '" + value + "'");
            }
        }
    }
}
