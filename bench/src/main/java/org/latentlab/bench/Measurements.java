package org.latentlab.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.variational.BernoulliReconstructionDistribution;
import org.deeplearning4j.nn.conf.layers.variational.VariationalAutoencoder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.data.Batch;
import org.latentlab.data.BatchIterator;
import org.latentlab.data.ImageDataset;
import org.latentlab.engine.Backend;
import org.latentlab.engine.Quiet;
import org.latentlab.models.vae.VaeConfig;
import org.latentlab.train.Optimizer;
import org.latentlab.train.Trainer;
import org.latentlab.train.TrainerConfig;
import org.latentlab.train.TrainingControl;
import org.latentlab.train.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The measurements themselves, each meant to run alone in a fresh JVM (see {@link ChildJvm}) so
 * that its peak resident memory is its own. Each returns JSON-ready key-value pairs.
 */
public final class Measurements {
    private static final Logger LOG = LoggerFactory.getLogger(Measurements.class);
    static final long SEED = 1;
    static final double LEARNING_RATE = 1e-3;
    /** Enough epochs never to run out: a measurement stops the trainer as soon as its windows are done. */
    private static final int EPOCH_LIMIT = 10_000;

    private Measurements() {}

    /** Thrown from the training listener to end {@link Trainer#fit} once the last window is timed. */
    private static final class WindowsComplete extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WindowsComplete() {
            super("measurement complete", null, false, false);
        }
    }

    /**
     * Latent Lab on a workload: training through {@link Trainer#fit} exactly as {@code latentlab
     * train} does ({@code sd.fit} over the trainer's feed iterator, its listeners, its
     * end-of-epoch evaluation, which is excluded from the windows), or {@code model.encode}.
     */
    public static Map<String, Object> latentLab(Workload workload, TimingPlan plan, Path dataDir) {
        ImageDataset train = BenchData.load(dataDir);
        AutoencoderModel<?> model = workload.type().buildUnchecked(workload.config(), SEED);
        LOG.info(
                "{}: Latent Lab {} with {} parameters, {} images",
                workload.id(),
                workload.type().name(),
                model.parameterCount(),
                train.size());
        SteadyStateTimer timer = timer(plan);
        long start = System.nanoTime();
        if (workload.inference()) {
            INDArray x = train.head(Workload.ENCODE_IMAGES).features();
            timer.start(System.nanoTime());
            while (!timer.done()) {
                INDArray codes = model.encode(x);
                if (codes.size(0) != x.size(0)) {
                    throw new IllegalStateException("encode returned " + codes.size(0) + " rows for " + x.size(0));
                }
                // The caller owns the codes: freed now, as a loop over batches should, not when the collector
                // next runs (a small young generation collects rarely while a loop makes little heap garbage, and
                // every call's 800 KB of native memory would wait for it).
                codes.close();
                timer.stepDone(System.nanoTime(), (int) x.size(0));
            }
        } else {
            TrainerConfig config = TrainerConfig.builder()
                    .epochs(EPOCH_LIMIT)
                    .batchSize(workload.batchSize())
                    .optimizer(Optimizer.ADAM)
                    .learningRate(LEARNING_RATE)
                    .seed(SEED)
                    .build();
            Trainer trainer = new Trainer(config).addListener(new TrainingListener() {
                @Override
                public void onTrainingStart(TrainingControl control) {
                    timer.start(System.nanoTime());
                }

                @Override
                public void onEpochBatchesEnd(int epoch) {
                    timer.pause(System.nanoTime()); // the trainer's evaluation pass follows
                }

                @Override
                public void onEpochStart(int epoch, int batches) {
                    timer.resume(System.nanoTime());
                }

                @Override
                public void onBatchEnd(int epoch, int batch, int batchSize) {
                    if (timer.stepDone(System.nanoTime(), batchSize)) {
                        throw new WindowsComplete();
                    }
                }
            });
            try {
                trainer.fit(model, train, null);
                throw new IllegalStateException("training ended before the measurement was complete");
            } catch (RuntimeException e) {
                if (!causedByCompletion(e)) {
                    throw e;
                }
            }
        }
        Map<String, Object> result = result(timer, start);
        result.put("parameters", model.parameterCount());
        return result;
    }

    private static SteadyStateTimer timer(TimingPlan plan) {
        return new SteadyStateTimer(plan, ProcessProbe.thisJvm());
    }

    private static boolean causedByCompletion(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof WindowsComplete) {
                return true;
            }
        }
        return false;
    }

    /**
     * DL4J's own {@link VariationalAutoencoder} layer, set up as close to the {@code vae} as it
     * allows: 784-400-20, ReLU encoder and decoder, identity activation for the posterior
     * parameters, Bernoulli reconstruction distribution with a sigmoid, one sample of z per
     * example, Adam 1e-3, FLOAT, DL4J's default (Xavier) initialisation. Trained one batch per
     * {@link MultiLayerNetwork#pretrainLayer(int, INDArray)} call (the layer's unsupervised mode),
     * on the same shuffled batches as Latent Lab; {@code encode} is {@link MultiLayerNetwork#output},
     * which for this layer is the mean of q(z|x).
     */
    public static Map<String, Object> dl4jLayer(Workload workload, TimingPlan plan, Path dataDir) {
        if (!workload.hasDl4jLayerPeer()) {
            throw new IllegalArgumentException(
                    "DL4J's VariationalAutoencoder layer has no counterpart of " + workload.id());
        }
        ImageDataset train = BenchData.load(dataDir);
        VaeConfig c = (VaeConfig) workload.config();
        int[] hidden = c.hiddenSizes().stream().mapToInt(Integer::intValue).toArray();
        int[] decoderHidden = new int[hidden.length];
        for (int i = 0; i < hidden.length; i++) {
            decoderHidden[i] = hidden[hidden.length - 1 - i];
        }
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(SEED)
                .dataType(DataType.FLOAT)
                .updater(new Adam(LEARNING_RATE))
                .list()
                .layer(new VariationalAutoencoder.Builder()
                        .nIn(c.inputSize())
                        .nOut(c.latentSize())
                        .encoderLayerSizes(hidden)
                        .decoderLayerSizes(decoderHidden)
                        .activation(Activation.RELU)
                        .pzxActivationFunction(Activation.IDENTITY)
                        .reconstructionDistribution(new BernoulliReconstructionDistribution(Activation.SIGMOID))
                        .numSamples(1)
                        .build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        LOG.info(
                "{}: DL4J VariationalAutoencoder layer with {} parameters, {} images",
                workload.id(),
                net.numParams(),
                train.size());
        SteadyStateTimer timer = timer(plan);
        long start = System.nanoTime();
        timer.start(start);
        List<Double> scores = new ArrayList<>();
        if (workload.inference()) {
            INDArray x = train.head(Workload.ENCODE_IMAGES).features();
            while (!timer.done()) {
                INDArray codes = net.output(x);
                if (codes.size(0) != x.size(0) || codes.size(1) != c.latentSize()) {
                    throw new IllegalStateException("output shape " + Arrays.toString(codes.shape()));
                }
                timer.stepDone(System.nanoTime(), (int) x.size(0));
            }
        } else {
            for (int epoch = 0; !timer.done(); epoch++) {
                // Nothing but the next epoch's shuffle runs between epochs (as in PyTorch's loop): no pause.
                BatchIterator batches = new BatchIterator(train, workload.batchSize(), SEED, epoch);
                while (batches.hasNext() && !timer.done()) {
                    Batch batch = batches.next();
                    net.pretrainLayer(0, batch.features());
                    timer.stepDone(System.nanoTime(), batch.size());
                    if (scores.isEmpty()) {
                        scores.add(net.getLayer(0).score());
                    }
                }
            }
            scores.add(net.getLayer(0).score());
        }
        Map<String, Object> result = result(timer, start);
        result.put("parameters", net.numParams());
        if (!scores.isEmpty()) {
            // the layer's own loss on its first and last batch: a check that it trains
            result.put("first_score", scores.get(0));
            result.put("last_score", scores.get(scores.size() - 1));
        }
        return result;
    }

    /**
     * ND4J's single-precision matrix multiply C = A B on square matrices of each size: best
     * GFLOP/s (2 n^3 FLOPs per product) over the timed repetitions, after two untimed ones.
     */
    public static Map<String, Object> gemm(boolean quick) {
        int[] sizes = {1024, 2048};
        int minReps = quick ? 3 : 10;
        double minSeconds = quick ? 0.5 : 5;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", "ok");
        Map<String, Object> bySize = new LinkedHashMap<>();
        double best = 0;
        long start = System.nanoTime();
        for (int n : sizes) {
            INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
            INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
            INDArray out = Nd4j.create(DataType.FLOAT, n, n);
            for (int i = 0; i < 2; i++) {
                multiply(a, b, out);
            }
            List<Double> rates = new ArrayList<>();
            long sizeStart = System.nanoTime();
            while (rates.size() < minReps || System.nanoTime() - sizeStart < minSeconds * 1e9) {
                long t0 = System.nanoTime();
                multiply(a, b, out);
                rates.add(2.0 * n * n * n / ((System.nanoTime() - t0) / 1e9) / 1e9);
            }
            double sizeBest =
                    rates.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            bySize.put(
                    String.valueOf(n),
                    Map.of(
                            "best_gflops",
                            sizeBest,
                            "median_gflops",
                            SteadyStateTimer.median(rates),
                            "repetitions",
                            rates.size()));
            LOG.info(
                    "sgemm {}x{}: best {} GFLOP/s over {} repetitions",
                    n,
                    n,
                    String.format("%.1f", sizeBest),
                    rates.size());
            best = Math.max(best, sizeBest);
        }
        result.put("best_gflops", best);
        result.put("sizes", bySize);
        result.put("seconds", (System.nanoTime() - start) / 1e9);
        result.putAll(environment());
        return result;
    }

    private static void multiply(INDArray a, INDArray b, INDArray out) {
        Nd4j.gemm(a, b, out, false, false, 1.0, 0.0);
        Nd4j.getExecutioner().commit(); // waits for the device on CUDA; nothing to wait for on the CPU
    }

    private static Map<String, Object> result(SteadyStateTimer timer, long startNanos) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("status", "ok");
        r.put("samples_per_second", timer.median());
        r.put("window_rates", timer.rates());
        r.put("warmup_steps", timer.warmupSteps());
        r.put("timed_steps", timer.timedSteps());
        r.put("timed_samples", timer.timedSamples());
        r.put("timed_seconds", timer.timedSeconds());
        r.put("cores_busy", timer.coresBusy());
        r.put("other_cores_busy", timer.otherCoresBusy());
        r.put("rss_kib_at_window_ends", timer.rssAtWindowEnds());
        r.put("seconds", (System.nanoTime() - startNanos) / 1e9);
        r.putAll(environment());
        return r;
    }

    /** Peak resident set size (VmHWM) of this process in KiB, or -1 where /proc is missing. */
    public static long peakRssKib() {
        return ProcInfo.selfStatusKib("VmHWM").orElse(-1);
    }

    /** Backend and thread settings of this JVM's ND4J. */
    static Map<String, Object> environment() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("backend", Backend.loaded());
        env.put("nd4j_threads", Nd4j.getEnvironment().maxThreads());
        env.put("nd4j_master_threads", Nd4j.getEnvironment().maxMasterThreads());
        env.put("blas", Quiet.stdout(() -> String.valueOf(Nd4j.factory().blas().getBlasVendor())));
        env.put("blas_threads", Nd4j.factory().blas().getMaxThreads());
        return env;
    }
}
