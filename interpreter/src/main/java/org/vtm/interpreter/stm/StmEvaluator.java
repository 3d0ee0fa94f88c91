package org.vtm.interpreter.stm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.vtm.artifacts.Provenance;
import org.vtm.interpreter.train.TrainingJson;

/**
 * The evaluation of trained character models on the held-out tail of their corpus ({@code vtm stm evaluate},
 * format {@value #FORMAT}): the whole tail scored with the state carried ({@link TailScorer#carried}); the unigram and
 * bigram bars on the same characters ({@link NgramBars}); the loss by position within reset windows next to the
 * carried loss ({@link LongRange#byPosition}); samples at one temperature from one prompt and fixed seeds, and the
 * bracket and quote statistics of those samples against the held-out text cut into pieces of the sample length
 * ({@link LongRange#brackets}); for an STM, the memory trace summary ({@link MemoryTrace}).
 */
public final class StmEvaluator {
    /** Format of the evaluation JSON. */
    public static final String FORMAT = "vtm.stm-evaluation/1";

    /**
     * What to compute.
     *
     * @param segment engine steps per call when scoring (does not change the carried score)
     * @param window the reset window of the long-range measure, in characters
     * @param bounds lower bounds of the window-position buckets (from 0)
     * @param samples how many samples per model (seeds {@code seed, seed+1, …})
     * @param sampleChars characters per sample
     * @param temperature sampling temperature
     * @param prime the prompt every sample starts from ("" = a newline)
     * @param seed seed of the samples and of the initial states (STM memory fill)
     */
    public record Settings(int segment, int window, int[] bounds, int samples, int sampleChars, double temperature,
            String prime, long seed) {
        public Settings {
            bounds = bounds.clone();
            if (segment < 1 || window < 1 || samples < 0 || sampleChars < 1 || !(temperature > 0)) {
                throw new IllegalArgumentException("segment, window and sample length must be positive, samples >= 0 "
                        + "and the temperature > 0; got " + segment + ", " + window + ", " + sampleChars + ", "
                        + samples + ", " + temperature);
            }
        }

        @Override
        public int[] bounds() {
            return bounds.clone();
        }
    }

    /**
     * A model to evaluate, with what identifies it in the report: its directory, the SHA-256 of its files by name, and
     * the characters it was trained on (−1: not recorded).
     */
    public record Subject(String name, CharNetwork network, Map<String, String> files, long charsTrained) {
        public Subject {
            files = Map.copyOf(files);
        }
    }

    private StmEvaluator() {
    }

    /**
     * The report: corpus facts, settings, the bars, the held-out text's bracket statistics, one entry per model.
     *
     * @param tail the characters scored (the held-out tail, or its start)
     * @param heldOutText the same characters as text (for the bracket statistics)
     * @param train the training part (for the bars)
     * @param alphabet the models' alphabet
     * @param corpusFacts text spec, SHA-256, split (copied into the report)
     */
    public static ObjectNode evaluate(List<Subject> models, int[] train, int[] tail, String heldOutText,
            String alphabet, ObjectNode corpusFacts, Settings s) {
        ObjectNode root = TrainingJson.MAPPER.createObjectNode();
        root.put("format", FORMAT);
        ObjectNode corpus = root.putObject("corpus");
        corpus.setAll(corpusFacts);
        corpus.put("trainChars", train.length);
        corpus.put("scoredChars", tail.length - 1);
        ObjectNode st = root.putObject("settings");
        st.put("segment", s.segment());
        st.put("window", s.window());
        ArrayNode b = st.putArray("positionBuckets");
        for (int x : s.bounds()) {
            b.add(x);
        }
        st.put("samples", s.samples());
        st.put("sampleChars", s.sampleChars());
        st.put("temperature", s.temperature());
        st.put("prime", s.prime());
        st.put("seed", s.seed());
        NgramBars bars = NgramBars.fit(train, alphabet.length());
        ObjectNode bn = root.putObject("bars");
        bn.put("unigramBitsPerChar", bars.unigramBitsPerChar(tail));
        bn.put("bigramBitsPerChar", bars.bigramBitsPerChar(tail));
        bn.put("smoothing", "add-one, fitted on the training part");
        root.set("heldOutBrackets", brackets(LongRange.brackets(LongRange.pieces(heldOutText, s.sampleChars()))));
        ArrayNode ms = root.putArray("models");
        for (Subject m : models) {
            ms.add(evaluate(m, tail, alphabet, s));
        }
        ObjectNode prov = root.putObject("provenance");
        prov.put("vtm_version", Provenance.vtmVersion());
        Provenance.facts().forEach(prov::put);
        ObjectNode src = prov.putObject("source");
        Provenance.source().forEach(src::put);
        return root;
    }

