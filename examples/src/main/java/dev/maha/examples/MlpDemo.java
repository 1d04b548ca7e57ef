package dev.maha.examples;

import dev.maha.autograd.Functional;
import dev.maha.autograd.NoGrad;
import dev.maha.autograd.Scope;
import dev.maha.autograd.Tensor;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A first run of the engine: a 2-layer MLP (2 → 64 → 2, tanh) learns to separate two interleaving
 * half circles ("moons") with full-batch gradient descent. Prints the loss falling and the final accuracy.
 *
 * <p>The data are generated from a fixed seed, so every run prints the same numbers.
 */
public final class MlpDemo {
    private static final int POINTS_PER_CLASS = 200;
    private static final int HIDDEN = 64;
    private static final int STEPS = 1500;
    private static final double LEARNING_RATE = 0.3;

    private MlpDemo() {
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        Random random = new Random(7);
        int n = 2 * POINTS_PER_CLASS;
        double[] xs = new double[n * 2];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            int cls = i % 2;
            double t = Math.PI * (i / 2) / (POINTS_PER_CLASS - 1);
            // Two interleaving half circles ("moons"), shifted so that no straight line separates them.
            xs[2 * i] = (cls == 0 ? Math.cos(t) : 1 - Math.cos(t)) + 0.1 * random.nextGaussian();
            xs[2 * i + 1] = (cls == 0 ? Math.sin(t) : 0.5 - Math.sin(t)) + 0.1 * random.nextGaussian();
            labels[i] = cls;
        }
        Tensor x = Tensor.of(Nd4j.create(xs, new long[] {n, 2}, DataType.DOUBLE).castTo(DataType.FLOAT));
        Tensor y = Tensor.indices(labels, n);

        Tensor w1 = scaled(Tensor.randn(1, DataType.FLOAT, 2, HIDDEN), Math.sqrt(1.0 / 2));
        Tensor b1 = Tensor.zeros(DataType.FLOAT, HIDDEN).requiresGrad(true);
        Tensor w2 = scaled(Tensor.randn(2, DataType.FLOAT, HIDDEN, 2), Math.sqrt(1.0 / HIDDEN));
        Tensor b2 = Tensor.zeros(DataType.FLOAT, 2).requiresGrad(true);
        List<Tensor> params = List.of(w1, b1, w2, b2);

        System.out.printf("Two moons, %d points; MLP 2 -> %d -> 2 (tanh), full-batch gradient descent, lr %.2f%n",
                n, HIDDEN, LEARNING_RATE);
        for (int step = 0; step <= STEPS; step++) {
            try (Scope scope = Scope.open()) {
                Tensor logits = x.matmul(w1).add(b1).tanh().matmul(w2).add(b2);
                Tensor loss = Functional.crossEntropy(logits, y);
                loss.backward();
                if (step % 150 == 0) System.out.printf("step %4d  loss %.4f%n", step, loss.item());
            }
            for (Tensor p : params) {
                p.update(v -> v.subi(p.grad().muli(LEARNING_RATE)));
                p.zeroGrad();
            }
        }
        try (NoGrad off = NoGrad.enter(); Scope scope = Scope.open()) {
            INDArray logits = x.matmul(w1).add(b1).tanh().matmul(w2).add(b2).value();
            INDArray predicted = logits.argMax(1);
            long correct = 0;
            for (int i = 0; i < n; i++) if (predicted.getLong(i) == labels[i]) correct++;
            System.out.printf("accuracy %.1f%% (%d/%d) in %.1f s%n", 100.0 * correct / n, correct, n,
                    (System.nanoTime() - start) / 1e9);
        }
    }

    private static Tensor scaled(Tensor t, double scale) {
        t.update(v -> v.muli(scale));
        return t.requiresGrad(true);
    }
}
