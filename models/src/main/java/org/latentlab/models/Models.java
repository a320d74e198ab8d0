package org.latentlab.models;

import org.latentlab.model.ModelRegistry;
import org.latentlab.model.ModelType;

/** Every model variant, registered by class. Adding a variant means one line here. */
public final class Models {
    private Models() {
    }

    public static final ModelType<VaeConfig> VAE = new ModelType<>("vae",
            "Variational autoencoder (Kingma & Welling 2014): Gaussian posterior, Bernoulli decoder, ELBO",
            VaeConfig.class, VaeConfig.defaults(), Vae::new);

    public static final ModelType<StackedAeConfig> STACKED_AE = new ModelType<>("stacked-ae",
            "Stacked denoising autoencoder (Vincent et al. 2010): greedy layer-wise pretraining, then a fine-tuned softmax classifier",
            StackedAeConfig.class, StackedAeConfig.defaults(), StackedAutoencoder::new);

    /** A registry holding every variant. */
    public static ModelRegistry registry() {
        return new ModelRegistry().register(VAE).register(STACKED_AE);
    }
}
