package org.latentlab.engine;

import java.nio.FloatBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * ND4J's Adam step and the parameter update in one pass over the float buffers:
 * {@code m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p -= a_t m / (sqrt(v) + eps)} with
 * {@code a_t = lr sqrt(1 - b2^t) / (1 - b1^t)}, {@code t = iteration + 1}, the formula of M2.1's
 * {@code adam_updater} op, on the same state arrays (checkpoints are unchanged). That op applies a
 * {@code std::function} per element and then needs a separate subtraction; this loop is faster
 * (see docs/PERFORMANCE.md).
 *
 * <p><b>Subnormal moments.</b> Where a parameter's gradient is exactly zero for a while (the
 * first layer's weights of MNIST's border pixels), its first moment decays by {@code beta1} each
 * step into the subnormal range and stays there for about 150 steps; arithmetic on subnormal
 * floats costs about a hundred cycles on x86, and Java (like libnd4j and PyTorch's defaults) does
 * not flush them, which slowed this loop down on the MLP VAE (see docs/PERFORMANCE.md). Every {@value #FLUSH_EVERY}
 * iterations a pass sets first moments below {@value #M_FLOOR} and second moments below
 * {@value #V_FLOOR} to zero, so neither reaches the subnormal range in between (a first moment
 * takes about 170 steps to decay from the floor to it, a second moment thousands). The
 * parameters do not notice: a first moment below the floor moves a parameter by less than
 * {@code lr * 1e-30 / eps}, and a second moment below its floor changes {@code sqrt(v) + eps} by less than
 * half an ulp of eps; TensorFlow flushes subnormals on the CPU for the same reason.
 */
final class FusedAdam {
    /** Parameters at least this long are updated in two halves, one on a pool thread. */
    private static final int SPLIT = 1 << 16;
    /**
     * The loop reads and writes the arrays' host buffers: right on the CPU backend only (on CUDA
     * the values live on the device and ND4J's updater runs there).
     */
    private static final boolean HOST_MEMORY = Nd4j.getEnvironment().isCPU();

    private static final boolean PARALLEL =
            Runtime.getRuntime().availableProcessors() > 1 && ForkJoinPool.getCommonPoolParallelism() > 0;

    /** How often (in iterations) tiny moments are set to zero; see the class comment. */
    static final int FLUSH_EVERY = 32;

    static final float M_FLOOR = 1e-30f;
    static final float V_FLOOR = 1e-32f;

    private FusedAdam() {}

    /**
     * Applies Adam to {@code param} from {@code grad} if {@code updater} is ND4J's Adam on float
     * arrays with the usual dense layout in host memory (CPU backend); returns false (nothing
     * changed) otherwise. {@code grad}
     * is left as it was.
     */
    static boolean apply(GradientUpdater<?> updater, INDArray grad, INDArray param, int iteration, int epoch) {
        if (!HOST_MEMORY || !(updater instanceof AdamUpdater) || !(updater.getConfig() instanceof Adam config)) {
            return false;
        }
        Map<String, INDArray> state = updater.getState();
        INDArray m = state.get(AdamUpdater.M_STATE);
        INDArray v = state.get(AdamUpdater.V_STATE);
        if (m == null
                || v == null
                || !dense(grad)
                || !dense(param)
                || !dense(m)
                || !dense(v)
                || m.length() != param.length()
                || v.length() != param.length()
                || grad.length() != param.length()) {
            return false;
        }
        double lr = config.getLearningRate(iteration, epoch);
        double b1 = config.getBeta1();
        double b2 = config.getBeta2();
        int t = iteration + 1;
        double at = lr * Math.sqrt(1.0 - Math.pow(b2, t)) / (1.0 - Math.pow(b1, t));
        if (!Double.isFinite(at) || at == 0.0) {
            at = config.getEpsilon(); // as the native op does
        }
        Buffers b = new Buffers(param, grad, m, v);
        int n = (int) param.length();
        float fb1 = (float) b1;
        float fb2 = (float) b2;
        float fat = (float) at;
        float eps = (float) config.getEpsilon();
        boolean flush = iteration % FLUSH_EVERY == 0;
        if (n >= SPLIT && PARALLEL) {
            int half = n / 2;
            CompletableFuture<Void> other =
                    CompletableFuture.runAsync(() -> loop(b, half, n, fb1, fb2, fat, eps, flush));
            loop(b, 0, half, fb1, fb2, fat, eps, flush);
            other.join();
        } else {
            loop(b, 0, n, fb1, fb2, fat, eps, flush);
        }
        return true;
    }

    private record Buffers(FloatBuffer p, int po, FloatBuffer g, int go, FloatBuffer m, int mo, FloatBuffer v, int vo) {
        Buffers(INDArray p, INDArray g, INDArray m, INDArray v) {
            this(
                    p.data().asNioFloat(),
                    (int) p.offset(),
                    g.data().asNioFloat(),
                    (int) g.offset(),
                    m.data().asNioFloat(),
                    (int) m.offset(),
                    v.data().asNioFloat(),
                    (int) v.offset());
        }
    }

    /** Elements per chunk: copied in bulk into Java arrays, where the JIT vectorises the arithmetic. */
    private static final int CHUNK = 4096;

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[4][CHUNK]);

    private static void loop(Buffers b, int from, int to, float b1, float b2, float at, float eps, boolean flush) {
        // Element-wise access to native memory is not vectorised (about 2 ns per element here);
        // bulk copies into arrays and a loop over arrays is about three times faster.
        FloatBuffer p = b.p.duplicate();
        FloatBuffer g = b.g.duplicate();
        FloatBuffer m = b.m.duplicate();
        FloatBuffer v = b.v.duplicate();
        float[][] s = SCRATCH.get();
        float[] ps = s[0];
        float[] gs = s[1];
        float[] ms = s[2];
        float[] vs = s[3];
        float c1 = 1f - b1;
        float c2 = 1f - b2;
        for (int start = from; start < to; start += CHUNK) {
            int n = Math.min(CHUNK, to - start);
            p.get(b.po + start, ps, 0, n);
            g.get(b.go + start, gs, 0, n);
            m.get(b.mo + start, ms, 0, n);
            v.get(b.vo + start, vs, 0, n);
            for (int i = 0; i < n; i++) {
                float gi = gs[i];
                float mi = b1 * ms[i] + c1 * gi;
                float vi = b2 * vs[i] + c2 * gi * gi;
                ms[i] = mi;
                vs[i] = vi;
                ps[i] -= at * mi / ((float) Math.sqrt(vi) + eps);
            }
            if (flush) {
                flushTiny(ms, vs, n);
            }
            p.put(b.po + start, ps, 0, n);
            m.put(b.mo + start, ms, 0, n);
            v.put(b.vo + start, vs, 0, n);
        }
    }

    /** Sets first moments below {@link #M_FLOOR} in magnitude and second moments below {@link #V_FLOOR} to zero. */
    static void flushTiny(float[] ms, float[] vs, int n) {
        for (int i = 0; i < n; i++) {
            if (Math.abs(ms[i]) < M_FLOOR) {
                ms[i] = 0f;
            }
            if (vs[i] < V_FLOOR) {
                vs[i] = 0f;
            }
        }
    }

    private static boolean dense(INDArray a) {
        return a.dataType() == DataType.FLOAT
                && a.offset() < Integer.MAX_VALUE
                && a.length() < Integer.MAX_VALUE
                && a.ordering() == 'c'
                && Shape.hasDefaultStridesForShape(a);
    }
}
