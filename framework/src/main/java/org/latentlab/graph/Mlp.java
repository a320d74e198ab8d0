package org.latentlab.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A stack of {@link Dense} layers, e.g. sizes {784, 128, 64, 12, 3}: hidden layers use one
 * activation, the last layer its own (identity for logits and codes, tanh or sigmoid for
 * bounded outputs). Layers are named {@code name/0}, {@code name/1}, ...
 */
public final class Mlp {
    private final List<Dense> layers;

    private Mlp(List<Dense> layers) {
        this.layers = List.copyOf(layers);
    }

    public static Mlp create(
            GraphContext g, String name, int[] sizes, Activation hidden, Activation last, WeightInit init) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException(
                    "MLP " + name + " needs at least an input and an output size, got " + Arrays.toString(sizes));
        }
        List<Dense> layers = new ArrayList<>();
        for (int i = 0; i + 1 < sizes.length; i++) {
            Activation act = i + 2 == sizes.length ? last : hidden;
            layers.add(Dense.create(g, name + "/" + i, sizes[i], sizes[i + 1], act, init));
        }
        return new Mlp(layers);
    }

    public SDVariable apply(SDVariable x) {
        SDVariable h = x;
        for (Dense layer : layers) {
            h = layer.apply(h);
        }
        return h;
    }

    public SDVariable apply(SDVariable x, String outputName) {
        return apply(x).rename(outputName);
    }

    public List<Dense> layers() {
        return layers;
    }

    public int inputSize() {
        return layers.get(0).inputSize();
    }

    public int outputSize() {
        return layers.get(layers.size() - 1).outputSize();
    }
}
