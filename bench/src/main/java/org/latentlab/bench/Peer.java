package org.latentlab.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What Latent Lab is compared with in the same run. */
public enum Peer {
    /** bench/pytorch/bench.py: the same models, loss, optimizer and batch sizes in PyTorch (/usr/bin/python3). */
    PYTORCH("pytorch"),
    /** DL4J's own {@code VariationalAutoencoder} layer, trained by layer-wise pretraining (VAE workloads). */
    DL4J("dl4j"),
    /**
     * Latent Lab itself with {@code LATENTLAB_ENGINE=samediff}: the same model trained by M2.1's
     * {@code SameDiff.fit} instead of the planned step (training workloads).
     */
    SAMEDIFF("samediff"),
    /** ND4J's single-precision matrix multiply: the machine's practical arithmetic limit. */
    GEMM("gemm");

    private final String id;

    Peer(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Peer parse(String id) {
        String key = id.trim().toLowerCase(Locale.ROOT);
        for (Peer p : values()) {
            if (p.id.equals(key)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown peer '" + id + "'; expected one of " + ids());
    }

    public static String ids() {
        return Arrays.stream(values()).map(Peer::id).collect(Collectors.joining(","));
    }
}
