package dev.maha.autograd.testing;

import dev.maha.autograd.Tensor;
import dev.maha.autograd.io.SafeTensors;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Replays one op of {@code ops.safetensors}: feeds {@code <op>.in<i>} (float inputs as float64
 * leaves requiring grad), compares the output with {@code <op>.out}, runs backward with
 * {@code <op>.cot} and compares each {@code <op>.grad<i>}, all to 1e-9 relative.
 */
public final class OpFixture {
    /** The fixtures' tolerance. */
    public static final double TOL = 1e-9;

    private OpFixture() {
    }

    /** Checks {@code f} against the fixture entries of {@code op}. */
    public static void check(String op, Function<Tensor[], Tensor> f) {
        SafeTensors.Contents fx = Fixtures.ops();
        int n = 0;
        while (fx.tensors().containsKey(op + ".in" + n)) n++;
        if (n == 0) throw new IllegalArgumentException("no fixture inputs for op '" + op + "'");
        Tensor[] in = new Tensor[n];
        for (int i = 0; i < n; i++) {
            INDArray v = fx.get(op + ".in" + i).dup();
            in[i] = Tensor.of(v);
            if (v.dataType().isFPType()) in[i].requiresGrad(true);
        }
        Tensor out = f.apply(in);
        Close.assertClose(op + " output", fx.get(op + ".out"), out.value(), TOL);
        out.backward(fx.get(op + ".cot").dup());
        for (int i = 0; i < n; i++) {
            String key = op + ".grad" + i;
            if (!fx.tensors().containsKey(key)) continue;
            if (in[i].grad() == null) throw new AssertionError(op + ": no gradient reached input " + i);
            Close.assertClose(op + " grad" + i, fx.get(key), in[i].grad(), TOL);
        }
    }
}
