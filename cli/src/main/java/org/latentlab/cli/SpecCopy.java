package org.latentlab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.latentlab.io.AtomicFiles;

/**
 * The copy of a sweep's definition file kept in its folder: a spec as {@code spec.yaml} or {@code spec.json}, a Java
 * source as {@code source/Name.java}. {@code collect} and {@code report} rebuild the experiment from it, and a rerun
 * with another definition is refused, so that one folder never mixes two sweeps.
 */
final class SpecCopy {
    private static final List<String> SPEC_NAMES = List.of("spec.yaml", "spec.json");
    private static final String SOURCE_DIR = "source";

    private SpecCopy() {}

    /** Keeps a copy of {@code definition} (a spec or a .java file) in {@code sweepDir}, or checks the one there. */
    static void keep(Path definition, Path sweepDir) {
        String name = definition.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        Path target = lower.endsWith(".java")
                ? sweepDir.resolve(SOURCE_DIR).resolve(name)
                : sweepDir.resolve(lower.endsWith(".json") ? "spec.json" : "spec.yaml");
        try {
            String content = Files.readString(definition);
            Optional<Path> existing = find(sweepDir);
            if (existing.isPresent()) {
                if (!existing.get().equals(target)
                        || !Files.readString(existing.get()).equals(content)) {
                    throw new UserException("the sweep in " + sweepDir + " was started with another definition ("
                            + existing.get() + " differs from " + definition + "); choose another --out, or "
                            + "restore it");
                }
                return;
            }
            AtomicFiles.writeString(target, content);
        } catch (IOException e) {
            throw new UserException(
                    "cannot keep a copy of " + definition + " in " + sweepDir + ": " + e.getMessage(), e);
        }
    }

    /** The definition copy in {@code sweepDir}, if it holds one. */
    static Optional<Path> find(Path sweepDir) {
        Optional<Path> spec = SPEC_NAMES.stream()
                .map(sweepDir::resolve)
                .filter(Files::isRegularFile)
                .findFirst();
        if (spec.isPresent() || !Files.isDirectory(sweepDir.resolve(SOURCE_DIR))) {
            return spec;
        }
        try (Stream<Path> sources = Files.list(sweepDir.resolve(SOURCE_DIR))) {
            return sources.filter(p -> p.getFileName().toString().endsWith(".java"))
                    .findFirst();
        } catch (IOException e) {
            throw new UserException("cannot list " + sweepDir.resolve(SOURCE_DIR) + ": " + e.getMessage(), e);
        }
    }
}
