package org.latentlab.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one epoch produced.
 *
 * @param epoch             1-based epoch number
 * @param train             mean of each named loss term on the training set (at most 10,000 fixed
 *                          examples of it) with the parameters at the end of the epoch
 * @param validation        mean of each term on the validation set after the epoch (empty if none)
 * @param trainSeconds      wall time of the gradient steps
 * @param samplesPerSecond  training examples per second of {@code trainSeconds}
 */
public record EpochResult(
        int epoch,
        Map<String, Double> train,
        Map<String, Double> validation,
        double trainSeconds,
        double samplesPerSecond) {
    public EpochResult {
        // keep the model's display order of the terms
        train = Collections.unmodifiableMap(new LinkedHashMap<>(train));
        validation = Collections.unmodifiableMap(new LinkedHashMap<>(validation));
    }
}
