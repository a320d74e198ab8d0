package org.latentlab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code --version}: the Latent Lab version, the DL4J/ND4J version on the class path (and the one the project
 * was built against, if they differ), and the Java runtime.
 */
public class VersionProvider implements IVersionProvider {

    private static final String VERSION_RESOURCE = "version.properties";
    private static final String ND4J_POM_PROPERTIES = "/META-INF/maven/org.nd4j/nd4j-api/pom.properties";

    @Override
    public String[] getVersion() {
        Properties built = load(VersionProvider.class.getResourceAsStream(VERSION_RESOURCE));
        String latentlab = built.getProperty("version", "unknown");
        String builtDl4j = built.getProperty("dl4j.version", "unknown");
        String runtimeDl4j = load(VersionProvider.class.getResourceAsStream(ND4J_POM_PROPERTIES))
                .getProperty("version", builtDl4j);
        String dl4j = runtimeDl4j.equals(builtDl4j) || "unknown".equals(builtDl4j)
                ? runtimeDl4j : runtimeDl4j + " (built against " + builtDl4j + ")";
        return new String[] {
            "latentlab " + latentlab,
            "Deeplearning4j/ND4J " + dl4j,
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        };
    }

    /** {@code latentlab}'s own version, e.g. {@code 0.1.0-SNAPSHOT}, or {@code unknown}. */
    public static String projectVersion() {
        return load(VersionProvider.class.getResourceAsStream(VERSION_RESOURCE)).getProperty("version", "unknown");
    }

    private static Properties load(InputStream in) {
        Properties p = new Properties();
        if (in == null) {
            return p;
        }
        try (in) {
            p.load(in);
        } catch (IOException e) {
            // an unreadable resource only costs the version line its number
        }
        return p;
    }
}
