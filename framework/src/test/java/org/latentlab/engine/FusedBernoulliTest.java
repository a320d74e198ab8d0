package org.latentlab.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.latentlab.loss.ReconstructionLoss;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

class FusedBernoulliTest {

    @Test
    void expMatchesMathExpToFloatPrecisionAndStaysNormal() {
        double worst = 0;
        for (int i = 0; i <= 200_000; i++) {
            float x = -87f * i / 200_000f;
            double exact = Math.exp(x);
            double rel = Math.abs(FusedBernoulli.expNonPositive(x) - exact) / exact;
            worst = Math.max(worst, rel);
        }
        assertTrue(worst < 1.2e-7, "max relative error " + worst);
        assertEquals(1f, FusedBernoulli.expNonPositive(0f));
        assertEquals(1f, FusedBernoulli.expNonPositive(-0f));
        float floor = FusedBernoulli.expNonPositive(-1000f);
        assertTrue(floor >= Float.MIN_NORMAL && floor < 1e-37f, "clamped, normal: " + floor);
        assertEquals(floor, FusedBernoulli.expNonPositive(Float.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(FusedBernoulli.expNonPositive(Float.NaN)));
    }

    @Test
    void log1pMatchesMathLog1pOnTheUnitInterval() {
        double worst = 0;
        for (int i = 1; i <= 100_000; i++) {
            float e = (float) Math.pow(10, -38.0 * (1.0 - i / 100_000.0)); // 1e-38 .. 1
            double exact = Math.log1p(e);
            worst = Math.max(worst, Math.abs(FusedBernoulli.log1pUnit(e) - exact) / exact);
        }
        assertTrue(worst < 3e-7, "max relative error " + worst);
        assertEquals(0f, FusedBernoulli.log1pUnit(0f));
    }

    /** The kernels against the formulas in double precision, including a zero logit, huge ones and NaN. */
    @Test
    void loopsComputeTheLossAndItsDerivative() {
        int rows = 3;
        int cols = 4099; // more than one chunk, and not a multiple of the vector width
        float[] l = new float[rows * cols];
        float[] t = new float[l.length];
        float[] g = new float[l.length];
        Random r = new Random(3);
        for (int i = 0; i < l.length; i++) {
            l[i] = (float) (r.nextGaussian() * 6);
            t[i] = r.nextFloat() < 0.3 ? r.nextFloat() : (r.nextBoolean() ? 1f : 0f);
            g[i] = (float) r.nextGaussian();
        }
        l[0] = 0f;
        l[1] = 200f;
        l[2] = -200f;
        l[3] = Float.NaN;
        INDArray logits = Nd4j.createFromArray(l).reshape(rows, cols);
        INDArray target = Nd4j.createFromArray(t).reshape(rows, cols);
        INDArray grad = Nd4j.createFromArray(g).reshape(rows, cols);
        INDArray terms = Nd4j.create(DataType.FLOAT, rows, cols);
        INDArray dl = Nd4j.create(DataType.FLOAT, rows, cols);
        assertTrue(FusedBernoulli.applicable(logits, target, grad));
        FusedBernoulli.Saved saved = new FusedBernoulli.Saved(l.length);
        FusedBernoulli.forward(logits, target, terms, saved).run();
        FusedBernoulli.backward(grad, logits, target, dl, saved).run();
        float[] out = terms.data().asFloat();
        float[] d = dl.data().asFloat();
        for (int i = 4; i < l.length; i++) {
            double li = l[i];
            double expected = Math.max(li, 0) - t[i] * li + Math.log1p(Math.exp(-Math.abs(li)));
            assertEquals(expected, out[i], 2e-6 * Math.max(1, Math.abs(expected)), "loss at " + i + ", l=" + li);
            double sigmoid = 1 / (1 + Math.exp(-li));
            assertEquals(
                    g[i] * (sigmoid - t[i]),
                    d[i],
                    1e-6 * Math.max(1, Math.abs(g[i])),
                    "derivative at " + i + ", l=" + li);
        }
        assertEquals(Math.log(2), out[0], 1e-7);
        assertEquals(g[0] * (0.5 - t[0]), d[0], 1e-7, "the true derivative at l = 0");
        assertEquals(200 - t[1] * 200, out[1], 1e-4);
        assertEquals(g[1] * (1 - t[1]), d[1], 1e-6);
        assertEquals(200 * t[2], out[2], 1e-4);
        assertEquals(-g[2] * t[2], d[2], 1e-6);
        assertTrue(Float.isNaN(out[3]) && Float.isNaN(d[3]), "NaN propagates: " + out[3] + ", " + d[3]);
    }

    private enum OtherPath {
        NONE,
        SQUARE,
        LINEAR
    }

    private static SameDiff bernoulliModel(OtherPath otherPath) {
        Nd4j.getRandom().setSeed(11);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 6);
        SDVariable w = sd.var("w", Nd4j.rand(DataType.FLOAT, 6, 6).subi(0.5).muli(2));
        SDVariable b = sd.var("b", Nd4j.rand(DataType.FLOAT, 1, 6).subi(0.5));
        SDVariable logits = x.mmul(w).add(b).rename("logits");
        sd.nn().sigmoid("reconstruction", logits); // another reader of the logits, outside the loss
        SDVariable loss =
                ReconstructionLoss.bernoulliFromLogits(sd, "nll", logits, x).mean();
        // a second path from the logits to the loss
        if (otherPath == OtherPath.SQUARE) {
            loss = loss.add(sd.math().square(logits).mean().mul(0.3));
        } else if (otherPath == OtherPath.LINEAR) { // its gradient reads no parameter, only constants and the logits
            loss = loss.add(logits.mul(0.3).sum());
        }
        loss = loss.rename("loss");
        sd.setLossVariables(loss);
        sd.setTrainingConfig(TrainingConfig.builder()
                .updater(new Adam(0.01))
                .dataSetFeatureMapping("x")
                .markLabelsUnused()
                .build());
        return sd;
    }

