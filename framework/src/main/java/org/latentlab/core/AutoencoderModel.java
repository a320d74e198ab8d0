package org.latentlab.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.latentlab.data.Batch;
import org.latentlab.data.BatchIterator;
import org.latentlab.data.ImageDataset;
import org.latentlab.engine.OpDescriptors;
import org.latentlab.engine.PlannedOutputs;
import org.latentlab.graph.GraphContext;
import org.latentlab.io.AtomicFiles;
import org.latentlab.io.FaultPoint;
import org.latentlab.loss.NoiseSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared base of every autoencoder: a config plus the SameDiff graph built from it.
 *
 * <p>Graph convention. A variant's {@link #define} must create:
 * <ul>
 *   <li>placeholder {@value #INPUT}: the (possibly corrupted) input batch [N, inputSize];</li>
 *   <li>{@value #CODE}: the deterministic code of the input (the posterior mean for a VAE);</li>
 *   <li>{@value #RECONSTRUCTION}: the mean of the decoder's output distribution;</li>
 *   <li>placeholder {@value #DECODER_INPUT} and {@value #DECODED}: the decoder applied to codes
 *       fed from outside (weights shared with the training path), for generation;</li>
 *   <li>{@value #LOSS}: the scalar training objective (mean over the batch), and every term in
 *       {@link #lossTerms()}, each a scalar named variable, so each can be logged and plotted.</li>
 * </ul>
 * Instance methods refer to graph pieces by name only: a model loaded from disk has its graph
 * but none of the Java objects that built it.
 */
public abstract class AutoencoderModel<C extends ModelConfig> {
    public static final String INPUT = "x";
    public static final String CODE = "code";
    public static final String RECONSTRUCTION = "reconstruction";
    public static final String DECODER_INPUT = "z_in";
    public static final String DECODED = "decoded";
    public static final String LOSS = "loss";

    private static final Logger LOG = LoggerFactory.getLogger(AutoencoderModel.class);
    static final String CONFIG_FILE = "model.json";
    static final String GRAPH_FILE = "graph.sdz";
    /** Size and SHA-256 of {@value #GRAPH_FILE} as saved, so a truncated or damaged copy is named as such. */
    static final String GRAPH_CHECK_FILE = "graph.sdz.json";

    protected final C config;
    protected final SameDiff sd;
    /** Set by {@link ModelType} when it builds or loads the model; null for a model constructed directly. */
    private String typeName;

    protected AutoencoderModel(C config, SameDiff sd) {
        this.config = Objects.requireNonNull(config, "config");
        this.sd = Objects.requireNonNull(sd, "sd");
    }

    /** Adds this variant's graph to {@code g.sd()}; called once, for new models only. */
    protected abstract void define(GraphContext g);

    /** Names of the scalar loss terms this variant reports, in display order, {@value #LOSS} first. */
    public abstract List<String> lossTerms();

    /** Size of the code returned by {@link #encode}. */
    public abstract int codeSize();

    /**
     * Placeholders fed during training, in the order of {@link #trainingInputs}. The default is
     * just the input; variants add noise (eps), targets or conditions.
     */
    public List<String> trainingPlaceholders() {
        return List.of(INPUT);
    }

    /**
     * Arrays for {@link #trainingPlaceholders()} for one batch. Stochastic variants draw their
     * noise from {@code noise}, never from the graph (M2.1's dynamic random op repeats itself);
     * scheduled hyperparameters read {@code progress} ({@link Progress#DONE} outside training).
     */
    public INDArray[] trainingInputs(Batch batch, NoiseSource noise, Progress progress) {
        return new INDArray[] {batch.features()};
    }

    /** Feeds for evaluating the loss terms on a batch: the training inputs at the end of training, by name. */
    public Map<String, INDArray> feeds(Batch batch, NoiseSource noise) {
        INDArray[] arrays = trainingInputs(batch, noise, Progress.DONE);
        List<String> names = trainingPlaceholders();
        Map<String, INDArray> feeds = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            feeds.put(names.get(i), arrays[i]);
        }
        return feeds;
    }

    final void defineGraph(long seed) {
        define(new GraphContext(sd, seed));
        for (String term : lossTerms()) {
            if (!sd.hasVariable(term)) {
                throw new IllegalStateException(getClass().getSimpleName() + " lists loss term '" + term
                        + "' but its graph has no variable of that name");
            }
        }
        sd.setLossVariables(LOSS);
    }

    public C config() {
        return config;
    }

    /**
     * The registered type name ({@code vae}, ...) of a model built or loaded through its {@link ModelType}; the
     * class's simple name for one constructed directly.
     */
    public String typeName() {
        return typeName != null ? typeName : getClass().getSimpleName();
    }

    final void typeName(String name) {
        this.typeName = name;
    }

    /** Planned inference for {@link #encode} and {@link #decode}. */
    private final PlannedOutputs planned = new PlannedOutputs();

    /**
     * {@code outputs} of the graph fed {@code feeds} (ordered; equal row counts) through planned inference: a plan per
     * set of outputs and feed shapes, so repeated calls of one shape allocate nothing new; new arrays the caller owns.
     */
    protected Map<String, INDArray> plannedOutputs(Map<String, INDArray> feeds, List<String> outputs) {
        return planned.outputs(sd, feeds, outputs);
    }

    /** The graph, for training and for advanced use. */
    public SameDiff graph() {
        return sd;
    }

    /** The deterministic code of each input row: [N, codeSize]. */
    public INDArray encode(INDArray x) {
        return planned.output(sd, INPUT, x, CODE);
    }

    /** The decoder's mean output for each code row: [N, inputSize]. */
    public INDArray decode(INDArray codes) {
        return planned.output(sd, DECODER_INPUT, codes, DECODED);
    }

    /** Reconstruction of each input; stochastic variants draw their noise from {@code noise}. */
    public INDArray reconstruct(INDArray x, NoiseSource noise) {
        Batch batch = new Batch(x, new int[(int) x.size(0)], new int[(int) x.size(0)]);
        return sd.output(feeds(batch, noise), RECONSTRUCTION).get(RECONSTRUCTION);
    }

    /**
     * Whether encoding and decoding depend on a condition (a label) as well as the input, as in
     * the conditional VAE. Label-free pictures (interpolations, manifold grids) are then skipped.
     */
    public boolean conditional() {
        return false;
    }

    /**
     * Whether training reads the batches' class labels (a conditional model's condition, a supervised head's
     * targets), so that it cannot train on an unlabelled dataset. The default: {@link #conditional()}.
     */
    public boolean usesLabels() {
        return conditional();
    }

    /**
     * The code of each image of a labelled batch. The default ignores the labels
     * ({@link #encode(INDArray)}); a conditional model reads its condition from them, so that
     * evaluation sees the posterior it was trained with.
     */
    public INDArray encode(Batch batch) {
        return encode(batch.features());
    }

    /**
     * Reconstruction of each image of a labelled batch. The default ignores the labels
     * ({@link #reconstruct(INDArray, NoiseSource)}); a conditional model reads its condition from them.
     */
    public INDArray reconstruct(Batch batch, NoiseSource noise) {
        return reconstruct(batch.features(), noise);
    }

    /**
     * Mean of every loss term over a dataset, weighting each batch by its size. Noise is drawn
     * from a generator seeded with {@code seed}, so an evaluation is repeatable.
     */
    public Map<String, Double> evaluate(ImageDataset data, int batchSize, long seed) {
        List<String> terms = lossTerms();
        double[] sums = new double[terms.size()];
        NoiseSource noise = new NoiseSource(seed);
        long seen = 0;
        for (Batch batch : new BatchIterator(data, batchSize, false, seed, 0, false)) {
            // planned: sd.output would plan and allocate every op on every batch (the end-of-epoch evaluation of
            // 10,000 images took 0.57 s of each VAE epoch on sd.output; docs/PERFORMANCE.md)
            Map<String, INDArray> out = plannedOutputs(feeds(batch, noise), terms);
            for (int i = 0; i < sums.length; i++) {
                sums[i] += out.get(terms.get(i)).getDouble(0) * batch.size();
            }
            seen += batch.size();
        }
        Map<String, Double> means = new LinkedHashMap<>();
        for (int i = 0; i < sums.length; i++) {
            means.put(terms.get(i), sums[i] / seen);
        }
        return means;
    }

    /**
     * Metrics for a summary, derived from the mean loss terms; variants add their own (the VAE
     * adds the negative ELBO).
     */
    public Map<String, Double> summaryMetrics(Map<String, Double> meanTerms) {
        return new LinkedHashMap<>(meanTerms);
    }

    /**
     * Saves the config ({@value #CONFIG_FILE}, JSON tagged with the type) and the graph with
     * parameters, training config and updater state ({@value #GRAPH_FILE}) into {@code dir}.
     * The folder is replaced atomically: a reader sees the old model or the new one, never a mix.
     * A failed write (a full disk) throws {@link UncheckedIOException} naming {@code dir} and
     * leaves the previous folder as it was.
     */
    public void save(Path dir, ModelRegistry registry) {
        save(dir, registry, tmp -> {});
    }

    /**
     * As {@link #save(Path, ModelRegistry)}, and {@code extra} writes more files into the folder before it appears
     * (such as where the model came from), so they appear with the model or not at all.
     */
    public void save(Path dir, ModelRegistry registry, AtomicFiles.IoConsumer<Path> extra) {
        save(dir, registry, extra, List.of());
    }

    /**
     * As {@link #save(Path, ModelRegistry, AtomicFiles.IoConsumer)}; if one of {@code savedModels} (folders written by
     * this method) holds a graph saved from this model in exactly its present state (parameters, updater state,
     * graph, training configuration: {@link StateFingerprint}), the new folder shares that file (a hard link, or a
     * copy where the file system has none) instead of serialising the graph again. The best model on validation and
     * the checkpoint of the same epoch, or the last checkpoint and the run's model, are then one file on disk.
     */
    public void save(Path dir, ModelRegistry registry, AtomicFiles.IoConsumer<Path> extra, List<Path> savedModels) {
        String state = StateFingerprint.of(sd);
        Path same = null;
        for (Path candidate : savedModels) {
            if (GraphFileCheck.holdsState(candidate.resolve(GRAPH_FILE), candidate.resolve(GRAPH_CHECK_FILE), state)) {
                same = candidate;
                break;
            }
        }
        Path source = same;
        AtomicFiles.replaceDirectory(dir, tmp -> {
            Files.writeString(tmp.resolve(CONFIG_FILE), registry.toJson(config), StandardCharsets.UTF_8);
            FaultPoint.reach(FaultPoint.MODEL_WRITE, dir);
            if (source != null) {
                linkOrCopy(source.resolve(GRAPH_FILE), tmp.resolve(GRAPH_FILE));
                Files.copy(source.resolve(GRAPH_CHECK_FILE), tmp.resolve(GRAPH_CHECK_FILE));
            } else {
                try {
                    sd.save(tmp.resolve(GRAPH_FILE).toFile(), true);
                } catch (RuntimeException e) {
                    // M2.1 wraps the IOException of a failed write (e.g. "No space left on device") in a
                    // RuntimeException.
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw e;
                }
                Files.writeString(
                        tmp.resolve(GRAPH_CHECK_FILE),
                        GraphFileCheck.describe(tmp.resolve(GRAPH_FILE), state),
                        StandardCharsets.UTF_8);
            }
            extra.accept(tmp);
        });
        if (source != null) {
            LOG.debug("{} shares {} of {}: the same model state", dir, GRAPH_FILE, source);
        }
    }

    /** A hard link to {@code from} at {@code to}, or a copy where the file system cannot link. */
    private static void linkOrCopy(Path from, Path to) throws IOException {
        try {
            Files.createLink(to, from);
        } catch (UnsupportedOperationException | IOException e) {
            Files.deleteIfExists(to);
            Files.copy(from, to);
        }
    }

    /** Loads a model saved by {@link #save}, with its updater state, ready to predict or train on. */
    public static AutoencoderModel<?> load(Path dir, ModelRegistry registry) {
        Path configFile = dir.resolve(CONFIG_FILE);
        Path graphFile = dir.resolve(GRAPH_FILE);
        for (Path p : List.of(configFile, graphFile)) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("no saved model in " + dir + ": missing " + p.getFileName());
            }
        }
        ModelConfig config;
        try {
            config = registry.fromJson(Files.readString(configFile, StandardCharsets.UTF_8), configFile.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + configFile, e);
        }
        GraphFileCheck.verify(graphFile, dir.resolve(GRAPH_CHECK_FILE));
        SameDiff loaded;
        OpDescriptors.preload(); // the loader builds ND4J's op registry
        try {
            loaded = SameDiff.load(graphFile.toFile(), true);
        } catch (RuntimeException | OutOfMemoryError e) {
            throw new IllegalArgumentException(
                    "cannot read model graph " + graphFile + ": " + GraphFileCheck.explain(graphFile, e), e);
        }
        return registry.typeOf(config).wrap(config, loaded);
    }

    /** The variable names of all trainable parameters. */
    public List<String> parameterNames() {
        List<String> names = new ArrayList<>();
        sd.variables().stream()
                .filter(v -> v.getVariableType() == VariableType.VARIABLE)
                .forEach(v -> names.add(v.name()));
        return names;
    }

    /** Total number of trainable parameters. */
    public long parameterCount() {
        long n = 0;
        for (String name : parameterNames()) {
            n += sd.getVariable(name).getArr().length();
        }
        return n;
    }
}
