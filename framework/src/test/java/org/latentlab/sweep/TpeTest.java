package org.latentlab.sweep;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The TPE sampler on cheap objectives: in bounds, deterministic, and better than random search at equal budget. */
class TpeTest {
    private static final List<Tpe.Param> SPACE = List.of(
            new Tpe.LogUniform("trainer.learningRate", 1e-5, 1e-1),
            new Tpe.Uniform("model.beta", 0.0, 4.0),
            new Tpe.Choice("model.latentSize", List.of(2, 8, 16, 32)));

    /** A bowl with its floor at lr = 3e-3, beta = 1, latent size 16 (value 0 there). */
    private static double objective(Map<String, Object> p) {
        double lr = Math.log10(((Number) p.get("trainer.learningRate")).doubleValue());
        double beta = ((Number) p.get("model.beta")).doubleValue();
        int latent = (Integer) p.get("model.latentSize");
        return (lr - Math.log10(3e-3)) * (lr - Math.log10(3e-3))
                + 0.5 * (beta - 1) * (beta - 1)
                + (latent == 16 ? 0 : latent == 8 || latent == 32 ? 0.3 : 1.0);
    }

    private static double bestOf(int trials, long seed, boolean tpe) {
        Tpe sampler = new Tpe(SPACE, seed);
        List<Tpe.Observation> history = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(seed);
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < trials; i++) {
            Map<String, Object> p = tpe ? sampler.suggest(i, history) : randomPoint(random);
            double v = objective(p);
            history.add(new Tpe.Observation(p, v));
            best = Math.min(best, v);
        }
        return best;
    }

    private static Map<String, Object> randomPoint(SplittableRandom r) {
        return Map.of(
                "trainer.learningRate", Math.exp(Math.log(1e-5) + r.nextDouble() * (Math.log(1e-1) - Math.log(1e-5))),
                "model.beta", 4 * r.nextDouble(),
                "model.latentSize", List.of(2, 8, 16, 32).get(r.nextInt(4)));
    }

    @Test
    void tpeFindsBetterPointsThanRandomSearchWithTheSameBudget() {
        double tpe = 0;
        double random = 0;
        int wins = 0;
        for (long seed = 1; seed <= 20; seed++) {
            double a = bestOf(40, seed, true);
            double b = bestOf(40, seed, false);
            tpe += a;
            random += b;
            wins += a < b ? 1 : 0;
        }
        assertTrue(
                tpe < 0.5 * random,
                "mean best of 40 trials over 20 seeds: TPE " + tpe / 20 + ", random " + random / 20);
        assertTrue(wins >= 14, "TPE wins " + wins + " of 20 seeds");
    }

    @Test
    void suggestionsStayInTheSpaceAndAreAFunctionOfSeedIndexAndHistory() {
        Tpe sampler = new Tpe(SPACE, 7);
        List<Tpe.Observation> history = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Map<String, Object> p = sampler.suggest(i, history);
            assertEquals(p, new Tpe(SPACE, 7).suggest(i, List.copyOf(history)), "deterministic");
            double lr = (Double) p.get("trainer.learningRate");
            double beta = (Double) p.get("model.beta");
            assertTrue(lr >= 1e-5 && lr <= 1e-1, "lr " + lr);
            assertTrue(beta >= 0 && beta <= 4, "beta " + beta);
            assertTrue(List.of(2, 8, 16, 32).contains(p.get("model.latentSize")));
            history.add(new Tpe.Observation(p, objective(p)));
        }
        assertNotEquals(new Tpe(SPACE, 7).suggest(29, history), new Tpe(SPACE, 8).suggest(29, history), "seeded");
    }

    @Test
    void aFailedTrialCountsAsTheWorst() {
        Tpe sampler = new Tpe(List.of(new Tpe.Uniform("x", 0, 1)), 3, 2, 24);
        ToDoubleFunction<Double> f = x -> Math.abs(x - 0.2);
        List<Tpe.Observation> history = new ArrayList<>(List.of(
                new Tpe.Observation(Map.of("x", 0.21), f.applyAsDouble(0.21)),
                new Tpe.Observation(Map.of("x", 0.9), Double.NaN),
                new Tpe.Observation(Map.of("x", 0.6), f.applyAsDouble(0.6))));
        Map<String, Object> next = sampler.suggest(3, history);
        assertTrue((Double) next.get("x") < 0.6, "drawn near the good point: " + next);
    }

    @Test
    void trialsThatWentFurtherRankFirstThenByTheirMetric() {
        Tpe.Observation stoppedEarlyLow = new Tpe.Observation(Map.of("x", 0.1), 100.0, 1);
        Tpe.Observation continuedHigh = new Tpe.Observation(Map.of("x", 0.2), 150.0, 5);
        Tpe.Observation continuedLow = new Tpe.Observation(Map.of("x", 0.3), 140.0, 5);
        Tpe.Observation midway = new Tpe.Observation(Map.of("x", 0.4), 120.0, 3);
        Tpe.Observation midwayFailed = new Tpe.Observation(Map.of("x", 0.5), Double.NaN, 3);
        List<Tpe.Observation> sorted =
                new ArrayList<>(List.of(stoppedEarlyLow, midwayFailed, continuedHigh, midway, continuedLow));
        sorted.sort(Tpe.RANKING);
        assertEquals(List.of(continuedLow, continuedHigh, midway, midwayFailed, stoppedEarlyLow), sorted);

        // The good side is the continued configuration (x = 0.8), not the one with the lowest metric after fewer
        // epochs (x = 0.1): suggestions gather near 0.8.
        Tpe sampler = new Tpe(List.of(new Tpe.Uniform("x", 0, 1)), 5, 2, 24);
        List<Tpe.Observation> history = List.of(
                new Tpe.Observation(Map.of("x", 0.1), 90.0, 1),
                new Tpe.Observation(Map.of("x", 0.3), 95.0, 1),
                new Tpe.Observation(Map.of("x", 0.5), 97.0, 1),
                new Tpe.Observation(Map.of("x", 0.8), 60.0, 3));
        int near = 0;
        for (int i = 0; i < 20; i++) {
            double x = (Double) sampler.suggest(4 + i, history).get("x");
            near += Math.abs(x - 0.8) < Math.abs(x - 0.1) ? 1 : 0;
        }
        assertTrue(near >= 15, near + " of 20 suggestions nearer the continued point");
    }
}