    /** One model's entry. */
    static ObjectNode evaluate(Subject m, int[] tail, String alphabet, Settings s) {
        CharNetwork net = m.network();
        ObjectNode n = TrainingJson.MAPPER.createObjectNode();
        n.put("model", m.name());
        n.put("kind", net.kind().name().toLowerCase(java.util.Locale.ROOT));
        n.put("parameters", net.parameterCount());
        if (m.charsTrained() >= 0) {
            n.put("charsTrained", m.charsTrained());
        }
        ObjectNode files = n.putObject("sha256");
        new java.util.TreeMap<>(m.files()).forEach(files::put);
        boolean stm = net.kind() == CharNetwork.Kind.STM;
        MemoryTrace trace = stm ? new MemoryTrace(net.config()) : null;
        double[] carried = TailScorer.carried(net, tail, s.segment(), s.seed(), trace);
        n.put("wholeTailBitsPerChar", TailScorer.mean(carried));
        double[] reset = TailScorer.resetEvery(net, tail, s.window(), s.segment(), s.seed());
        ObjectNode lr = n.putObject("resetWindow");
        lr.put("window", s.window());
        lr.put("bitsPerChar", TailScorer.mean(reset));
        ArrayNode buckets = lr.putArray("byPosition");
        for (LongRange.Bucket k : LongRange.byPosition(reset, carried, s.window(), s.bounds())) {
            ObjectNode o = buckets.addObject();
            o.put("from", k.from());
            o.put("to", k.to());
            o.put("chars", k.count());
            number(o, "resetBitsPerChar", k.resetBits());
            number(o, "carriedBitsPerChar", k.carriedBits());
        }
        ArrayNode samples = n.putArray("samples");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < s.samples(); i++) {
            String text = CharTrainer.sample(net, alphabet, s.sampleChars(), s.temperature(), s.seed() + i,
                    s.prime()).text();
            texts.add(text);
            ObjectNode o = samples.addObject();
            o.put("seed", s.seed() + i);
            o.put("text", text);
        }
        n.set("sampleBrackets", brackets(LongRange.brackets(texts)));
        if (stm) {
            n.set("memory", trace.summary());
        }
        return n;
    }

    static ArrayNode brackets(List<LongRange.Brackets> stats) {
        ArrayNode a = TrainingJson.MAPPER.createArrayNode();
        for (LongRange.Brackets k : stats) {
            ObjectNode o = a.addObject();
            o.put("kind", k.kind());
            o.put("opened", k.opened());
            o.put("closed", k.closed());
            o.put("stray", k.stray());
            number(o, "closedFraction", k.closedFraction());
            number(o, "meanSpan", k.meanSpan());
            o.put("medianSpan", k.medianSpan());
            ObjectNode h = o.putObject("spans");
            long[] spans = k.spans();
            for (int i = 0; i < spans.length; i++) {
                int lo = LongRange.SPAN_BOUNDS[i];
                String label = i + 1 < spans.length ? lo + "-" + (LongRange.SPAN_BOUNDS[i + 1] - 1) : lo + "+";
                h.put(label, spans[i]);
            }
        }
        return a;
    }

    /** Puts a number, or null when it is not finite (JSON has no NaN). */
    static void number(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }
}
