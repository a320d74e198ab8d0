package org.latentlab.tensorboard;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A protocol-buffer message being encoded: fields appended in order, each as its tag (field number and wire type)
 * and value, as the protobuf encoding guide specifies (varints, little-endian fixed 32 and 64 bits, length-delimited
 * bytes). Enough for TensorBoard's {@code Event}, {@code Summary} and hparams records. As proto3 does, a scalar field
 * with its default value (0, false, empty) is left out; the {@code ...Always} methods write it anyway, for the members
 * of a {@code oneof}, whose presence is their meaning ({@code google.protobuf.Value}'s {@code number_value: 0}).
 */
final class Proto {
    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Proto int64(int field, long value) {
        if (value != 0) {
            tag(field, VARINT);
            varint(value);
        }
        return this;
    }

    Proto boolAlways(int field, boolean value) {
        tag(field, VARINT);
        varint(value ? 1 : 0);
        return this;
    }

    Proto float64(int field, double value) {
        return Double.doubleToRawLongBits(value) == 0 ? this : float64Always(field, value);
    }

    Proto float64Always(int field, double value) {
        tag(field, FIXED64);
        long bits = Double.doubleToRawLongBits(value);
        for (int i = 0; i < 8; i++) {
            out.write((int) (bits >>> (8 * i)) & 0xFF);
        }
        return this;
    }

    Proto float32(int field, float value) {
        if (Float.floatToRawIntBits(value) == 0) {
            return this;
        }
        tag(field, FIXED32);
        int bits = Float.floatToRawIntBits(value);
        for (int i = 0; i < 4; i++) {
            out.write((bits >>> (8 * i)) & 0xFF);
        }
        return this;
    }

    Proto bytes(int field, byte[] value) {
        return value.length == 0 ? this : bytesAlways(field, value);
    }

    Proto bytesAlways(int field, byte[] value) {
        tag(field, LENGTH_DELIMITED);
        varint(value.length);
        out.writeBytes(value);
        return this;
    }

    Proto string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Proto stringAlways(int field, String value) {
        return bytesAlways(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A sub-message; written even when empty (a set message field has presence). */
    Proto message(int field, Proto value) {
        return bytesAlways(field, value.toByteArray());
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    private void varint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    /**
     * The value of varint field {@code field} at the top level of message {@code data}, or -1 when it has none; skips
     * the other fields by their wire type. Used to read the step of an event when a resumed run drops the events of
     * the epochs it redoes.
     */
    static long readVarintField(byte[] data, int field) {
        int[] pos = {0};
        while (pos[0] < data.length) {
            long key = readVarint(data, pos);
            int number = (int) (key >>> 3);
            int type = (int) (key & 7);
            switch (type) {
                case VARINT -> {
                    long v = readVarint(data, pos);
                    if (number == field) {
                        return v;
                    }
                }
                case FIXED64 -> pos[0] += 8;
                case FIXED32 -> pos[0] += 4;
                case LENGTH_DELIMITED -> {
                    long len = readVarint(data, pos);
                    pos[0] += (int) len;
                }
                default -> throw new IllegalArgumentException("unsupported protobuf wire type " + type);
            }
        }
        return -1;
    }

    /** The value of the first length-delimited field {@code field} at the top level of {@code data}, or null. */
    static byte[] readBytesField(byte[] data, int field) {
        int[] pos = {0};
        while (pos[0] < data.length) {
            long key = readVarint(data, pos);
            int number = (int) (key >>> 3);
            int type = (int) (key & 7);
            switch (type) {
                case VARINT -> readVarint(data, pos);
                case FIXED64 -> pos[0] += 8;
                case FIXED32 -> pos[0] += 4;
                case LENGTH_DELIMITED -> {
                    int len = (int) readVarint(data, pos);
                    if (number == field) {
                        return java.util.Arrays.copyOfRange(data, pos[0], pos[0] + len);
                    }
                    pos[0] += len;
                }
                default -> throw new IllegalArgumentException("unsupported protobuf wire type " + type);
            }
        }
        return null;
    }

    private static long readVarint(byte[] data, int[] pos) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= data.length) {
                throw new IllegalArgumentException("truncated varint");
            }
            int b = data[pos[0]++] & 0xFF;
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IllegalArgumentException("varint longer than 10 bytes");
    }
}
