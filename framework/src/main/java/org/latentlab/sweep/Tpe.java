package org.latentlab.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The Tree-structured Parzen Estimator of Bergstra, Bardenet, Bengio and Kégl ("Algorithms for Hyper-Parameter
 * Optimization", NeurIPS 2011), for independent parameters, as Optuna's {@code TPESampler} does by default:
 *
 * <ol>
 *   <li>the first {@link #startupTrials} suggestions are drawn from the prior (uniform, log-uniform or uniform over
 *       the choices);</li>
 *   <li>after that the observations are split into the best {@code min(ceil(0.1 n), 25)} ("good", Optuna's default
 *       gamma) and the rest; each side gets a Parzen estimator per parameter, l(x) from the good ones and g(x) from
 *       the rest: for a number, a mixture of truncated Gaussians at the observed values (in log space for a
 *       log-uniform parameter) plus a wide prior component, each with the adaptive bandwidth of the paper as Optuna
 *       computes it (the larger gap to its neighbours among the observations and the prior's centre, the outermost
 *       ones looking inwards, clipped to [range / min(100, n + 2), range]); for a choice, the counts plus a uniform
 *       prior weight;</li>
 *   <li>{@link #candidates} candidates are drawn from l, and the one with the largest l(x) / g(x) (summed over the
 *       parameters in log) is suggested.</li>
 * </ol>
 * A suggestion is a function of the seed, its index and the observations it is given, nothing else: the same sweep
 * proposes the same trials on any machine and with any number of workers.
 */
public final class Tpe {
    /** One dimension of the search space. */
    public sealed interface Param permits Uniform, LogUniform, Choice {
        String name();
    }

    /** Uniform in [lo, hi]. */
    public record Uniform(String name, double lo, double hi) implements Param {
        public Uniform {
            if (!(hi > lo) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
                throw new IllegalArgumentException("'" + name + "': need finite lo < hi, got [" + lo + ", " + hi + "]");
            }
        }
    }

    /** Log-uniform in [lo, hi], lo &gt; 0: for learning rates and penalty weights. */
    public record LogUniform(String name, double lo, double hi) implements Param {
        public LogUniform {
            if (!(lo > 0) || !(hi > lo) || !Double.isFinite(hi)) {
                throw new IllegalArgumentException("'" + name + "': need 0 < lo < hi, got [" + lo + ", " + hi + "]");
            }
        }
    }

    /** One of the values. */
    public record Choice(String name, List<Object> values) implements Param {
        public Choice {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("'" + name + "': a choice needs at least one value");
            }
        }
    }

    /**
     * A finished trial: its parameter values, its metric (lower is better), and how far it went: with successive
     * halving, the epochs of the last rung it reached. As Optuna's TPE does with pruned trials, observations are
     * ranked by how far they went first (a configuration that was continued beat the ones stopped at its rungs), then
     * by their metric at that point, since metrics after different numbers of epochs do not compare.
     */
    public record Observation(Map<String, Object> params, double value, int reached) {
        /** An observation of a trial that ran to the end (no halving). */
        public Observation(Map<String, Object> params, double value) {
            this(params, value, 0);
        }
    }

    /** Best first: the furthest reached, then the lowest metric (non-finite values last within their rung). */
    static final Comparator<Observation> RANKING = Comparator.comparingInt((Observation o) -> -o.reached())
            .thenComparingDouble(o -> Double.isFinite(o.value()) ? o.value() : Double.MAX_VALUE);

    /** Suggestions drawn from the prior before the estimators take over (Optuna's default). */
    public static final int STARTUP_TRIALS = 10;
    /** Candidates drawn from l(x) per suggestion (Optuna's default). */
    public static final int CANDIDATES = 24;

    private final List<Param> space;
    private final long seed;
    private final int startupTrials;
    private final int candidates;

    public Tpe(List<Param> space, long seed) {
        this(space, seed, STARTUP_TRIALS, CANDIDATES);
    }

    public Tpe(List<Param> space, long seed, int startupTrials, int candidates) {
        this.space = List.copyOf(space);
        if (this.space.isEmpty()) {
            throw new IllegalArgumentException("a TPE search needs at least one parameter");
        }
        if (startupTrials < 1 || candidates < 1) {
            throw new IllegalArgumentException("startup trials and candidates must be at least 1");
        }
        this.seed = seed;
        this.startupTrials = startupTrials;
        this.candidates = candidates;
    }

    public List<Param> space() {
        return space;
    }

    public int startupTrials() {
        return startupTrials;
    }

    /**
     * Suggestion number {@code index} given the finished trials {@code history} (observations with a non-finite
     * value count as the worst).
     */
    public Map<String, Object> suggest(int index, List<Observation> history) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        Map<String, Object> out = new LinkedHashMap<>();
        if (history.size() < startupTrials) {
            for (Param p : space) {
                out.put(p.name(), fromPrior(p, rng));
            }
            return out;
        }
        List<Observation> sorted = new ArrayList<>(history);
        sorted.sort(RANKING);
        int n = sorted.size();
        int good = Math.max(1, Math.min((int) Math.ceil(0.1 * n), 25));
        List<Observation> below = sorted.subList(0, good);
        List<Observation> above = sorted.subList(good, n);
        List<Estimator> l = new ArrayList<>();
        List<Estimator> g = new ArrayList<>();
        for (Param p : space) {
            l.add(estimator(p, below));
            g.add(estimator(p, above));
        }
        Object[] best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < candidates; c++) {
            Object[] candidate = new Object[space.size()];
            double score = 0;
            for (int i = 0; i < space.size(); i++) {
                candidate[i] = l.get(i).sample(rng);
                score += l.get(i).logDensity(candidate[i]) - g.get(i).logDensity(candidate[i]);
            }
            if (score > bestScore) {
                bestScore = score;
                best = candidate;
            }
        }
        for (int i = 0; i < space.size(); i++) {
            out.put(space.get(i).name(), Objects.requireNonNull(best)[i]);
        }
        return out;
    }

    private static Object fromPrior(Param p, SplittableRandom rng) {
        if (p instanceof Uniform u) {
            return u.lo() + rng.nextDouble() * (u.hi() - u.lo());
        }
        if (p instanceof LogUniform u) {
            return Math.exp(Math.log(u.lo()) + rng.nextDouble() * (Math.log(u.hi()) - Math.log(u.lo())));
        }
        Choice c = (Choice) p;
        return c.values().get(rng.nextInt(c.values().size()));
    }

    private interface Estimator {
        Object sample(SplittableRandom rng);

        double logDensity(Object x);
    }

    private static Estimator estimator(Param p, List<Observation> obs) {
        if (p instanceof Uniform u) {
            return new Parzen(u.lo(), u.hi(), values(p, obs, false), false);
        }
        if (p instanceof LogUniform u) {
            return new Parzen(Math.log(u.lo()), Math.log(u.hi()), values(p, obs, true), true);
        }
        return new Categorical((Choice) p, obs);
    }

    private static double[] values(Param p, List<Observation> obs, boolean log) {
        double[] v = new double[obs.size()];
        for (int i = 0; i < v.length; i++) {
            double x = ((Number) obs.get(i).params().get(p.name())).doubleValue();
            v[i] = log ? Math.log(x) : x;
        }
        return v;
    }

    /** A mixture of truncated Gaussians on [lo, hi] (log space for a log-uniform parameter) with a prior component. */
    private static final class Parzen implements Estimator {
        private final double lo;
        private final double hi;
        private final boolean log;
        private final double[] mu;
        private final double[] sigma;
        private final double[] logMass; // log of each component's mass inside [lo, hi]

        Parzen(double lo, double hi, double[] observed, boolean log) {
            this.lo = lo;
            this.hi = hi;
            this.log = log;
            int n = observed.length;
            double range = hi - lo;
            // Bandwidths as Optuna's univariate ParzenEstimator sets them: the observations and the prior's centre,
            // sorted between the bounds; each point's sigma is the larger gap to its neighbours, except that the
            // outermost points look inwards, not at the bounds (consider_endpoints=False); then clipped to
            // [range / min(100, n + 1), range] (the "magic clip"). The prior component keeps sigma = range.
            double prior = 0.5 * (lo + hi);
            double[] sorted = new double[n + 1];
            System.arraycopy(observed, 0, sorted, 0, n);
            sorted[n] = prior;
            java.util.Arrays.sort(sorted);
            double[] withEnds = new double[n + 3];
            withEnds[0] = lo;
            System.arraycopy(sorted, 0, withEnds, 1, n + 1);
            withEnds[n + 2] = hi;
            double[] gaps = new double[n + 1];
            for (int i = 0; i <= n; i++) {
                gaps[i] = Math.max(withEnds[i + 1] - withEnds[i], withEnds[i + 2] - withEnds[i + 1]);
            }
            if (n + 3 >= 4) {
                gaps[0] = withEnds[2] - withEnds[1];
                gaps[n] = withEnds[n + 1] - withEnds[n];
            }
            double minSigma = range / Math.min(100.0, n + 2.0);
            mu = new double[n + 1];
            sigma = new double[n + 1];
            boolean priorSeen = false;
            for (int i = 0; i <= n; i++) {
                mu[i] = sorted[i];
                if (!priorSeen && sorted[i] == prior) {
                    priorSeen = true;
                    sigma[i] = range;
                } else {
                    sigma[i] = Math.min(range, Math.max(minSigma, gaps[i]));
                }
            }
            logMass = new double[n + 1];
            for (int k = 0; k <= n; k++) {
                double mass = phi((hi - mu[k]) / sigma[k]) - phi((lo - mu[k]) / sigma[k]);
                logMass[k] = Math.log(Math.max(mass, 1e-300));
            }
        }

        @Override
        public Object sample(SplittableRandom rng) {
            int k = rng.nextInt(mu.length);
            double x = Double.NaN;
            for (int attempt = 0; attempt < 100 && !(x >= lo && x <= hi); attempt++) {
                x = mu[k] + sigma[k] * gaussian(rng);
            }
            if (!(x >= lo && x <= hi)) {
                x = Math.min(hi, Math.max(lo, mu[k]));
            }
            return log ? Math.exp(x) : x;
        }

        @Override
        public double logDensity(Object value) {
            double x = ((Number) value).doubleValue();
            if (log) {
                x = Math.log(x);
            }
            double max = Double.NEGATIVE_INFINITY;
            double[] terms = new double[mu.length];
            for (int k = 0; k < mu.length; k++) {
                double z = (x - mu[k]) / sigma[k];
                terms[k] = -0.5 * z * z - Math.log(sigma[k]) - 0.5 * Math.log(2 * Math.PI) - logMass[k];
                max = Math.max(max, terms[k]);
            }
            double sum = 0;
            for (double t : terms) {
                sum += Math.exp(t - max);
            }
            return max + Math.log(sum / mu.length);
        }

        /** The standard normal CDF (erfc of Numerical Recipes, relative error below 1.2e-7). */
        private static double phi(double z) {
            return 0.5 * erfc(-z / Math.sqrt(2));
        }

        private static double erfc(double x) {
            double z = Math.abs(x);
            double t = 1 / (1 + 0.5 * z);
            double r = t
                    * Math.exp(
                            -z * z
                                    - 1.26551223
                                    + t
                                            * (1.00002368
                                                    + t
                                                            * (0.37409196
                                                                    + t
                                                                            * (0.09678418
                                                                                    + t
                                                                                            * (-0.18628806
                                                                                                    + t
                                                                                                            * (0.27886807
                                                                                                                    + t
                                                                                                                            * (-1.13520398
                                                                                                                                    + t
                                                                                                                                            * (1.48851587
                                                                                                                                                    + t
                                                                                                                                                            * (-0.82215223
                                                                                                                                                                    + t
                                                                                                                                                                            * 0.17087277)))))))));
            return x >= 0 ? r : 2 - r;
        }

        private static double gaussian(SplittableRandom rng) {
            double u1 = 1 - rng.nextDouble();
            double u2 = rng.nextDouble();
            return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        }
    }

    /** Counts of each choice among the observations plus a prior weight of 1 spread evenly. */
    private static final class Categorical implements Estimator {
        private final List<Object> values;
        private final double[] p;

        Categorical(Choice c, List<Observation> obs) {
            values = c.values();
            int k = values.size();
            p = new double[k];
            for (int i = 0; i < k; i++) {
                p[i] = 1.0 / k;
            }
            for (Observation o : obs) {
                int i = indexOf(o.params().get(c.name()));
                if (i >= 0) {
                    p[i] += 1;
                }
            }
            double total = 1 + obs.size();
            for (int i = 0; i < k; i++) {
                p[i] /= total;
            }
        }

        private int indexOf(Object v) {
            for (int i = 0; i < values.size(); i++) {
                Object w = values.get(i);
                if (Objects.equals(w, v)
                        || (w instanceof Number a && v instanceof Number b && a.doubleValue() == b.doubleValue())) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public Object sample(SplittableRandom rng) {
            double u = rng.nextDouble();
            double acc = 0;
            for (int i = 0; i < p.length; i++) {
                acc += p[i];
                if (u < acc) {
                    return values.get(i);
                }
            }
            return values.get(p.length - 1);
        }

        @Override
        public double logDensity(Object x) {
            int i = indexOf(x);
            return i < 0 ? Double.NEGATIVE_INFINITY : Math.log(p[i]);
        }
    }
}