    @Test
    void theLossSubgraphIsOneLoopEachWayWithSameDiffsGradients() {
        SameDiff sd = bernoulliModel(OtherPath.NONE);
        INDArray xs = Nd4j.rand(DataType.FLOAT, 9, 6);
        CompiledStep.Compilation c = CompiledStep.compile(sd, List.of("x"), new INDArray[] {xs}, List.of("loss"));
        assertTrue(c.ok(), c.unsupportedReason());
        List<String> names = c.step().opNames();
        assertTrue(names.stream().anyMatch(n -> n.startsWith(FusedBernoulli.FORWARD_PREFIX)), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.startsWith(FusedBernoulli.BACKWARD_PREFIX)), names.toString());
        assertTrue(
                names.stream().noneMatch(n -> n.startsWith("log1p") || n.startsWith("abs") || n.startsWith("sign")),
                names.toString());
        assertGradientsLikeSameDiffs(sd, c.step(), xs);
    }

    @ParameterizedTest
    @EnumSource(
            value = OtherPath.class,
            names = {"SQUARE", "LINEAR"})
    void anotherPathFromTheLogitsToTheLossKeepsSameDiffsBackwardOps(OtherPath otherPath) {
        SameDiff sd = bernoulliModel(otherPath);
        INDArray xs = Nd4j.rand(DataType.FLOAT, 9, 6);
        CompiledStep.Compilation c = CompiledStep.compile(sd, List.of("x"), new INDArray[] {xs}, List.of("loss"));
        assertTrue(c.ok(), c.unsupportedReason());
        List<String> names = c.step().opNames();
        assertTrue(names.stream().anyMatch(n -> n.startsWith(FusedBernoulli.FORWARD_PREFIX)), names.toString());
        assertTrue(names.stream().noneMatch(n -> n.startsWith(FusedBernoulli.BACKWARD_PREFIX)), names.toString());
        assertGradientsLikeSameDiffs(sd, c.step(), xs);
    }

    @Test
    void doublePrecisionGraphsKeepTheirOps() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, 4);
        SDVariable w = sd.var("w", Nd4j.rand(DataType.DOUBLE, 4, 4).subi(0.5));
        SDVariable loss = ReconstructionLoss.bernoulliFromLogits(sd, "nll", x.mmul(w), x)
                .mean()
                .rename("loss");
        sd.setLossVariables(loss);
        sd.setTrainingConfig(TrainingConfig.builder()
                .updater(new Adam(0.01))
                .dataSetFeatureMapping("x")
                .markLabelsUnused()
                .build());
        INDArray xs = Nd4j.rand(DataType.DOUBLE, 5, 4);
        CompiledStep.Compilation c = CompiledStep.compile(sd, List.of("x"), new INDArray[] {xs}, List.of("loss"));
        assertTrue(c.ok(), c.unsupportedReason());
        assertTrue(
                c.step().opNames().stream().noneMatch(n -> n.startsWith("fused")),
                c.step().opNames().toString());
        c.step().computeGradients(new INDArray[] {xs});
        INDArray expected = sd.calculateGradients(Map.of("x", xs), "w").get("w");
        assertTrue(expected.equalsWithEps(c.step().gradients().get("w"), 1e-12));
    }

    private static void assertGradientsLikeSameDiffs(SameDiff sd, CompiledStep step, INDArray xs) {
        step.computeGradients(new INDArray[] {xs});
        step.computeGradients(new INDArray[] {xs}); // twice: the saved values must be this step's
        Map<String, INDArray> expected = sd.calculateGradients(Map.of("x", xs), "w", "b");
        for (String p : List.of("w", "b")) {
            INDArray want = expected.get(p);
            double diff = want.sub(step.gradients().get(p)).amaxNumber().doubleValue();
            assertTrue(
                    diff < 1e-5 * Math.max(1, want.amaxNumber().doubleValue()),
                    p + ": gradient differs from SameDiff's by " + diff + "\n" + want + "\n"
                            + step.gradients().get(p));
        }
        double loss = sd.output(Map.of("x", xs), "loss").get("loss").getDouble(0);
        assertEquals(loss, step.monitoredValue("loss"), 1e-5 * Math.abs(loss));
    }
}
