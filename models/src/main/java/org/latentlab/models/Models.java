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

    public static final ModelType<SparseAutoencoderConfig> SPARSE_AE = new ModelType<>("sparse-ae",
            "Sparse autoencoder (Ng 2011): KL-to-rho on sigmoid codes, or L1 activity on ReLU codes",
            SparseAutoencoderConfig.class, SparseAutoencoderConfig.defaults(), SparseAutoencoder::new);

    public static final ModelType<ContractiveAutoencoderConfig> CAE = new ModelType<>("cae",
            "Contractive autoencoder (Rifai et al. 2011): reconstruction + lambda * ||J_f(x)||_F^2",
            ContractiveAutoencoderConfig.class, ContractiveAutoencoderConfig.defaults(), ContractiveAutoencoder::new);

    /** A registry holding every variant. */
    public static ModelRegistry registry() {
        return new ModelRegistry().register(VAE).register(SPARSE_AE).register(CAE);
    }
}
