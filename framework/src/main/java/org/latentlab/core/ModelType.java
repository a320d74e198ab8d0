package org.latentlab.core;

import java.util.Objects;
import java.util.function.BiFunction;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * A registered model variant: its name on the command line and in JSON, a one-line description,
 * its config class with defaults, and its constructor.
 *
 * @param name         type name, e.g. {@code vae}
 * @param description  one line shown by {@code latentlab models}
 * @param configClass  the variant's config record
 * @param defaults     the default config for MNIST-sized inputs
 * @param constructor  wraps a config and a graph (fresh or loaded) into the model object
 */
public record ModelType<C extends ModelConfig>(
        String name,
        String description,
        Class<C> configClass,
        C defaults,
        BiFunction<C, SameDiff, ? extends AutoencoderModel<C>> constructor) {

    public ModelType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(configClass, "configClass");
        Objects.requireNonNull(defaults, "defaults");
        Objects.requireNonNull(constructor, "constructor");
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("model type name must be lower-case kebab, got '" + name + "'");
        }
    }

    /** Builds a new model with freshly initialised parameters drawn from {@code seed}. */
    public AutoencoderModel<C> build(C config, long seed) {
        AutoencoderModel<C> model = constructor.apply(config, SameDiff.create());
        model.typeName(name);
        model.defineGraph(seed);
        return model;
    }

    /** Casts and builds; used where the config arrives untyped (from JSON or the CLI). */
    public AutoencoderModel<C> buildUnchecked(ModelConfig config, long seed) {
        return build(configClass.cast(config), seed);
    }

    AutoencoderModel<C> wrap(ModelConfig config, SameDiff loaded) {
        AutoencoderModel<C> model = constructor.apply(configClass.cast(config), loaded);
        model.typeName(name);
        return model;
    }
}
