package org.latentlab.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.api.ops.impl.transforms.same.Abs;
import org.nd4j.linalg.api.ops.impl.transforms.same.Negative;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log1p;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Bernoulli negative log-likelihood from logits, {@code max(l, 0) - t l + log1p(exp(-|l|))}
 * element by element (what {@link org.latentlab.loss.ReconstructionLoss#bernoulliFromLogits}
 * builds), and its gradient {@code dl = g (sigmoid(l) - t)}, as two Java loops in a planned step
 * instead of the 8 forward and 14 backward native ops SameDiff makes of it (each a separate pass
 * over the array; libnd4j's {@code exp} and {@code log1p} evaluate one element at a time; timings
 * in docs/PERFORMANCE.md).
 *
 * <p>The loops are written so that the JIT vectorises them: {@code exp} of a non-positive
 * argument by Cody-Waite range reduction and Cephes' degree-6 polynomial, with the power of two
 * assembled from its bits in a separate loop (a float-to-int conversion in the same loop stops
 * the vectoriser); {@code log1p(e)} for {@code e in [0, 1]} from {@code 2 atanh(e / (2 + e))}
 * by its series. Relative errors against {@code Math.exp}/{@code Math.log1p} are below 1e-7
 * and 3e-7 (checked in the tests), the size of the native float ops' rounding. Arguments below
 * -87 are clamped there: {@code exp} stays a normal float (a subnormal costs about 100 cycles
 * per operation), and the term it adds is below 1e-37 either way.
 *
 * <p>The gradient is the true derivative, also at {@code l = 0} exactly, where SameDiff's chain
 * through {@code relu}, {@code abs} and {@code sign} gives {@code -t} instead of {@code 0.5 - t}.
 *
 * <p>A match is used only when the logits' gradient in the gradient function depends on nothing
 * but the terms' gradient, the logits, the targets and the matched forward values (so no other
 * use of the logits contributes to it), and at plan time only for dense float arrays of one
 * shape in host memory; otherwise SameDiff's ops run as before.
 */
final class FusedBernoulli {
    static final String FORWARD_PREFIX = "fused_bernoulli_logits:";
    static final String BACKWARD_PREFIX = "fused_bernoulli_logits_bp:";

    /**
     * One matched subgraph: {@code terms = f(logits, target)} by the ops in {@code forwardOps};
     * {@code logitsGrad} (null if the graph has no gradients) is computed from {@code termsGrad}.
     */
    record Match(
            String logits, String target, String terms, Set<String> forwardOps, String logitsGrad, String termsGrad) {
        String forwardName() {
            return FORWARD_PREFIX + terms;
        }

        String backwardName() {
            return BACKWARD_PREFIX + terms;
        }
    }

    private FusedBernoulli() {}

    /**
     * Every occurrence of the pattern in the graph {@code forward}; gradients are looked up in
     * {@code g}, its gradient function (or the graph itself for inference).
     */
    static List<Match> find(SameDiff forward, SameDiff g) {
        List<Match> matches = new ArrayList<>();
        for (SameDiffOp op : forward.getOps().values()) {
            if (op.getOp() instanceof Log1p) {
                Match m = matchAt(forward, g, op);
                if (m != null) {
                    matches.add(m);
                }
            }
        }
        return matches;
    }

