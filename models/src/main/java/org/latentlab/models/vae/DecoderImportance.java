package org.latentlab.models.vae;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.latentlab.core.LikelihoodModel.Posterior;
import org.latentlab.loss.NoiseSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Importance weights (Burda et al., ICLR 2016, Sec. 5) computed from the posterior once per image and the decoder
 * alone once per sample: the encoder does not run again for each of the k samples, which halves the cost of
 * k = 5,000 for the MLP VAEs. The graph supplies the per-row negative log-likelihood {@value #DECODED_NLL} of the
 * target rows {@value #DECODER_TARGET} under the decoder fed at {@code z_in}; for each chunk of s samples
 * <pre>
 *   eps ~ N(0, I) [s * N, d] (sample-major: row i*N + n is image n, sample i),  z = mu + exp(logVar / 2) * eps,
 *   log w = -nll(x | z) - 0.5 |z|^2 + 0.5 |eps|^2 + 0.5 sum_j logVar_j
 * </pre>
 * (the 2 pi constants of p(z) and q(z|x) cancel). Each chunk is one planned graph call of at most
 * {@code rowsPerCall} rows, so all full chunks share one plan and memory stays bounded whatever k is.
 *
 * <p>Graphs saved before these nodes existed do not have them ({@link #supports}); their models keep the older
 * path through the whole training graph.
 */
final class DecoderImportance {
    /** Placeholder of the rows whose likelihood the decoder path scores, [N, inputSize]. */
    static final String DECODER_TARGET = "decoder_target";
    /** -log p(target | z_in) per row, [N], in nats: the likelihood of the training loss, on the decoder path. */
    static final String DECODED_NLL = "decoded_nll_per_example";

    private DecoderImportance() {}

    /** Whether {@code sd} has the decoder-only likelihood path. */
    static boolean supports(SameDiff sd) {
        return sd.hasVariable(DECODED_NLL) && sd.hasVariable(DECODER_TARGET);
    }

    /**
     * Log importance weights [N, samples] (DOUBLE) of the images {@code x} with posterior {@code q}.
     *
     * @param extraFeeds  placeholder name to the rows of each image (e.g. a condition), repeated like x; may be empty
     * @param decoderNll  runs the graph on the given feeds and returns {@value #DECODED_NLL}
     */
    static INDArray logWeights(
            Posterior q,
            INDArray x,
            Map<String, INDArray> extraFeeds,
            int samples,
            NoiseSource noise,
            int rowsPerCall,
            Function<Map<String, INDArray>, INDArray> decoderNll) {
        int n = (int) x.size(0);
        int d = (int) q.mean().size(1);
        float[] mu = q.mean().castTo(DataType.FLOAT).dup().data().asFloat();
        float[] logVar = q.logVariance().castTo(DataType.FLOAT).dup().data().asFloat();
        float[] sigma = new float[mu.length];
        double[] halfLogVarSum = new double[n];
        for (int j = 0; j < n; j++) {
            for (int u = 0; u < d; u++) {
                sigma[j * d + u] = (float) Math.exp(0.5 * logVar[j * d + u]);
                halfLogVarSum[j] += 0.5 * logVar[j * d + u];
            }
        }
        double[][] weights = new double[n][samples];
        int perCall = Math.max(1, rowsPerCall / Math.max(1, n));
        Map<Integer, Map<String, INDArray>> repeated = new LinkedHashMap<>();
        for (int done = 0; done < samples; done += perCall) {
            int s = Math.min(perCall, samples - done);
            float[] eps = noise.standardNormal(s * n, d)
                    .castTo(DataType.FLOAT)
                    .dup()
                    .data()
                    .asFloat();
            float[] z = new float[eps.length];
            double[] zSq = new double[s * n];
            double[] epsSq = new double[s * n];
            for (int r = 0; r < s * n; r++) {
                int j = r % n;
                for (int u = 0; u < d; u++) {
                    float e = eps[r * d + u];
                    float v = mu[j * d + u] + sigma[j * d + u] * e;
                    z[r * d + u] = v;
                    zSq[r] += (double) v * v;
                    epsSq[r] += (double) e * e;
                }
            }
            Map<String, INDArray> feeds = new LinkedHashMap<>();
            feeds.put(AbstractVae.DECODER_INPUT, Nd4j.create(z, new long[] {(long) s * n, d}));
            // The repeated targets are the same for every chunk of s samples: tile once per s.
            Map<String, INDArray> tiled = repeated.computeIfAbsent(s, times -> {
                Map<String, INDArray> m = new LinkedHashMap<>();
                m.put(DECODER_TARGET, times == 1 ? x : Nd4j.tile(x, times, 1));
                extraFeeds.forEach((name, rows) -> m.put(name, times == 1 ? rows : Nd4j.tile(rows, times, 1)));
                return m;
            });
            feeds.putAll(tiled);
            double[] nll = decoderNll.apply(feeds).castTo(DataType.DOUBLE).toDoubleVector();
            for (int i = 0; i < s; i++) {
                for (int j = 0; j < n; j++) {
                    int r = i * n + j;
                    weights[j][done + i] = -nll[r] - 0.5 * zSq[r] + 0.5 * epsSq[r] + halfLogVarSum[j];
                }
            }
        }
        return Nd4j.create(weights);
    }
}
