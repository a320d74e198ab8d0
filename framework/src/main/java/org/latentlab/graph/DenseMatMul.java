package org.latentlab.graph;

import java.util.Arrays;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;

/**
 * {@code x W} for a dense layer: M2.1's {@code matmul}, with a gradient made of two separate
 * products, {@code dx = dz W^T} and {@code dW = x^T dz}, where {@code Mmul}'s is one
 * {@code matmul_bp} op that always computes both. Separate, the executor can skip {@code dx}
 * when nothing needs it: for the first layer, whose input is the data, that is one of the
 * training step's five large matrix products (measured in docs/BENCHMARKS.md).
 *
 * <p>Saved graphs store the op by its native name, so a loaded model has a plain {@code Mmul}
 * here: the same values, with {@code matmul_bp} again when it is trained further.
 */
public class DenseMatMul extends Mmul {

    public DenseMatMul(SameDiff sd, SDVariable x, SDVariable w) {
        super(sd, x, w);
    }

    /** For ND4J's reflection. */
    public DenseMatMul() {
        super();
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> gradients) {
        SDVariable dz = gradients.get(0);
        SDVariable dx = sameDiff.mmul(dz, rarg(), false, true, false);
        SDVariable dw = sameDiff.mmul(larg(), dz, true, false, false);
        return Arrays.asList(dx, dw);
    }
}
