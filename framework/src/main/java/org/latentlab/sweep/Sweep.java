package org.latentlab.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * What a sweep varies: a grid (every combination of the listed values), a seeded random search
 * (n draws from per-parameter distributions), an adaptive TPE search ({@link #tpe}: each round of
 * points is proposed from the results of the rounds before it), or a list of chosen points, each
 * optionally repeated over seeds (not the TPE search, whose points are all distinct).
 * Parameter names are paths into the run config ({@code model.latentSize},
 * {@code trainer.learningRate}, {@code dataset}), bare keys that name exactly one of them
 * ({@code latentSize}), {@code model} (the model type: {@code over("model", "ae", "vae")}) or keys
 * scoped to one model type ({@code vae.beta}); they are checked against the config records when
 * trials are made (see {@link TrialPlanner} and {@link org.latentlab.run.ConfigPaths}).
 */
public final class Sweep {
    /** Run-config path of the seed, swept by {@link #seeds}. */
    public static final String SEED = "trainer.seed";
    /** Run-config path of the epochs, set per rung by {@link #halving}. */
    public static final String EPOCHS = "trainer.epochs";
    /** The key of a promoted point that names the trial it continues (its index); not a config key. */
    public static final String PARENT = "_parent";

    private final int randomTrials;
    private final long randomSeed;
    private final Map<String, List<Object>> grid = new LinkedHashMap<>();
    private final Map<String, Distribution> random = new LinkedHashMap<>();
    private final List<Map<String, Object>> cases = new ArrayList<>();
    private long[] seeds = new long[0];

    private int tpeTrials;
    private int tpeBatch = 1;
    private int tpeStartup = Tpe.STARTUP_TRIALS;
    private int halvingMinEpochs;
    private int halvingEta;

    private Sweep(int randomTrials, long randomSeed) {
        this.randomTrials = randomTrials;
        this.randomSeed = randomSeed;
    }

    /**
     * An adaptive search with the Tree-structured Parzen Estimator ({@link Tpe}): {@code trials} points, proposed in
     * rounds of {@link #batch} from the ranking metric of every earlier round (the first {@link #startup} from the
     * prior); add parameters with {@link #uniform}, {@link #logUniform} and {@link #choice}. A round depends only on
     * the rounds before it, so the same sweep proposes the same trials with any number of workers.
     */
    public static Sweep tpe(int trials, long seed) {
        if (trials < 1) {
            throw new IllegalArgumentException("a TPE sweep needs at least 1 trial, got " + trials);
        }
        Sweep sweep = new Sweep(0, seed);
        sweep.tpeTrials = trials;
        return sweep;
    }

    /** Points proposed per round of a TPE sweep (default 1): with N workers, a batch of N keeps all of them busy. */
    public Sweep batch(int points) {
        if (tpeTrials == 0) {
            throw new IllegalStateException("batch() belongs to Sweep.tpe(...)");
        }
        if (points < 1) {
            throw new IllegalArgumentException("a TPE round needs at least 1 point, got " + points);
        }
        this.tpeBatch = points;
        return this;
    }

    /** Points of a TPE sweep drawn from the prior before the estimators take over (default 10). */
    public Sweep startup(int points) {
        if (tpeTrials == 0) {
            throw new IllegalStateException("startup() belongs to Sweep.tpe(...)");
        }
        if (points < 1) {
            throw new IllegalArgumentException("startup points must be at least 1, got " + points);
        }
        this.tpeStartup = points;
        return this;
    }

    /**
     * Successive halving for a TPE sweep (Jamieson &amp; Talwalkar 2016; with TPE's proposals as in BOHB, Falkner et al.
     * 2018): each round's {@link #batch} of new configurations trains {@code minEpochs} epochs; the best 1/{@code
     * eta} of them (at least one) continue from their checkpoints to {@code minEpochs * eta} epochs, the best 1/eta
     * of those to eta times more, and so on up to the base config's epochs. TPE learns from every configuration
     * of the finished rounds, ranked by the rung it reached, then by its metric there (as Optuna ranks pruned trials).
     * Promotions are decided when a rung is complete, so the search stays a
     * function of its results. Use a learning-rate schedule that does not depend on the number of epochs (constant):
     * a continued trial then equals one trained that long from the start.
     */
    public Sweep halving(int minEpochs, int eta) {
        if (tpeTrials == 0) {
            throw new IllegalStateException("halving() belongs to Sweep.tpe(...)");
        }
        if (minEpochs < 1 || eta < 2) {
            throw new IllegalArgumentException(
                    "halving needs minEpochs >= 1 and eta >= 2, got " + minEpochs + ", " + eta);
        }
        this.halvingMinEpochs = minEpochs;
        this.halvingEta = eta;
        return this;
    }

    /** Whether this TPE sweep promotes trials by successive halving. */
    public boolean halves() {
        return halvingEta > 0;
    }

    /**
     * The number of trials an adaptive search runs when its configs train up to {@code maxEpochs}: its {@link
     * #tpe} configurations, plus their promotions with {@link #halving}.
     */
    public int adaptiveTrials(int maxEpochs) {
        if (!halves()) {
            return tpeTrials;
        }
        int total = 0;
        for (int start = 0; start < tpeTrials; start += tpeBatch) {
            int size = Math.min(tpeBatch, tpeTrials - start);
            total += size;
            for (int e = Math.min(halvingMinEpochs, maxEpochs);
                    e < maxEpochs;
                    e = Math.min(e * halvingEta, maxEpochs)) {
                size = Math.max(1, size / halvingEta);
                total += size;
            }
        }
        return total;
    }

    /** Whether this is an adaptive search, whose points come from {@link #adaptivePoints}. */
    public boolean isAdaptive() {
        return tpeTrials > 0;
    }

    /** The number of points of an adaptive search. */
    public int adaptiveTrials() {
        return tpeTrials;
    }

    /**
     * The points of an adaptive search that can be proposed given the ranking values of its first trials, in trial
     * order ({@code values.get(i)} is trial i's metric, oriented so that lower is better; NaN for a failed trial):
     * every round whose earlier rounds all have values. Recomputed from the start each time, so it is a function of
     * the seed and the values only.
     */
    public List<Map<String, Object>> adaptivePoints(List<Double> values) {
        return adaptivePoints(values, 0);
    }

    /**
     * {@link #adaptivePoints(List)} for configs that train up to {@code maxEpochs} (the base config's): with
     * {@link #halving}, each point also sets {@link #EPOCHS}, and a promoted point names the trial it continues
     * under {@link #PARENT}.
     */
    public List<Map<String, Object>> adaptivePoints(List<Double> values, int maxEpochs) {
        if (halves()) {
            return halvingPoints(values, maxEpochs);
        }
        if (!isAdaptive()) {
            throw new IllegalStateException("adaptivePoints() belongs to Sweep.tpe(...)");
        }
        Tpe tpe = tpeSampler();
        List<Map<String, Object>> points = new ArrayList<>();
        List<Tpe.Observation> history = new ArrayList<>();
        for (int start = 0; start < tpeTrials && start <= values.size(); start += tpeBatch) {
            List<Tpe.Observation> known = List.copyOf(history.subList(0, Math.min(start, history.size())));
            for (int i = start; i < Math.min(tpeTrials, start + tpeBatch); i++) {
                Map<String, Object> p = tpe.suggest(i, known);
                points.add(p);
                if (i < values.size()) {
                    history.add(new Tpe.Observation(p, values.get(i)));
                }
            }
        }
        return points;
    }

    /** A grid sweep: add axes with {@link #over}. With no axes it is a single trial. */
    public static Sweep grid() {
        return new Sweep(0, 0);
    }

    /** A random search of {@code trials} points drawn with a generator seeded by {@code seed}. */
    public static Sweep random(int trials, long seed) {
        if (trials < 1) {
            throw new IllegalArgumentException("a random sweep needs at least 1 trial, got " + trials);
        }
        return new Sweep(trials, seed);
    }

    /**
     * A list of chosen points, each a map from parameter to value (parameters a point leaves out
     * keep the base config's value; {@code Map.of()} is the base config itself): for trials that
     * differ in unrelated ways, such as re-running a few chosen configurations. A point's
     * parameters are taken in name order, so trial ids do not depend on the map's iteration order
     * ({@code Map.of}'s changes from one JVM to the next, and shards must agree on the ids).
     */
    @SafeVarargs
    public static Sweep cases(Map<String, ?>... points) {
        if (points.length == 0) {
            throw new IllegalArgumentException("cases() needs at least one point");
        }
        Sweep sweep = new Sweep(0, 0);
        for (Map<String, ?> p : points) {
            sweep.cases.add(new LinkedHashMap<>(new TreeMap<>(p)));
        }
        return sweep;
    }

    /** A grid axis: every listed value is combined with every value of the other axes. */
    public Sweep over(String param, Object... values) {
        requireGrid(param);
        if (!cases.isEmpty()) {
            throw new IllegalStateException(
                    "'" + param + "': over() belongs to Sweep.grid(); cases() lists its points");
        }
        if (values.length == 0) {
            throw new IllegalArgumentException("sweep axis '" + param + "' has no values");
        }
        grid.put(param, List.of(values));
        return this;
    }

    /** Random search: uniform in [lo, hi). */
    public Sweep uniform(String param, double lo, double hi) {
        return draw(param, new Distribution.Uniform(lo, hi, false));
    }

    /** Random search: log-uniform in [lo, hi), for learning rates and penalty weights. */
    public Sweep logUniform(String param, double lo, double hi) {
        if (!(lo > 0)) {
            throw new IllegalArgumentException("log-uniform '" + param + "' needs lo > 0, got " + lo);
        }
        return draw(param, new Distribution.Uniform(lo, hi, true));
    }

    /** Random search: one of the values, each equally likely. */
    public Sweep choice(String param, Object... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("choice '" + param + "' has no values");
        }
        return draw(param, new Distribution.Choice(List.of(values)));
    }

    /** Repeats every point with each seed (outermost loop of the trial order stays the points). */
    public Sweep seeds(long... values) {
        if (tpeTrials > 0) {
            throw new IllegalStateException(
                    "seeds() does not combine with Sweep.tpe(...): its points are all distinct");
        }
        if (values.length == 0) {
            throw new IllegalArgumentException("seeds() needs at least one seed");
        }
        this.seeds = values.clone();
        return this;
    }

    /** Every trial's parameter values, in a fixed order. */
    public List<Map<String, Object>> points() {
        if (isAdaptive()) {
            throw new IllegalStateException("the points of a TPE sweep depend on results: use adaptivePoints()");
        }
        List<Map<String, Object>> base = new ArrayList<>();
        if (!cases.isEmpty()) {
            for (Map<String, Object> p : cases) {
                base.add(new LinkedHashMap<>(p));
            }
        } else if (randomTrials > 0) {
            SplittableRandom rng = new SplittableRandom(randomSeed);
            for (int i = 0; i < randomTrials; i++) {
                Map<String, Object> p = new LinkedHashMap<>();
                random.forEach((name, d) -> p.put(name, d.draw(rng)));
                base.add(p);
            }
        } else {
            base.add(new LinkedHashMap<>());
            for (Map.Entry<String, List<Object>> axis : grid.entrySet()) {
                List<Map<String, Object>> next = new ArrayList<>();
                for (Map<String, Object> p : base) {
                    for (Object v : axis.getValue()) {
                        Map<String, Object> q = new LinkedHashMap<>(p);
                        q.put(axis.getKey(), v);
                        next.add(q);
                    }
                }
                base = next;
            }
        }
        if (seeds.length == 0) {
            return base;
        }
        List<Map<String, Object>> withSeeds = new ArrayList<>();
        for (Map<String, Object> p : base) {
            for (long s : seeds) {
                Map<String, Object> q = new LinkedHashMap<>(p);
                q.put(SEED, s);
                withSeeds.add(q);
            }
        }
        return withSeeds;
    }

    private Tpe tpeSampler() {
        if (random.isEmpty()) {
            throw new IllegalStateException("a TPE sweep needs parameters: add uniform(), logUniform() or choice()");
        }
        List<Tpe.Param> space = new ArrayList<>();
        random.forEach((name, d) -> space.add(d.asTpe(name)));
        return new Tpe(space, randomSeed, Math.min(tpeStartup, tpeTrials), Tpe.CANDIDATES);
    }

    private List<Map<String, Object>> halvingPoints(List<Double> values, int maxEpochs) {
        if (maxEpochs < 1) {
            throw new IllegalArgumentException("successive halving needs the base config's epochs, got " + maxEpochs);
        }
        Tpe tpe = tpeSampler();
        List<Map<String, Object>> points = new ArrayList<>();
        List<Tpe.Observation> firstRung = new ArrayList<>();
        int configs = 0;
        int firstEpochs = Math.min(halvingMinEpochs, maxEpochs);
        while (configs < tpeTrials) {
            int start = points.size();
            if (values.size() < start) {
                return points; // the earlier brackets are not finished
            }
            List<Tpe.Observation> known = List.copyOf(firstRung);
            int size = Math.min(tpeBatch, tpeTrials - configs);
            List<Integer> current = new ArrayList<>();
            for (int j = 0; j < size; j++) {
                Map<String, Object> p = tpe.suggest(configs + j, known);
                Map<String, Object> point = new LinkedHashMap<>(p);
                point.put(EPOCHS, firstEpochs);
                current.add(points.size());
                points.add(point);
            }
            configs += size;
            for (int e = firstEpochs; e < maxEpochs; ) {
                int rungStart = points.size();
                if (values.size() < rungStart) {
                    return points; // this rung's results decide the promotions
                }
                int keep = Math.max(1, current.size() / halvingEta);
                List<Integer> ranked = new ArrayList<>(current);
                ranked.sort(java.util.Comparator.comparingDouble(
                        i -> Double.isFinite(values.get(i)) ? values.get(i) : Double.MAX_VALUE));
                int next = Math.min(e * halvingEta, maxEpochs);
                List<Integer> promoted = new ArrayList<>();
                for (int i : ranked.subList(0, keep)) {
                    Map<String, Object> point = new LinkedHashMap<>(points.get(i));
                    point.remove(PARENT);
                    point.put(EPOCHS, next);
                    point.put(PARENT, i);
                    promoted.add(points.size());
                    points.add(point);
                }
                current = promoted;
                e = next;
            }
            // Each configuration of the finished bracket is observed where it stopped: its last rung's epochs and
            // metric (Optuna's treatment of pruned trials; BOHB's models per budget need more trials per rung than a
            // small search has).
            for (int i = start; i < start + size; i++) {
                int last = i;
                for (int j = start + size; j < points.size(); j++) {
                    if (Integer.valueOf(last).equals(points.get(j).get(PARENT))) {
                        last = j;
                    }
                }
                if (last < values.size()) {
                    Map<String, Object> params = new LinkedHashMap<>(points.get(i));
                    params.remove(EPOCHS);
                    int reached = ((Number) points.get(last).get(EPOCHS)).intValue();
                    firstRung.add(new Tpe.Observation(params, values.get(last), reached));
                }
            }
        }
        return points;
    }

    private Sweep draw(String param, Distribution d) {
        if (randomTrials == 0 && tpeTrials == 0) {
            throw new IllegalStateException(
                    "'" + param + "': distributions belong to Sweep.random(...), use over() in a grid");
        }
        random.put(param, d);
        return this;
    }

    private void requireGrid(String param) {
        if (randomTrials > 0 || tpeTrials > 0) {
            throw new IllegalStateException(
                    "'" + param + "': over() belongs to Sweep.grid(); a random sweep draws values");
        }
    }

    private sealed interface Distribution {
        Object draw(SplittableRandom rng);

        Tpe.Param asTpe(String name);

        record Uniform(double lo, double hi, boolean log) implements Distribution {
            public Uniform {
                if (!(hi > lo)) {
                    throw new IllegalArgumentException("need lo < hi, got [" + lo + ", " + hi + ")");
                }
            }

            @Override
            public Object draw(SplittableRandom rng) {
                double u = rng.nextDouble();
                return log ? Math.exp(Math.log(lo) + u * (Math.log(hi) - Math.log(lo))) : lo + u * (hi - lo);
            }

            @Override
            public Tpe.Param asTpe(String name) {
                return log ? new Tpe.LogUniform(name, lo, hi) : new Tpe.Uniform(name, lo, hi);
            }
        }

        record Choice(List<Object> values) implements Distribution {
            @Override
            public Object draw(SplittableRandom rng) {
                return values.get(rng.nextInt(values.size()));
            }

            @Override
            public Tpe.Param asTpe(String name) {
                return new Tpe.Choice(name, values);
            }
        }
    }
}
