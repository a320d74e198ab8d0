package org.latentlab.plot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.latentlab.core.AutoencoderModel;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The first layer's weights of a model, one small image per unit: what each hidden unit (or convolution
 * filter) responds to in the input.
 *
 * <p>{@link #of} finds them in the graph: starting at the input placeholder {@code x}, it follows the ops
 * that consume it (and their outputs, through reshapes and concatenations) until an op also takes a trainable
 * variable of rank 2 or more: the weights applied to the input. Then:
 * <ul>
 *   <li>a convolution kernel {@code [kH, kW, inC, C]} (M2.1's conv2d layout) gives its C kernels, each a
 *       {@code kH x kW} image of inC channels (1: grey, 3: a colour image of the red, green and blue weights);</li>
 *   <li>a matrix {@code [D, H]} (a {@code Dense} layer's {@code .../W} is {@code [in, out]}, D = channels * rows *
 *       cols) gives its H columns, each a {@code channels x rows x cols} image (CHW, as the input rows);</li>
 *   <li>a matrix {@code [D + k, H]} gives the columns of its first D rows: models that concatenate extra
 *       inputs after the image (a conditional VAE's one-hot class) keep the pixel weights there.</li>
 * </ul>
 * The graph, not the variable names, decides, so it works for any variant that builds its encoder from
 * {@code Dense}, {@code Mlp} or {@code Conv2dBlock}, loaded from disk or not.
 *
 * @param variable      the graph variable the filters come from
 * @param filters       one row per filter, {@code channels * rows * cols} raw weights in CHW order (row-major for
 *                      one channel)
 * @param channels      channels of each filter image: 1 or 3
 * @param rows          filter image height
 * @param cols          filter image width
 * @param convolutional whether they are convolution kernels rather than dense weights
 */
public record FirstLayerWeights(
        String variable, float[][] filters, int channels, int rows, int cols, boolean convolutional) {

    public FirstLayerWeights {
        if (filters == null || filters.length == 0) {
            throw new IllegalArgumentException("first layer " + variable + " has no filters");
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException(
                    "filters of " + variable + " must have 1 or 3 channels but have " + channels);
        }
        for (int i = 0; i < filters.length; i++) {
            if (filters[i] == null || filters[i].length != channels * rows * cols) {
                throw new IllegalArgumentException("filter " + i + " of " + variable + " must have "
                        + (channels == 1 ? "" : channels + "x") + rows + "x" + cols + " values but has "
                        + (filters[i] == null ? 0 : filters[i].length));
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
        return ofMatrix(variable, weights, 1, rows, cols);
    }

    /**
     * Dense weights {@code [channels*rows*cols, H]} (one column per unit) as H filters of {@code channels x rows x
     * cols} (CHW).
     *
     * @throws IllegalArgumentException if the matrix has fewer than {@code channels*rows*cols} rows
     */
    public static FirstLayerWeights ofMatrix(String variable, INDArray weights, int channels, int rows, int cols) {
        if (weights == null || weights.rank() != 2) {
            throw new IllegalArgumentException(
                    "first-layer weights " + variable + " must be a matrix [inputSize, units]" + " but have shape "
                            + (weights == null ? "null" : Arrays.toString(weights.shape())));
        }
        long inputs = weights.size(0);
        long values = (long) channels * rows * cols;
        if (inputs < values) {
            throw new IllegalArgumentException("first-layer weights " + variable + " have " + inputs
                    + " input rows but a " + shape(channels, rows, cols) + " image needs " + values);
        }
        INDArray pixels =
                inputs == values ? weights : weights.get(NDArrayIndex.interval(0, values), NDArrayIndex.all());
        float[][] f = pixels.castTo(DataType.FLOAT).transpose().dup('c').toFloatMatrix();
        return new FirstLayerWeights(variable, f, channels, rows, cols, false);
    }

    /**
     * Convolution kernels {@code [kH, kW, inC, C]} (inC 1 or 3) as C filters of {@code inC x kH x kW} (CHW: the
     * weights on the red input channel, then green, then blue).
     */
    public static FirstLayerWeights ofConvKernels(String variable, INDArray kernels) {
        if (kernels == null || kernels.rank() != 4 || (kernels.size(2) != 1 && kernels.size(2) != 3)) {
            throw new IllegalArgumentException("conv kernels " + variable + " must have shape [kH, kW, 1, C] or"
                    + " [kH, kW, 3, C] but have " + (kernels == null ? "null" : Arrays.toString(kernels.shape())));
        }
        int kh = (int) kernels.size(0);
        int kw = (int) kernels.size(1);
        int c = (int) kernels.size(3);
        if (kernels.size(2) == 3) {
            // [kH, kW, 3, C] -> [C, 3, kH, kW] -> [C, 3 * kH * kW]: each filter CHW
            INDArray chw =
                    kernels.castTo(DataType.FLOAT).permute(3, 2, 0, 1).dup('c').reshape('c', c, 3L * kh * kw);
            return new FirstLayerWeights(variable, chw.toFloatMatrix(), 3, kh, kw, true);
        }
        // [kH, kW, 1, C] -> [C, kH * kW], row-major within each kernel
        INDArray perFilter = kernels.castTo(DataType.FLOAT)
                .reshape('c', kh * kw, c)
                .transpose()
                .dup('c');
        return new FirstLayerWeights(variable, perFilter.toFloatMatrix(), 1, kh, kw, true);
    }

    private static String shape(int channels, int rows, int cols) {
        return channels == 1 ? rows + "x" + cols : channels + "x" + rows + "x" + cols;
    }

    /**
     * Finds the first layer of {@code model} by the rule in the class comment.
     *
     * @throws IllegalArgumentException if no trainable weights are applied to the input, the model's input size
     *                                  differs from {@code imageRows * imageCols}, or the first convolution reads
     *                                  more than one channel
     */
    public static FirstLayerWeights of(AutoencoderModel<?> model, int imageRows, int imageCols) {
        return of(model, 1, imageRows, imageCols);
    }

    /**
     * Finds the first layer of {@code model}, whose input images have {@code channels} planes, by the rule in the
     * class comment.
     *
     * @throws IllegalArgumentException if no trainable weights are applied to the input, the model's input size
     *                                  differs from {@code channels * imageRows * imageCols}, or the first
     *                                  convolution reads another number of channels
     */
    public static FirstLayerWeights of(AutoencoderModel<?> model, int channels, int imageRows, int imageCols) {
        SameDiff sd = model.graph();
        long inputSize = (long) channels * imageRows * imageCols;
        SDVariable x = sd.hasVariable(AutoencoderModel.INPUT) ? sd.getVariable(AutoencoderModel.INPUT) : null;
        long[] xShape = x == null ? null : x.getShape();
        if (xShape != null
                && xShape.length >= 2
                && xShape[xShape.length - 1] > 0
                && xShape[xShape.length - 1] != inputSize) {
            throw new IllegalArgumentException("model input has " + xShape[xShape.length - 1] + " values but "
                    + shape(channels, imageRows, imageCols) + " images have " + inputSize);
        }
        SDVariable w = weightsNearestTheInput(sd);
        if (w == null) {
            throw new IllegalArgumentException("no first-layer weights in "
                    + model.getClass().getSimpleName() + ": no trainable matrix or kernel is applied to the input '"
                    + AutoencoderModel.INPUT + "'");
        }
        INDArray arr = w.getArr();
        if (arr.rank() == 4) {
            if (arr.size(2) != channels) {
                throw new IllegalArgumentException("first convolution " + w.name() + " has shape "
                        + Arrays.toString(arr.shape()) + " but the images have " + channels + " channel"
                        + (channels == 1 ? "" : "s"));
            }
            return ofConvKernels(w.name(), arr);
        }
        if (arr.rank() == 2 && arr.size(0) >= inputSize) {
            return ofMatrix(w.name(), arr, channels, imageRows, imageCols);
        }
        throw new IllegalArgumentException("first-layer weights " + w.name() + " of "
                + model.getClass().getSimpleName() + " have shape " + Arrays.toString(arr.shape())
                + ", neither [" + inputSize + "+, units] nor [kH, kW, " + channels + ", C]");
    }

    /**
     * Walks the graph breadth-first from the input placeholder along the ops that consume it (through
     * reshapes, concatenations, ...) and returns the first trainable variable of rank 2 or more that is an
     * input of one of those ops. The graph's variable list cannot be used for this: SameDiff keeps it sorted
     * by name ("decoder/..." before "encoder/..."), not in creation order.
     */
    private static SDVariable weightsNearestTheInput(SameDiff sd) {
        Map<String, Variable> vars = sd.getVariables();
        Map<String, SameDiffOp> ops = sd.getOps();
        List<String> level = List.of(AutoencoderModel.INPUT);
        Set<String> seen = new HashSet<>(level);
        while (!level.isEmpty()) {
            List<String> next = new ArrayList<>();
            for (String name : level) {
                Variable v = vars.get(name);
                if (v == null || v.getInputsForOp() == null) {
                    continue;
                }
                for (String opName : v.getInputsForOp()) {
                    SameDiffOp op = ops.get(opName);
                    if (op == null) {
                        continue;
                    }
                    for (String in : op.getInputsToOp() == null ? List.<String>of() : op.getInputsToOp()) {
                        SDVariable candidate = sd.getVariable(in);
                        if (candidate != null
                                && candidate.getVariableType() == VariableType.VARIABLE
                                && candidate.getArr() != null
                                && candidate.getArr().rank() >= 2) {
                            return candidate;
                        }
                    }
                    for (String out : op.getOutputsOfOp() == null ? List.<String>of() : op.getOutputsOfOp()) {
                        if (seen.add(out)) {
                            next.add(out);
                        }
                    }
                }
            }
            level = next;
        }
        return null;
    }
}
