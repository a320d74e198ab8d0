package org.latentlab.data;

import java.nio.charset.StandardCharsets;

/**
 * The datasets a user points at with a path instead of a name: {@code folder:PATH} ({@link FolderDataset}) and
 * {@code csv:FILE} ({@link CsvDataset}). The whole name, options included, is the dataset's identity: it is what a
 * run's {@code config.json} records, what a sweep varies, and what {@code evaluate}, {@code plot} and {@code report}
 * load again. A relative path is resolved against the working folder of the command that loads it.
 */
public final class UserDatasets {

    /** How the user datasets are written, for lists of the dataset names. */
    public static final String FORMS = FolderDataset.PREFIX + "PATH, " + CsvDataset.PREFIX + "FILE";

    private UserDatasets() {}

    /** Whether {@code name} names a user dataset. */
    public static boolean handles(String name) {
        return FolderDataset.handles(name) || CsvDataset.handles(name);
    }

    /** Loads user dataset {@code name} ({@link #handles}). */
    public static DataBundle load(String name) {
        return FolderDataset.handles(name) ? FolderDataset.load(name) : CsvDataset.load(name);
    }

    /**
     * {@code dataset} as part of a file name: a plain dataset name as it is; a name with other characters than
     * {@code A-Z a-z 0-9 . + -} (a user dataset's path) with those replaced by {@code _} and the first 12 hex digits
     * of the name's SHA-256 appended, so two paths never share a file.
     */
    public static String fileKey(String dataset) {
        String safe = dataset.replaceAll("[^A-Za-z0-9.+-]", "_");
        if (safe.equals(dataset)) {
            return dataset;
        }
        if (safe.length() > 60) {
            safe = safe.substring(safe.length() - 60);
        }
        return safe + "-"
                + FolderDataset.sha256Hex(dataset.getBytes(StandardCharsets.UTF_8))
                        .substring(0, 12);
    }
}
