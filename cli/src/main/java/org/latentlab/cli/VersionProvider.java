package org.latentlab.cli;

import org.latentlab.run.Version;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code --version}: the Latent Lab version, the DL4J/ND4J version on the class path (and the one the project
 * was built against, if they differ), and the Java runtime.
 */
public class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String builtDl4j = Version.builtDl4j();
        String runtimeDl4j = Version.runtimeDl4j();
        String dl4j = runtimeDl4j.equals(builtDl4j) || "unknown".equals(builtDl4j)
                ? runtimeDl4j
                : runtimeDl4j + " (built against " + builtDl4j + ")";
        return new String[] {
            "latentlab " + Version.project(),
            "Deeplearning4j/ND4J " + dl4j,
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        };
    }
}
