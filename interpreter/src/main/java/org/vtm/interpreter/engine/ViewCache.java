package org.vtm.interpreter.engine;

import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Remembers the view made of the last array seen: creating an ND4J view costs tens of microseconds (native shape
 * buffers), more than the small operations it feeds, so a layer that gets the same buffer on every call makes its
 * view once.
 */
final class ViewCache {
    private final Function<INDArray, INDArray> make;
    private INDArray source;
    private INDArray view;

    ViewCache(Function<INDArray, INDArray> make) {
        this.make = make;
    }

    INDArray of(INDArray a) {
        if (a != source) {
            view = make.apply(a);
            source = a;
        }
        return view;
    }
}
