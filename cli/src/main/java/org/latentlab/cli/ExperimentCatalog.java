package org.latentlab.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.latentlab.models.Models;
import org.latentlab.sweep.Experiment;
import org.latentlab.sweep.SpecExperiment;

/**
 * The experiments the command line knows by name: every {@link Experiment} registered through
 * {@link ServiceLoader} ({@code META-INF/services/org.latentlab.sweep.Experiment}) on the class path,
 * plus any {@link Experiment} class given by its fully qualified name.
 */
final class ExperimentCatalog {

    private ExperimentCatalog() {}

    /** The registered experiments by name, in class-path order. */
    static Map<String, Experiment> known() {
        Map<String, Experiment> known = new LinkedHashMap<>();
        for (Experiment e : ServiceLoader.load(Experiment.class)) {
            Experiment previous = known.putIfAbsent(e.name(), e);
            if (previous != null && previous.getClass() != e.getClass()) {
                throw new IllegalStateException("two experiments are named '" + e.name() + "': "
                        + previous.getClass().getName() + " and " + e.getClass().getName());
            }
        }
        return known;
    }

    /**
     * The experiment called {@code name}, or the class of that fully qualified name (any
     * {@link Experiment} subclass with a public no-argument constructor on the class path).
     */
    static Experiment get(String name) {
        if (SpecExperiment.isSpecFile(name)) {
            return SpecExperiment.read(Path.of(name), Models.registry());
        }
        if (SourceExperiments.isSource(name)) {
            return SourceExperiments.compile(Path.of(name));
        }
        Map<String, Experiment> known = known();
        Experiment registered = known.get(name);
        if (registered != null) {
            return registered;
        }
        if (name.contains(".")) {
            try {
                Class<?> cls = Class.forName(name);
                if (!Experiment.class.isAssignableFrom(cls)) {
                    throw new IllegalArgumentException(name + " is not an Experiment");
                }
                return (Experiment) cls.getDeclaredConstructor().newInstance();
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException(
                        "unknown experiment '" + name + "': no such class on the class path;" + " known: "
                                + String.join(", ", known.keySet()),
                        e);
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new IllegalArgumentException(
                        "cannot create experiment " + name + ": it needs a public constructor" + " without arguments ("
                                + e.getClass().getSimpleName().replace("Exception", "") + ")",
                        e);
            }
        }
        throw new IllegalArgumentException("unknown experiment '" + name + "'; known: "
                + String.join(", ", known.keySet()) + " (or give a fully qualified class name)");
    }
}
