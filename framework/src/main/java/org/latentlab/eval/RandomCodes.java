package org.latentlab.eval;

import java.util.Arrays;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.data.Batch;
import org.latentlab.data.BatchIterator;
import org.latentlab.data.ImageDataset;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * "Random vectors into the decoder" (lecture 003): codes drawn from N(0, I) or from a Gaussian fitted to the codes
 * of training images ({@link GaussianFit}), decoded by the model's decoder. One code path for the pictures of a run
 * ({@code org.latentlab.report.RunPlots}) and the classifier's verdict on such samples ({@link Evaluator}), so both
 * see the same codes for the same seed.
 */
public final class RandomCodes {
    /** Most training images whose codes the Gaussian is fitted to. */
    public static final int FIT_POINTS = 5000;
    /** Images per encoder or decoder call. */
    private static final int CHUNK = 500;

    private RandomCodes() {}

    /**
     * A Gaussian fitted to the codes of a training set.
     *
     * @param fit   mean and full covariance of the codes
     * @param codes how many training codes it was fitted to
     */
    public record Fitted(GaussianFit fit, int codes) {}

    /**
     * A Gaussian (mean, full covariance) fitted to the codes of up to {@value #FIT_POINTS} training images: a subset
     * drawn with {@code seed} ({@code BatchIterator.permutation(train.size(), seed, 1)}), all of them when fewer.
     *
     * @throws IllegalArgumentException for fewer than 2 training images
     */
    public static Fitted fitTrainingCodes(AutoencoderModel<?> model, ImageDataset train, long seed) {
        if (train.size() < 2) {
            throw new IllegalArgumentException("a Gaussian fit needs at least 2 training codes, " + train.name()
                    + " has " + train.size() + " images");
        }
        int m = Math.min(FIT_POINTS, train.size());
        int[] subset = Arrays.copyOf(BatchIterator.permutation(train.size(), seed, 1), m);
        return new Fitted(GaussianFit.fit(encode(model, train.subset(subset))), m);
    }

    /**
     * Codes of every image, in order, as DOUBLE [N, codeSize]; labelled batches, so a conditional model sees each
     * row's label.
     */
    public static INDArray encode(AutoencoderModel<?> model, ImageDataset data) {
        INDArray codes = Nd4j.create(DataType.DOUBLE, data.size(), model.codeSize());
        int row = 0;
        for (Batch b : new BatchIterator(data, CHUNK, false, 0, 0, false)) {
            INDArray c = model.encode(b).castTo(DataType.DOUBLE);
            codes.get(NDArrayIndex.interval(row, row + b.size()), NDArrayIndex.all())
                    .assign(c);
            row += b.size();
        }
        return codes;
    }

    /** The decoder's mean for each row of {@code codes} (any type; fed as FLOAT): [N, inputSize]. */
    public static INDArray decode(AutoencoderModel<?> model, INDArray codes) {
        INDArray z = codes.castTo(DataType.FLOAT);
        long n = z.size(0);
        if (n <= CHUNK) {
            return model.decode(z);
        }
        INDArray out = null;
        for (long start = 0; start < n; start += CHUNK) {
            long end = Math.min(n, start + CHUNK);
            INDArray part = model.decode(
                    z.get(NDArrayIndex.interval(start, end), NDArrayIndex.all()).dup());
            if (out == null) {
                out = Nd4j.create(part.dataType(), n, part.size(1));
            }
            out.get(NDArrayIndex.interval(start, end), NDArrayIndex.all()).assign(part);
        }
        return out;
    }
}