    private static Match matchAt(SameDiff f, SameDiff g, SameDiffOp log1p) {
        String e = onlyInput(log1p);
        SameDiffOp exp = producer(f, e, Exp.class);
        SameDiffOp neg = exp == null ? null : producer(f, onlyInput(exp), Negative.class);
        SameDiffOp abs = neg == null ? null : producer(f, onlyInput(neg), Abs.class);
        if (abs == null) {
            return null;
        }
        String logits = onlyInput(abs);
        String softplus = log1p.getOutputsOfOp().get(0);
        // terms = (relu(l) - t * l) + log1p(...)
        SameDiffOp add = onlyConsumer(f, softplus, AddOp.class);
        if (add == null
                || add.getInputsToOp().size() != 2
                || !softplus.equals(add.getInputsToOp().get(1))) {
            return null;
        }
        SameDiffOp sub = producer(f, add.getInputsToOp().get(0), SubOp.class);
        if (sub == null || sub.getInputsToOp().size() != 2) {
            return null;
        }
        SameDiffOp relu = producer(f, sub.getInputsToOp().get(0), RectifiedLinear.class);
        SameDiffOp mul = producer(f, sub.getInputsToOp().get(1), MulOp.class);
        if (relu == null
                || mul == null
                || !logits.equals(onlyInput(relu))
                || mul.getInputsToOp().size() != 2
                || !zeroCutoff((RectifiedLinear) relu.getOp())) {
            return null;
        }
        List<String> mulIn = mul.getInputsToOp();
        String target;
        if (logits.equals(mulIn.get(1)) && !logits.equals(mulIn.get(0))) {
            target = mulIn.get(0);
        } else if (logits.equals(mulIn.get(0)) && !logits.equals(mulIn.get(1))) {
            target = mulIn.get(1);
        } else {
            return null;
        }
        Set<String> forwardOps = new LinkedHashSet<>(List.of(
                relu.getName(),
                abs.getName(),
                neg.getName(),
                exp.getName(),
                log1p.getName(),
                mul.getName(),
                sub.getName(),
                add.getName()));
        String terms = add.getOutputsOfOp().get(0);
        // The intermediate values must not be used outside the pattern (in the forward graph).
        for (String op : forwardOps) {
            for (String out : f.getOps().get(op).getOutputsOfOp()) {
                if (out.equals(terms)) {
                    continue;
                }
                for (String reader : readers(f, out)) {
                    if (!forwardOps.contains(reader)) {
                        return null;
                    }
                }
            }
        }
        String logitsGrad = gradientName(g, logits);
        String termsGrad = gradientName(g, terms);
        if (logitsGrad != null
                && (termsGrad == null
                        || otherPathToTheLoss(f, g, logits, forwardOps)
                        || !dependsOnlyOn(g, logitsGrad, Set.of(termsGrad, logits, target), forwardOps))) {
            logitsGrad =
                    null; // the logits' gradient has other parts: SameDiff's ops compute it; the forward loop can still
            // be used
        }
        return new Match(logits, target, terms, forwardOps, logitsGrad, termsGrad);
    }

