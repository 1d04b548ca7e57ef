package dev.maha.optim.solvers;

import dev.maha.autograd.Context;
import dev.maha.autograd.Op;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The engine op behind {@link ConvexAllocation#solve}: inputs {@code s [..., L]} and
 * {@code gram [..., L, L]}, output {@code w [..., L]}. One instance is built per call (it carries the
 * options and the mask, and hands the forward's certificates back to the caller).
 *
 * <p>Forward: each instance is loaded into a {@link QpInstance}, checked positive definite, solved
 * ({@link ActiveSetQp} or {@link FistaQp}) and certified. The context keeps the inputs as doubles,
 * the weights and the FISTA iteration counts. Backward: {@link FistaQp#backward} for FISTA with
 * {@link GradientMode#UNROLLED}, {@link KktGradient} otherwise; the gradient of P is mapped to
 * {@code ∂L/∂G = μ/2 (P̄ + P̄ᵀ)} (through {@code P = τI + μ(G + Gᵀ)/2}), scattered back to the
 * available rows and columns.
 */
final class ConvexAllocationOp implements Op {
    private final ConvexAllocation.Options opt;
    private final boolean[] available;
    private double[] residuals;

    ConvexAllocationOp(ConvexAllocation.Options opt, boolean[] available) {
        this.opt = opt;
        this.available = available;
    }

    @Override
    public String name() {
        return ConvexAllocation.NAME;
    }

    /** The certificates of the last forward. */
    double[] residuals() {
        return residuals;
    }

    @Override
    public INDArray forward(Context ctx, INDArray... in) {
        String name = ConvexAllocation.NAME;
        INDArray s = in[0];
        INDArray gram = in[1];
        int len = Instances.lastDim(name, "s", s);
        long[] gramShape = Arrays.copyOf(s.shape(), s.rank() + 1);
        gramShape[s.rank()] = len;
        if (!Arrays.equals(gram.shape(), gramShape)) {
            throw new IllegalArgumentException(name + ": gram shape " + Arrays.toString(gram.shape())
                    + " must be [..., L, L] = " + Arrays.toString(gramShape) + " for s of shape " + Arrays.toString(s.shape()));
        }
        double[] sv = Instances.read(name, "s", s);
        double[] gv = Instances.read(name, "gram", gram);
        int batch = sv.length / len;
        double[] w = new double[sv.length];
        int[] iterations = new int[batch];
        residuals = new double[batch];
        QpInstance q = new QpInstance(len, opt.tau(), opt.mu());
        boolean fista = opt.solver() == ConvexAllocation.Solver.FISTA;
        ActiveSetQp exact = fista ? null : new ActiveSetQp(len);
        FistaQp iterative = fista ? new FistaQp(opt.iterations(), len) : null;
        double[] wc = new double[len];
        long flops = 0;
        for (int b = 0; b < batch; b++) {
            q.load(sv, gv, available, b);
            int m = q.m;
            if (m == 0) continue;
            q.requirePositiveDefinite(b);
            if (fista) {
                iterations[b] = iterative.solve(q, opt.iterations(), opt.tolerance(), wc);
                flops += (long) iterations[b] * (2L * m * m + 12L * m);
            } else {
                exact.solve(q, wc);
                flops += (long) exact.solves * (m * m * m + 6L * m * m);
            }
            for (int k = 0; k < m; k++) w[b * len + q.idx[k]] = wc[k];
            residuals[b] = q.residual(wc);
            flops += 2L * m * m + m * m * m / 3 + 10L * m;
        }
        ctx.flops(flops);
        ctx.put("s", sv);
        ctx.put("gram", gv);
        ctx.put("w", w);
        ctx.put("iterations", iterations);
        return Instances.write(w, s.shape(), s.dataType());
    }

    @Override
    public INDArray[] backward(Context ctx, INDArray grad) {
        double[] sv = ctx.get("s");
        double[] gv = ctx.get("gram");
        double[] w = ctx.get("w");
        int[] iterations = ctx.get("iterations");
        double[] g = Instances.toDoubles(grad);
        int len = (int) grad.size(-1);
        int batch = sv.length / len;
        boolean unrolled = opt.solver() == ConvexAllocation.Solver.FISTA && opt.gradientMode() == GradientMode.UNROLLED;
        boolean gramGrad = ctx.needsGrad(1);
        double[] ds = new double[sv.length];
        double[] dg = gramGrad ? new double[gv.length] : null;
        QpInstance q = new QpInstance(len, opt.tau(), opt.mu());
        FistaQp iterative = unrolled ? new FistaQp(opt.iterations(), len) : null;
        KktGradient implicit = unrolled ? null : new KktGradient(len);
        double[] wc = new double[len];
        double[] gc = new double[len];
        double[] sbar = new double[len];
        double[] pbar = new double[len * len];
        long flops = 0;
        for (int b = 0; b < batch; b++) {
            q.load(sv, gv, available, b);
            int m = q.m;
            if (m <= 1) continue;
            for (int k = 0; k < m; k++) {
                wc[k] = w[b * len + q.idx[k]];
                gc[k] = g[b * len + q.idx[k]];
            }
            if (unrolled) {
                iterative.backward(q, iterations[b], gc, sbar, pbar, wc);
                flops += (long) iterations[b] * (8L * m * m + 20L * m);
            } else {
                implicit.backward(q, wc, gc, sbar, pbar);
                flops += m * m * m / 3 + 8L * m * m;
            }
            for (int k = 0; k < m; k++) ds[b * len + q.idx[k]] = sbar[k];
            if (gramGrad) {
                double half = 0.5 * opt.mu();
                int go = b * len * len;
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < m; j++) {
                        dg[go + q.idx[i] * len + q.idx[j]] = half * (pbar[i * m + j] + pbar[j * m + i]);
                    }
                }
            }
        }
        ctx.flops(flops);
        long[] gramShape = ctx.inputShape(1);
        return new INDArray[] {
            Instances.write(ds, grad.shape(), grad.dataType()),
            gramGrad ? Instances.write(dg, gramShape, grad.dataType()) : null
        };
    }
}
