package org.latentlab.train;

import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/** Gradient-based optimizers a run can choose. */
public enum Optimizer {
    /** Adam (Kingma &amp; Ba 2015), beta1 0.9, beta2 0.999, epsilon 1e-8 as in PyTorch. */
    ADAM,
    /** Stochastic gradient descent; with momentum &gt; 0, Nesterov momentum (the form ND4J offers). */
    SGD;

    IUpdater updater(double learningRate, double momentum) {
        return switch (this) {
            case ADAM -> new Adam(learningRate, 0.9, 0.999, 1e-8);
            case SGD -> momentum > 0 ? new Nesterovs(learningRate, momentum) : new Sgd(learningRate);
        };
    }
}
