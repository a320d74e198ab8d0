package org.latentlab.plot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.latentlab.model.AutoencoderModel;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The first layer's weights of a model, one small image per unit: what each hidden unit (or convolution
 * filter) responds to in the input.
 *
 * <p>{@link #of} finds them by looking at the graph's trainable variables in creation order (every model here
 * creates its encoder first):
 * <ol>
 *   <li>if the first parameter of rank 2 or more is a convolution kernel {@code [kH, kW, 1, C]} (M2.1's
 *       conv2d layout, one input channel), its C kernels, each a {@code kH x kW} image;</li>
 *   <li>otherwise the first trainable matrix whose first dimension equals the input size D
 *       (a {@code Dense} layer's {@code .../W} is {@code [in, out]}), its columns, each a
 *       {@code rows x cols} image;</li>
 *   <li>otherwise, if the first parameter is a matrix {@code [D + k, H]}, its first D rows: models that
 *       concatenate extra inputs after the image (a conditional VAE's one-hot class) keep the pixel
 *       weights there.</li>
 * </ol>
 * The input size D is the last dimension of the input placeholder {@code x}.
 *
 * @param variable      the graph variable the filters come from
 * @param filters       one row per filter, {@code rows * cols} raw weights in row-major order
 * @param rows          filter image height
 * @param cols          filter image width
 * @param convolutional whether they are convolution kernels rather than dense weights
 */
public record FirstLayerWeights(String variable, float[][] filters, int rows, int cols, boolean convolutional) {

    public FirstLayerWeights {
        if (filters == null || filters.length == 0) {
            throw new IllegalArgumentException("first layer " + variable + " has no filters");
        }
        for (int i = 0; i < filters.length; i++) {
            if (filters[i] == null || filters[i].length != rows * cols) {
                throw new IllegalArgumentException("filter " + i + " of " + variable + " must have " + rows + "x"
                        + cols + " values but has " + (filters[i] == null ? 0 : filters[i].length));
            }
        }
    }

    /** The number of filters. */
    public int count() {
        return filters.length;
    }

    /**
     * Dense weights {@code [rows*cols, H]} (one column per unit) as H filters of {@code rows x cols}.
     *
     * @throws IllegalArgumentException if the matrix does not have {@code rows*cols} rows
     */
    public static FirstLayerWeights ofMatrix(String variable, INDArray weights, int rows, int cols) {
        if (weights == null || weights.rank() != 2) {
            throw new IllegalArgumentException("first-layer weights " + variable + " must be a matrix [inputSize, units]"
                    + " but have shape " + (weights == null ? "null" : Arrays.toString(weights.shape())));
        }
        long inputs = weights.size(0);
        if (inputs < (long) rows * cols) {
            throw new IllegalArgumentException("first-layer weights " + variable + " have " + inputs
                    + " input rows but a " + rows + "x" + cols + " image needs " + rows * cols);
        }
        INDArray pixels = inputs == (long) rows * cols ? weights
                : weights.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, (long) rows * cols),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
        float[][] f = pixels.castTo(DataType.FLOAT).transpose().dup('c').toFloatMatrix();
        return new FirstLayerWeights(variable, f, rows, cols, false);
    }

    /** Convolution kernels {@code [kH, kW, 1, C]} as C filters of {@code kH x kW}. */
    public static FirstLayerWeights ofConvKernels(String variable, INDArray kernels) {
        if (kernels == null || kernels.rank() != 4 || kernels.size(2) != 1) {
            throw new IllegalArgumentException("conv kernels " + variable + " must have shape [kH, kW, 1, C] but have "
                    + (kernels == null ? "null" : Arrays.toString(kernels.shape())));
        }
        int kh = (int) kernels.size(0);
        int kw = (int) kernels.size(1);
        int c = (int) kernels.size(3);
        // [kH, kW, 1, C] -> [C, kH * kW], row-major within each kernel
        INDArray perFilter = kernels.castTo(DataType.FLOAT).reshape('c', kh * kw, c).transpose().dup('c');
        return new FirstLayerWeights(variable, perFilter.toFloatMatrix(), kh, kw, true);
    }

    /**
     * Finds the first layer of {@code model} by the rules in the class comment.
     *
     * @throws IllegalArgumentException if no variable fits (the message lists the model's parameters), or the
     *                                  first convolution reads more than one channel
     */
    public static FirstLayerWeights of(AutoencoderModel<?> model, int imageRows, int imageCols) {
        SameDiff sd = model.graph();
        long inputSize = (long) imageRows * imageCols;
        SDVariable x = sd.getVariable(AutoencoderModel.INPUT);
        long[] xShape = x == null ? null : x.getShape();
        if (xShape != null && xShape.length >= 2 && xShape[xShape.length - 1] > 0
                && xShape[xShape.length - 1] != inputSize) {
            throw new IllegalArgumentException("model input has " + xShape[xShape.length - 1] + " values but "
                    + imageRows + "x" + imageCols + " images have " + inputSize);
        }
        List<SDVariable> params = new ArrayList<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE && v.getArr() != null && v.getArr().rank() >= 2) {
                params.add(v);
            }
        }
        if (params.isEmpty()) {
            throw new IllegalArgumentException("model " + model.getClass().getSimpleName() + " has no weight matrices");
        }
        SDVariable first = params.get(0);
        INDArray firstArr = first.getArr();
        if (firstArr.rank() == 4) {
            if (firstArr.size(2) != 1) {
                throw new IllegalArgumentException("first convolution " + first.name() + " has shape "
                        + Arrays.toString(firstArr.shape()) + ": filters are shown for one input channel only");
            }
            return ofConvKernels(first.name(), firstArr);
        }
        for (SDVariable v : params) {
            INDArray a = v.getArr();
            if (a.rank() == 2 && a.size(0) == inputSize) {
                return ofMatrix(v.name(), a, imageRows, imageCols);
            }
        }
        if (firstArr.rank() == 2 && firstArr.size(0) > inputSize) {
            return ofMatrix(first.name(), firstArr, imageRows, imageCols);
        }
        List<String> described = params.stream().map(v -> v.name() + Arrays.toString(v.getArr().shape())).toList();
        throw new IllegalArgumentException("no first-layer weights in " + model.getClass().getSimpleName()
                + ": no parameter is [" + inputSize + ", units] or [kH, kW, 1, C]; parameters: " + described);
    }
}
