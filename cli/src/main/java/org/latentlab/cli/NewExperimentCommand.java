package org.latentlab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.latentlab.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code latentlab new-experiment NAME}: writes a commented experiment class that runs as written. */
@Command(
        name = "new-experiment",
        description = "Write NAME.java: a commented experiment (a VAE's code size on the shipped MNIST sample) that"
                + " runs as written with 'latentlab sweep NAME.java --out DIR' (compiled on the fly; needs a JDK)."
                + " Edit it and run it again.")
public final class NewExperimentCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            paramLabel = "NAME",
            description = "Class name (LatentSizes) or a dashed name (latent-sizes, which becomes LatentSizes).")
    String name;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".", description = "Folder to write NAME.java into.")
    Path dir;

    @Mixin
    DryRunOption dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String cls = className(name);
        Path file = dir.resolve(cls + ".java");
        if (Files.exists(file)) {
            throw new UserException(file + " exists; choose another NAME or --dir");
        }
        if (dryRun.dryRun()) {
            spec.commandLine().getOut().println("dry run: would write " + file);
            return 0;
        }
        AtomicFiles.writeString(file, template(cls));
        spec.commandLine()
                .getOut()
                .println("wrote " + file + "; run it with: ./latentlab sweep " + file + " --out runs/" + dashed(cls)
                        + " --quick");
        return 0;
    }

    /** {@code latent-sizes} or {@code latentSizes} to {@code LatentSizes}; anything else is an error naming it. */
    static String className(String name) {
        StringBuilder b = new StringBuilder();
        boolean upper = true;
        for (char c : name.trim().toCharArray()) {
            if (c == '-' || c == '_' || c == ' ') {
                upper = true;
            } else if (Character.isLetterOrDigit(c)) {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            } else {
                throw new UserException("NAME '" + name + "': use letters, digits and dashes (latent-sizes)");
            }
        }
        if (b.isEmpty() || !Character.isLetter(b.charAt(0))) {
            throw new UserException("NAME '" + name + "': must start with a letter");
        }
        return b.toString();
    }

    private static String dashed(String cls) {
        return cls.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    static String template(String cls) {
        return """
                // A Latent Lab experiment: what to train, what to vary, which metric ranks the trials, and (optionally)
                // an analysis of the results. Run it as written (it compiles on the fly; needs a JDK):
                //
                //   ./latentlab sweep %1$s.java --out runs/%2$s            (the full scale below)
                //   ./latentlab sweep %1$s.java --out runs/%2$s-quick --quick
                //
                // A rerun skips the finished trials; add --report for the HTML report, --workers 2 for two processes.
                // To make it part of Latent Lab, move it to experiments/src/main/java/org/latentlab/experiments/ with a
                // package line, and list it in META-INF/services/org.latentlab.sweep.Experiment.

                import java.nio.file.Path;
                import java.util.Optional;
                import org.latentlab.data.Datasets;
                import org.latentlab.eval.EvaluationOptions;
                import org.latentlab.models.vae.VaeConfig;
                import org.latentlab.run.RunConfig;
                import org.latentlab.sweep.Experiment;
                import org.latentlab.sweep.ResultsTable;
                import org.latentlab.sweep.Sweep;
                import org.latentlab.train.TrainerConfig;
                import org.slf4j.LoggerFactory;

                public final class %1$s extends Experiment {
                    /** The config every trial starts from; quick() is true with --quick. */
                    @Override
                    public RunConfig baseConfig() {
                        return RunConfig.of(VaeConfig.defaults())          // 784-400-20 VAE, Bernoulli decoder
                                // the shipped 2,000/500 MNIST sample; Datasets.MNIST after 'latentlab fetch-data mnist'
                                .withDataset(Datasets.MNIST_SAMPLE)
                                .withTrainer(TrainerConfig.builder().epochs(quick() ? 1 : 5).batchSize(64).build());
                    }

                    /** What varies: any key 'train --set' takes (latentSize, trainer.learningRate, ...), and seeds. */
                    @Override
                    public Sweep sweep() {
                        return Sweep.grid().over("latentSize", 2, 8, 16).seeds(1);
                    }

                    /** The summary metric that ranks the trials in results.md (lower is better unless minimize()). */
                    @Override
                    public String metric() {
                        return "test_neg_elbo";
                    }

                    /** Optional: evaluate each trained trial (its evaluation.json, the eval_ columns of the table). */
                    @Override
                    public Optional<EvaluationOptions> evaluation(RunConfig trial) {
                        return Optional.empty();
                    }

                    /** Optional: compare the trials once the table is written. */
                    @Override
                    public void analyze(ResultsTable results, Path sweepDir) {
                        LoggerFactory.getLogger(%1$s.class).info("{} trials in {}", results.rows().size(), sweepDir);
                    }
                }
                """.formatted(cls, dashed(cls));
    }
}
