package dev.maha.optim.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.Tensor;
import dev.maha.autograd.testing.Close;
import dev.maha.optim.solvers.ConvexAllocation.Options;
import dev.maha.optim.solvers.ConvexAllocation.Solution;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The allocation QP: closed forms, an independent exact solver, masks, shapes, data types, FISTA's convergence. */
class ConvexAllocationTest {
    private static final Options EXACT = Options.exact();

    @Test
    void muZeroIsSparsemaxOfScaledUtilities() {
        Random rnd = new Random(11);
        Tensor s = Problems.utilities(rnd, 20, 6, 2);
        Tensor g = Problems.grams(rnd, 20, 6, 3);
        double tau = 2.5;
        INDArray expected = Sparsemax.apply(s.div(tau)).value();
        Close.assertAbsClose("active set", expected, ConvexAllocation.solve(s, g, EXACT.withTau(tau).withMu(0)).weights().value(), 1e-15);
        // With P = τI the step is 1/τ and the first FISTA iterate is already Π(s/τ).
        Close.assertAbsClose("fista", expected, ConvexAllocation.solve(s, g, Options.fista(1).withTau(tau).withMu(0)).weights().value(), 1e-15);
    }

    @Test
    void redundantScalesShareTheirWeight() {
        // Scales 0 and 1 are identical (cosine 1), scale 2 is orthogonal to both; equal utilities.
        // P = [[2,1,0],[1,2,0],[0,0,2]]: by symmetry w = (a, a, c) with 3a = 2c, 2a + c = 1.
        Tensor s = Tensor.of(new double[] {1, 1, 1}, 3);
        Tensor g = Tensor.of(new double[] {1, 1, 0, 1, 1, 0, 0, 0, 1}, 3, 3);
        Solution sol = ConvexAllocation.solve(s, g, EXACT.withMu(1));
        Close.assertAbsClose("weights", Nd4j.createFromArray(2.0 / 7, 2.0 / 7, 3.0 / 7), sol.weights().value(), 1e-15);
        assertEquals(0, sol.kktResidual().rank());
        assertTrue(sol.maxKktResidual() <= 1e-15, "certificate " + sol.maxKktResidual());
    }

    @Test
    void twoScalesClosedForm() {
        // w₀ = clip((s₀ − s₁ + P₁₁ − P₀₁) / (P₀₀ + P₁₁ − 2P₀₁), 0, 1), here with τ = 0.7, μ = 1.3, G₀₁ = 0.4
        double tau = 0.7;
        double mu = 1.3;
        double p00 = tau + mu;
        double p01 = mu * 0.4;
        double[][] cases = {{0.3, 0.1}, {2.0, -1.0}, {-0.2, 0.25}, {5, 5}};
        double[] s = new double[8];
        double[] g = new double[16];
        double[] expected = new double[8];
        for (int b = 0; b < 4; b++) {
            s[2 * b] = cases[b][0];
            s[2 * b + 1] = cases[b][1];
            g[4 * b] = 1;
            g[4 * b + 1] = 0.4;
            g[4 * b + 2] = 0.4;
            g[4 * b + 3] = 1;
            double w0 = Math.min(1, Math.max(0, (cases[b][0] - cases[b][1] + p00 - p01) / (2 * p00 - 2 * p01)));
            expected[2 * b] = w0;
            expected[2 * b + 1] = 1 - w0;
        }
        INDArray want = Nd4j.createFromArray(expected).reshape(4, 2);
        for (Options o : new Options[] {EXACT, Options.fista(500)}) {
            Solution sol = ConvexAllocation.solve(Tensor.of(s, 4, 2), Tensor.of(g, 4, 2, 2), o.withTau(tau).withMu(mu));
            Close.assertAbsClose(o.toString(), want, sol.weights().value(), 1e-14);
        }
    }

    @Test
    void matchesAnIndependentExactSolver() {
        Random rnd = new Random(5);
        for (int len = 2; len <= 9; len++) {
            for (int trial = 0; trial < 12; trial++) {
                double tau = Math.pow(10, rnd.nextDouble() * 4 - 2);
                double mu = trial % 4 == 0 ? 0 : Math.pow(10, rnd.nextDouble() * 4 - 2);
                double[] s = new double[len];
                for (int i = 0; i < len; i++) s[i] = rnd.nextGaussian() * Math.pow(10, rnd.nextInt(3) - 1);
                double[] g = Problems.cosineGram(rnd, len, 1 + rnd.nextInt(len));
                double[] want = SupportEnumeration.solve(s, g, tau, mu);
                Solution sol = ConvexAllocation.solve(Tensor.of(s, len), Tensor.of(g, len, len), EXACT.withTau(tau).withMu(mu));
                double[] got = sol.weights().toDoubleArray();
                assertArrayEquals(want, got, 1e-10, "L = " + len + ", τ = " + tau + ", μ = " + mu);
                double[] wantValue = {Problems.objective(want, s, g, tau, mu)};
                assertArrayEquals(wantValue, new double[] {Problems.objective(got, s, g, tau, mu)},
                        1e-13 * (1 + Math.abs(wantValue[0])), "objective");
            }
        }
    }

