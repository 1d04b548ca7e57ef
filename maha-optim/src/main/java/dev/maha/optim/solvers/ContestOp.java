package dev.maha.optim.solvers;

import dev.maha.autograd.Context;
import dev.maha.autograd.Op;
import dev.maha.autograd.Parallel;
import dev.maha.autograd.Shapes;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The contest equilibrium as an engine op: valuations {@code [..., L]} → weights {@code [..., L]}, every
 * instance solved in plain Java loops over one {@code double[]}. Built by {@link ContestEquilibrium#solve}
 * for a single application: besides the weights, {@link #gaps()} holds the certificate of that call.
 */
final class ContestOp implements Op {
    static final String NAME = ContestEquilibrium.NAME;
    /** Instances per parallel chunk (fixed, so the split does not depend on the machine). */
    private static final int CHUNK = 2048;

    private final ContestEquilibrium.Options options;
    private final INDArray mask;
    private double[] gaps;

    /** What backward needs, all per element or per instance of the batch. */
    private record Saved(double[] v, boolean[] available, int[] players, double[] beta, double[] trajectory,
                         long[] shape, DataType dtype) {
    }

    ContestOp(ContestEquilibrium.Options options, INDArray mask) {
        this.options = options;
        this.mask = mask;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The per-instance equilibrium gaps of the last forward, row-major over the leading axes. */
    double[] gaps() {
        return gaps;
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        INDArray x = in[0];
        Shapes.requireFloating(NAME, "valuations v", x);
        int L = Instances.lastDim(NAME, "valuations v", x);
        long[] shape = x.shape().clone();
        double[] v = Instances.read(NAME, "valuations v", x);
        boolean[] available = Instances.mask(NAME, mask, shape);
        for (int i = 0; i < v.length; i++) {
            if (available[i] && !(v[i] > 0)) {
                throw new IllegalArgumentException(NAME + ": valuations v holds " + v[i] + " at flat index " + i
                        + " of shape " + Arrays.toString(shape) + "; valuations must be > 0 (for example softplus(s) + ε)");
            }
        }
        int count = v.length / L;
        boolean record = ctx.needsGrad(0);
        boolean exact = options.solver() == ContestEquilibrium.Solver.EXACT;
        boolean unrolled = !exact && options.gradient() == GradientMode.UNROLLED;
        int K = options.iterations();
        double eta = options.damping();

        double[] w = new double[v.length];
        double[] bids = new double[v.length];
        double[] beta = exact || (record && !unrolled) ? new double[v.length] : null;
        double[] trajectory = record && unrolled ? new double[Math.multiplyExact(Math.multiplyExact(count, K + 1), L)] : null;
        int[] players = new int[count];
        boolean[] active = new boolean[v.length];
        double[] closed = !exact && beta != null ? new double[v.length] : null;
        gaps = new double[count];

        // Instances are independent and write only their own slots, so chunks of them run in parallel; the
        // per-call scratch (prefix sums, orderings, best-response buffers) is per chunk.
        Parallel.forChunks(count, CHUNK, (chunk, c0, c1) -> {
            double[] prefix = new double[L + 1];
            int[] order = new int[L];
            ContestBestResponse.Scratch sc = new ContestBestResponse.Scratch(L);
            for (int c = c0; c < c1; c++) {
                int off = c * L;
                int n = 0;
                for (int l = 0; l < L; l++) if (available[off + l]) n++;
                players[c] = n;
                if (exact) {
                    ContestExact.activeSet(v, available, off, L, active, order);
                    double total = ContestClosedForm.solve(v, active, off, L, w, beta, prefix);
                    for (int l = 0; l < L; l++) bids[off + l] = w[off + l] * total;
                } else if (n < 2) {
                    for (int l = 0; l < L; l++) w[off + l] = available[off + l] ? 1 : 0;
                    continue;
                } else {
                    ContestBestResponse.run(v, available, off, L, n, K, eta, bids, trajectory, c * (K + 1) * L, sc);
                    double total = 0;
                    for (int l = 0; l < L; l++) total += bids[off + l];
                    for (int l = 0; l < L; l++) w[off + l] = bids[off + l] / total;
                    if (beta != null) {
                        ContestBestResponse.activeAtSolution(v, available, bids, off, L, active, prefix);
                        ContestClosedForm.solve(v, active, off, L, closed, beta, prefix);
                    }
                }
                gaps[c] = ContestCertificate.gap(v, available, bids, off, L, prefix);
            }
        });
        long perInstance = exact ? 25L * L : 15L * L * K + 10L * L;
        ctx.flops(perInstance * count);
        if (record) ctx.put("contest", new Saved(v, available, players, unrolled ? null : beta, trajectory, shape, x.dataType()));
        return Instances.write(w, shape, x.dataType());
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray grad) {
        Saved s = ctx.get("contest");
        double[] g = Instances.toDoubles(grad);
        double[] out = new double[s.v().length];
        int L = (int) s.shape()[s.shape().length - 1];
        int count = s.players().length;
        int K = options.iterations();
        if (s.trajectory() == null) {
            Parallel.forChunks(count, CHUNK, (chunk, c0, c1) -> {
                for (int c = c0; c < c1; c++) ContestClosedForm.vjp(g, s.v(), s.beta(), c * L, L, out);
            });
            ctx.flops(8L * L * count);
        } else {
            Parallel.forChunks(count, CHUNK, (chunk, c0, c1) -> {
                ContestBestResponse.Scratch sc = new ContestBestResponse.Scratch(L);
                double[] bbar = new double[L];
                double[] sbar = new double[L];
                for (int c = c0; c < c1; c++) {
                    if (s.players()[c] < 2) continue;
                    ContestBestResponse.vjp(g, s.v(), s.available(), c * L, L, s.players()[c], K, options.damping(),
                            s.trajectory(), c * (K + 1) * L, out, sc, bbar, sbar);
                }
            });
            ctx.flops(25L * L * K * count);
        }
        return new INDArray[] {Instances.write(out, s.shape(), s.dtype())};
    }
}
