package org.latentlab.models;

import org.latentlab.model.ModelRegistry;
import org.latentlab.model.ModelType;

/**
 * Every model variant, registered by class. Adding a variant means one line here.
 *
 * <p>There is no separate {@code beta-vae} type: the registry maps each config class to one type
 * name, and a beta-VAE is the {@code vae} with {@code --set beta=4} (and, usually,
 * {@code --set klWarmupSteps=...}); a second name for the same class would make saved configs
 * ambiguous.
 */
public final class Models {
    private Models() {
    }

    public static final ModelType<VaeConfig> VAE = new ModelType<>("vae",
            "Variational autoencoder (Kingma & Welling 2014): Gaussian posterior, Bernoulli or Gaussian decoder, "
                    + "ELBO; beta and KL warm-up for a beta-VAE (Higgins et al. 2017)",
            VaeConfig.class, VaeConfig.defaults(), Vae::new);

    public static final ModelType<ConvVaeConfig> CONV_VAE = new ModelType<>("conv-vae",
            "Convolutional VAE: stride-2 conv encoder 28->14->7, transposed-conv decoder, same loss as vae",
            ConvVaeConfig.class, ConvVaeConfig.defaults(), ConvVae::new);

    public static final ModelType<ConditionalVaeConfig> CVAE = new ModelType<>("cvae",
            "Conditional VAE (Sohn et al. 2015): one-hot label concatenated to encoder input and to z; "
                    + "generates a chosen digit",
            ConditionalVaeConfig.class, ConditionalVaeConfig.defaults(), ConditionalVae::new);

    public static final ModelType<IwaeConfig> IWAE = new ModelType<>("iwae",
            "Importance weighted autoencoder (Burda et al. 2016): k-sample bound, tighter than the ELBO",
            IwaeConfig.class, IwaeConfig.defaults(), Iwae::new);

    /** A registry holding every variant. */
    public static ModelRegistry registry() {
        return new ModelRegistry().register(VAE).register(CONV_VAE).register(CVAE).register(IWAE);
    }
}
