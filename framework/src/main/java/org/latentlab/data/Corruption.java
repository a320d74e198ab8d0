package org.latentlab.data;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.latentlab.config.Describe;
import org.latentlab.loss.NoiseSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Input corruption for denoising autoencoders (Vincent et al., <i>Extracting and Composing
 * Robust Features with Denoising Autoencoders</i>, ICML 2008; Vincent et al., JMLR 2010),
 * applied in Java outside the graph (M2.1's in-graph dropout is not inverted and stays on at
 * inference) and drawn from a seeded {@link NoiseSource}, so it is fresh per batch and
 * reproducible.
 *
 * @param kind  NONE, GAUSSIAN (add level * N(0, 1)), MASKING (set each input to 0 with
 *              probability level) or SALT_AND_PEPPER (set each input to 0 or 1, each with
 *              probability level / 2)
 * @param level noise standard deviation (GAUSSIAN) or corrupted fraction (the others)
 */
public record Corruption(
        @Describe("none, gaussian, masking or salt_and_pepper")
        Kind kind,

        @Describe("noise std (gaussian) or corrupted fraction (masking, salt_and_pepper)")
        double level) {

    /** The corruption processes. */
    public enum Kind {
        NONE,
        GAUSSIAN,
        MASKING,
        SALT_AND_PEPPER
    }

    public static final Corruption NONE = new Corruption(Kind.NONE, 0);

    public Corruption {
        if (kind == null) {
            throw new IllegalArgumentException("corruption kind must be set");
        }
        if (!(level >= 0) || Double.isInfinite(level)) {
            throw new IllegalArgumentException("corruption level must be a finite number >= 0, got " + level);
        }
        if ((kind == Kind.MASKING || kind == Kind.SALT_AND_PEPPER) && level > 1) {
            throw new IllegalArgumentException(
                    kind.name().toLowerCase(Locale.ROOT) + " corruption level is a fraction in [0, 1], got " + level);
        }
    }

    /**
     * Reads {@code KIND:LEVEL} as written on a command line, e.g. {@code masking:0.3}, {@code gaussian:0.5} or
     * {@code salt_and_pepper:0.1}; the kind is case-insensitive ({@code salt-and-pepper} works too), and {@code none}
     * stands alone. The inverse of {@link #format()}.
     *
     * @throws IllegalArgumentException naming {@code text} and what is wrong with it
     */
    public static Corruption parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("expected KIND:LEVEL (" + kindNames() + "), got an empty value");
        }
        String t = text.trim();
        int colon = t.indexOf(':');
        String kindText = (colon < 0 ? t : t.substring(0, colon)).trim();
        Kind kind;
        try {
            kind = Kind.valueOf(kindText.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown corruption kind '" + kindText + "' in '" + text + "'; expected " + kindNames(), e);
        }
        if (colon < 0) {
            if (kind != Kind.NONE) {
                throw new IllegalArgumentException("'" + text + "' has no level: expected "
                        + kind.name().toLowerCase(Locale.ROOT) + ":LEVEL, e.g. "
                        + kind.name().toLowerCase(Locale.ROOT) + ":0.3");
            }
            return NONE;
        }
        String levelText = t.substring(colon + 1).trim();
        double level;
        try {
            level = Double.parseDouble(levelText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "corruption level '" + levelText + "' in '" + text + "' is not a number", e);
        }
        try {
            return new Corruption(kind, level);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "': " + e.getMessage(), e);
        }
    }

    /** {@code none}, or {@code kind:level} as {@link #parse} reads it, e.g. {@code masking:0.3}. */
    public String format() {
        String name = kind.name().toLowerCase(Locale.ROOT);
        if (kind == Kind.NONE) {
            return name;
        }
        return name + ":" + BigDecimal.valueOf(level).stripTrailingZeros().toPlainString();
    }

    /** Whether {@link #apply} changes its input: a kind other than NONE at a level above 0. */
    public boolean active() {
        return kind != Kind.NONE && level > 0;
    }

    private static String kindNames() {
        return Arrays.stream(Kind.values())
                .map(k -> k.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
    }

    /** A corrupted copy of {@code x} (FLOAT, any shape); {@code x} itself is not changed. */
    public INDArray apply(INDArray x, NoiseSource noise) {
        if (kind == Kind.NONE || level == 0) {
            return x;
        }
        float[] v = x.dup().data().asFloat();
        switch (kind) {
            case GAUSSIAN -> {
                float[] n =
                        noise.standardNormal(DataType.FLOAT, v.length).data().asFloat();
                for (int i = 0; i < v.length; i++) {
                    v[i] += (float) (level * n[i]);
                }
            }
            case MASKING -> {
                for (int i = 0; i < v.length; i++) {
                    if (noise.nextDouble() < level) {
                        v[i] = 0f;
                    }
                }
            }
            case SALT_AND_PEPPER -> {
                for (int i = 0; i < v.length; i++) {
                    double u = noise.nextDouble();
                    if (u < level) {
                        v[i] = u < level / 2 ? 0f : 1f;
                    }
                }
            }
            default -> throw new IllegalStateException(kind.toString());
        }
        return Nd4j.create(v, x.shape(), DataType.FLOAT);
    }
}
