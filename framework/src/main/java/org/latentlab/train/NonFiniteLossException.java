package org.latentlab.train;

/** A loss term became NaN or infinite: training stops rather than writing garbage. */
public class NonFiniteLossException extends RuntimeException {
    public NonFiniteLossException(String term, double value, int epoch, int batch) {
        super("loss term '" + term + "' became " + value + " at epoch " + epoch + ", batch " + batch
                + "; try a lower learning rate or check the input data");
    }
}
