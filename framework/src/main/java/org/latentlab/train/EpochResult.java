package org.latentlab.train;

import java.util.Map;

/**
 * What one epoch produced.
 *
 * @param epoch             1-based epoch number
 * @param train             mean of each named loss term over the epoch's training batches
 * @param validation        mean of each term on the validation set after the epoch (empty if none)
 * @param trainSeconds      wall time of the gradient steps
 * @param samplesPerSecond  training examples per second of {@code trainSeconds}
 */
public record EpochResult(int epoch, Map<String, Double> train, Map<String, Double> validation,
                          double trainSeconds, double samplesPerSecond) {
    public EpochResult {
        train = Map.copyOf(train);
        validation = Map.copyOf(validation);
    }
}
