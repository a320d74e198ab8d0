package org.latentlab.train;

import java.util.List;

/**
 * Facts about a training run that listeners may want up front.
 *
 * @param modelName     the model's type name ({@link org.latentlab.core.AutoencoderModel#typeName()})
 * @param lossTerms     named loss terms, in display order
 * @param trainSize     training examples per epoch
 * @param validationSize validation examples (0 if none)
 * @param firstEpoch    1-based epoch this call starts at (greater than 1 after a resume)
 * @param epochs        last epoch
 */
public record TrainingContext(
        String modelName, List<String> lossTerms, int trainSize, int validationSize, int firstEpoch, int epochs) {}
