package org.latentlab.run;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.Generative;
import org.latentlab.data.Batch;
import org.latentlab.data.ImageDataset;
import org.latentlab.io.AtomicFiles;
import org.latentlab.loss.NoiseSource;
import org.latentlab.plot.ImageGrid;
import org.latentlab.train.EpochResult;
import org.latentlab.train.TrainingControl;
import org.latentlab.train.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a picture of the model's progress every {@code every} epochs (and after the last epoch), as
 * {@code samples/epoch-NNNN.png} in the run folder: {@value #SAMPLES} samples from the prior for a
 * {@link Generative} model, otherwise the first {@value #RECONSTRUCTIONS} test images above their
 * reconstructions. Every grid of a run uses the same noise (a {@link NoiseSource} of its own, seeded from the run's
 * seed), so the pictures of successive epochs show the same draws evolving and a seed gives the same files; the
 * training RNG streams are never touched, so a run with sample grids trains bit for bit as one without, and a
 * resumed run rewrites nothing it had written. Each file is written atomically.
 */
public final class SampleGridListener implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(SampleGridListener.class);
    /** The folder of the grids in a run folder. */
    public static final String DIR = "samples";
    /** Prior samples per grid (generative models). */
    public static final int SAMPLES = 64;
    /** Test images per grid (other models). */
    public static final int RECONSTRUCTIONS = 16;
    /** Seed offset of the grids' noise, apart from training, validation, test and final-figure noise. */
    public static final long SAMPLE_SEED_OFFSET = 0x5A3B1EL;

    private final Path dir;
    private final int every;
    private final ImageDataset test;
    private final long seed;

    /**
     * @param runDir where {@code samples/} goes
     * @param every  a grid every N epochs, at least 1
     * @param test   the test images to reconstruct (the first {@value #RECONSTRUCTIONS}) for non-generative models
     * @param seed   the run's seed
     */
    public SampleGridListener(Path runDir, int every, ImageDataset test, long seed) {
        if (every < 1) {
            throw new IllegalArgumentException("sample interval must be >= 1 epoch, got " + every);
        }
        if (test == null || test.size() == 0) {
            throw new IllegalArgumentException("sample grids need test images, got none");
        }
        this.dir = runDir.resolve(DIR);
        this.every = every;
        this.test = test;
        this.seed = seed;
    }

    /** The file of {@code epoch}'s grid in {@code runDir}: {@code samples/epoch-NNNN.png}. */
    public static Path file(Path runDir, int epoch) {
        return runDir.resolve(DIR).resolve(String.format(Locale.ROOT, "epoch-%04d.png", epoch));
    }

    @Override
    public void onEpochEnd(EpochResult result, TrainingControl control) {
        int epoch = result.epoch();
        if (epoch % every == 0 || control.isLastEpoch(epoch)) {
            Path written = write(control.model(), dir.getParent(), epoch);
            LOG.debug("sample grid of epoch {} written to {}", epoch, written);
        }
    }

    /** Renders the grid of {@code model} and writes it atomically as {@link #file}; returns its path. */
    Path write(AutoencoderModel<?> model, Path runDir, int epoch) {
        NoiseSource noise = new NoiseSource(seed + SAMPLE_SEED_OFFSET);
        ImageGrid grid = new ImageGrid(test.channels(), test.rows(), test.cols()).columns(8);
        BufferedImage image;
        if (model instanceof Generative generative) {
            image = grid.render(generative.sample(SAMPLES, noise));
        } else {
            int n = Math.min(RECONSTRUCTIONS, test.size());
            int[] first = new int[n];
            for (int i = 0; i < n; i++) {
                first[i] = i;
            }
            Batch batch = test.batch(first);
            INDArray outputs = model.reconstruct(batch, noise);
            image = grid.renderReconstructions(batch.features(), outputs);
        }
        Path file = file(runDir, epoch);
        AtomicFiles.write(file, tmp -> {
            if (!ImageIO.write(image, "png", tmp.toFile())) {
                throw new IOException("no PNG writer available");
            }
        });
        return file;
    }
}
