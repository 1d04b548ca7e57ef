package dev.maha.bench;

import dev.maha.autograd.Scope;
import dev.maha.autograd.Tensor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Peak memory of one forward + backward of an attention layer: resident memory is sampled every
 * millisecond while the step runs, and the peak above the level before the step is reported (the
 * layer's parameters and input already allocated, one step already run to warm up). Run one layer per
 * JVM:
 *
 * <pre>{@code
 * java -cp maha-bench/target/benchmarks.jar dev.maha.bench.LayerMemory baseline 4096
 * }</pre>
 * Prints {@code layer n peak_bytes}.
 */
public final class LayerMemory {
    private LayerMemory() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: LayerMemory <baseline|maha-efficient-nash|maha-efficient-convex|maha-efficient-mean> <n>");
            System.exit(2);
        }
        String name = args[0];
        int n = Integer.parseInt(args[1]);
        AttentionLayers.Layer layer = AttentionLayers.byName(name, LayerBench.WIDTH, LayerBench.HEADS);
        Tensor x = Tensor.randn(1, DataType.FLOAT, 1, n, LayerBench.WIDTH).requiresGrad(true);
        INDArray cot = Tensor.randn(2, DataType.FLOAT, 1, n, LayerBench.WIDTH).value();
        step(layer, x, cot);
        System.gc();
        Thread.sleep(200);
        long before = Pointer.physicalBytes();
        AtomicLong peak = new AtomicLong(before);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                peak.accumulateAndGet(Pointer.physicalBytes(), Math::max);
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        step(layer, x, cot);
        running.set(false);
        sampler.join();
        System.out.println(name + " " + n + " " + (peak.get() - before));
    }

    private static void step(AttentionLayers.Layer layer, Tensor x, INDArray cot) {
        try (Scope s = Scope.open()) {
            layer.forward().apply(x).backward(cot);
            x.zeroGrad();
            layer.module().zeroGrad();
        }
    }
}
