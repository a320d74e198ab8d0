package org.latentlab.experiments;

import org.latentlab.data.Datasets;
import org.latentlab.eval.EvaluationOptions;
import org.latentlab.sweep.Experiment;
import org.latentlab.train.TrainerConfig;

/**
 * What the lecture experiments of the gallery (docs/EXPERIMENTS.md) share: full MNIST at full scale and the shipped
 * sample in quick mode, epochs for each, and an evaluation without the slow importance-sampled likelihood. A
 * subclass reads {@link #quick()} for anything else that should shrink.
 */
abstract class GalleryExperiment extends Experiment {

    /** Epochs of the independent classifier that judges reconstructions and samples (full scale). */
    static final int JUDGE_EPOCHS = 5;

    /** Full MNIST, or the shipped 2,000-image sample in quick mode. */
    protected String dataset() {
        return quick() ? Datasets.MNIST_SAMPLE : Datasets.MNIST;
    }

    /** {@code epochs} at full scale, {@code quickEpochs} in quick mode; batch 128, Adam 1e-3, seed 1. */
    protected TrainerConfig trainer(int epochs, int quickEpochs) {
        return TrainerConfig.builder().epochs(quick() ? quickEpochs : epochs).build();
    }

    /**
     * The evaluation every trial gets unless the experiment says otherwise: reconstruction errors, the PCA baseline,
     * linear and k-NN probes, active units, sparsity; no importance sampling, no Jacobian estimate, no classifier.
     * Quick mode fits the probes on 1,000 codes.
     */
    protected EvaluationOptions baseEvaluation() {
        return EvaluationOptions.defaults()
                .withImportanceSampling(0, 0)
                .withJacobian(0, EvaluationOptions.JACOBIAN_STEP, 0)
                .withClassifierEpochs(0)
                .withProbes(quick() ? 1000 : 10_000, 0);
    }

    /** {@link #baseEvaluation()} with the independent classifier (5 epochs; 2 in quick mode). */
    protected EvaluationOptions withJudge(EvaluationOptions options) {
        return options.withClassifierEpochs(quick() ? 2 : JUDGE_EPOCHS);
    }
}
