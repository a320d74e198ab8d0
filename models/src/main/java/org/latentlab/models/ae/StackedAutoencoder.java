package org.latentlab.models.ae;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.Denoising;
import org.latentlab.core.ModelConfig;
import org.latentlab.core.ModelType;
import org.latentlab.core.Progress;
import org.latentlab.data.Batch;
import org.latentlab.data.Corruption;
import org.latentlab.data.ImageDataset;
import org.latentlab.graph.Activation;
import org.latentlab.graph.Dense;
import org.latentlab.graph.GraphContext;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.FeatureReductions;
import org.latentlab.loss.NoiseSource;
import org.latentlab.loss.ReconstructionLoss;
import org.latentlab.train.ConsoleListener;
import org.latentlab.train.LrSchedule;
import org.latentlab.train.Pretrainable;
import org.latentlab.train.Trainer;
import org.latentlab.train.TrainerConfig;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stacked (denoising) autoencoder: greedy layer-wise unsupervised pretraining followed by
 * supervised fine-tuning of the stacked encoder under a softmax classifier (Bengio, Lamblin,
 * Popovici &amp; Larochelle, <i>Greedy Layer-Wise Training of Deep Networks</i>, NIPS 2006;
 * Vincent, Larochelle, Lajoie, Bengio &amp; Manzagol, <i>Stacked Denoising Autoencoders</i>,
 * JMLR 11, 2010, whose SdA-3 reaches about 1.3% test error on MNIST).
 *
 * <p><b>Pretraining</b> ({@link #pretrain}, called once by a run before the first epoch).
 * Stage i trains a one-hidden-layer autoencoder {@code h = act(x~ W_i + b_i)},
 * {@code r = out(h W'_i + b'_i)} on the codes of the stages below it (computed with the
 * already pretrained layers of this model's graph), where {@code x~} is the code corrupted in
 * Java per batch (seed: run seed + 1 + i). Its loss is the reconstruction error against the
 * clean code: the Bernoulli cross-entropy
 * {@code -sum_j [x_j log r_j + (1 - x_j) log(1 - r_j)]} for inputs in [0, 1] (the pixels, and
 * sigmoid codes), else the squared error {@code sum_j (r_j - x_j)^2} with a linear output
 * (Vincent et al. 2010, section 4.2). Its encoder (W_i, b_i) is then copied into
 * {@code encoder/i}, its decoder (W'_i, b'_i) into {@code decoder/i}.
 *
 * <p><b>Fine-tuning</b> (what {@code fit} trains): {@value #LOGITS} = top code times
 * {@code classifier/W} plus {@code classifier/b}; {@code loss} = mean over the batch of the
 * cross-entropy {@code -sum_k y_k log softmax(logits)_k} with one-hot labels y fed to the
 * placeholder {@value #LABELS}; {@value #ERROR_RATE} = mean of [argmax logits != label], reported
 * but not part of the loss (it has no gradient). Fine-tuning uses clean inputs unless
 * {@code finetuneMasking} &gt; 0, which zeroes that fraction of the pixels, drawn per batch.
 *
 * <p><b>Reconstruction.</b> {@code reconstruction} and {@code decoded} apply the stages'
 * decoders top-down: {@code decoder/(L-1)}, ..., {@code decoder/0} (untied weights, as learned
 * in pretraining). The decoder weights are graph constants: fine-tuning does not change them,
 * so after fine-tuning the reconstruction of the fine-tuned code degrades gracefully at best.
 * Without pretraining they keep their random initial values.
 */
public final class StackedAutoencoder extends AutoencoderModel<StackedAutoencoderConfig>
        implements Pretrainable, Denoising {
    private static final Logger LOG = LoggerFactory.getLogger(StackedAutoencoder.class);

    public static final String LABELS = "labels";
    public static final String LOGITS = "logits";
    public static final String ERROR_RATE = "error_rate";
    public static final String CE_PER_EXAMPLE = "ce_per_example";

    /** What one pretraining stage achieved: its denoising loss on training data before and after. */
    public record StageResult(int stage, double lossBefore, double lossAfter) {}

    private List<StageResult> pretrainingResults = List.of();

    public StackedAutoencoder(StackedAutoencoderConfig config, SameDiff sd) {
        super(config, sd);
    }

    /** Name of the output of encoder layer i; the top one is {@code code}. */
    static String hiddenName(StackedAutoencoderConfig c, int i) {
        return i == c.hiddenSizes().size() - 1 ? CODE : "hidden_" + i;
    }

    static String encoderName(int i) {
        return "encoder/" + i;
    }

    static String decoderName(int i) {
        return "decoder/" + i;
    }

    /** Width of the input of stage i. */
    private static int stageInputSize(StackedAutoencoderConfig c, int i) {
        return i == 0 ? c.inputSize() : c.hiddenSizes().get(i - 1);
    }

    /**
     * Whether stage i reconstructs values in [0, 1] through a sigmoid with cross-entropy: the
     * pixels always, the codes below when they are sigmoid outputs.
     */
    private static boolean sigmoidOutput(StackedAutoencoderConfig c, int i) {
        return i == 0 || c.activation() == Activation.SIGMOID;
    }

    @Override
    protected void define(GraphContext g) {
        SameDiff sd = g.sd();
        StackedAutoencoderConfig c = config;
        int layers = c.hiddenSizes().size();
        SDVariable x = sd.placeHolder(INPUT, DataType.FLOAT, -1, c.inputSize());
        SDVariable labels = sd.placeHolder(LABELS, DataType.FLOAT, -1, c.numClasses());

        SDVariable h = x;
        for (int i = 0; i < layers; i++) {
            Dense layer = Dense.create(
                    g, encoderName(i), stageInputSize(c, i), c.hiddenSizes().get(i), c.activation(), c.weightInit());
            h = layer.apply(h, hiddenName(c, i));
        }
        SDVariable code = h;

        // Decoders of the stages, top-down. Constants: fine-tuning must neither train them (they
        // are off the loss path) nor shrink them by weight decay; pretraining assigns their values.
        List<Dense> decoders = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            Dense d = Dense.create(
                    g,
                    decoderName(i),
                    c.hiddenSizes().get(i),
                    stageInputSize(c, i),
                    sigmoidOutput(c, i) ? Activation.SIGMOID : Activation.IDENTITY,
                    c.weightInit());
            d.weights().convertToConstant();
            d.bias().convertToConstant();
            decoders.add(d);
        }
        decodeStack(decoders, code).rename(RECONSTRUCTION);
        SDVariable zIn = sd.placeHolder(
                DECODER_INPUT, DataType.FLOAT, -1, c.hiddenSizes().get(layers - 1));
        decodeStack(decoders, zIn).rename(DECODED);

        SDVariable logits = Dense.create(
                        g,
                        "classifier",
                        c.hiddenSizes().get(layers - 1),
                        c.numClasses(),
                        Activation.IDENTITY,
                        c.weightInit())
                .apply(code, LOGITS);
        // Cross-entropy with one-hot labels, per example:
        //   -sum_k y_k log softmax(l)_k = log sum_k exp(s_k) - sum_k y_k s_k,  s = l - max_k l_k,
        // using sum_k y_k = 1. The shift keeps exp finite; its gradient cancels exactly. Written
        // from elementwise ops: M2.1's sd.nn().logSoftmax(x, dim) fails when differentiated
        // ("Error setting property for function LogSoftMax").
        SDVariable shifted = logits.sub(logits.max(true, 1));
        SDVariable logSumExp = sd.math()
                .log(FeatureReductions.sumOverFeatures(sd, "sum_exp", sd.math().exp(shifted)));
        SDVariable labelScore = FeatureReductions.sumOverFeatures(sd, "label_score", labels.mul(shifted));
        logSumExp.sub(CE_PER_EXAMPLE, labelScore).mean(LOSS);
        sd.neq(sd.argmax(logits, 1), sd.argmax(labels, 1))
                .castTo(DataType.FLOAT)
                .mean(ERROR_RATE);
    }

    private static SDVariable decodeStack(List<Dense> decoders, SDVariable top) {
        SDVariable r = top;
        for (int i = decoders.size() - 1; i >= 0; i--) {
            r = decoders.get(i).apply(r);
        }
        return r;
    }

    @Override
    public List<String> lossTerms() {
        return List.of(LOSS, ERROR_RATE);
    }

    @Override
    public int codeSize() {
        return config.hiddenSizes().get(config.hiddenSizes().size() - 1);
    }

    /** Fine-tuning is supervised: it trains on the labels. */
    @Override
    public boolean usesLabels() {
        return true;
    }

    @Override
    public List<String> trainingPlaceholders() {
        return List.of(INPUT, LABELS);
    }

    @Override
    public INDArray[] trainingInputs(Batch batch, NoiseSource noise, Progress progress) {
        INDArray x = config.finetuneMasking() == 0
                ? batch.features()
                : config.finetuneCorruption().apply(batch.features(), noise);
        return new INDArray[] {x, oneHot(batch.labels(), config.numClasses())};
    }

    /** Evaluation (and {@link #reconstruct}) always sees clean inputs, also with {@code finetuneMasking}. */
    @Override
    public Map<String, INDArray> feeds(Batch batch, NoiseSource noise) {
        return Map.of(INPUT, batch.features(), LABELS, oneHot(batch.labels(), config.numClasses()));
    }

    static INDArray oneHot(int[] labels, int numClasses) {
        float[] out = new float[labels.length * numClasses];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("label " + labels[i] + " outside 0.." + (numClasses - 1));
            }
            out[i * numClasses + labels[i]] = 1f;
        }
        return Nd4j.create(out, new long[] {labels.length, numClasses}, DataType.FLOAT);
    }

    /** Adds {@code accuracy} = 1 - error_rate. */
    @Override
    public Map<String, Double> summaryMetrics(Map<String, Double> meanTerms) {
        Map<String, Double> metrics = super.summaryMetrics(meanTerms);
        metrics.put("accuracy", 1.0 - meanTerms.get(ERROR_RATE));
        return metrics;
    }

    /** Class scores for each input row: [N, numClasses] logits. */
    public INDArray logits(INDArray x) {
        return sd.output(Map.of(INPUT, x), LOGITS).get(LOGITS);
    }

    /** The output of encoder layer {@code layer} (0-based) for each input row. */
    public INDArray hidden(INDArray x, int layer) {
        String name = hiddenName(config, layer);
        return sd.output(Map.of(INPUT, x), name).get(name);
    }

    /** What the last {@link #pretrain} call of this instance did, stage by stage (empty before). */
    public List<StageResult> pretrainingResults() {
        return pretrainingResults;
    }

    /**
     * Greedy layer-wise pretraining: one denoising autoencoder per layer, bottom-up, each trained
     * for {@code pretrainEpochs} with the run's batch size and optimizer at
     * {@code pretrainLearningRate}, then copied into this model's encoder and decoder.
     */
    @Override
    public void pretrain(ImageDataset train, TrainerConfig trainer) {
        StackedAutoencoderConfig c = config;
        if (c.pretrainEpochs() == 0) {
            LOG.info("pretrainEpochs = 0: no pretraining, fine-tuning starts from the random initialisation");
            return;
        }
        Corruption corruption = c.corruption();
        ImageDataset probe = train.head(Math.min(train.size(), 5_000));
        List<StageResult> results = new ArrayList<>();
        for (int i = 0; i < c.hiddenSizes().size(); i++) {
            final int below = i - 1;
            long seed = trainer.seed() + 1 + i;
            StageConfig sc = new StageConfig(
                    stageInputSize(c, i), c.hiddenSizes().get(i), c.activation(), sigmoidOutput(c, i), c.weightInit());
            Stage stage = (Stage) STAGE.build(sc, seed);
            // Codes of the stages below, from this model's graph (already holding their weights).
            stage.configure(corruption, below < 0 ? UnaryOperator.identity() : x -> hidden(x, below));
            TrainerConfig tc = trainer.toBuilder()
                    .epochs(c.pretrainEpochs())
                    .learningRate(c.pretrainLearningRate())
                    .seed(seed)
                    .checkpointEvery(0)
                    .patience(0)
                    .minDelta(0)
                    .lrSchedule(LrSchedule.CONSTANT)
                    .build();
            double before = stage.evaluate(probe, 500, seed).get(LOSS);
            LOG.info(
                    "pretraining stage {}/{}: {} -> {} units, {} corruption {}, {} epochs, lr {}",
                    i + 1,
                    c.hiddenSizes().size(),
                    sc.inputSize(),
                    sc.hiddenSize(),
                    c.corruptionKind().name().toLowerCase(),
                    c.corruptionLevel(),
                    c.pretrainEpochs(),
                    c.pretrainLearningRate());
            new Trainer(tc).addListener(new ConsoleListener()).fit(stage, train, null);
            double after = stage.evaluate(probe, 500, seed).get(LOSS);
            LOG.info(
                    "stage {}: reconstruction loss {} -> {} ({})",
                    i + 1,
                    String.format("%.4f", before),
                    String.format("%.4f", after),
                    sc.sigmoidOutput() ? "cross-entropy, nats" : "squared error");
            copy(stage.graph(), "enc", sd, encoderName(i));
            copy(stage.graph(), "dec", sd, decoderName(i));
            results.add(new StageResult(i, before, after));
        }
        pretrainingResults = List.copyOf(results);
    }

    private static void copy(SameDiff from, String fromLayer, SameDiff to, String toLayer) {
        for (String p : List.of("/W", "/b")) {
            to.getVariable(toLayer + p)
                    .getArr()
                    .assign(from.getVariable(fromLayer + p).getArr());
        }
    }

    // ---- one pretraining stage -------------------------------------------------------------

    /** Shape of one pretraining stage; internal, built only through {@link #STAGE}. */
    record StageConfig(
            int inputSize, int hiddenSize, Activation activation, boolean sigmoidOutput, WeightInit weightInit)
            implements ModelConfig {}

    static final ModelType<StageConfig> STAGE = new ModelType<>(
            "stacked-ae-stage",
            "one denoising autoencoder stage of a stacked autoencoder",
            StageConfig.class,
            new StageConfig(784, 1000, Activation.SIGMOID, true, WeightInit.XAVIER_UNIFORM),
            Stage::new);

    /**
     * A one-hidden-layer denoising autoencoder on the codes of the stages below: placeholder
     * {@code x} is the corrupted code, {@value #TARGET} the clean one; both are computed in
     * {@link #trainingInputs} from the batch's images.
     */
    static final class Stage extends AutoencoderModel<StageConfig> {
        static final String TARGET = "target";
        private Corruption corruption = Corruption.NONE;
        private UnaryOperator<INDArray> codesBelow = UnaryOperator.identity();

        Stage(StageConfig config, SameDiff sd) {
            super(config, sd);
        }

        void configure(Corruption corruption, UnaryOperator<INDArray> codesBelow) {
            this.corruption = corruption;
            this.codesBelow = codesBelow;
        }

        @Override
        protected void define(GraphContext g) {
            SameDiff sd = g.sd();
            StageConfig c = config;
            SDVariable x = sd.placeHolder(INPUT, DataType.FLOAT, -1, c.inputSize());
            SDVariable target = sd.placeHolder(TARGET, DataType.FLOAT, -1, c.inputSize());
            Dense enc = Dense.create(g, "enc", c.inputSize(), c.hiddenSize(), c.activation(), c.weightInit());
            Dense dec = Dense.create(g, "dec", c.hiddenSize(), c.inputSize(), Activation.IDENTITY, c.weightInit());
            SDVariable pre = dec.apply(enc.apply(x, CODE));
            SDVariable perExample;
            if (c.sigmoidOutput()) {
                sd.nn().sigmoid(RECONSTRUCTION, pre);
                perExample = ReconstructionLoss.bernoulliFromLogits(sd, "recon_per_example", pre, target);
            } else {
                pre.rename(RECONSTRUCTION);
                perExample = ReconstructionLoss.squaredError(sd, "recon_per_example", pre, target);
            }
            perExample.mean(LOSS);
            SDVariable zIn = sd.placeHolder(DECODER_INPUT, DataType.FLOAT, -1, c.hiddenSize());
            SDVariable decoded = dec.apply(zIn);
            (c.sigmoidOutput() ? sd.nn().sigmoid(decoded) : decoded).rename(DECODED);
        }

        @Override
        public List<String> lossTerms() {
            return List.of(LOSS);
        }

        @Override
        public int codeSize() {
            return config.hiddenSize();
        }

        @Override
        public List<String> trainingPlaceholders() {
            return List.of(INPUT, TARGET);
        }

        @Override
        public INDArray[] trainingInputs(Batch batch, NoiseSource noise, Progress progress) {
            INDArray clean = codesBelow.apply(batch.features());
            return new INDArray[] {corruption.apply(clean, noise), clean};
        }
    }

    /** The corruption of the layer-wise denoising pretraining (fine-tuning may mask inputs too: finetuneMasking). */
    @Override
    public Corruption corruption() {
        return config.corruption();
    }
}
