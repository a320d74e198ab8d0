package org.latentlab.experiments;

import org.latentlab.models.vae.VaeConfig;
import org.latentlab.run.RunConfig;
import org.latentlab.sweep.Experiment;
import org.latentlab.sweep.Sweep;
import org.latentlab.train.TrainerConfig;

/** beta-VAE trade-off (Higgins et al. 2017): reconstruction against KL as beta grows. */
public final class BetaSweep extends Experiment {

    @Override
    public String description() {
        return "beta-VAE on the MNIST sample: beta 0.5, 1, 2, 4 with a 10-dimensional code";
    }

    @Override
    public RunConfig baseConfig() {
        return RunConfig.of(VaeConfig.defaults().withLatentSize(10))
                .withTrainer(TrainerConfig.builder().epochs(5).build());
    }

    @Override
    public Sweep sweep() {
        return Sweep.grid().over("beta", 0.5, 1.0, 2.0, 4.0);
    }

    /** Ranked by the negative ELBO (beta = 1), which the other betas do not optimise directly. */
    @Override
    public String metric() {
        return "test_neg_elbo";
    }
}
