package org.latentlab.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.latentlab.core.ModelConfig;
import org.latentlab.core.ModelType;
import org.latentlab.models.Models;
import org.latentlab.models.ae.ContractiveAutoencoderConfig;
import org.latentlab.models.ae.ConvAutoencoderConfig;
import org.latentlab.models.vae.ConvVaeConfig;
import org.latentlab.models.vae.VaeConfig;

/**
 * What {@code latentlab bench} measures. Every training workload is a registered model with its
 * default config, trained with Adam 1e-3 at the given batch size; {@link #ENCODE} is the VAE's
 * {@code encode} of {@value #ENCODE_IMAGES} images per call.
 */
public enum Workload {
    VAE128("vae128", "vae defaults (784-400-20, ReLU, Bernoulli decoder): training, batch 128", Models.VAE, 128),
    VAE512("vae512", "vae defaults (784-400-20): training, batch 512", Models.VAE, 512),
    CONV(
            "conv",
            "conv-ae defaults (3x3 stride-2 convs 16, 32; dense code 32; transposed convs; BCE): training, "
                    + "batch 128",
            Models.CONV_AE,
            128),
    CONV_VAE(
            "conv-vae",
            "conv-vae defaults (4x4 stride-2 convs 32, 64; code 20; transposed convs; Bernoulli decoder): training, "
                    + "batch 128",
            Models.CONV_VAE,
            128),
    CAE(
            "cae",
            "cae defaults (one sigmoid layer of 1000, exact contractive penalty, lambda 0.1; BCE): training, "
                    + "batch 128",
            Models.CAE,
            128),
    ENCODE("encode", "vae defaults: model.encode of 10,000 images per call (inference)", Models.VAE, 10_000);

    /** Images per {@code encode} call of {@link #ENCODE}. */
    public static final int ENCODE_IMAGES = 10_000;

    private final String id;
    private final String description;
    private final ModelType<?> type;
    private final int batchSize;

    Workload(String id, String description, ModelType<?> type, int batchSize) {
        this.id = id;
        this.description = description;
        this.type = type;
        this.batchSize = batchSize;
    }

    /** The name used on the command line and in the results. */
    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    public ModelType<?> type() {
        return type;
    }

    public ModelConfig config() {
        return type.defaults();
    }

    /** Examples per gradient step (images per call for {@link #ENCODE}). */
    public int batchSize() {
        return batchSize;
    }

    /** True for the inference workload. */
    public boolean inference() {
        return this == ENCODE;
    }

    /** Whether DL4J's own VariationalAutoencoder layer has a counterpart of this workload. */
    public boolean hasDl4jLayerPeer() {
        return type == Models.VAE;
    }

    /** Forward multiply-accumulates per image of what this workload runs, see {@link FlopCount}. */
    public FlopCount.Macs forwardMacs() {
        return switch (this) {
            case VAE128, VAE512 -> FlopCount.vae((VaeConfig) config());
            case CONV -> FlopCount.convAe((ConvAutoencoderConfig) config());
            case CONV_VAE -> FlopCount.convVae((ConvVaeConfig) config());
            case CAE -> FlopCount.cae((ContractiveAutoencoderConfig) config());
            case ENCODE -> FlopCount.vaeEncode((VaeConfig) config());
        };
    }

    /** FLOPs per sample (per trained or encoded image), see {@link FlopCount}. */
    public double flopsPerSample() {
        long macs = forwardMacs().total();
        return inference() ? FlopCount.inference(macs) : FlopCount.training(macs);
    }

    /** How {@link #flopsPerSample()} is computed, with the numbers. */
    public String flopsFormula() {
        FlopCount.Macs macs = forwardMacs();
        return String.format(
                Locale.ROOT,
                "forward MACs %s; %s * %,d = %,.0f FLOPs per image",
                macs.formula(),
                inference() ? "2" : "6",
                macs.total(),
                flopsPerSample());
    }

    /** The workload called {@code id}; the message of the exception lists the valid names. */
    public static Workload parse(String id) {
        String key = id.trim().toLowerCase(Locale.ROOT);
        for (Workload w : values()) {
            if (w.id.equals(key)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + id + "'; expected one of " + ids());
    }

    /** All workload names, comma-separated. */
    public static String ids() {
        return Arrays.stream(values()).map(Workload::id).collect(Collectors.joining(","));
    }
}
