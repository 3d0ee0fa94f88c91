package org.vtm.interpreter.stm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link CharUpdate} on the SameDiff graph of a {@link CharNetwork.Segment} (what {@link CharTrainer} runs today):
 * the graph adopts the network's parameters, so they are updated in place.
 */
public final class SameDiffCharUpdate implements CharUpdate {
    /** Builds the segment graph of the network. */
    public static final Factory FACTORY = SameDiffCharUpdate::new;

    private final CharNetwork.Segment seg;
    private final Settings settings;
    private final List<String> names;
    private final List<String> outputs;
    private final CharAdam adam;

    private SameDiffCharUpdate(CharNetwork net, int batch, int steps, Settings settings) {
        this.seg = net.segment(batch, steps);
        seg.adoptParams();
        this.settings = settings;
        this.names = new ArrayList<>(net.params().keySet());
        this.outputs = new ArrayList<>(seg.stateOutputs());
        outputs.add("loss");
        this.adam = new CharAdam(net.params());
    }

    @Override
    public Step apply(INDArray x, INDArray y, Map<String, INDArray> state) {
        OutAndGrad og = seg.sameDiff().calculateGradientsAndOutputs(seg.feed(x, y, state), outputs, names);
        double loss = og.getOutputs().get("loss").getDouble(0);
        Map<String, INDArray> next = seg.nextState(og.getOutputs());
        adam.applyInPlace(seg.network().params(), og.getGradients(), settings.clipNorm(), settings.learningRate());
        return new Step(loss, next);
    }

    @Override
    public Map<String, INDArray> parameters() {
        return seg.network().params();
    }
}
