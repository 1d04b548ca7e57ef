package dev.maha.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.Scope;
import dev.maha.autograd.Tensor;
import dev.maha.optim.schedule.LrSchedule;
import dev.maha.optim.schedule.WarmupCosine;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The training loop of docs/optimizers.md, run for real: a scope per step, backward, clipping, the
 * schedule setting the rate, AdamW stepping. A float32 linear regression must fit its data.
 */
class TrainingLoopTest {
    @Test
    void theDocumentedLoopFitsALinearModel() {
        Tensor x = Tensor.randn(1, DataType.FLOAT, 64, 8);
        Tensor trueW = Tensor.randn(2, DataType.FLOAT, 8, 1);
        Tensor y = x.matmul(trueW).add(0.5);

        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("w", Tensor.zeros(DataType.FLOAT, 8, 1).requiresGrad(true));
        params.put("b", Tensor.zeros(DataType.FLOAT, 1).requiresGrad(true));
        LrSchedule schedule = new WarmupCosine(0.1, 20, 400, 1e-3);
        double first = Double.NaN;
        double last = Double.NaN;
        int scopeSize = -1;
        try (AdamW opt = AdamW.builder(0.1).weightDecay(0).build(params)) {
            for (int step = 0; step < 400; step++) {
                try (Scope scope = Scope.open()) {
                    Tensor loss = x.matmul(params.get("w")).add(params.get("b")).sub(y).pow(2).mean();
                    loss.backward();
                    GradClip.clipGlobalNorm(opt.parameters().values(), 1.0);
                    opt.setLearningRate(schedule.at(opt.steps()));
                    opt.step();
                    opt.zeroGrad();
                    last = loss.item();
                    if (step == 0) first = last;
                    scopeSize = scope.size();
                }
            }
            assertEquals(400, opt.steps());
            assertEquals(schedule.at(399), opt.learningRate(), 0.0);
        }
        System.out.printf("TrainingLoopTest: loss %.4g -> %.3g, %d tensors freed per step%n", first, last, scopeSize);
        assertTrue(last < 1e-4 * first, "loss went from " + first + " to " + last);
        assertTrue(params.get("w").grad() == null && params.get("b").grad() == null);
    }
}