    /**
     * Whether an op outside the pattern reads the logits and has an output with a gradient (so
     * it adds to the logits' gradient). Readers without gradients (a sigmoid for the
     * reconstruction) are off the loss's path.
     */
    private static boolean otherPathToTheLoss(SameDiff f, SameDiff g, String logits, Set<String> forwardOps) {
        for (String reader : readers(f, logits)) {
            if (forwardOps.contains(reader)) {
                continue;
            }
            for (String out : f.getOps().get(reader).getOutputsOfOp()) {
                if (gradientName(g, out) != null) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether {@code var} is computed from {@code leaves}, constants and outputs of
     * {@code forwardOps} only (walking back through the ops that produce it).
     */
    private static boolean dependsOnlyOn(SameDiff g, String var, Set<String> leaves, Set<String> forwardOps) {
        Deque<String> todo = new ArrayDeque<>(List.of(var));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (!seen.add(v) || leaves.contains(v)) {
                continue;
            }
            Variable variable = g.getVariables().get(v);
            if (variable == null) {
                return false;
            }
            if (variable.getVariable().getVariableType() == VariableType.CONSTANT) {
                continue;
            }
            String producer = variable.getOutputOfOp();
            if (producer == null) {
                return false; // a parameter or another placeholder
            }
            if (forwardOps.contains(producer)) {
                continue;
            }
            SameDiffOp op = g.getOps().get(producer);
            if (op.getInputsToOp() != null) {
                todo.addAll(op.getInputsToOp());
            }
            if (seen.size() > 200) {
                return false;
            }
        }
        return true;
    }

    private static boolean zeroCutoff(RectifiedLinear relu) {
        INDArray cutoff = relu.scalar();
        return cutoff != null && cutoff.length() == 1 && cutoff.getDouble(0) == 0.0;
    }

    private static String gradientName(SameDiff g, String var) {
        SDVariable v = g.getVariable(var);
        SDVariable grad = v == null ? null : v.getGradient();
        return grad == null ? null : grad.name();
    }

    private static String onlyInput(SameDiffOp op) {
        List<String> in = op.getInputsToOp();
        return in != null && in.size() == 1 ? in.get(0) : null;
    }

    private static SameDiffOp producer(SameDiff g, String var, Class<?> type) {
        if (var == null) {
            return null;
        }
        Variable v = g.getVariables().get(var);
        if (v == null || v.getOutputOfOp() == null) {
            return null;
        }
        SameDiffOp op = g.getOps().get(v.getOutputOfOp());
        return type.isInstance(op.getOp()) && op.getOutputsOfOp().size() == 1 ? op : null;
    }

    private static List<String> readers(SameDiff g, String var) {
        List<String> r = g.getVariables().get(var).getInputsForOp();
        return r == null ? List.of() : r;
    }

    private static SameDiffOp onlyConsumer(SameDiff g, String var, Class<?> type) {
        List<String> r = readers(g, var);
        if (r.size() != 1) {
            return null;
        }
        SameDiffOp op = g.getOps().get(r.get(0));
        return type.isInstance(op.getOp()) ? op : null;
    }

    // ---------------------------------------------------------------- kernels

    private static final boolean HOST_MEMORY = Nd4j.getEnvironment().isCPU();
    private static final int CHUNK = 4096;

    /** Whether the kernels can run on these arrays: dense float arrays of one shape in host memory. */
    static boolean applicable(INDArray... arrays) {
        if (!HOST_MEMORY) {
            return false;
        }
        for (INDArray a : arrays) {
            if (!JavaKernels.dense(a) || !Arrays.equals(a.shape(), arrays[0].shape())) {
                return false;
            }
        }
        return true;
    }

    /** Scratch per step: {@code exp(-|l|)} from the forward loop, read by the backward loop. */
    static final class Saved {
        final float[] e;

        Saved(int n) {
            e = new float[n];
        }
    }

    /** {@code terms = max(l, 0) - t l + log1p(exp(-|l|))}; keeps {@code exp(-|l|)} in {@code saved}. */
    static Runnable forward(INDArray logits, INDArray target, INDArray terms, Saved saved) {
        FloatBuffer lb = floats(logits);
        FloatBuffer tb = floats(target);
        FloatBuffer ob = floats(terms);
        int lo = (int) logits.offset();
        int to = (int) target.offset();
        int oo = (int) terms.offset();
        int n = (int) terms.length();
        return () -> {
            Scratch s = SCRATCH.get();
            for (int start = 0; start < n; start += CHUNK) {
                int len = Math.min(CHUNK, n - start);
                lb.get(lo + start, s.a, 0, len);
                tb.get(to + start, s.b, 0, len);
                for (int i = 0; i < len; i++) {
                    s.c[i] = -Math.abs(s.a[i]);
                }
                float[] e = s.e;
                expNonPositive(s.c, s, len, e);
                float[] l = s.a;
                float[] t = s.b;
                float[] out = s.c;
                for (int i = 0; i < len; i++) {
                    float li = l[i];
                    out[i] = Math.max(li, 0f) - t[i] * li + log1pUnit(e[i]);
                }
                ob.put(oo + start, out, 0, len);
                System.arraycopy(e, 0, saved.e, start, len);
            }
        };
    }

    /** {@code dl = g (sigmoid(l) - t)}, with {@code sigmoid(l)} from the saved {@code exp(-|l|)}. */
    static Runnable backward(INDArray termsGrad, INDArray logits, INDArray target, INDArray logitsGrad, Saved saved) {
        FloatBuffer gb = floats(termsGrad);
        FloatBuffer lb = floats(logits);
        FloatBuffer tb = floats(target);
        FloatBuffer ob = floats(logitsGrad);
        int go = (int) termsGrad.offset();
        int lo = (int) logits.offset();
        int to = (int) target.offset();
        int oo = (int) logitsGrad.offset();
        int n = (int) logitsGrad.length();
        return () -> {
            Scratch s = SCRATCH.get();
            float[] e = s.e;
            for (int start = 0; start < n; start += CHUNK) {
                int len = Math.min(CHUNK, n - start);
                System.arraycopy(saved.e, start, e, 0, len);
                gb.get(go + start, s.a, 0, len);
                lb.get(lo + start, s.b, 0, len);
                tb.get(to + start, s.c, 0, len);
                float[] g = s.a;
                float[] l = s.b;
                float[] t = s.c;
                for (int i = 0; i < len; i++) {
                    float ei = e[i];
                    // 1 for l > 0, 0 for l <= 0 (NaN stays NaN), without a branch the vectoriser would refuse
                    float h = Math.min(Math.max(l[i] * 0x1p126f, 0f), 1f);
                    float q = ei / (1f + ei); // sigmoid(-|l|)
                    float sigmoid = h + (1f - 2f * h) * q;
                    g[i] = g[i] * (sigmoid - t[i]);
                }
                ob.put(oo + start, g, 0, len);
            }
        };
    }

    private static final class Scratch {
        final float[] a = new float[CHUNK];
        final float[] b = new float[CHUNK];
        final float[] c = new float[CHUNK];
        final float[] p = new float[CHUNK];
        final float[] e = new float[CHUNK];
        final int[] bits = new int[CHUNK];
        final float[] scale = new float[CHUNK];
        /** Reinterprets int bits as floats by a bulk copy through native memory (vectorised, unlike a per-element cast). */
        final ByteBuffer raw = ByteBuffer.allocateDirect(4 * CHUNK).order(ByteOrder.nativeOrder());

        final IntBuffer rawInts = raw.asIntBuffer();
        final FloatBuffer rawFloats = raw.asFloatBuffer();
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding and subtracting it rounds a float of magnitude below 2^22 to an integer. */
    private static final float ROUND = 12582912f;

    static final float EXP_FLOOR = -87f;

    /**
     * {@code out[i] = exp(max(x[i], -87))} for {@code x[i] <= 0} (NaN gives NaN). Every loop
     * indexes its arrays from 0 alike: an offset index on one of them stops the vectoriser (ten
     * times slower).
     */
    private static void expNonPositive(float[] x, Scratch s, int len, float[] out) {
        float[] p = s.p;
        float[] k = s.scale; // holds k + ROUND before it holds 2^k
        for (int i = 0; i < len; i++) {
            float xi = Math.max(x[i], EXP_FLOOR);
            float kr = xi * LOG2E + ROUND;
            float kf = kr - ROUND;
            float r = xi - kf * LN2_HI - kf * LN2_LO;
            float q = 1.9875691500e-4f;
            q = q * r + 1.3981999507e-3f;
            q = q * r + 8.3334519073e-3f;
            q = q * r + 4.1665795894e-2f;
            q = q * r + 1.6666665459e-1f;
            q = q * r + 5.0000001201e-1f;
            p[i] = q * r * r + r + 1f;
            k[i] = kr;
        }
        // k + ROUND is 1.5 * 2^23 + k: its bits are 0x4B400000 + k. 2^k has the bits (k + 127) << 23.
        // The bits are moved between float and int arrays by bulk copies through native memory;
        // a cast per element would not be vectorised.
        int[] bits = s.bits;
        s.rawFloats.put(0, k, 0, len);
        s.rawInts.get(0, bits, 0, len);
        for (int i = 0; i < len; i++) {
            bits[i] = (bits[i] - (0x4B400000 - 127)) << 23;
        }
        s.rawInts.put(0, bits, 0, len);
        s.rawFloats.get(0, k, 0, len);
        for (int i = 0; i < len; i++) {
            out[i] = p[i] * k[i];
        }
    }

    /** {@code exp(x)} for {@code x <= 0}, one value (the tests compare it with {@code Math.exp}). */
    static float expNonPositive(float x) {
        Scratch s = SCRATCH.get();
        float[] in = {x};
        float[] out = new float[1];
        expNonPositive(in, s, 1, out);
        return out[0];
    }

    /** {@code log1p(e)} for {@code e in [0, 1]}: {@code 2 atanh(s)} with {@code s = e / (2 + e) <= 1/3}, series to {@code s^15}. */
    static float log1pUnit(float e) {
        float s = e / (2f + e);
        float z = s * s;
        float q = 1f / 15f;
        q = q * z + 1f / 13f;
        q = q * z + 1f / 11f;
        q = q * z + 1f / 9f;
        q = q * z + 1f / 7f;
        q = q * z + 1f / 5f;
        q = q * z + 1f / 3f;
        q = q * z + 1f;
        return 2f * s * q;
    }

    private static FloatBuffer floats(INDArray a) {
        return a.data().asNioFloat();
    }
}
