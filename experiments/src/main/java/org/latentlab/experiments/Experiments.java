package org.latentlab.experiments;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.latentlab.cli.LatentLab;
import org.latentlab.experiment.Experiment;

/** The experiments the command line knows by name. Adding one is one line here. */
public final class Experiments {
    private static final Map<String, Supplier<Experiment>> KNOWN = new LinkedHashMap<>();

    static {
        register(BottleneckSweep::new);
        register(BetaSweep::new);
        register(SmokeSweep::new);
    }

    private Experiments() {
    }

    private static void register(Supplier<Experiment> factory) {
        KNOWN.put(factory.get().name(), factory);
    }

    /** Names of the registered experiments. */
    public static Map<String, Supplier<Experiment>> known() {
        return java.util.Collections.unmodifiableMap(KNOWN);
    }

    /**
     * The experiment called {@code name}, or the class of that fully qualified name (any
     * {@link Experiment} subclass with a public no-argument constructor on the class path).
     */
    public static Experiment get(String name) {
        Supplier<Experiment> factory = KNOWN.get(name);
        if (factory != null) {
            return factory.get();
        }
        if (name.contains(".")) {
            try {
                Class<?> cls = Class.forName(name);
                if (!Experiment.class.isAssignableFrom(cls)) {
                    throw new IllegalArgumentException(name + " is not an Experiment");
                }
                return (Experiment) cls.getDeclaredConstructor().newInstance();
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException("unknown experiment '" + name + "': no such class on the class path;"
                        + " known: " + String.join(", ", KNOWN.keySet()), e);
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new IllegalArgumentException("cannot create experiment " + name + ": it needs a public constructor"
                        + " without arguments (" + e.getClass().getSimpleName().replace("Exception", "") + ")", e);
            }
        }
        throw new IllegalArgumentException("unknown experiment '" + name + "'; known: " + String.join(", ", KNOWN.keySet())
                + " (or give a fully qualified class name)");
    }

    /** What an experiment's {@code main} calls: {@code latentlab sweep <its class> args...}. */
    public static void main(Experiment experiment, String[] args) {
        String[] full = new String[args.length + 2];
        full[0] = "sweep";
        full[1] = experiment.getClass().getName();
        System.arraycopy(args, 0, full, 2, args.length);
        System.exit(LatentLab.run(full));
    }
}
