package org.latentlab.cli;

import org.latentlab.engine.Backend;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * {@code --backend auto|cpu|cuda} as a picocli {@code @Mixin}. The launcher script reads the same
 * option to set ND4J's backend priorities before the JVM starts; {@link #check()} verifies the
 * result and fails fast with a clear message.
 */
public class BackendOption {

    @Option(
            names = "--backend",
            paramLabel = "NAME",
            defaultValue = "auto",
            description =
                    "Compute backend: auto (CUDA if it loads and a usable GPU is present, else CPU), cpu or cuda.")
    private String backend;

    /** Checks the loaded backend against the request and logs what runs. */
    public void check() {
        Backend requested;
        try {
            requested = Backend.parse(backend);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        try {
            String running = requested.require("1".equals(System.getenv(Backend.NO_GPU_ENV)));
            LoggerFactory.getLogger("org.latentlab").info("backend: {}", running);
        } catch (IllegalStateException e) {
            throw new UserException(e.getMessage());
        }
    }
}
