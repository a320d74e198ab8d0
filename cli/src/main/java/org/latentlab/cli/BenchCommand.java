package org.latentlab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.latentlab.bench.Benchmark;
import org.latentlab.bench.Peer;
import org.latentlab.bench.WholeRuns;
import org.latentlab.bench.Workload;
import org.latentlab.engine.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code latentlab bench}: measures training and encoding speed against PyTorch, DL4J's VAE layer and sgemm. */
@Command(
        name = "bench",
        sortOptions = false,
        description = {
            "Measure the steady-state training and encoding throughput and the peak memory of Latent Lab "
                    + "models against PyTorch (the same models), DL4J's VariationalAutoencoder layer and ND4J's sgemm, each "
                    + "measurement in its own process; write BENCHMARKS.md and bench-results.json.",
            "Takes about 25 minutes; --quick about 3."
        })
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--quick", description = "Short warm-up and windows (seconds, not minutes): a smoke test.")
    boolean quick;

    @Option(
            names = "--workloads",
            paramLabel = "LIST",
            split = ",",
            showDefaultValue = Visibility.NEVER,
            description =
                    "Workloads to run, comma-separated, from: vae128, vae512, conv, conv-vae, cae, encode; 'none' for "
                            + "none (default: all).")
    List<String> workloads = new ArrayList<>();

    @Option(
            names = "--peers",
            paramLabel = "LIST",
            split = ",",
            description = "Peers to measure, comma-separated, from: pytorch, dl4j, gemm (default: all).")
    List<String> peers;

    @Option(names = "--no-peers", description = "Measure Latent Lab only.")
    boolean noPeers;

    @Option(
            names = "--runs",
            paramLabel = "LIST",
            split = ",",
            description = "Whole runs to time from launch to exit, comma-separated, from: train (the README's 10-epoch "
                    + "VAE against PyTorch's vae_mnist.py; needs full MNIST), sweep (16 one-epoch trials on the sample "
                    + "with 1 and 2 workers); 'none' for none (default: both, unless --workloads is given).")
    List<String> runs;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description =
                    "Folder for BENCHMARKS.md and bench-results.json (default: docs/benchmarks/<this CPU model "
                            + "and its vector instructions>, e.g. docs/benchmarks/amd-epyc-avx-512: one folder per CPU measured).")
    Path out;

    @Mixin
    DataDirOption dataDir;

    @Mixin
    BackendOption backend;

    @Mixin
    DryRunOption dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<Workload> chosen = parseWorkloads();
        Set<Peer> chosenPeers = parsePeers();
        if (out == null) {
            out = Benchmark.defaultOut(Path.of("docs"));
        }
        Set<WholeRuns.Kind> chosenRuns = parseRuns();
        if (chosen.isEmpty() && chosenRuns.isEmpty()) {
            throw new UserException("--workloads none and no --runs: nothing to measure");
        }
        backend.check();
        String backendName = Backend.loaded();
        Benchmark.Options options = new Benchmark.Options(
                chosen, chosenPeers, chosenRuns, quick, out, dataDir.dataDir(), backendName, commandLine());
        if (dryRun.dryRun()) {
            spec.commandLine()
                    .getOut()
                    .println("dry run: would measure " + chosen + " against " + chosenPeers + ", whole runs "
                            + chosenRuns + " into " + out);
            return 0;
        }
        new Benchmark(options, LatentLab.class.getName()).run();
        return 0;
    }

    private List<Workload> parseWorkloads() {
        if (workloads.isEmpty()) {
            return List.of(Workload.values());
        }
        Set<Workload> set = new LinkedHashSet<>();
        for (String w : workloads) {
            if (w.trim().equals("none")) { // whole runs only
                continue;
            }
            try {
                set.add(Workload.parse(w));
            } catch (IllegalArgumentException e) {
                throw new UserException("--workloads: " + e.getMessage());
            }
        }
        return List.copyOf(set);
    }

    private Set<Peer> parsePeers() {
        if (noPeers && peers != null) {
            throw new UserException("--no-peers and --peers do not combine: pass one of them");
        }
        if (noPeers) {
            return EnumSet.noneOf(Peer.class);
        }
        if (peers == null) {
            return EnumSet.allOf(Peer.class);
        }
        Set<Peer> set = EnumSet.noneOf(Peer.class);
        for (String p : peers) {
            try {
                set.add(Peer.parse(p));
            } catch (IllegalArgumentException e) {
                throw new UserException("--peers: " + e.getMessage());
            }
        }
        return set;
    }

    private Set<WholeRuns.Kind> parseRuns() {
        if (runs == null) { // the whole benchmark times them too; a chosen set of workloads does not
            return workloads.isEmpty() ? EnumSet.allOf(WholeRuns.Kind.class) : EnumSet.noneOf(WholeRuns.Kind.class);
        }
        Set<WholeRuns.Kind> set = EnumSet.noneOf(WholeRuns.Kind.class);
        for (String r : runs) {
            if (r.trim().equals("none")) {
                continue;
            }
            try {
                set.add(WholeRuns.Kind.parse(r));
            } catch (IllegalArgumentException e) {
                throw new UserException("--runs: " + e.getMessage());
            }
        }
        return set;
    }

    /** The command as typed, for the document: {@code ./latentlab bench ...}. */
    private String commandLine() {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        int at = args.indexOf(spec.name());
        List<String> rest = at < 0 ? args : args.subList(at + 1, args.size());
        StringBuilder sb = new StringBuilder("./latentlab ").append(spec.name());
        for (String a : rest) {
            sb.append(' ').append(a.matches("[A-Za-z0-9_./=,:@+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return sb.toString();
    }
}
