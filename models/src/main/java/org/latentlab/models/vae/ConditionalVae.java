package org.latentlab.models.vae;

import java.util.Arrays;
import java.util.Map;
import org.latentlab.core.ConditionalGenerative;
import org.latentlab.data.Batch;
import org.latentlab.graph.GraphContext;
import org.latentlab.loss.NoiseSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Conditional variational autoencoder (Sohn, Lee &amp; Yan, <i>Learning Structured Output
 * Representation using Deep Conditional Generative Models</i>, NIPS 2015; the class-conditional
 * form of Kingma et al., <i>Semi-Supervised Learning with Deep Generative Models</i>, NIPS 2014,
 * model M2 with observed labels). A condition c, by default the one-hot label of each image, is
 * concatenated to the encoder input, q(z|x,c), and to z for the decoder, p(x|z,c); the prior
 * stays N(0, I). The loss is the conditional negative ELBO
 * <pre>
 *   -log p(x|c) &lt;= E_q[-log p(x|z,c)] + KL(q(z|x,c) || N(0, I))
 * </pre>
 * with the same terms, KL weight and warm-up as {@link AbstractVae}.
 *
 * <p>The condition is the placeholder {@value #CONDITION}, [N, numClasses], fed in training from
 * {@link Batch#labels()}. Any real-valued condition vector of that width can be fed through the
 * methods taking an INDArray. The decoder of fed codes ({@value #DECODED}) reads the same
 * placeholder, so it needs a condition too. Methods of the base class that have no labels use:
 * <ul>
 *   <li>{@link #decode(INDArray)} and {@link #sample}: classes round-robin, row i gets class
 *       i mod numClasses (deterministic, balanced), as generation needs a definite class;</li>
 *   <li>{@link #encode(INDArray)} and {@link #reconstruct(INDArray, NoiseSource)}: the uniform
 *       vector 1/numClasses, i.e. "class unknown". The model never saw that condition in
 *       training, so these are approximations; pass the labels when they are known (the
 *       {@link Batch} overloads do: run pictures and plots use them).</li>
 * </ul>
 * The labelled-batch forms {@link #encode(Batch)} and {@link #reconstruct(Batch, NoiseSource)},
 * which evaluation uses, and the importance weights ({@link #logImportanceWeights}) take the
 * condition from the batch's labels.
 */
public final class ConditionalVae extends AbstractVae<ConditionalVaeConfig> implements ConditionalGenerative {
    /** Placeholder of the condition, [N, conditionSize]. */
    public static final String CONDITION = "condition";

    public ConditionalVae(ConditionalVaeConfig config, SameDiff sd) {
        super(config, sd);
    }

    @Override
    protected Encoder buildEncoder(GraphContext g, int inputWidth) {
        return mlpEncoder(g, inputWidth, config.hiddenSizes(), config.activation(), config.weightInit());
    }

    @Override
    protected Block buildDecoder(GraphContext g, int inputWidth) {
        return mlpDecoder(
                g, inputWidth, config.hiddenSizes(), config.inputSize(), config.activation(), config.weightInit());
    }

    @Override
    protected int conditionSize() {
        return config.numClasses();
    }

    @Override
    protected INDArray condition(Batch batch) {
        return oneHot(batch.labels());
    }

    /** One-hot rows [labels.length, numClasses]; a label outside 0..numClasses-1 is an error that names it. */
    public INDArray oneHot(int[] labels) {
        int k = config.numClasses();
        float[] values = new float[labels.length * k];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("label " + labels[i] + " at row " + i + " is outside 0.." + (k - 1)
                        + " (numClasses = " + k + ")");
            }
            values[i * k + labels[i]] = 1f;
        }
        return Nd4j.create(values, new long[] {labels.length, k}, DataType.FLOAT);
    }

    /** Row i gets class i mod numClasses. */
    public int[] roundRobinLabels(int n) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % config.numClasses();
        }
        return labels;
    }

    private INDArray unknownCondition(long n) {
        return Nd4j.valueArrayOf(new long[] {n, config.numClasses()}, 1.0 / config.numClasses(), DataType.FLOAT);
    }

    private void checkRows(INDArray data, INDArray condition) {
        if (condition.rank() != 2 || condition.size(0) != data.size(0) || condition.size(1) != config.numClasses()) {
            throw new IllegalArgumentException("condition must be [" + data.size(0) + ", " + config.numClasses()
                    + "], got " + Arrays.toString(condition.shape()));
        }
    }

    /** Posterior means given the labels: [N, latentSize]. */
    public INDArray encode(INDArray x, int[] labels) {
        return encode(x, oneHot(labels));
    }

    /** Posterior means given any condition rows [N, numClasses]. */
    public INDArray encode(INDArray x, INDArray condition) {
        checkRows(x, condition);
        return sd.output(Map.of(INPUT, x, CONDITION, condition), CODE).get(CODE);
    }

    /** Posterior means with the uniform "class unknown" condition; see the class comment. */
    @Override
    public INDArray encode(INDArray x) {
        return encode(x, unknownCondition(x.size(0)));
    }

    @Override
    public boolean conditional() {
        return true;
    }

    /** Posterior means given the batch's labels: the condition the model was trained with. */
    @Override
    public INDArray encode(Batch batch) {
        return encode(batch.features(), batch.labels());
    }

    /** Reconstruction given the batch's labels, z sampled from q(z|x,c). */
    @Override
    public INDArray reconstruct(Batch batch, NoiseSource noise) {
        return reconstruct(batch.features(), batch.labels(), noise);
    }

    /** Decoder means for the codes, row i under class {@code labels[i]}. */
    public INDArray decode(INDArray codes, int[] labels) {
        return decode(codes, oneHot(labels));
    }

    /** Decoder means for the codes under any condition rows [N, numClasses]. */
    public INDArray decode(INDArray codes, INDArray condition) {
        checkRows(codes, condition);
        return sd.output(Map.of(DECODER_INPUT, codes, CONDITION, condition), DECODED)
                .get(DECODED);
    }

    /** Decoder means with classes round-robin (row i: class i mod numClasses); see the class comment. */
    @Override
    public INDArray decode(INDArray codes) {
        return decode(codes, roundRobinLabels((int) codes.size(0)));
    }

    /** Reconstruction given the labels, with z sampled from q(z|x,c) with noise from {@code noise}. */
    public INDArray reconstruct(INDArray x, int[] labels, NoiseSource noise) {
        return reconstruct(x, oneHot(labels), noise);
    }

    public INDArray reconstruct(INDArray x, INDArray condition, NoiseSource noise) {
        checkRows(x, condition);
        INDArray eps = noise.standardNormal(x.size(0), config.latentSize());
        return sd.output(Map.of(INPUT, x, EPS, eps, CONDITION, condition), RECONSTRUCTION)
                .get(RECONSTRUCTION);
    }

    /** Reconstruction under the uniform "class unknown" condition; see the class comment. */
    @Override
    public INDArray reconstruct(INDArray x, NoiseSource noise) {
        return reconstruct(x, unknownCondition(x.size(0)), noise);
    }

    /** n samples of the prior decoded with classes round-robin: row i shows class i mod numClasses. */
    @Override
    public INDArray sample(int n, NoiseSource noise) {
        return decode(noise.standardNormal(n, config.latentSize()), roundRobinLabels(n));
    }

    @Override
    public int numClasses() {
        return config.numClasses();
    }

    /** n samples of class {@code label}: z ~ N(0, I) decoded under that class. */
    @Override
    public INDArray sampleClass(int label, int n, NoiseSource noise) {
        int[] labels = new int[n];
        Arrays.fill(labels, label);
        return decode(noise.standardNormal(n, config.latentSize()), labels);
    }
}
