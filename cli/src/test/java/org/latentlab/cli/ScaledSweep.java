package org.latentlab.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.latentlab.data.Datasets;
import org.latentlab.eval.EvaluationOptions;
import org.latentlab.eval.EvaluationResult;
import org.latentlab.models.ae.AutoencoderConfig;
import org.latentlab.run.RunConfig;
import org.latentlab.sweep.Experiment;
import org.latentlab.sweep.ResultsTable;
import org.latentlab.sweep.Sweep;
import org.latentlab.sweep.SweepAnalysis;
import org.latentlab.train.TrainerConfig;

/**
 * A two-trial experiment with a quick version, a per-trial evaluation with the sweep's classifier and an analysis:
 * what the gallery experiments are made of, at test size. Its full version names full MNIST, which tests never run.
 */
public final class ScaledSweep extends Experiment {
    @Override
    public RunConfig baseConfig() {
        return RunConfig.of(AutoencoderConfig.defaults().withEncoderSizes(List.of(32, 2)))
                .withDataset(quick() ? Datasets.MNIST_SAMPLE : Datasets.MNIST)
                .withTrainer(TrainerConfig.builder().epochs(quick() ? 1 : 50).build());
    }

    @Override
    public Sweep sweep() {
        return Sweep.grid().seeds(1, 2);
    }

    @Override
    public Optional<EvaluationOptions> evaluation(RunConfig trial) {
        return Optional.of(EvaluationOptions.defaults()
                .withImportanceSampling(0, 0)
                .withJacobian(0, EvaluationOptions.JACOBIAN_STEP, 0)
                .withProbes(0, 0)
                .withClassifierEpochs(1));
    }

    @Override
    public void analyze(SweepAnalysis analysis) {
        List<List<String>> rows = new ArrayList<>();
        for (ResultsTable.Row row : analysis.completed()) {
            EvaluationResult e = analysis.evaluation(row);
            rows.add(List.of(row.trial(), SweepAnalysis.num(e.classifier().reconstructionAccuracy())));
        }
        analysis.section(
                "Codes and classifier",
                "Scale " + analysis.scale() + ".\n\n" + SweepAnalysis.table(List.of("trial", "accuracy"), rows));
    }
}
