package org.latentlab.cli;

import java.nio.file.Path;
import org.latentlab.data.Datasets;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/** {@code --data-dir DIR}, as a picocli {@code @Mixin}: the folder datasets are fetched into and loaded from. */
public class DataDirOption {

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            showDefaultValue = Visibility.ALWAYS,
            description =
                    "Folder that holds the datasets: $" + Datasets.DATA_DIR_ENV + " if set, else ~/.latentlab/data.")
    private Path dataDir = Datasets.defaultDataDir();

    /** The chosen folder, absolute. */
    public Path dataDir() {
        return dataDir.toAbsolutePath();
    }
}
