package dev.maha.autograd.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/** Row scatter-add, the backward of every gather (embedding, index select, upsampling, picks). */
final class Scatter {
    private Scatter() {
    }

    /**
     * {@code ref[idx[j], ...] += updates[j, ...]} in place, with one ND4J {@code scatter_add}.
     * Locking is on: without it ND4J's threads lose updates when an index repeats (probed).
     */
    static void addRows(INDArray ref, INDArray idx, INDArray updates) {
        Nd4j.exec(DynamicCustomOp.builder("scatter_add").addInputs(ref, idx, updates).addOutputs(ref)
                .addBooleanArguments(true).build());
    }
}
