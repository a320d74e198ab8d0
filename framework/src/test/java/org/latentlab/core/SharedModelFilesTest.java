package org.latentlab.core;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.data.Datasets;
import org.latentlab.data.ImageDataset;
import org.latentlab.train.Optimizer;
import org.latentlab.train.TinyAutoencoder;
import org.latentlab.train.Trainer;
import org.latentlab.train.TrainerConfig;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;

/**
 * A model saved again in the same state shares the file of the earlier save ({@link StateFingerprint}), and any
 * change the file would show (a parameter, the updater's moments, the iteration count) makes it write anew.
 */
class SharedModelFilesTest {
    private static final ModelRegistry REGISTRY = TinyAutoencoder.registry();
    private static ImageDataset train;

    @TempDir
    Path tmp;

    @BeforeAll
    static void data() {
        train = Datasets.load(Datasets.MNIST_SAMPLE).train().head(200);
    }

    /** A model trained for one epoch: parameters and Adam's moments are not their initial values. */
    private static AutoencoderModel<?> trained() {
        AutoencoderModel<?> model = TinyAutoencoder.TYPE.build(new TinyAutoencoder.Config(784, 8, 1.0), 11);
        new Trainer(new TrainerConfig(1, 50, Optimizer.ADAM, 1e-2, 0, 0, 11, 0, 0, 0)).fit(model, train, null);
        return model;
    }

    private static Path graph(Path dir) {
        return dir.resolve(AutoencoderModel.GRAPH_FILE);
    }

    @Test
    void aSecondSaveInTheSameStateSharesTheFileAFreshSaveWouldWriteByteForByte() throws Exception {
        AutoencoderModel<?> model = trained();
        Path first = tmp.resolve("first");
        Path shared = tmp.resolve("shared");
        Path fresh = tmp.resolve("fresh");
        model.save(first, REGISTRY);
        model.save(shared, REGISTRY, f -> {}, List.of(tmp.resolve("absent"), first));
        model.save(fresh, REGISTRY);

        assertTrue(Files.isSameFile(graph(first), graph(shared)), "the same state: one file");
        assertFalse(Files.isSameFile(graph(first), graph(fresh)));
        assertEquals(-1L, Files.mismatch(graph(first), graph(fresh)), "what is shared is what a save writes");
        assertEquals(
                Files.readString(first.resolve(AutoencoderModel.GRAPH_CHECK_FILE)),
                Files.readString(shared.resolve(AutoencoderModel.GRAPH_CHECK_FILE)));
        assertEquals(
                Files.readString(first.resolve(AutoencoderModel.CONFIG_FILE)),
                Files.readString(shared.resolve(AutoencoderModel.CONFIG_FILE)));

        AutoencoderModel<?> back = AutoencoderModel.load(shared, REGISTRY);
        for (String name : model.parameterNames()) {
            assertEquals(
                    model.graph().getVariable(name).getArr(),
                    back.graph().getVariable(name).getArr(),
                    name);
        }
    }

    @Test
    void anyChangeTheFileWouldShowIsSavedAnew() throws Exception {
        AutoencoderModel<?> model = trained();
        SameDiff sd = model.graph();
        Path first = tmp.resolve("first");
        model.save(first, REGISTRY);
        String before = StateFingerprint.of(sd);
        assertNotNull(before);
        assertEquals(before, StateFingerprint.of(sd), "taking it changes nothing");

        // one parameter element, by the smallest step a float can take
        INDArray w = sd.getVariable(model.parameterNames().get(0)).getArr();
        float w0 = w.getFloat(0);
        w.putScalar(0, Math.nextUp(w0));
        assertSavedAnew(model, first, "a parameter");
        w.putScalar(0, w0);
        assertEquals(before, StateFingerprint.of(sd), "restored");

        // one element of Adam's second moment
        GradientUpdater<?> adam = sd.getUpdaterMap().values().iterator().next();
        INDArray v = adam.getState().get(AdamUpdater.V_STATE);
        float v0 = v.getFloat(3);
        v.putScalar(3, Math.nextUp(v0));
        assertSavedAnew(model, first, "the updater state");
        v.putScalar(3, v0);

        // the iteration count (Adam's bias correction depends on it)
        sd.getTrainingConfig().setIterationCount(sd.getTrainingConfig().getIterationCount() + 1);
        assertSavedAnew(model, first, "the iteration count");
        sd.getTrainingConfig().setIterationCount(sd.getTrainingConfig().getIterationCount() - 1);

        Path again = tmp.resolve("again");
        model.save(again, REGISTRY, f -> {}, List.of(first));
        assertTrue(Files.isSameFile(graph(first), graph(again)), "everything restored: the same state again");
    }

    @Test
    void aFolderWhoseGraphNoLongerMatchesItsCheckIsNotShared() throws Exception {
        AutoencoderModel<?> model = trained();
        Path first = tmp.resolve("first");
        model.save(first, REGISTRY);
        Files.write(graph(first), new byte[] {1, 2, 3}); // truncated by someone else
        Path next = tmp.resolve("next");
        model.save(next, REGISTRY, f -> {}, List.of(first));
        assertFalse(Files.isSameFile(graph(first), graph(next)));
        AutoencoderModel.load(next, REGISTRY); // a complete file was written
    }

    private void assertSavedAnew(AutoencoderModel<?> model, Path first, String what) throws Exception {
        Path dir = tmp.resolve("changed-" + what.replace(' ', '-'));
        model.save(dir, REGISTRY, f -> {}, List.of(first));
        assertFalse(Files.isSameFile(graph(first), graph(dir)), what + " changed: a file of its own");
        assertNotEquals(-1L, Files.mismatch(graph(first), graph(dir)), what + " changed: other bytes");
    }
}