    @Test
    void availabilityMask() {
        Random rnd = new Random(8);
        Tensor s = Problems.utilities(rnd, 3, 4, 1);
        Tensor g = Problems.grams(rnd, 3, 4, 4);
        Tensor mask = Tensor.owning(Nd4j.createFromArray(new boolean[][] {
            {true, false, true, true}, {false, false, true, false}, {false, false, false, false}}));
        Solution sol = ConvexAllocation.solve(s, g, mask, EXACT);
        double[] w = sol.weights().toDoubleArray();
        // row 0: the problem without scale 1
        double[] s0 = s.toDoubleArray();
        double[] g0 = g.toDoubleArray();
        int[] keep = {0, 2, 3};
        double[] sr = new double[3];
        double[] gr = new double[9];
        for (int i = 0; i < 3; i++) {
            sr[i] = s0[keep[i]];
            for (int j = 0; j < 3; j++) gr[i * 3 + j] = g0[keep[i] * 4 + keep[j]];
        }
        double[] want = SupportEnumeration.solve(sr, gr, 1, 0.5);
        assertArrayEquals(new double[] {want[0], 0, want[1], want[2]}, java.util.Arrays.copyOfRange(w, 0, 4), 1e-12);
        // row 1: one available scale gets everything; row 2: none available, all zeros
        assertArrayEquals(new double[] {0, 0, 1, 0, 0, 0, 0, 0}, java.util.Arrays.copyOfRange(w, 4, 12), 0);
        assertTrue(sol.maxKktResidual() <= 1e-15);
        assertEquals(0, sol.kktResidual().getDouble(2), 0);
        // masked entries of s and G are ignored, whatever they hold
        double[] sAlt = s0.clone();
        double[] gAlt = g0.clone();
        sAlt[1] = 1e6;
        for (int j = 0; j < 4; j++) {
            gAlt[4 + j] = 0.3;
            gAlt[j * 4 + 1] = 0.3;
        }
        Solution alt = ConvexAllocation.solve(Tensor.of(sAlt, 3, 4), Tensor.of(gAlt, 3, 4, 4), mask, EXACT);
        assertArrayEquals(w, alt.weights().toDoubleArray(), 0);
    }

    @Test
    void batchShapesAndCertificateShape() {
        Random rnd = new Random(3);
        Tensor s = Tensor.of(Problems.utilities(rnd, 6, 4, 1).value().reshape(2, 3, 4));
        Tensor g = Tensor.of(Problems.grams(rnd, 6, 4, 2).value().reshape(2, 3, 4, 4));
        for (Options o : new Options[] {EXACT, Options.fista(50)}) {
            Solution sol = ConvexAllocation.solve(s, g, o);
            assertArrayEquals(new long[] {2, 3, 4}, sol.weights().shape());
            INDArray cert = sol.kktResidual();
            assertArrayEquals(new long[] {2, 3}, cert.shape());
            assertEquals(DataType.DOUBLE, cert.dataType());
            assertEquals(sol.maxKktResidual(), cert.maxNumber().doubleValue(), 0);
            double[] rowSums = sol.weights().value().sum(2).dup().data().asDouble();
            for (double r : rowSums) assertEquals(1, r, 1e-12);
        }
    }

    @Test
    void float32InputsWork() {
        Random rnd = new Random(4);
        Tensor s = Problems.utilities(rnd, 5, 6, 1);
        Tensor g = Problems.grams(rnd, 5, 6, 3);
        Tensor s32 = s.cast(DataType.FLOAT).detach().requiresGrad(true);
        Tensor g32 = g.cast(DataType.FLOAT).detach().requiresGrad(true);
        INDArray want = ConvexAllocation.solve(s, g, EXACT).weights().value();
        for (Options o : new Options[] {EXACT, Options.fista(1000), Options.fista(1000).withGradientMode(GradientMode.IMPLICIT)}) {
            Solution sol = ConvexAllocation.solve(s32, g32, o);
            assertEquals(DataType.FLOAT, sol.weights().dtype());
            Close.assertAbsClose("float32 " + o, want, sol.weights().value(), 1e-6);
            sol.weights().backward(Nd4j.rand(DataType.FLOAT, 5, 6));
            assertEquals(DataType.FLOAT, s32.grad().dataType());
            assertEquals(DataType.FLOAT, g32.grad().dataType());
            s32.zeroGrad();
            g32.zeroGrad();
        }
    }

    @Test
    void fistaApproachesTheExactSolutionAsKGrows() {
        Random rnd = new Random(21);
        Tensor s = Problems.utilities(rnd, 64, 8, 1);
        Tensor g = Problems.grams(rnd, 64, 8, 4);
        INDArray exact = ConvexAllocation.solve(s, g, EXACT.withMu(2)).weights().value();
        double lastCert = Double.POSITIVE_INFINITY;
        double lastDist = Double.POSITIVE_INFINITY;
        for (int k : new int[] {10, 100, 1000}) {
            Solution sol = ConvexAllocation.solve(s, g, Options.fista(k).withMu(2));
            double cert = sol.maxKktResidual();
            double dist = sol.weights().value().sub(exact).amaxNumber().doubleValue();
            assertTrue(cert < lastCert && dist < lastDist, "K = " + k + ": certificate " + cert + " (was " + lastCert
                    + "), distance " + dist + " (was " + lastDist + ")");
            lastCert = cert;
            lastDist = dist;
        }
        assertTrue(lastCert <= 1e-12 && lastDist <= 1e-12, "K = 1000: certificate " + lastCert + ", distance " + lastDist);
    }

    @Test
    void fistaToleranceStopsAtTheCertificate() {
        Random rnd = new Random(22);
        Tensor s = Problems.utilities(rnd, 32, 8, 1);
        Tensor g = Problems.grams(rnd, 32, 8, 4);
        Solution loose = ConvexAllocation.solve(s, g, Options.fista(100000).withMu(2).withTolerance(1e-4));
        Solution tight = ConvexAllocation.solve(s, g, Options.fista(100000).withMu(2).withTolerance(1e-10));
        assertTrue(loose.maxKktResidual() <= 1e-4 && loose.maxKktResidual() > 1e-10, "loose " + loose.maxKktResidual());
        assertTrue(tight.maxKktResidual() <= 1e-10, "tight " + tight.maxKktResidual());
    }
}
