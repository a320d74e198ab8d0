package org.latentlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders {@code BENCHMARKS.md} from the JSON results of one run, and from nothing else: every
 * number in the document is a value of that JSON or computed from its values.
 */
public final class BenchReport {
    /** Implementations in table order, with their display names. */
    private static final String[][] IMPLEMENTATIONS = {
        {"latentlab", "Latent Lab"},
        {"samediff", "Latent Lab on SameDiff's fit (`LATENTLAB_ENGINE=samediff`)"},
        {"pytorch", "PyTorch"},
        {"dl4j", "DL4J VariationalAutoencoder layer"},
    };

    private BenchReport() {}

    public static String markdown(JsonNode r) {
        StringBuilder md = new StringBuilder();
        JsonNode machine = r.path("machine");
        JsonNode prov = r.path("provenance");
        JsonNode torch = r.path("peers").path("pytorch");
        double limit = gemmLimit(r);

        md.append("# Benchmarks\n\n");
        md.append("Written by `")
                .append(r.path("command").asText())
                .append("` (started ")
                .append(r.path("started").asText())
                .append(", finished ")
                .append(r.path("finished").asText())
                .append(", ")
                .append(r.path("wall_seconds").asLong())
                .append(" s). Every number below comes from that ")
                .append("one run on one machine; rerun the command to regenerate this file (and `")
                .append(Benchmark.JSON_FILE)
                .append("` beside it, the same data as JSON).");
        if (r.path("quick").asBoolean()) {
            md.append(" **Quick mode: short windows, a smoke test, not a measurement to quote.**");
        }
        md.append("\n\n");

        md.append("## Machine and software\n\n| | |\n|---|---|\n");
        row(
                md,
                "CPU",
                machine.path("cpu").asText()
                        + (machine.has("vector_extensions")
                                ? " (" + machine.path("vector_extensions").asText() + ")"
                                : "")
                        + ", " + machine.path("cores").asInt() + " cores available to the JVM");
        row(md, "memory", gib(machine.path("memory_kib").asLong()));
        row(md, "OS", machine.path("os").asText());
        if (machine.has("openblas_coretype")) {
            row(
                    md,
                    "native settings (all processes)",
                    "OPENBLAS_CORETYPE=" + machine.path("openblas_coretype").asText() + ", OMP_WAIT_POLICY="
                            + machine.path("omp_wait_policy").asText());
        }
        row(
                md,
                "Java",
                r.path("jvm").path("version").asText() + "; JVM flags of every child JVM: "
                        + flags(r.path("jvm").path("flags")));
        JsonNode env = firstOk(r);
        row(
                md,
                "DL4J / ND4J",
                prov.path("dl4j_version").asText() + ", backend "
                        + machine.path("backend").asText()
                        + (env == null
                                ? ""
                                : ", BLAS " + env.path("blas").asText() + ", "
                                        + env.path("nd4j_threads").asInt() + " ND4J threads"));
        row(md, "PyTorch", torchDescription(torch, blasThreads(r)));
        row(
                md,
                "Latent Lab",
                prov.path("latentlab_version").asText() + ", commit "
                        + prov.path("git_commit").asText()
                        + (prov.path("git_dirty").asBoolean() ? " (with uncommitted changes)" : ""));
        row(
                md,
                "load average (1, 5, 15 min)",
                "at the start " + numbers(machine.path("load_average_start"))
                        + ", at the end " + numbers(r.path("load_average_end"))
                        + "; other processes may share the cores: each measurement also records the load just before it (JSON)");
        row(md, "data", r.path("data").path("description").asText());
        JsonNode t = r.path("timing");
        row(
                md,
                "timing",
                String.format(
                        Locale.ROOT,
                        "per measurement: warm-up of at least %s s and %d steps discarded, "
                                + "then %d windows of at least %s s and %d steps; samples/s is the median over the windows",
                        plain(t.path("warmup_seconds").asDouble()),
                        t.path("warmup_steps").asInt(),
                        t.path("windows").asInt(),
                        plain(t.path("window_seconds").asDouble()),
                        t.path("window_steps").asInt()));
        md.append("\n");

        md.append("## Summary\n\n");
        md.append(
                        "Samples per second (images per second; higher is better). Ratios are Latent Lab divided by the peer: ")
                .append(
                        "below 1 means Latent Lab is slower. Efficiency is achieved FLOP/s over the ND4J sgemm limit below.\n\n");
        md.append("| workload | Latent Lab | PyTorch | Latent Lab / PyTorch | DL4J layer | Latent Lab / DL4J layer "
                + "| SameDiff's fit | Latent Lab / SameDiff's fit | Latent Lab efficiency |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (JsonNode w : r.path("workloads")) {
            JsonNode res = w.path("results");
            JsonNode ours = res.path("latentlab");
            md.append("| ")
                    .append(w.path("id").asText())
                    .append(" | ")
                    .append(rate(ours))
                    .append(" | ")
                    .append(rate(res.path("pytorch")))
                    .append(" | ")
                    .append(ratio(ours, res.path("pytorch")))
                    .append(" | ")
                    .append(rate(res.path("dl4j")))
                    .append(" | ")
                    .append(ratio(ours, res.path("dl4j")))
                    .append(" | ")
                    .append(rate(res.path("samediff")))
                    .append(" | ")
                    .append(ratio(ours, res.path("samediff")))
                    .append(" | ")
                    .append(efficiency(ours, w.path("flops_per_sample").asDouble(), limit))
                    .append(" |\n");
        }
        md.append("\n");

        md.append("## Arithmetic limit: single-precision matrix multiply\n\n");
        JsonNode gemm = r.path("gemm");
        if (gemm.isEmpty()) {
            md.append("Not measured (`gemm` was not among the peers), so no efficiency is given.\n\n");
        } else {
            md.append(String.format(
                    Locale.ROOT,
                    "C = A B on square float32 matrices, best of the timed repetitions "
                            + "(2 n^3 FLOPs each), in GFLOP/s, measured before the workloads and again after them. The best "
                            + "ND4J figure, **%.1f GFLOP/s**, is the limit the efficiencies refer to.%n%n",
                    limit / 1e9));
            md.append("| library | when | BLAS threads | 1024 x 1024 | 2048 x 2048 | best |\n"
                    + "|---|---|---:|---:|---:|---:|\n");
            for (JsonNode m : gemm.path("nd4j")) {
                gemmRow(md, "ND4J `Nd4j.gemm`", m);
            }
            for (JsonNode m : gemm.path("pytorch")) {
                gemmRow(md, "PyTorch `torch.mm`", m);
            }
            md.append("\n");
            double lo = Double.POSITIVE_INFINITY;
            double hi = 0;
            for (String lib : new String[] {"nd4j", "pytorch"}) {
                for (JsonNode m : gemm.path(lib)) {
                    for (JsonNode size : m.path("sizes")) {
                        lo = Math.min(lo, size.path("best_gflops").asDouble());
                        hi = Math.max(hi, size.path("best_gflops").asDouble());
                    }
                }
            }
            if (hi > 0 && lo > 0) {
                md.append(String.format(
                        Locale.ROOT,
                        "The same multiply, measured at different times of this run, ranged "
                                + "from %.1f to %.1f GFLOP/s (a factor of %.2f). Both libraries use the same OpenBLAS kernels "
                                + "on %s threads, so a spread well above 1 is the machine's, not theirs (see \"cores busy\" below "
                                + "for other processes in this machine; contention from outside it, e.g. other virtual machines "
                                + "on the host, is invisible from here). Ratios between numbers measured minutes apart carry that "
                                + "uncertainty.%n%n",
                        lo,
                        hi,
                        hi / lo,
                        env == null ? "the same" : env.path("blas_threads").asText()));
            }
        }

        md.append("## Workloads\n\n");
        md.append("Cores busy: CPU time of the whole process (every thread, user and system) per wall-clock second "
                + "during the timed windows, and beside it the cores that all other processes on the machine kept busy "
                + "meanwhile (from /proc/stat): where that is well above 0, the measurement shared the cores. Peak RSS: the peak resident set size of the process that ran the "
                + "measurement (VmHWM for the JVMs, `ru_maxrss` for Python), over its whole life: the 60,000 training "
                + "images as float32 (188 MB), the JVM's heap, native buffers. RSS at window ends: the resident set "
                + "at the end of the first and of the last timed window; where it grows while the work stays the same, "
                + "memory is held longer than needed (ND4J frees a native buffer only when the garbage collector "
                + "has collected its Java object).\n\n");
        for (JsonNode w : r.path("workloads")) {
            double flops = w.path("flops_per_sample").asDouble();
            md.append("### ")
                    .append(w.path("id").asText())
                    .append("\n\n")
                    .append(w.path("description").asText())
                    .append(". ")
                    .append(String.format(Locale.ROOT, "%,.0f", flops))
                    .append(" FLOPs per ")
                    .append(w.path("inference").asBoolean() ? "encoded image (forward only)" : "trained image")
                    .append(" (see \"FLOP counts\").\n\n");
            md.append(
                    "| implementation | samples/s (median) | window range | Latent Lab / this | cores busy (this, others) "
                            + "| peak RSS | RSS at window ends (first, last) | achieved GFLOP/s | efficiency |\n"
                            + "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            JsonNode res = w.path("results");
            JsonNode ours = res.path("latentlab");
            List<String> notes = new ArrayList<>();
            for (String[] impl : IMPLEMENTATIONS) {
                JsonNode m = res.path(impl[0]);
                if (m.isMissingNode()) {
                    continue;
                }
                if (!ok(m)) {
                    md.append("| ")
                            .append(impl[1])
                            .append(" | ")
                            .append(m.path("status").asText())
                            .append(" | | | | | | | |\n");
                    notes.add(impl[1] + " " + m.path("status").asText() + ": "
                            + m.path("reason").asText());
                    continue;
                }
                double sps = m.path("samples_per_second").asDouble();
                md.append("| ")
                        .append(impl[1])
                        .append(" | ")
                        .append(rate(m))
                        .append(" | ")
                        .append(range(m.path("window_rates")))
                        .append(" | ")
                        .append(impl[0].equals("latentlab") ? "1" : ratio(ours, m))
                        .append(" | ")
                        .append(
                                m.path("cores_busy").isNumber()
                                        ? String.format(
                                                Locale.ROOT,
                                                "%.2f, %.2f",
                                                m.path("cores_busy").asDouble(),
                                                m.path("other_cores_busy").asDouble())
                                        : "?")
                        .append(" | ")
                        .append(mib(m.path("peak_rss_kib").asLong()))
                        .append(" | ")
                        .append(firstLast(m.path("rss_kib_at_window_ends")))
                        .append(" | ")
                        .append(String.format(Locale.ROOT, "%.2f", sps * flops / 1e9))
                        .append(" | ")
                        .append(efficiency(m, flops, limit))
                        .append(" |\n");
                if (m.has("first_score")) {
                    notes.add(String.format(
                            Locale.ROOT,
                            "DL4J layer's own loss (score) on its first and last batch: " + "%.1f, %.1f",
                            m.path("first_score").asDouble(),
                            m.path("last_score").asDouble()));
                }
                if (m.has("first_loss") && !m.path("first_loss").isNull()) {
                    notes.add(String.format(
                            Locale.ROOT,
                            "PyTorch loss on its first and last batch: %.1f, %.1f",
                            m.path("first_loss").asDouble(),
                            m.path("last_loss").asDouble()));
                }
            }
            md.append("\n");
            for (String note : notes) {
                md.append("- ").append(note).append("\n");
            }
            if (!notes.isEmpty()) {
                md.append("\n");
            }
        }
        JsonNode peers = r.path("peers");
        List<String> missing = new ArrayList<>();
        peers.fields().forEachRemaining(e -> {
            if (!ok(e.getValue())) {
                missing.add(
                        "`" + e.getKey() + "`: " + e.getValue().path("status").asText() + " ("
                                + e.getValue().path("reason").asText() + ")");
            }
        });
        if (!missing.isEmpty()) {
            md.append("Peers not measured in this run: ")
                    .append(String.join("; ", missing))
                    .append(".\n\n");
        }

        wholeRuns(md, r.path("runs"));

        md.append("## How it is measured\n\n");
        md.append("- Every measurement runs in its own process, one after the other: a fresh JVM (the java, flags and "
                + "class path of the `latentlab bench` JVM, backend passed on with `--backend`) for Latent Lab, the DL4J "
                + "layer and ND4J's sgemm; `/usr/bin/python3 bench/pytorch/bench.py` for PyTorch.\n");
        md.append("- Latent Lab trains through `Trainer.fit` exactly as `latentlab train` does: the planned step "
                + "(`CompiledStep`: SameDiff's ops for the gradients, planned once per batch shape, arrays reused; "
                + "Adam fused with the parameter update) over the trainer's `FeedIterator` (batches shuffled per "
                + "epoch, noise drawn in Java per step), checking every loss term for NaN; a listener timestamps every "
                + "step end. \"SameDiff's fit\" is the same run with `LATENTLAB_ENGINE=samediff`: M2.1's `sd.fit`, "
                + "which plans and allocates anew at every step. The trainer's end-of-epoch "
                + "evaluation (on up to 10,000 training images) falls outside the windows: the window in progress "
                + "is discarded when an epoch ends. Model: the registered type with its default config, Adam 1e-3, "
                + "seed 1.\n");
        md.append("- The DL4J layer is `org.deeplearning4j.nn.conf.layers.variational.VariationalAutoencoder` "
                + "(784-400-20, ReLU, identity activation for q(z|x)'s parameters, "
                + "`BernoulliReconstructionDistribution(SIGMOID)`, 1 sample, Adam 1e-3, float32, DL4J's default "
                + "initialisation) trained with `MultiLayerNetwork.pretrainLayer(0, batch)` on the same batches; "
                + "its encode is `output`, the mean of q(z|x).\n");
        md.append(
                "- PyTorch mirrors each Latent Lab graph (architecture, loss, `torch.optim.Adam(lr=1e-3)` with "
                        + "PyTorch's defaults, batch size) in `bench/pytorch/bench.py`, which documents each model, and "
                        + "uses the same warm-up and window rule. It runs with torch's default thread count, recorded above.\n");
        md.append(
                "- `encode` calls `model.encode` on the same 10,000 images repeatedly (Latent Lab: "
                        + "the code through a planned inference of the graph, arrays reused between calls; PyTorch: the encoder under `torch.no_grad()`).\n\n");

        md.append("## FLOP counts\n\n");
        md.append("Only matrix products and convolutions are counted (the work a BLAS does); activations, losses, the "
                + "optimizer update and data handling are not.\n\n");
        md.append("```\nforward MACs   dense in->out: in*out; conv k x k stride s (SAME): outH*outW*k^2*inC*outC;\n"
                + "               transposed conv: inH*inW*k^2*inC*outC\n"
                + "forward FLOPs  = 2 * MACs\n"
                + "training FLOPs = 3 * forward FLOPs   (backward: input gradients + weight gradients, each about one "
                + "forward)\nencode FLOPs   = 2 * MACs of the encoder and the mean head\n```\n\n");
        for (JsonNode w : r.path("workloads")) {
            md.append("- ")
                    .append(w.path("id").asText())
                    .append(": ")
                    .append(w.path("flops_formula").asText())
                    .append(".\n");
        }
        md.append("- The training formula overstates the work slightly: the first layer needs no gradient with respect "
                + "to the images.\n\n");

        md.append("## GPU\n\n");
        JsonNode gpus = machine.path("gpus");
        if ("cuda".equals(machine.path("backend").asText())) {
            md.append("This run used the CUDA backend on ")
                    .append(gpus.toString())
                    .append(
                            ": the numbers above are GPU numbers (PyTorch ran on `cuda` too; peak RSS is host memory only).\n");
        } else {
            md.append(
                    "**GPU: this run used the CPU backend.** `./latentlab bench --backend cuda` passes the backend to "
                            + "every child JVM and runs PyTorch on `cuda`. DL4J 1.0.0-M2.1's CUDA build has machine code for "
                            + "compute capability 3.7 to 8.6 and no PTX (`python3 bench/cuda_arches.py` on its native jar), so it "
                            + "needs an Ampere-or-older GPU; the only GPUs lent to this project so far were H100s (9.0), where "
                            + "the launcher stops `--backend cuda` with that reason. See docs/PERFORMANCE.md, \"GPU\".\n");
        }
        return md.toString();
    }

    /** The ND4J sgemm limit in FLOP/s: the best of its measurements, or NaN when there is none. */
    static double gemmLimit(JsonNode r) {
        double best = Double.NaN;
        for (JsonNode m : r.path("gemm").path("nd4j")) {
            if (ok(m)) {
                double v = m.path("best_gflops").asDouble() * 1e9;
                best = Double.isNaN(best) ? v : Math.max(best, v);
            }
        }
        return best;
    }

    /** OpenBLAS threads of PyTorch, from its first measurement that reports them, or -1. */
    private static int blasThreads(JsonNode r) {
        for (JsonNode m : r.path("gemm").path("pytorch")) {
            if (m.path("blas_threads").isInt()) {
                return m.path("blas_threads").asInt();
            }
        }
        for (JsonNode w : r.path("workloads")) {
            JsonNode m = w.path("results").path("pytorch");
            if (m.path("blas_threads").isInt()) {
                return m.path("blas_threads").asInt();
            }
        }
        return -1;
    }

    private static JsonNode firstOk(JsonNode r) {
        for (JsonNode w : r.path("workloads")) {
            JsonNode m = w.path("results").path("latentlab");
            if (ok(m)) {
                return m;
            }
        }
        for (JsonNode m : r.path("gemm").path("nd4j")) {
            if (ok(m)) {
                return m;
            }
        }
        return null;
    }

    private static boolean ok(JsonNode m) {
        return "ok".equals(m.path("status").asText());
    }

    private static String torchDescription(JsonNode torch, int blasThreads) {
        if (!ok(torch)) {
            return "not measured: " + torch.path("reason").asText();
        }
        return torch.path("torch_version").asText() + " (`"
                + torch.path("python").asText() + "`, Python "
                + torch.path("python_version").asText(torch.path("python").asText()) + "), "
                + torch.path("threads").asInt() + " intra-op thread(s): torch's default on this machine"
                + (blasThreads > 0
                        ? "; its OpenBLAS runs matrix products on " + blasThreads + " thread(s) regardless"
                        : "")
                + (torch.has("installed_now")
                        ? "; installed by this run ("
                                + torch.path("installed_now").asText() + ")"
                        : "")
                + (torch.path("libopenblas0_pthread").asBoolean()
                        ? "; libopenblas0-pthread installed"
                        : "; libopenblas0-pthread NOT installed (torch may use the reference BLAS)")
                + (torch.path("malloc_env").isObject()
                        ? "; glibc malloc with " + mallocEnv(torch.path("malloc_env"))
                                + " (without them its freed tensors go back to the kernel every step: 2-3x slower here)"
                        : "");
    }

    private static String mallocEnv(JsonNode env) {
        List<String> parts = new ArrayList<>();
        env.fields()
                .forEachRemaining(
                        f -> parts.add("`" + f.getKey() + "=" + f.getValue().asText() + "`"));
        return String.join(" ", parts);
    }

    private static void gemmRow(StringBuilder md, String name, JsonNode m) {
        if (!ok(m)) {
            md.append("| ")
                    .append(name)
                    .append(" | ")
                    .append(m.path("when").asText())
                    .append(" | | ")
                    .append(m.path("status").asText())
                    .append(": ")
                    .append(m.path("reason").asText())
                    .append(" | | |\n");
            return;
        }
        md.append("| ")
                .append(name)
                .append(" | ")
                .append(m.path("when").asText())
                .append(" | ")
                .append(m.path("blas_threads").isInt() ? m.path("blas_threads").asText() : "?")
                .append(" | ")
                .append(gflops(m.path("sizes").path("1024").path("best_gflops")))
                .append(" | ")
                .append(gflops(m.path("sizes").path("2048").path("best_gflops")))
                .append(" | ")
                .append(gflops(m.path("best_gflops")))
                .append(" |\n");
    }

    /** The section on whole runs (launch to exit), if any was timed. */
    static void wholeRuns(StringBuilder md, JsonNode runs) {
        JsonNode train = runs.path("train");
        JsonNode sweeps = runs.path("sweep");
        if (train.isMissingNode() && sweeps.isMissingNode()) {
            return;
        }
        md.append("## Whole runs\n\n");
        md.append("Timed from launch to exit, as a user waits for them, not in steady-state windows. \"First step\" is "
                + "when the first training step ended, counted from the start of the process (the JVM's start, ND4J's "
                + "initialisation, data loading and planning for Latent Lab; Python's start, torch's import and data "
                + "loading for PyTorch).\n\n");
        if (!train.isMissingNode()) {
            if (!train.path("status").isMissingNode() && !ok(train)) {
                md.append("Training run not measured: ")
                        .append(train.path("reason").asText())
                        .append(".\n\n");
            } else {
                JsonNode ours = train.path("latentlab");
                JsonNode torch = train.path("pytorch");
                md.append("Training run: `")
                        .append(train.path("command").asText())
                        .append("`, then PyTorch's `bench/pytorch/vae_mnist.py --epochs ")
                        .append(train.path("epochs").asInt())
                        .append("` on the same images, one right after the other.\n\n");
                md.append("| | launch to exit (s) | first step (s) | training steps (s) | samples/s over the steps "
                        + "| test negative ELBO |\n|---|---:|---:|---:|---:|---:|\n");
                md.append("| Latent Lab | ")
                        .append(seconds(ours, "wall_seconds"))
                        .append(" | ")
                        .append(seconds(ours.path("timings"), "process_to_first_step"))
                        .append(" | ")
                        .append(seconds(ours.path("timings"), "steps"))
                        .append(" | ")
                        .append(count(ours, "samples_per_second"))
                        .append(" | ")
                        .append(fixed(ours, "test_neg_elbo"))
                        .append(" |\n");
                if (!torch.isMissingNode()) {
                    md.append("| PyTorch | ")
                            .append(seconds(torch, "wall_seconds"))
                            .append(" | ")
                            .append(seconds(torch, "first_step_seconds"))
                            .append(" | ")
                            .append(seconds(torch, "total_train_seconds"))
                            .append(" | ")
                            .append(count(torch, "mean_samples_per_sec"))
                            .append(" | ")
                            .append(fixed(torch, "test_neg_elbo"))
                            .append(" |\n");
                }
                md.append("\n");
                if (ok(ours) && ok(torch)) {
                    md.append(String.format(
                            Locale.ROOT,
                            "PyTorch's time over Latent Lab's, launch to exit: **%.2fx** (above 1: Latent Lab is faster)."
                                    + "\n\n",
                            torch.path("wall_seconds").asDouble()
                                    / ours.path("wall_seconds").asDouble()));
                }
                if (ok(ours) && ours.path("timings").isObject()) {
                    md.append("Where Latent Lab's time went (`summary.json`'s `timings`, seconds): ");
                    List<String> parts = new ArrayList<>();
                    ours.path("timings")
                            .fields()
                            .forEachRemaining(f -> parts.add("`" + f.getKey() + "` "
                                    + String.format(
                                            Locale.ROOT, "%.2f", f.getValue().asDouble())));
                    md.append(String.join(", ", parts)).append(".\n\n");
                }
                if (!ok(ours)) {
                    md.append("Latent Lab's run failed: ")
                            .append(ours.path("reason").asText())
                            .append("\n\n");
                }
                if (!torch.isMissingNode() && !ok(torch)) {
                    md.append("PyTorch's run failed: ")
                            .append(torch.path("reason").asText())
                            .append("\n\n");
                }
            }
        }
        if (sweeps.isArray() && sweeps.size() > 0) {
            md.append("Sweep: `")
                    .append(sweeps.get(0).path("command").asText().replaceAll(" --workers \\d+$", ""))
                    .append("` with ")
                    .append(sweeps.get(0).path("trials").asInt())
                    .append(" one-epoch VAE trials on `mnist-sample` (1,800 training images each). Overhead: the time "
                            + "outside training steps per trial, (workers x wall - the trials' step seconds) / trials: "
                            + "process starts, data, planning, evaluation, writing.\n\n");
            md.append("| workers | wall (s) | trials per hour | seconds per trial (worker time) | of which steps "
                    + "| overhead per trial | overhead share | first step of a trial | end-of-epoch evaluation "
                    + "| model, test metrics, pictures | outside the trials' clocks |\n"
                    + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (JsonNode sw : sweeps) {
                if (!ok(sw)) {
                    md.append("| ")
                            .append(sw.path("workers").asInt())
                            .append(" | ")
                            .append(sw.path("status").asText())
                            .append(": ")
                            .append(sw.path("reason").asText().replace("|", "\\|"))
                            .append(" |||||||||\n");
                    continue;
                }
                JsonNode mean = sw.path("mean_trial_timings");
                md.append("| ")
                        .append(sw.path("workers").asInt())
                        .append(" | ")
                        .append(seconds(sw, "wall_seconds"))
                        .append(" | ")
                        .append(count(sw, "trials_per_hour"))
                        .append(" | ")
                        .append(seconds(sw, "seconds_per_trial"))
                        .append(" | ")
                        .append(seconds(sw, "step_seconds_per_trial"))
                        .append(" | ")
                        .append(seconds(sw, "overhead_seconds_per_trial"))
                        .append(" | ")
                        .append(String.format(
                                Locale.ROOT,
                                "%.0f%%",
                                100 * sw.path("overhead_fraction").asDouble()))
                        .append(" | ")
                        .append(seconds(mean, "run_to_first_step"))
                        .append(" | ")
                        .append(seconds(mean, "epoch_evaluation"))
                        .append(" | ")
                        .append(seconds(mean, "after_training"))
                        .append(" | ")
                        .append(seconds(sw, "outside_trials_seconds_per_trial"))
                        .append(" |\n");
            }
            md.append("\n");
        }
    }

    private static String seconds(JsonNode m, String key) {
        return m.path(key).isNumber()
                ? String.format(Locale.ROOT, "%.2f", m.path(key).asDouble())
                : "n/a";
    }

    private static String count(JsonNode m, String key) {
        return m.path(key).isNumber()
                ? String.format(Locale.ROOT, "%,.0f", m.path(key).asDouble())
                : "n/a";
    }

    private static String fixed(JsonNode m, String key) {
        return m.path(key).isNumber()
                ? String.format(Locale.ROOT, "%.2f", m.path(key).asDouble())
                : "n/a";
    }

    private static String gflops(JsonNode v) {
        return v.isNumber() ? String.format(Locale.ROOT, "%.1f", v.asDouble()) : "";
    }

    private static void row(StringBuilder md, String key, String value) {
        md.append("| ")
                .append(key)
                .append(" | ")
                .append(value.replace("|", "\\|"))
                .append(" |\n");
    }

    private static String rate(JsonNode m) {
        if (m.isMissingNode()) {
            return "n/a";
        }
        return ok(m)
                ? String.format(
                        Locale.ROOT, "%,.0f", m.path("samples_per_second").asDouble())
                : m.path("status").asText();
    }

    private static String ratio(JsonNode ours, JsonNode peer) {
        if (!ok(ours) || !ok(peer)) {
            return "n/a";
        }
        return String.format(
                Locale.ROOT,
                "%.2f",
                ours.path("samples_per_second").asDouble()
                        / peer.path("samples_per_second").asDouble());
    }

    private static String efficiency(JsonNode m, double flopsPerSample, double limit) {
        if (!ok(m) || Double.isNaN(limit)) {
            return "n/a";
        }
        return String.format(
                Locale.ROOT, "%.1f%%", 100 * m.path("samples_per_second").asDouble() * flopsPerSample / limit);
    }

    private static String range(JsonNode rates) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (JsonNode v : rates) {
            min = Math.min(min, v.asDouble());
            max = Math.max(max, v.asDouble());
        }
        return rates.isEmpty() ? "" : String.format(Locale.ROOT, "%,.0f - %,.0f", min, max);
    }

    private static String firstLast(JsonNode rss) {
        if (rss.size() == 0) {
            return "?";
        }
        return mib(rss.get(0).asLong()) + ", " + mib(rss.get(rss.size() - 1).asLong());
    }

    private static String mib(long kib) {
        return kib > 0 ? String.format(Locale.ROOT, "%,.0f MiB", kib / 1024.0) : "?";
    }

    private static String gib(long kib) {
        return kib > 0 ? String.format(Locale.ROOT, "%.1f GiB", kib / 1024.0 / 1024.0) : "unknown";
    }

    private static String numbers(JsonNode values) {
        List<String> parts = new ArrayList<>();
        values.forEach(v -> parts.add(String.format(Locale.ROOT, "%.2f", v.asDouble())));
        return String.join(" ", parts);
    }

    private static String flags(JsonNode flags) {
        List<String> parts = new ArrayList<>();
        flags.forEach(f -> parts.add(f.asText()));
        return parts.isEmpty() ? "(none)" : "`" + String.join(" ", parts) + "`";
    }

    private static String plain(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
