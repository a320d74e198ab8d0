package org.latentlab.sweep;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.train.LrSchedule;
import org.latentlab.train.TinyAutoencoder;

/** Sweep specs: experiments as YAML or JSON files, planned like Java ones, with errors that name file, line and key. */
class SpecExperimentTest {
    @TempDir
    Path tmp;

    private Path write(String name, String content) throws Exception {
        Path f = tmp.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    private SpecExperiment read(Path f) {
        return SpecExperiment.read(f, TinyAutoencoder.registry());
    }

    @Test
    void aGridSpecPlansEveryCombinationOnItsBaseConfig() throws Exception {
        Path f = write("tiny-grid.yaml", """
                # comments are fine
                base:
                  dataset: mnist-sample
                  model: {type: tiny, codeSize: 3}
                  trainer:
                    epochs: 4
                    lrSchedule: cosine
                grid:
                  codeSize: [2, 5]
                  trainer.learningRate: [0.01, 0.001]
                seeds: [1, 2]
                metric: test_mse
                minimize: true
                quick:
                  trainer.epochs: 1
                """);
        SpecExperiment spec = read(f);
        assertEquals("tiny-grid", spec.name(), "the file name without its extension");
        assertEquals("test_mse", spec.metric());
        List<Trial> trials = new TrialPlanner(TinyAutoencoder.registry()).plan(spec);
        assertEquals(8, trials.size());
        Trial last = trials.get(7);
        assertEquals(5, ((TinyAutoencoder.Config) last.config().model()).codeSize());
        assertEquals(0.001, last.config().trainer().learningRate());
        assertEquals(2L, last.config().trainer().seed());
        assertEquals(4, last.config().trainer().epochs());
        assertEquals(LrSchedule.COSINE, last.config().trainer().lrSchedule(), "enums in any case");
        assertEquals(1, last.config().trainer().checkpointEvery(), "a key left out takes its default");

        spec.atScale(Experiment.Scale.QUICK);
        List<Trial> quick = new TrialPlanner(TinyAutoencoder.registry()).plan(spec);
        assertEquals(1, quick.get(0).config().trainer().epochs(), "--quick applies the quick block");
        assertEquals(trials.get(0).id(), quick.get(0).id(), "the same trials");
    }

    @Test
    void aRandomSpecDrawsTheSameTrialsEveryTime() throws Exception {
        String json = """
                {"name": "tiny-random",
                 "base": {"model": {"type": "tiny"}},
                 "random": {"trials": 5, "seed": 3, "params": {
                    "trainer.learningRate": {"logUniform": [0.0001, 0.1]},
                    "codeSize": {"choice": [2, 4, 8]},
                    "model.outputScale": {"uniform": [0.5, 1.0]}}},
                 "minimize": false}
                """;
        Path f = write("r.json", json);
        List<Trial> a = new TrialPlanner(TinyAutoencoder.registry()).plan(read(f));
        List<Trial> b = new TrialPlanner(TinyAutoencoder.registry()).plan(read(write("again.json", json)));
        assertEquals(5, a.size());
        assertEquals(
                a.stream().map(Trial::params).toList(),
                b.stream().map(Trial::params).toList());
        for (Trial t : a) {
            double lr = t.config().trainer().learningRate();
            assertTrue(lr >= 1e-4 && lr < 0.1, String.valueOf(lr));
            assertTrue(List.of(2, 4, 8)
                    .contains(((TinyAutoencoder.Config) t.config().model()).codeSize()));
        }
        assertFalse(read(f).minimize());
        assertEquals("tiny-random", read(f).name());
    }

    @Test
    void aBadSpecIsOneErrorNamingTheFileTheLineAndTheKey() throws Exception {
        assertError(
                "unknown.yaml",
                "base:\n  model: {type: tiny}\ngird:\n  codeSize: [2]\n",
                ": line 3",
                "unknown key 'gird'");
        assertError("param.yaml", "base:\n  model: {type: tiny}\ngrid:\n  codeSise: [2, 3]\n", ": line 4", "codeSise");
        assertError(
                "notalist.yaml",
                "base:\n  model: {type: tiny}\ngrid:\n  codeSize: 3\n",
                ": line 4",
                "expected a list of values");
        assertError(
                "both.yaml",
                "base:\n  model: {type: tiny}\ngrid: {codeSize: [2]}\nrandom: {trials: 2}\n",
                ": line 4",
                "not both");
        assertError("notype.yaml", "base:\n  dataset: mnist-sample\n", ": line 1", "base.model.type");
        assertError("model.yaml", "base:\n  model: {type: nope}\n", ": line 2", "unknown model");
        assertError(
                "dist.yaml",
                "base:\n  model: {type: tiny}\nrandom:\n  trials: 2\n  params:\n    codeSize: {normal: [0, 1]}\n",
                ": line 6",
                "unknown distribution 'normal'");
        assertError("basekey.yaml", "base:\n  model: {type: tiny}\n  trainer:\n    epoks: 2\n", ": line 4", "epoks");
        assertError(
                "value.yaml",
                "base:\n  model: {type: tiny}\n  trainer:\n    epochs: 0\n",
                ": line 4",
                "epochs must be at least 1");
        assertError("seeds.yaml", "base:\n  model: {type: tiny}\nseeds: [1.5]\n", ": line 3", "whole numbers");
        assertError("quick.yaml", "base:\n  model: {type: tiny}\nquick:\n  trainer.epoks: 1\n", ": line 4", "epoks");
        assertError("syntax.yaml", "base:\n  model: {type: tiny\n", ": line", "not valid YAML");
    }

    private void assertError(String name, String content, String where, String what) throws Exception {
        Path f = write(name, content);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(f), name);
        String m = e.getMessage();
        assertTrue(
                m.startsWith(f + where) && m.contains(what), "expected '" + f + where + "' and '" + what + "': " + m);
        assertFalse(m.contains("\n"), "one line: " + m);
    }

    @Test
    void aTpeSpecPlansItsFirstRoundFromThePrior() throws Exception {
        Path f = write("tiny-tpe.yaml", """
                base:
                  model: {type: tiny}
                tpe:
                  trials: 8
                  seed: 2
                  batch: 3
                  startup: 3
                  params:
                    trainer.learningRate: {logUniform: [0.0001, 0.1]}
                    codeSize: {choice: [2, 4]}
                """);
        SpecExperiment spec = read(f);
        assertTrue(spec.sweep().isAdaptive());
        assertEquals(8, spec.sweep().adaptiveTrials());
        assertEquals(3, new TrialPlanner(TinyAutoencoder.registry()).plan(spec).size(), "round 1, before results");
        assertError(
                "tpeseeds.yaml",
                "base:\n  model: {type: tiny}\ntpe:\n  trials: 2\n  params: {codeSize: "
                        + "{choice: [2]}}\nseeds: [1, 2]\n",
                ": line 6",
                "does not combine");
        assertError(
                "tpebatch.yaml",
                "base:\n  model: {type: tiny}\ntpe:\n  trials: 2\n  batch: 0\n  params: "
                        + "{codeSize: {choice: [2]}}\n",
                ": line 5",
                "tpe.batch");
    }
}
