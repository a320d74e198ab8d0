package org.latentlab.models;

import org.latentlab.core.ModelRegistry;
import org.latentlab.core.ModelType;
import org.latentlab.models.ae.Autoencoder;
import org.latentlab.models.ae.AutoencoderConfig;
import org.latentlab.models.ae.ContractiveAutoencoder;
import org.latentlab.models.ae.ContractiveAutoencoderConfig;
import org.latentlab.models.ae.ConvAutoencoder;
import org.latentlab.models.ae.ConvAutoencoderConfig;
import org.latentlab.models.ae.ConvDenoisingAutoencoder;
import org.latentlab.models.ae.ConvDenoisingAutoencoderConfig;
import org.latentlab.models.ae.DenoisingAutoencoder;
import org.latentlab.models.ae.DenoisingAutoencoderConfig;
import org.latentlab.models.ae.SparseAutoencoder;
import org.latentlab.models.ae.SparseAutoencoderConfig;
import org.latentlab.models.ae.StackedAutoencoder;
import org.latentlab.models.ae.StackedAutoencoderConfig;
import org.latentlab.models.vae.ConditionalVae;
import org.latentlab.models.vae.ConditionalVaeConfig;
import org.latentlab.models.vae.ConvVae;
import org.latentlab.models.vae.ConvVaeConfig;
import org.latentlab.models.vae.Iwae;
import org.latentlab.models.vae.IwaeConfig;
import org.latentlab.models.vae.Vae;
import org.latentlab.models.vae.VaeConfig;

/**
 * Every model variant, registered by class. Adding a variant means one line here.
 *
 * <p>There is no separate {@code beta-vae} type: the registry maps each config class to one type
 * name, and a beta-VAE is the {@code vae} with {@code --set beta=4} (and, usually,
 * {@code --set klWarmupSteps=...}); a second name for the same class would make saved configs
 * ambiguous.
 */
public final class Models {
    private Models() {}

    public static final ModelType<VaeConfig> VAE = new ModelType<>(
            "vae",
            "Variational autoencoder (Kingma & Welling 2014): Gaussian posterior, Bernoulli or Gaussian decoder, "
                    + "ELBO; beta and KL warm-up for a beta-VAE (Higgins et al. 2017)",
            VaeConfig.class,
            VaeConfig.defaults(),
            Vae::new);

    public static final ModelType<AutoencoderConfig> AE = new ModelType<>(
            "ae",
            "Autoencoder (Hinton & Salakhutdinov 2006): MLP encoder and mirrored decoder, any depth, BCE or MSE",
            AutoencoderConfig.class,
            AutoencoderConfig.defaults(),
            Autoencoder::new);

    public static final ModelType<DenoisingAutoencoderConfig> DAE = new ModelType<>(
            "dae",
            "Denoising autoencoder (Vincent et al. 2008): the ae graph, trained to undo input corruption",
            DenoisingAutoencoderConfig.class,
            DenoisingAutoencoderConfig.defaults(),
            DenoisingAutoencoder::new);

    public static final ModelType<ConvAutoencoderConfig> CONV_AE = new ModelType<>(
            "conv-ae",
            "Convolutional autoencoder (Masci et al. 2011): stride-2 conv encoder, dense code, deconv decoder",
            ConvAutoencoderConfig.class,
            ConvAutoencoderConfig.defaults(),
            ConvAutoencoder::new);

    public static final ModelType<ConvDenoisingAutoencoderConfig> CONV_DAE = new ModelType<>(
            "conv-dae",
            "Convolutional denoising autoencoder: the conv-ae graph, trained to undo input corruption",
            ConvDenoisingAutoencoderConfig.class,
            ConvDenoisingAutoencoderConfig.defaults(),
            ConvDenoisingAutoencoder::new);

    public static final ModelType<SparseAutoencoderConfig> SPARSE_AE = new ModelType<>(
            "sparse-ae",
            "Sparse autoencoder (Ng 2011): KL-to-rho on sigmoid codes, or L1 activity on ReLU codes",
            SparseAutoencoderConfig.class,
            SparseAutoencoderConfig.defaults(),
            SparseAutoencoder::new);

    public static final ModelType<ContractiveAutoencoderConfig> CAE = new ModelType<>(
            "cae",
            "Contractive autoencoder (Rifai et al. 2011): reconstruction + lambda * ||J_f(x)||_F^2",
            ContractiveAutoencoderConfig.class,
            ContractiveAutoencoderConfig.defaults(),
            ContractiveAutoencoder::new);

    public static final ModelType<StackedAutoencoderConfig> STACKED_AE = new ModelType<>(
            "stacked-ae",
            "Stacked denoising autoencoder (Vincent et al. 2010): greedy layer-wise pretraining, then a fine-tuned softmax classifier",
            StackedAutoencoderConfig.class,
            StackedAutoencoderConfig.defaults(),
            StackedAutoencoder::new);

    public static final ModelType<ConvVaeConfig> CONV_VAE = new ModelType<>(
            "conv-vae",
            "Convolutional VAE: stride-2 conv encoder 28->14->7, transposed-conv decoder, same loss as vae",
            ConvVaeConfig.class,
            ConvVaeConfig.defaults(),
            ConvVae::new);

    public static final ModelType<ConditionalVaeConfig> CVAE = new ModelType<>(
            "cvae",
            "Conditional VAE (Sohn et al. 2015): one-hot label concatenated to encoder input and to z; "
                    + "generates a chosen digit",
            ConditionalVaeConfig.class,
            ConditionalVaeConfig.defaults(),
            ConditionalVae::new);

    public static final ModelType<IwaeConfig> IWAE = new ModelType<>(
            "iwae",
            "Importance weighted autoencoder (Burda et al. 2016): k-sample bound, tighter than the ELBO",
            IwaeConfig.class,
            IwaeConfig.defaults(),
            Iwae::new);

    /** A registry holding every variant, in the order `latentlab models` lists them. */
    public static ModelRegistry registry() {
        return new ModelRegistry()
                .register(VAE)
                .register(CONV_VAE)
                .register(CVAE)
                .register(IWAE)
                .register(AE)
                .register(DAE)
                .register(CONV_AE)
                .register(CONV_DAE)
                .register(SPARSE_AE)
                .register(CAE)
                .register(STACKED_AE);
    }
}
