package org.latentlab.models.vae;

import org.latentlab.core.ModelConfig;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.Likelihood;

/**
 * Settings every config of the {@link AbstractVae} family has, so one base class can build the
 * posterior, the likelihood and the (annealed) KL weight for all of them.
 */
public interface VaeSettings extends ModelConfig {
    int latentSize();

    Activation activation();

    /** The decoder distribution p(x|z). */
    Likelihood likelihood();

    /** Standard deviation of the {@link Likelihood#GAUSSIAN} decoder; unused for Bernoulli. */
    double sigma();

    /** Final weight of the KL term (1 = ELBO; other values a beta-VAE). */
    double beta();

    /** Gradient steps over which the KL weight rises linearly from 0 to beta; 0 = no warm-up. */
    int klWarmupSteps();

    WeightInit weightInit();

    /** The checks shared by every config of the family; each message names the value. */
    static void validate(
            int latentSize,
            Activation activation,
            Likelihood likelihood,
            double sigma,
            double beta,
            int klWarmupSteps,
            WeightInit weightInit) {
        if (latentSize < 1) {
            throw new IllegalArgumentException("latentSize must be at least 1, got " + latentSize);
        }
        if (activation == null) {
            throw new IllegalArgumentException("activation must be set");
        }
        if (likelihood == null) {
            throw new IllegalArgumentException("likelihood must be set (bernoulli or gaussian)");
        }
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be a finite number > 0, got " + sigma);
        }
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be a finite number >= 0, got " + beta);
        }
        if (klWarmupSteps < 0) {
            throw new IllegalArgumentException("klWarmupSteps must be >= 0 (0 = off), got " + klWarmupSteps);
        }
        if (weightInit == null) {
            throw new IllegalArgumentException("weightInit must be set");
        }
    }
}
