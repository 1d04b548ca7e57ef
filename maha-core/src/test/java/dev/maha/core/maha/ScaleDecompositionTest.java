package dev.maha.core.maha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.Scope;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import dev.maha.core.maha.MahaConfig.Decomposition;
import dev.maha.core.nn.Conv1d;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ScaleDecompositionTest {

    @Test
    void parametersFollowTheMode() {
        for (Decomposition mode : Decomposition.values()) {
            MahaConfig cfg = MahaConfig.builder().width(6).heads(2).scales(4).ratio(3).kernel(5).decomposition(mode).build();
            Map<String, INDArray> state = new ScaleDecomposition(cfg, 1).stateDict();
            if (!mode.hasWeights()) {
                assertTrue(state.isEmpty(), mode + ": " + state.keySet());
                continue;
            }
            assertEquals(6, state.size(), mode.toString());
            long[] w = mode == Decomposition.CONV ? new long[] {6, 6, 5} : new long[] {6, 1, 5};
            for (int i = 0; i < 3; i++) {
                assertEquals(Arrays.toString(w), Arrays.toString(state.get("downsamplers." + i + ".weight").shape()), mode + " " + i);
                assertEquals(Arrays.toString(new long[] {6}), Arrays.toString(state.get("downsamplers." + i + ".bias").shape()));
            }
        }
    }

    @Test
    void forwardIsThePyramidWithItsWeightsAndGradientsAddOverUses() {
        for (boolean causal : new boolean[] {false, true}) {
            MahaConfig cfg = MahaConfig.builder().width(4).heads(2).scales(3).ratio(2).causal(causal)
                    .decomposition(Decomposition.DEPTHWISE).build();
            ScaleDecomposition dec = new ScaleDecomposition(cfg, 3, DataType.DOUBLE);
            List<Tensor> w = new ArrayList<>();
            List<Tensor> b = new ArrayList<>();
            for (Conv1d c : dec.downsamplers()) {
                w.add(c.weight());
                b.add(c.bias());
                assertEquals(1, c.padLeft());                 // ⌊3/2⌋, or max(0, k − r) = 1 when causal
                assertEquals(causal ? 0 : 1, c.padRight());
            }
            try (Scope scope = Scope.open()) {
                Tensor x = Tensor.randn(1, DataType.DOUBLE, 2, 9, 4);
                List<Tensor> a = dec.forward(x);
                List<Tensor> e = Downsampling.pyramid(x, w, b, cfg);
                for (int l = 0; l < 3; l++) Close.assertClose("level " + l, e.get(l).value(), a.get(l).value(), 0);
                // used twice (as for X and V): the gradient is the sum of both uses
                Tensor y = Tensor.randn(2, DataType.DOUBLE, 2, 9, 4);
                dec.zeroGrad();
                dec.forward(x).get(2).sum().backward();
                INDArray g1 = dec.downsamplers().get(0).weight().grad().dup();
                dec.zeroGrad();
                dec.forward(y).get(2).sum().backward();
                INDArray g2 = dec.downsamplers().get(0).weight().grad().dup();
                dec.zeroGrad();
                dec.forward(x).get(2).sum().add(dec.forward(y).get(2).sum()).backward();
                Close.assertClose("two uses", g1.add(g2), dec.downsamplers().get(0).weight().grad(), 1e-12);
                dec.zeroGrad();
            }
        }
    }
}
