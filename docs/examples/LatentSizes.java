// A Latent Lab experiment: what to train, what to vary, which metric ranks the trials, and (optionally)
// an analysis of the results. Run it as written (it compiles on the fly; needs a JDK):
//
//   ./latentlab sweep LatentSizes.java --out runs/latent-sizes            (the full scale below)
//   ./latentlab sweep LatentSizes.java --out runs/latent-sizes-quick --quick
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

public final class LatentSizes extends Experiment {
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
        LoggerFactory.getLogger(LatentSizes.class).info("{} trials in {}", results.rows().size(), sweepDir);
    }
}
