package org.latentlab.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
 *
 * <p>{@code best/} holds the model of the epoch with the lowest validation loss so far, written when that epoch
 * ends, before its checkpoint: a resumed run finds it as the uninterrupted run left it. {@link #prune} keeps the
 * newest checkpoints only; a folder is renamed to a leftover name before it is deleted, so that a process killed
 * while deleting leaves nothing {@link #latest} could mistake for a checkpoint.
 */
public final class Checkpoints {
    private static final Pattern NAME = Pattern.compile("epoch-(\\d{4,})");
    /** The folder of the best model on validation so far. */
    public static final String BEST = "best";
    /** The model's folder inside a checkpoint and inside {@value #BEST}. */
    public static final String MODEL = "model";

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
        List<Path> same = List.of(dir.resolve(BEST).resolve(MODEL)); // saved just before, when this epoch is best
        AtomicFiles.replaceDirectory(target, tmp -> {
            model.save(tmp.resolve(MODEL), registry, f -> {}, same);
            FaultPoint.reach(FaultPoint.CHECKPOINT_WRITE, target);
            JSON.writeValue(tmp.resolve("state.json").toFile(), state);
        });
        return target;
    }

    /** Saves {@code model} (after epoch {@code epoch}, the best on validation so far) as {@code best/}. */
    public Path saveBest(AutoencoderModel<?> model, int epoch) {
        Path target = dir.resolve(BEST);
        AtomicFiles.replaceDirectory(target, tmp -> {
            model.save(tmp.resolve(MODEL), registry);
            Files.writeString(tmp.resolve("epoch"), epoch + "\n");
        });
        return target;
    }

    /** The best model on validation saved by {@link #saveBest}, loaded, if there is one. */
    public Optional<Best> best() {
        Path best = dir.resolve(BEST);
        Path epochFile = best.resolve("epoch");
        if (!Files.isRegularFile(epochFile)) {
            return Optional.empty();
        }
        try {
            int epoch = Integer.parseInt(Files.readString(epochFile).trim());
            return Optional.of(new Best(AutoencoderModel.load(best.resolve(MODEL), registry), epoch));
        } catch (IOException | NumberFormatException e) {
            throw new IllegalArgumentException(
                    "cannot read the best model's epoch " + epochFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * The model folders of the best model and the newest checkpoint, where they exist: the candidates to share a
     * graph file with when the run's model is saved in the same state ({@link AutoencoderModel#save(Path,
     * ModelRegistry, org.latentlab.io.AtomicFiles.IoConsumer, List)}).
     */
    public List<Path> savedModels() {
        List<Path> saved = new ArrayList<>();
        latest().ifPresent(p -> saved.add(p.resolve(MODEL)));
        Path best = dir.resolve(BEST).resolve(MODEL);
        if (Files.isDirectory(best)) {
            saved.add(best);
        }
        return saved;
    }

    /** The best model on validation and its epoch. */
    public record Best(AutoencoderModel<?> model, int epoch) {}

    /** The checkpoint with the highest epoch, if any. */
    public Optional<Path> latest() {
        return all().stream().reduce((a, b) -> b);
    }

    /** Every complete checkpoint, oldest first. */
    public List<Path> all() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.isRegularFile(p.resolve("state.json")))
                    .sorted(Comparator.comparingInt(Checkpoints::epochOf))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + dir, e);
        }
    }

    /** Deletes all but the newest {@code keep} checkpoints; returns the deleted folders' names. */
    public List<String> prune(int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("checkpoints to keep must be at least 1, got " + keep);
        }
        List<Path> all = all();
        List<String> deleted = new ArrayList<>();
        for (Path old : all.subList(0, Math.max(0, all.size() - keep))) {
            try {
                // First out of latest()'s sight under a leftover name (which a resume clears), then deleted.
                Path doomed = old.resolveSibling("." + old.getFileName() + ".old" + System.nanoTime());
                Files.move(old, doomed, StandardCopyOption.ATOMIC_MOVE);
                AtomicFiles.deleteRecursively(doomed);
                deleted.add(old.getFileName().toString());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the old checkpoint " + old, e);
            }
        }
        return deleted;
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
            return new Loaded(AutoencoderModel.load(checkpoint.resolve(MODEL), registry), state);
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
