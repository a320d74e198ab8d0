package org.latentlab.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.ModelRegistry;
import org.latentlab.io.AtomicFiles;
import org.latentlab.io.FaultPoint;

/**
 * Checkpoints of a run in one folder: {@code epoch-0003/} holds the model (parameters and
 * updater state) under {@code model/} and the {@link TrainingState} in {@code state.json}. Each
 * checkpoint folder appears atomically, so an interrupted save never leaves a broken one.
 */
public final class Checkpoints {
    private static final Pattern NAME = Pattern.compile("epoch-(\\d{4,})");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final ModelRegistry registry;

    public Checkpoints(Path dir, ModelRegistry registry) {
        this.dir = dir;
        this.registry = registry;
    }

    public Path dir() {
        return dir;
    }

    /** Saves model and state as {@code epoch-NNNN}. */
    public Path save(AutoencoderModel<?> model, TrainingState state) {
        Path target = dir.resolve(String.format("epoch-%04d", state.epochsCompleted()));
        AtomicFiles.replaceDirectory(target, tmp -> {
            model.save(tmp.resolve("model"), registry);
            FaultPoint.reach(FaultPoint.CHECKPOINT_WRITE, target);
            JSON.writeValue(tmp.resolve("state.json").toFile(), state);
        });
        return target;
    }

    /** The checkpoint with the highest epoch, if any. */
    public Optional<Path> latest() {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.isRegularFile(p.resolve("state.json")))
                    .max(Comparator.comparingInt(Checkpoints::epochOf));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + dir, e);
        }
    }

    /** A loaded checkpoint: the model, ready to train on, and the state to resume from. */
    public record Loaded(AutoencoderModel<?> model, TrainingState state) {}

    public Loaded load(Path checkpoint) {
        Path stateFile = checkpoint.resolve("state.json");
        if (!Files.isRegularFile(stateFile)) {
            throw new IllegalArgumentException("not a checkpoint: " + checkpoint + " has no state.json");
        }
        try {
            TrainingState state = JSON.readValue(stateFile.toFile(), TrainingState.class);
            return new Loaded(AutoencoderModel.load(checkpoint.resolve("model"), registry), state);
        } catch (IOException e) {
            String detail = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new IllegalArgumentException("cannot read checkpoint state " + stateFile + ": " + detail, e);
        }
    }

    private static int epochOf(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }
}
