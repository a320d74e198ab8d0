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

    public static final ModelType<AutoencoderConfig> AE = new ModelType<>("ae",
            "Autoencoder (Hinton & Salakhutdinov 2006): MLP encoder and mirrored decoder, any depth, BCE or MSE",
            AutoencoderConfig.class, AutoencoderConfig.defaults(), Autoencoder::new);

    public static final ModelType<DaeConfig> DAE = new ModelType<>("dae",
            "Denoising autoencoder (Vincent et al. 2008): the ae graph, trained to undo input corruption",
            DaeConfig.class, DaeConfig.defaults(), DenoisingAutoencoder::new);

    public static final ModelType<ConvAutoencoderConfig> CONV_AE = new ModelType<>("conv-ae",
            "Convolutional autoencoder (Masci et al. 2011): stride-2 conv encoder, dense code, deconv decoder",
            ConvAutoencoderConfig.class, ConvAutoencoderConfig.defaults(), ConvAutoencoder::new);

    /** A registry holding every variant. */
    public static ModelRegistry registry() {
        return new ModelRegistry().register(VAE).register(AE).register(DAE).register(CONV_AE);
    }
}
