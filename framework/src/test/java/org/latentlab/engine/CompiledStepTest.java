package org.latentlab.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.latentlab.loss.FeatureReductions;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.ops.transforms.Transforms;

class CompiledStepTest {

    private static SameDiff regression(boolean randomOp) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3);
        SDVariable y = sd.placeHolder("y", DataType.FLOAT, -1, 1);
        SDVariable w = sd.var("w", Nd4j.rand(DataType.FLOAT, 3, 1).subi(0.5));
        SDVariable b = sd.var("b", Nd4j.zeros(DataType.FLOAT, 1));
        SDVariable pred = x.mmul(w).add(b);
        if (randomOp) {
            pred = pred.add(sd.random().normal(0, 0.1, DataType.FLOAT, 1));
        }
        SDVariable loss = pred.sub(y).mul(pred.sub(y)).mean().rename("loss");
        sd.setLossVariables(loss);
        sd.setTrainingConfig(TrainingConfig.builder()
                .updater(new Adam(0.05))
                .dataSetFeatureMapping("x", "y")
                .markLabelsUnused()
                .build());
        return sd;
    }

    @Test
    void stepsLikeSameDiffsFit() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 3);
        INDArray y = x.mmul(Nd4j.createFromArray(new float[][] {{1f}, {-2f}, {0.5f}}))
                .addi(0.3);
        SameDiff planned = regression(false);
        SameDiff reference = planned.dup();
        CompiledStep.Compilation c =
                CompiledStep.compile(planned, List.of("x", "y"), new INDArray[] {x, y}, List.of("loss"));
        assertTrue(c.ok(), c.unsupportedReason());
        for (int i = 0; i < 5; i++) {
            c.step().step(new INDArray[] {x, y}, planned.getTrainingConfig());
            planned.getTrainingConfig().incrementIterationCount();
            reference.fit(new MultiDataSet(new INDArray[] {x, y}, new INDArray[0]));
        }
        for (String p : List.of("w", "b")) {
            double diff = planned.getArrForVarName(p)
                    .sub(reference.getArrForVarName(p))
                    .amaxNumber()
                    .doubleValue();
            assertTrue(diff < 1e-5, p + " differs from SameDiff's fit by " + diff);
        }
        assertTrue(c.step().monitoredValue("loss") > 0);
    }

    @Test
    void threadTuningKeepsTheGradientsAndRestoresTheThreadSetting() {
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 256, 3);
        INDArray y = Nd4j.rand(DataType.FLOAT, 256, 1);
        SameDiff sd = regression(false);
        CompiledStep.Compilation tuned =
                CompiledStep.compile(sd, List.of("x", "y"), new INDArray[] {x, y}, List.of("loss"));
        CompiledStep.Compilation plain =
                CompiledStep.compile(sd, List.of("x", "y"), new INDArray[] {x, y}, List.of("loss"));
        int configured = Nd4j.getEnvironment().maxMasterThreads();
        int singles = tuned.step().tuneThreads(new INDArray[] {x, y}, 3);
        assertEquals(configured, Nd4j.getEnvironment().maxMasterThreads(), "thread setting after tuning");
        int[] threads = tuned.step().opThreads();
        assertEquals(singles, Arrays.stream(threads).filter(t -> t == 1).count());
        assertTrue(Arrays.stream(threads).allMatch(t -> t == 0 || t == 1), Arrays.toString(threads));
        if (configured > 1) {
            assertEquals(
                    threads.length,
                    tuned.step().tuningReport().lines().count(),
                    tuned.step().tuningReport());
        } else {
            assertEquals(0, singles, "nothing to choose with one configured thread");
        }
        tuned.step().computeGradients(new INDArray[] {x, y});
        assertEquals(configured, Nd4j.getEnvironment().maxMasterThreads(), "thread setting after a tuned step");
        plain.step().computeGradients(new INDArray[] {x, y});
        for (String p : List.of("w", "b")) {
            INDArray a = tuned.step().gradients().get(p);
            INDArray b = plain.step().gradients().get(p);
            // INDArray.equals allows a difference of 1e-5; the bits must be the same
            assertArrayEquals(
                    b.dup().data().asBytes(),
                    a.dup().data().asBytes(),
                    p + ": the tuned step's gradient must equal the untuned one's, bit for bit");
        }
    }

    @Test
    void theOptionsForceOrDisableTheThreadChoice() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 256, 3);
        INDArray y = Nd4j.rand(DataType.FLOAT, 256, 1);
        SameDiff sd = regression(false);
        EngineOptions one = EngineOptions.defaults().withOpThreads(EngineOptions.OpThreads.ONE);
        EngineOptions configured = EngineOptions.defaults().withOpThreads(EngineOptions.OpThreads.CONFIGURED);
        CompiledStep forced = CompiledStep.compile(sd, List.of("x", "y"), new INDArray[] {x, y}, List.of("loss"), one)
                .step();
        CompiledStep plain = CompiledStep.compile(
                        sd, List.of("x", "y"), new INDArray[] {x, y}, List.of("loss"), configured)
                .step();
        assertEquals(0, plain.tuneThreads(new INDArray[] {x, y}, 3), "LATENTLAB_OP_THREADS=0: nothing chosen");
        assertTrue(Arrays.stream(plain.opThreads()).allMatch(t -> t == 0));
        int singles = forced.tuneThreads(new INDArray[] {x, y}, 3);
        if (Nd4j.getEnvironment().maxMasterThreads() > 1
                && Nd4j.getEnvironment().isCPU()) {
            assertTrue(forced.hasTunableOps(), "the regression's element-wise ops are tunable");
            assertEquals(
                    singles,
                    Arrays.stream(forced.opThreads()).filter(t -> t == 1).count());
            assertTrue(singles > 0, "LATENTLAB_OP_THREADS=1: every tunable op on one thread");
        } else {
            assertEquals(0, singles, "nothing to choose with one configured thread");
        }
        forced.computeGradients(new INDArray[] {x, y});
        plain.computeGradients(new INDArray[] {x, y});
        for (String p : List.of("w", "b")) {
            assertArrayEquals(
                    plain.gradients().get(p).dup().data().asBytes(),
                    forced.gradients().get(p).dup().data().asBytes(),
                    p + ": one thread or the configured number");
        }
    }

    /**
     * The IWAE's pieces: a tanh layer, the data tiled k times, mu [N, L] + s [N, L] * eps [k, N, L]. The tile, the
     * tanh's gradient (from the forward output) and the broadcasts over the leading k run as Java loops, and the
     * gradients equal SameDiff's.
     */
    @Test
    void tileTanhAndLeadingBroadcastsRunAsJavaLoopsWithSameDiffsGradients() {
        int k = 3;
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 4);
        SDVariable eps = sd.placeHolder("eps", DataType.FLOAT, k, -1, 2);
        SDVariable w = sd.var("w", Nd4j.rand(DataType.FLOAT, 4, 5).subi(0.5));
        SDVariable wm = sd.var("wm", Nd4j.rand(DataType.FLOAT, 5, 2).subi(0.5));
        SDVariable ws = sd.var("ws", Nd4j.rand(DataType.FLOAT, 5, 2).subi(0.5));
        SDVariable wd = sd.var("wd", Nd4j.rand(DataType.FLOAT, 2, 4).subi(0.5));
        SDVariable h = sd.math().tanh(x.mmul(w));
        SDVariable mu = h.mmul(wm);
        SDVariable s = sd.math().exp(h.mmul(ws));
        SDVariable z = sd.reshape(mu.add(s.mul(eps)), -1, 2);
        SDVariable diff = z.mmul(wd).sub(sd.tile(x, k, 1));
        SDVariable loss = diff.mul(diff).mean().rename("loss");
        sd.setLossVariables(loss);
        sd.setTrainingConfig(TrainingConfig.builder()
                .updater(new Adam(0.01))
                .dataSetFeatureMapping("x", "eps")
                .markLabelsUnused()
                .build());
        INDArray xs = Nd4j.rand(DataType.FLOAT, 6, 4);
        INDArray es = Nd4j.randn(DataType.FLOAT, k, 6, 2);
        CompiledStep.Compilation c =
                CompiledStep.compile(sd, List.of("x", "eps"), new INDArray[] {xs, es}, List.of("loss"));
        assertTrue(c.ok(), c.unsupportedReason());
        c.step().computeGradients(new INDArray[] {xs, es});
        Map<String, INDArray> expected = sd.calculateGradients(Map.of("x", xs, "eps", es), "w", "wm", "ws", "wd");
        for (String p : List.of("w", "wm", "ws", "wd")) {
            double d = expected.get(p)
                    .sub(c.step().gradients().get(p))
                    .amaxNumber()
                    .doubleValue();
            assertTrue(d < 1e-5, p + ": gradient differs from SameDiff's by " + d);
        }
        List<String> java = c.step().javaOpNames();
        for (String op : List.of("tile", "tanh_bp", "add", "multiply_bp")) {
            assertTrue(java.stream().anyMatch(n -> n.equals(op) || n.startsWith(op + "_")), op + " not in " + java);
        }
    }

    /**
     * A plan with convolutions as Java loops runs OpenBLAS on one thread during the step and restores its setting
     * after; a plan without them leaves OpenBLAS alone. The gradients equal SameDiff's.
     */
    @Test
    void aStepWithJavaConvolutionsRunsOpenBlasOnOneThread() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 1, 8, 8);
        SDVariable w = sd.var("w", Nd4j.rand(DataType.FLOAT, 3, 3, 1, 4).subi(0.5));
        SDVariable b = sd.var("b", Nd4j.rand(DataType.FLOAT, 4).subi(0.5));
        SDVariable wd = sd.var("wd", Nd4j.rand(DataType.FLOAT, 64, 3).subi(0.5));
        SDVariable h = sd.nn()
                .relu(
                        sd.cnn()
                                .conv2d(
                                        x,
                                        w,
                                        b,
                                        org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig.builder()
                                                .kH(3)
                                                .kW(3)
                                                .sH(2)
                                                .sW(2)
                                                .paddingMode(
                                                        org.nd4j.linalg.api.ops.impl.layers.convolution.config
                                                                .PaddingMode.SAME)
                                                .dataFormat("NCHW")
                                                .build()),
                        0);
        SDVariable out = sd.reshape(h, -1, 64).mmul(wd);
        SDVariable loss = out.mul(out).mean().rename("loss");
        sd.setLossVariables(loss);
        sd.setTrainingConfig(TrainingConfig.builder()
                .updater(new Adam(0.01))
                .dataSetFeatureMapping("x")
                .markLabelsUnused()
                .build());
        INDArray xs = Nd4j.rand(DataType.FLOAT, 5, 1, 8, 8);
        CompiledStep.Compilation c = CompiledStep.compile(sd, List.of("x"), new INDArray[] {xs}, List.of("loss"));
        assertTrue(c.ok(), c.unsupportedReason());
        assertTrue(c.step().oneBlasThread(), "a plan with Java convolutions");
        assertTrue(
                c.step().javaOpNames().contains("conv2d"),
                "conv2d as Java loops: " + c.step().javaOpNames());
        int before = org.bytedeco.openblas.presets.openblas_nolapack.blas_get_num_threads();
        c.step().computeGradients(new INDArray[] {xs});
        assertEquals(before, org.bytedeco.openblas.presets.openblas_nolapack.blas_get_num_threads(), "restored");
        Map<String, INDArray> expected = sd.calculateGradients(Map.of("x", xs), "w", "b", "wd");
        for (String p : List.of("w", "b", "wd")) {
            double d = expected.get(p)
                    .sub(c.step().gradients().get(p))
                    .amaxNumber()
                    .doubleValue();
            assertTrue(d < 1e-5, p + ": gradient differs from SameDiff's by " + d);
        }

        INDArray x2 = Nd4j.rand(DataType.FLOAT, 16, 3);
        INDArray y2 = Nd4j.rand(DataType.FLOAT, 16, 1);
        CompiledStep.Compilation mlp =
                CompiledStep.compile(regression(false), List.of("x", "y"), new INDArray[] {x2, y2}, List.of("loss"));
        assertTrue(mlp.ok(), mlp.unsupportedReason());
        assertFalse(mlp.step().oneBlasThread(), "no convolutions: OpenBLAS as configured");
    }

    @Test
    void withoutJavaKernelsEveryOpIsNative() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 3);
        INDArray y = Nd4j.rand(DataType.FLOAT, 16, 1);
        SameDiff sd = regression(false);
        EngineOptions off =
                EngineOptions.defaults().toBuilder().javaKernels(false).build();
        CompiledStep.Compilation c =
                CompiledStep.compile(sd, List.of("x", "y"), new INDArray[] {x, y}, List.of("loss"), off);
        assertTrue(c.ok(), c.unsupportedReason());
        c.step().computeGradients(new INDArray[] {x, y});
        Map<String, INDArray> expected = sd.calculateGradients(Map.of("x", x, "y", y), "w", "b");
        for (String p : List.of("w", "b")) {
            double diff = expected.get(p)
                    .sub(c.step().gradients().get(p))
                    .amaxNumber()
                    .doubleValue();
            assertTrue(diff < 1e-5, p + ": gradient differs from SameDiff's by " + diff);
        }
        CompiledStep.Compilation on = CompiledStep.compile(
                sd, List.of("x", "y"), new INDArray[] {x, y}, List.of("loss"), EngineOptions.defaults());
        // threadDependence leaves out Java loops and direct BLAS calls: with the kernels off, fewer ops are left out.
        int nativeOff = c.step().threadDependence(new INDArray[] {x, y}, 2).size();
        int nativeOn = on.step().threadDependence(new INDArray[] {x, y}, 2).size();
        assertTrue(nativeOff > nativeOn, "libnd4j ops: " + nativeOff + " without Java kernels, " + nativeOn + " with");
    }

    @Test
    void anElementWiseFunctionOfTheSameArrayIsComputedOnce() {
        // exp(v) in the loss: its gradient op computes exp(v) again, which the plan shares.
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3);
        SDVariable w = sd.var("w", Nd4j.rand(DataType.FLOAT, 3, 2).subi(0.5));
        SDVariable v = x.mmul(w);
        SDVariable loss =
                sd.math().exp(v).sum().add(sd.math().exp(v).mul(v).sum()).rename("loss");
        sd.setLossVariables(loss);
        sd.setTrainingConfig(TrainingConfig.builder()
                .updater(new Adam(0.01))
                .dataSetFeatureMapping("x")
                .markLabelsUnused()
                .build());
        INDArray xs = Nd4j.rand(DataType.FLOAT, 8, 3);
        CompiledStep.Compilation c = CompiledStep.compile(sd, List.of("x"), new INDArray[] {xs}, List.of("loss"));
        assertTrue(c.ok(), c.unsupportedReason());
        long exps = sd.getFunction("grad").getOps().values().stream()
                .filter(o -> "exp".equals(o.getOp().opName()))
                .count();
        assertTrue(exps >= 3, "the gradient function recomputes exp: " + exps);
        c.step().computeGradients(new INDArray[] {xs});
        // d/dv [exp(v) + exp(v) v] = exp(v) (2 + v); dL/dw = x^T that
        INDArray vv = xs.mmul(w.getArr());
        INDArray expected = xs.transpose().mmul(Transforms.exp(vv, true).mul(vv.add(2)));
        double diff = expected.sub(c.step().gradients().get("w")).amaxNumber().doubleValue();
        assertTrue(diff < 1e-4, "gradient differs by " + diff);
        assertTrue(
                c.step().opCount() < sd.getFunction("grad").getOps().size(),
                "ops planned: " + c.step().opCount());
        assertEquals(
                1,
                c.step().opNames().stream().filter(n -> n.startsWith("exp")).count(),
                c.step().opNames().toString());
    }

    @Test
    void shapeArithmeticRunsOnceWhenPlanning() {
        // sumOverFeatures builds its ones column from the input's shape (shape_of, strided_slice,
        // concat, fill): the same values in every step of a plan, so none of it is in the step.
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 2, 3);
        SDVariable w = sd.var("w", Nd4j.rand(DataType.FLOAT, 1, 2, 3).subi(0.5));
        SDVariable perExample =
                FeatureReductions.sumOverFeatures(sd, "per_example", sd.math().square(x.mul(w)));
        SDVariable loss = perExample.mean().rename("loss");
        sd.setLossVariables(loss);
        sd.setTrainingConfig(TrainingConfig.builder()
                .updater(new Adam(0.01))
                .dataSetFeatureMapping("x")
                .markLabelsUnused()
                .build());
        INDArray xs = Nd4j.rand(DataType.FLOAT, 5, 2, 3);
        CompiledStep.Compilation c = CompiledStep.compile(sd, List.of("x"), new INDArray[] {xs}, List.of("loss"));
        assertTrue(c.ok(), c.unsupportedReason());
        List<String> names = c.step().opNames();
        assertTrue(
                names.stream()
                        .noneMatch(n -> n.startsWith("shape_of") || n.startsWith("fill") || n.startsWith("concat")),
                names.toString());
        for (int i = 0; i < 2; i++) { // twice: the fixed values must still be there in the second step
            c.step().computeGradients(new INDArray[] {xs});
        }
        Map<String, INDArray> expected = sd.calculateGradients(Map.of("x", xs), "w");
        double diff = expected.get("w")
                .sub(c.step().gradients().get("w"))
                .amaxNumber()
                .doubleValue();
        assertTrue(diff < 1e-5, "gradient differs from SameDiff's by " + diff);
        assertEquals(
                sd.output(Map.of("x", xs), "loss").get("loss").getDouble(0),
                c.step().monitoredValue("loss"),
                1e-5);
    }

    @Test
    void reshapesAndBiasGradientCopiesAreAliasesNotOps() {
        // A dense layer with a bias (add_bp passes its gradient through) and reshapes of the sums.
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 4);
        SDVariable w = sd.var("w", Nd4j.rand(DataType.FLOAT, 4, 3).subi(0.5));
        SDVariable b = sd.var("b", Nd4j.rand(DataType.FLOAT, 3).subi(0.5));
        SDVariable h = sd.nn().relu(x.mmul(w).add(b), 0);
        SDVariable perExample = FeatureReductions.sumOverFeatures(sd, "per_example", h.mul(h));
        sd.setLossVariables(perExample.mean().rename("loss"));
        sd.setTrainingConfig(TrainingConfig.builder()
                .updater(new Adam(0.01))
                .dataSetFeatureMapping("x")
                .markLabelsUnused()
                .build());
        INDArray xs = Nd4j.rand(DataType.FLOAT, 6, 4);
        CompiledStep.Compilation c = CompiledStep.compile(sd, List.of("x"), new INDArray[] {xs}, List.of("loss"));
        assertTrue(c.ok(), c.unsupportedReason());
        List<String> names = c.step().opNames();
        assertTrue(names.stream().noneMatch(n -> n.startsWith("reshape")), names.toString());
        for (int i = 0; i < 2; i++) {
            c.step().computeGradients(new INDArray[] {xs});
        }
        Map<String, INDArray> expected = sd.calculateGradients(Map.of("x", xs), "w", "b");
        for (String p : List.of("w", "b")) {
            double diff = expected.get(p)
                    .sub(c.step().gradients().get(p))
                    .amaxNumber()
                    .doubleValue();
            assertTrue(diff < 1e-5, p + ": gradient differs from SameDiff's by " + diff);
        }
        assertEquals(
                sd.output(Map.of("x", xs), "loss").get("loss").getDouble(0),
                c.step().monitoredValue("loss"),
                1e-5);
        assertNotSame(c.step().gradients().get("w"), c.step().gradients().get("b"));
    }

    @Test
    void aBatchOfAnotherShapeIsRejectedWithTheShapes() {
        SameDiff sd = regression(false);
        CompiledStep.Compilation c = CompiledStep.compile(
                sd,
                List.of("x", "y"),
                new INDArray[] {Nd4j.rand(DataType.FLOAT, 4, 3), Nd4j.rand(DataType.FLOAT, 4, 1)},
                List.of("loss"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.step()
                .computeGradients(new INDArray[] {Nd4j.rand(DataType.FLOAT, 5, 3), Nd4j.rand(DataType.FLOAT, 5, 1)}));
        assertTrue(
                e.getMessage().contains("'x'")
                        && e.getMessage().contains("[4, 3]")
                        && e.getMessage().contains("[5, 3]"),
                e.getMessage());
    }

    @Test
    void aGraphWithARandomOpIsNotPlannedAndSaysWhy() {
        SameDiff sd = regression(true);
        CompiledStep.Compilation c = CompiledStep.compile(
                sd,
                List.of("x", "y"),
                new INDArray[] {Nd4j.rand(DataType.FLOAT, 4, 3), Nd4j.rand(DataType.FLOAT, 4, 1)},
                List.of("loss"));
        assertFalse(c.ok());
        assertTrue(c.unsupportedReason().contains("random op"), c.unsupportedReason());
    }
}
