package org.latentlab.run;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The versions Latent Lab was built with, from {@code version.properties} (filled in by Maven). */
public final class Version {

    private static final String VERSION_RESOURCE = "version.properties";
    private static final String ND4J_POM_PROPERTIES = "/META-INF/maven/org.nd4j/nd4j-api/pom.properties";

    private Version() {}

    /** {@code latentlab}'s own version, e.g. {@code 0.1.0-SNAPSHOT}, or {@code unknown}. */
    public static String project() {
        return load(Version.class.getResourceAsStream(VERSION_RESOURCE)).getProperty("version", "unknown");
    }

    /** The DL4J version the project was built against, or {@code unknown}. */
    public static String builtDl4j() {
        return load(Version.class.getResourceAsStream(VERSION_RESOURCE)).getProperty("dl4j.version", "unknown");
    }

    /** The ND4J version on the class path, or {@link #builtDl4j()} when its pom properties are absent. */
    public static String runtimeDl4j() {
        return load(Version.class.getResourceAsStream(ND4J_POM_PROPERTIES)).getProperty("version", builtDl4j());
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
