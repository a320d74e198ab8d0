package org.latentlab.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;

/**
 * A checksum of everything {@code SameDiff.save(file, true)} writes that can change while a model lives: the graph's
 * variables (names, kinds, types, shapes), its ops, the training configuration (updater settings,
 * iteration and epoch counts) and the bytes of every parameter, constant and updater state array.
 *
 * <p>A model saved twice without a step in between (the best model on validation and that epoch's checkpoint; the
 * last checkpoint and the run's model) has the same fingerprint both times, so the second save can share the first's
 * file instead of serialising again: SameDiff M2.1 writes arrays into FlatBuffers one element at a time, which made
 * saving the largest cost of a short trial (docs/PERFORMANCE.md). Two CRCs over about 8 MB take a few milliseconds.
 *
 * <p>64 bits (CRC-32C and CRC-32 of the same bytes) guard against an accidental match, not against a crafted one;
 * a fingerprint is compared only with one this process wrote beside a file it saved.
 */
final class StateFingerprint {
    private StateFingerprint() {}

    /** The fingerprint as 16 hex digits, or null when it cannot be taken (arrays off the host: CUDA). */
    static String of(SameDiff sd) {
        if (!Nd4j.getEnvironment().isCPU()) {
            return null;
        }
        Sums sums = new Sums();
        for (SDVariable v : sd.variables()) {
            sums.text(v.name());
            sums.text(String.valueOf(v.getVariableType()));
            sums.text(String.valueOf(v.dataType()));
            if (v.getVariableType() == VariableType.ARRAY) {
                continue; // computed by the ops, not saved as values
            }
            sums.text(Arrays.toString(v.getShape()));
            if (v.getVariableType() == VariableType.VARIABLE || v.getVariableType() == VariableType.CONSTANT) {
                INDArray arr = v.getArr();
                if (arr != null && !sums.array(arr)) {
                    return null;
                }
            }
        }
        for (DifferentialFunction op : sd.ops()) {
            sums.text(op.getOwnName());
            sums.text(op.opName());
        }
        // Not the functions (definedFunctionNames): the file holds none of them. The gradient function SameDiff adds
        // for training makes no difference to it: a trained graph and the same graph loaded from its file save
        // byte-identical files (KeepModelTest), and a model loaded from the best epoch shares that epoch's file.
        sums.text(String.valueOf(sd.getLossVariables()));
        sums.text(String.valueOf(sd.getTrainingConfig()));
        Map<String, GradientUpdater> updaters = sd.getUpdaterMap();
        if (updaters != null) {
            for (Map.Entry<String, GradientUpdater> u : new TreeMap<>(updaters).entrySet()) {
                sums.text(u.getKey());
                Map<String, INDArray> state = u.getValue().getState();
                if (state == null) {
                    continue;
                }
                for (Map.Entry<String, INDArray> s : new TreeMap<>(state).entrySet()) {
                    sums.text(s.getKey());
                    if (s.getValue() != null && !sums.array(s.getValue())) {
                        return null;
                    }
                }
            }
        }
        return sums.hex();
    }

    private static final class Sums {
        private final CRC32C c = new CRC32C();
        private final CRC32 d = new CRC32();

        void text(String s) {
            byte[] b = (s == null ? "\u0000null" : s).getBytes(StandardCharsets.UTF_8);
            bytes(ByteBuffer.allocate(4).putInt(0, b.length));
            bytes(ByteBuffer.wrap(b));
        }

        /** Adds the array's shape and bytes; false if they cannot be read in place (not a numeric type). */
        boolean array(INDArray a) {
            DataType type = a.dataType();
            if (!type.isNumerical() && type != DataType.BOOL) {
                return false;
            }
            text(type + Arrays.toString(a.shape()));
            if (a.isEmpty() || a.length() == 0) {
                return true;
            }
            INDArray dense = a.ordering() == 'c' && Shape.hasDefaultStridesForShape(a) ? a : a.dup('c');
            long width = type.width();
            long from = dense.offset() * width;
            long to = from + dense.length() * width;
            if (to > Integer.MAX_VALUE) {
                return false;
            }
            ByteBuffer all = dense.data().asNio().duplicate();
            if (to > all.capacity()) {
                return false;
            }
            all.limit((int) to).position((int) from);
            bytes(all);
            return true;
        }

        private void bytes(ByteBuffer b) {
            c.update(b.duplicate());
            d.update(b);
        }

        String hex() {
            return HexFormat.of().toHexDigits((int) c.getValue())
                    + HexFormat.of().toHexDigits((int) d.getValue());
        }
    }
}
