package org.latentlab.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import javax.imageio.ImageIO;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.Generative;
import org.latentlab.data.Batch;
import org.latentlab.data.ClassNames;
import org.latentlab.data.ImageDataset;
import org.latentlab.eval.RandomCodes;
import org.latentlab.io.AtomicFiles;
import org.latentlab.loss.NoiseSource;
import org.latentlab.plot.ImageGrid;
import org.latentlab.tensorboard.EventFile;
import org.latentlab.train.EpochResult;
import org.latentlab.train.TrainerConfig;
import org.latentlab.train.TrainingControl;
import org.latentlab.train.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes a run's TensorBoard events into {@code RUN/tensorboard/}, so that TensorBoard (and W&B or Comet, which
 * import these files) can follow runs and compare a sweep's trials:
 *
 * <ul>
 *   <li>scalars every epoch, with the names of {@code metrics.csv}'s columns: {@code train_loss} is {@code
 *       train/loss}, {@code val_kl} is {@code val/kl}, {@code samples_per_second} and {@code train_seconds} are
 *       {@code speed/...}; the learning rate at the end of the epoch is {@code optim/learning_rate};</li>
 *   <li>images every {@code imagesEvery} epochs and after the last: test reconstructions and, for generative models,
 *       samples of the prior;</li>
 *   <li>the hparams plugin's session (the config, flattened to {@code model.latentSize}, {@code
 *       trainer.learningRate}, ...) and, when the run ends, its test metrics as {@code test/...} scalars;</li>
 *   <li>the embedding projector: the codes of up to {@value #PROJECTOR_POINTS} test images with their labels and a
 *       sprite of the images.</li>
 * </ul>
 * A resumed run keeps the events of the epochs it does not redo ({@link EventFile#open}).
 */
public final class TensorBoardListener implements TrainingListener {
    /** The folder of a run's event file and projector files. */
    public static final String DIR = "tensorboard";
    /** Test images in the embedding projector. */
    public static final int PROJECTOR_POINTS = 1000;
    /** Images every this many epochs when the config does not say (trainer.sampleEvery 0). */
    public static final int DEFAULT_IMAGES_EVERY = 5;

    private static final int IMAGES = 16;
    private static final String TEST_PREFIX = "test/";
    private static final long IMAGE_SEED_OFFSET = 0x7B0L;

    private final Path dir;
    private final RunConfig config;
    private final Map<String, Object> hparams;
    private final ImageDataset test;
    private final int imagesEvery;
    private EventFile events;
    private long stepsPerEpoch;

    /**
     * Events for the run in {@code runDir} with {@code config} (its hparams, JSON {@code configTree}), images of
     * {@code test}.
     */
    public TensorBoardListener(Path runDir, RunConfig config, JsonNode configTree, ImageDataset test) {
        this.dir = runDir.resolve(DIR);
        this.config = config;
        this.hparams = flatten(configTree);
        this.test = test;
        int every = config.trainer().sampleEvery();
        this.imagesEvery = every > 0 ? every : DEFAULT_IMAGES_EVERY;
    }

    /** The tag of {@code metrics.csv}'s column {@code column}. */
    public static String tagOf(String column) {
        if (column.equals("samples_per_second") || column.equals("train_seconds")) {
            return "speed/" + column;
        }
        if (column.startsWith("train_")) {
            return "train/" + column.substring("train_".length());
        }
        if (column.startsWith("val_")) {
            return "val/" + column.substring("val_".length());
        }
        return column;
    }

    @Override
    public void onTrainingStart(TrainingControl control) {
        int done = control.state().epochsCompleted();
        // A resumed run keeps what it does not redo, but not the end of a run it extends (its test metrics, the
        // session's end), which it writes again when it ends.
        events = EventFile.open(
                dir,
                done == 0 ? -1 : done,
                tag -> tag.startsWith(TEST_PREFIX) || tag.equals(EventFile.SESSION_END_INFO_TAG));
        if (done == 0) {
            events.sessionStart(hparams, "");
        }
        int train = control.context().trainSize();
        stepsPerEpoch =
                (train + config.trainer().batchSize() - 1) / config.trainer().batchSize();
    }

    @Override
    public void onEpochEnd(EpochResult result, TrainingControl control) {
        int epoch = result.epoch();
        result.train().forEach((term, v) -> events.scalar(tagOf("train_" + term), epoch, v));
        result.validation().forEach((term, v) -> events.scalar(tagOf("val_" + term), epoch, v));
        events.scalar(tagOf("train_seconds"), epoch, result.trainSeconds());
        events.scalar(tagOf("samples_per_second"), epoch, result.samplesPerSecond());
        TrainerConfig t = config.trainer();
        long total = stepsPerEpoch * t.epochs();
        events.scalar(
                "optim/learning_rate", epoch, t.lrSchedule().valueAt(t.learningRate(), epoch * stepsPerEpoch, total));
        if (epoch % imagesEvery == 0 || control.isLastEpoch(epoch)) {
            writeImages(control.model(), epoch);
        }
    }

    private void writeImages(AutoencoderModel<?> model, int epoch) {
        NoiseSource noise = new NoiseSource(config.trainer().seed() + IMAGE_SEED_OFFSET);
        ImageGrid grid = new ImageGrid(test.channels(), test.rows(), test.cols()).columns(8);
        int n = Math.min(IMAGES, test.size());
        Batch batch = test.batch(range(n));
        events.image(
                "images/reconstructions",
                epoch,
                grid.renderReconstructions(batch.features(), model.reconstruct(batch, noise)));
        if (model instanceof Generative generative) {
            events.image("images/samples", epoch, grid.render(generative.sample(IMAGES * 2, noise)));
        }
    }

    /**
     * After the run's test evaluation: its test metrics as {@code test/...} scalars at {@code step} (the last epoch),
     * the embedding projector's files, the end of the hparams session; closes the file.
     */
    public void finish(Map<String, Double> testMetrics, int step, AutoencoderModel<?> model) {
        testMetrics.forEach((name, v) -> events.scalar(TEST_PREFIX + name, step, v));
        writeProjector(model);
        events.sessionEnd(true);
        events.close();
    }

    /** Ends the hparams session as failed (training stopped with an error) and closes the file. */
    public void fail() {
        if (events != null) {
            events.sessionEnd(false);
            events.close();
        }
    }

    private void writeProjector(AutoencoderModel<?> model) {
        int n = Math.min(PROJECTOR_POINTS, test.size());
        ImageDataset shown = test.subset(range(n));
        float[][] codes = RandomCodes.encode(model, shown).toFloatMatrix();
        StringBuilder tensors = new StringBuilder();
        for (float[] row : codes) {
            for (int j = 0; j < row.length; j++) {
                // the shortest decimal that reads back as the same float (String.format took 25-60 ms for 500 codes)
                tensors.append(j == 0 ? "" : "\t").append(row[j]);
            }
            tensors.append('\n');
        }
        StringBuilder metadata = new StringBuilder(shown.hasLabels() ? "label\tclass\n" : "index\n");
        for (int i = 0; i < n; i++) {
            if (shown.hasLabels()) {
                int label = shown.label(i);
                metadata.append(label)
                        .append('\t')
                        .append(ClassNames.name(config.dataset(), label))
                        .append('\n');
            } else {
                metadata.append(i).append('\n');
            }
        }
        byte[] sprite = sprite(shown);
        String pbtxt = "embeddings {\n"
                + "  tensor_name: \"codes\"\n"
                + "  tensor_path: \"projector/tensors.tsv\"\n"
                + "  metadata_path: \"projector/metadata.tsv\"\n"
                + "  sprite {\n"
                + "    image_path: \"projector/sprite.png\"\n"
                + "    single_image_dim: " + test.cols() + "\n"
                + "    single_image_dim: " + test.rows() + "\n"
                + "  }\n"
                + "}\n";
        Path projector = dir.resolve("projector");
        AtomicFiles.writeString(projector.resolve("tensors.tsv"), tensors.toString());
        AtomicFiles.writeString(projector.resolve("metadata.tsv"), metadata.toString());
        AtomicFiles.write(projector.resolve("sprite.png"), tmp -> Files.write(tmp, sprite));
        AtomicFiles.writeString(dir.resolve("projector_config.pbtxt"), pbtxt);
    }

    /** Sprites made in this process by what they show: the trials of a sweep share their test images. */
    private static final Map<String, byte[]> SPRITES = new LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > 4;
        }
    };

    /** The projector's sprite of {@code shown}, as PNG bytes: all its images in a square grid, no separators. */
    static byte[] sprite(ImageDataset shown) {
        INDArray pixels = shown.features();
        float[] values = pixels.data().asFloat();
        CRC32C c = new CRC32C();
        CRC32 d = new CRC32();
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES);
        bytes.asFloatBuffer().put(values);
        c.update(bytes.duplicate());
        d.update(bytes);
        String key = shown.channels() + "x" + shown.rows() + "x" + shown.cols() + "x" + shown.size() + ":"
                + Long.toHexString(c.getValue()) + Long.toHexString(d.getValue());
        synchronized (SPRITES) {
            byte[] known = SPRITES.get(key);
            if (known != null) {
                return known;
            }
        }
        BufferedImage image = new ImageGrid(shown.channels(), shown.rows(), shown.cols())
                .columns((int) Math.ceil(Math.sqrt(shown.size())))
                .separator(0)
                .scale(1) // the projector cuts tiles of single_image_dim (the images' own size) out of it
                .render(pixels);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", png)) {
                throw new IllegalStateException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the projector's sprite as PNG", e);
        }
        byte[] made = png.toByteArray();
        synchronized (SPRITES) {
            SPRITES.put(key, made);
        }
        return made;
    }

    /** The config as flat keys: {@code dataset}, {@code model.type}, {@code trainer.learningRate}, ... */
    static Map<String, Object> flatten(JsonNode tree) {
        Map<String, Object> flat = new LinkedHashMap<>();
        flatten("", tree, flat);
        return flat;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, Object> flat) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                flatten(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), f.getValue(), flat);
            }
        } else if (node.isNumber()) {
            flat.put(prefix, node.asDouble());
        } else if (node.isBoolean()) {
            flat.put(prefix, node.asBoolean());
        } else if (!node.isNull()) {
            flat.put(prefix, node.isArray() ? node.toString() : node.asText());
        }
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        Arrays.setAll(r, i -> i);
        return r;
    }
}
