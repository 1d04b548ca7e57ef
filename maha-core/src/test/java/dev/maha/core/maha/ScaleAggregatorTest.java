package dev.maha.core.maha;

import static dev.maha.autograd.testing.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maha.autograd.GradCheck;
import dev.maha.autograd.Scope;
import dev.maha.autograd.Tensor;
import dev.maha.autograd.io.SafeTensors;
import dev.maha.autograd.testing.Fixtures;
import dev.maha.core.maha.ScaleAggregator.Mode;
import dev.maha.core.maha.ScaleAggregator.Result;
import dev.maha.core.maha.ScaleAggregator.Settings;
import dev.maha.optim.solvers.ContestEquilibrium;
import dev.maha.optim.solvers.ConvexAllocation;
import dev.maha.optim.solvers.GradientMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The per-position, per-head aggregation of spec §4, its reference modes, gradients and causality. */
class ScaleAggregatorTest {
    private static final ConvexAllocation.Options CONVEX = ConvexAllocation.Options.exact().withTau(0.5).withMu(0.7);
    private static final ContestEquilibrium.Options CONTEST = ContestEquilibrium.Options.exact();
    private static final double EPS = 1e-3;

    // ------------------------------------------------------------------ helpers

    private static List<Tensor> scales(long seed, DataType dtype, int L, long... shape) {
        List<Tensor> u = new ArrayList<>();
        for (int l = 0; l < L; l++) u.add(Tensor.randn(seed + 101L * l, dtype, shape));
        return u;
    }

    /** Causal availability (spec §3, r = 2): scale l is available at i iff i ≥ 2^l − 1. */
    private static List<boolean[]> causal(int L, int n) {
        List<boolean[]> out = new ArrayList<>();
        for (int l = 0; l < L; l++) {
            boolean[] m = new boolean[n];
            for (int i = 0; i < n; i++) m[i] = i >= (1 << l) - 1;
            out.add(m);
        }
        return out;
    }

    private static Settings settings(Mode mode) {
        return Settings.of(mode).withConvex(CONVEX).withContest(CONTEST).withNashEpsilon(EPS);
    }

    private static Result run(Mode mode, List<Tensor> u, List<boolean[]> avail, Tensor a, Tensor b, Tensor logits) {
        return ScaleAggregator.aggregate(settings(mode), u, avail, a, b, logits);
    }

    private static double[][] rows(List<Tensor> u) {
        double[][] out = new double[u.size()][];
        for (int l = 0; l < u.size(); l++) out[l] = u.get(l).toDoubleArray();
        return out;
    }

    /** The per-head modes, recomputed one position at a time from their definitions. */
    private static void checkAgainstDirectComputation(Mode mode) {
        int B = 2, H = 2, n = 5, L = 3, dh = 4;
        try (Scope scope = Scope.open()) {
            List<Tensor> u = scales(11, DataType.DOUBLE, L, B, H, n, dh);
            Tensor a = Tensor.randn(12, DataType.DOUBLE, L, H, dh);
            Tensor b = Tensor.randn(13, DataType.DOUBLE, L, H).mul(0.5);
            List<boolean[]> avail = causal(L, n);
            Result r = run(mode, u, avail, a, b, null);
            assertArrayEquals(new long[] {B, H, n, dh}, r.output().shape());
            assertArrayEquals(new long[] {B, H, n, L}, r.weights().shape());
            double[][] uv = rows(u);
            double[] av = a.toDoubleArray();
            double[] bv = b.toDoubleArray();
            double[] out = r.output().toDoubleArray();
            double[] wv = r.weights().toDoubleArray();
            double worstCert = 0;
            int sparse = 0;
            for (int bb = 0; bb < B; bb++) {
                for (int h = 0; h < H; h++) {
                    for (int i = 0; i < n; i++) {
                        int base = ((bb * H + h) * n + i) * dh;
                        List<Integer> act = new ArrayList<>();
                        for (int l = 0; l < L; l++) if (avail.get(l)[i]) act.add(l);
                        int m = act.size();
                        double[] s = new double[m];
                        double[][] unit = new double[m][dh];
                        for (int j = 0; j < m; j++) {
                            int l = act.get(j);
                            double dot = 0, sq = 0;
                            for (int k = 0; k < dh; k++) {
                                double x = uv[l][base + k];
                                dot += av[(l * H + h) * dh + k] * x;
                                sq += x * x;
                            }
                            s[j] = dot / Math.sqrt(dh) + bv[l * H + h];
                            for (int k = 0; k < dh; k++) unit[j][k] = uv[l][base + k] / Math.sqrt(sq + 1e-12);
                        }
                        double[] w = new double[m];
                        if (mode == Mode.MEAN) {
                            Arrays.fill(w, 1.0 / m);
                        } else if (mode == Mode.CONVEX) {
                            double[] g = new double[m * m];
                            for (int p = 0; p < m; p++) {
                                for (int q = 0; q < m; q++) {
                                    double dot = 0;
                                    for (int k = 0; k < dh; k++) dot += unit[p][k] * unit[q][k];
                                    g[p * m + q] = dot;
                                }
                            }
                            ConvexAllocation.Solution sol = ConvexAllocation.solve(Tensor.of(s, m),
                                    Tensor.of(g, m, m), CONVEX);
                            w = sol.weights().toDoubleArray();
                            worstCert = Math.max(worstCert, sol.maxKktResidual());
                        } else {
                            double[] v = new double[m];
                            for (int j = 0; j < m; j++) v[j] = Math.log1p(Math.exp(s[j])) + EPS;
                            ContestEquilibrium.Solution sol = ContestEquilibrium.solve(Tensor.of(v, m), CONTEST);
                            w = sol.weights().toDoubleArray();
                            worstCert = Math.max(worstCert, sol.maxGap());
                        }
                        double[] full = new double[L];
                        for (int j = 0; j < m; j++) full[act.get(j)] = w[j];
                        for (int l = 0; l < L; l++) {
                            double got = wv[((bb * H + h) * n + i) * L + l];
                            assertEquals(full[l], got, 1e-12, mode + " weight " + l + " at " + bb + "," + h + "," + i);
                            if (avail.get(l)[i] && got == 0) sparse++;
                        }
                        for (int k = 0; k < dh; k++) {
                            double o = 0;
                            for (int l = 0; l < L; l++) o += full[l] * uv[l][base + k];
                            assertEquals(o, out[base + k], 1e-12, mode + " output at " + bb + "," + h + "," + i + "," + k);
                        }
                    }
                }
            }
            if (mode == Mode.MEAN) {
                assertTrue(r.certificate().isEmpty());
            } else {
                assertTrue(r.certificate().getAsDouble() < 1e-12, "certificate " + r.certificate());
                assertTrue(r.certificate().getAsDouble() >= worstCert - 1e-15);
                assertTrue(sparse > 0, mode + ": expected some available scale to get exactly 0 (sparse solutions)");
            }
            assertEquals(0, r.auxLoss().rank());
            assertEquals(0.0, r.auxLoss().item());
        }
    }

    // ------------------------------------------------------------------ per-position semantics

    @Test
    void meanEqualsUniformWeightsOverTheAvailableScales() {
        checkAgainstDirectComputation(Mode.MEAN);
    }

    @Test
    void convexEqualsTheQpSolvedAtEachPositionAndHead() {
        checkAgainstDirectComputation(Mode.CONVEX);
    }

    @Test
    void nashEqualsTheContestEquilibriumAtEachPositionAndHead() {
        checkAgainstDirectComputation(Mode.NASH);
    }

    @Test
    void unavailableScalesGetZeroWeightAndTheirValuesDoNotMatter() {
        int B = 1, H = 2, n = 6, L = 3, dh = 3;
        List<boolean[]> avail = causal(L, n);
        for (Mode mode : new Mode[] {Mode.MEAN, Mode.CONVEX, Mode.NASH}) {
            try (Scope scope = Scope.open()) {
                List<Tensor> clean = scales(21, DataType.DOUBLE, L, B, H, n, dh);
                List<Tensor> dirty = new ArrayList<>();
                for (int l = 0; l < L; l++) {
                    INDArray v = clean.get(l).value().dup();
                    for (int i = 0; i < n; i++) {
                        if (avail.get(l)[i]) continue;
                        for (int h = 0; h < H; h++) {
                            for (int k = 0; k < dh; k++) v.putScalar(new long[] {0, h, i, k}, k == 0 ? Double.NaN : 1e6 * (k + h));
                        }
                        for (int h = 0; h < H; h++) {
                            for (int k = 0; k < dh; k++) clean.get(l).value().putScalar(new long[] {0, h, i, k}, 0.0);
                        }
                    }
                    dirty.add(Tensor.owning(v).requiresGrad(true));
                }
                Tensor a = Tensor.randn(22, DataType.DOUBLE, L, H, dh).requiresGrad(true);
                Tensor b = Tensor.randn(23, DataType.DOUBLE, L, H).requiresGrad(true);
                Result rc = run(mode, clean, avail, a, b, null);
                Result rd = run(mode, dirty, avail, a, b, null);
                assertArrayEquals(rc.output().toDoubleArray(), rd.output().toDoubleArray(), 0.0, mode + " output");
                assertArrayEquals(rc.weights().toDoubleArray(), rd.weights().toDoubleArray(), 0.0, mode + " weights");
                double[] w = rd.weights().toDoubleArray();
                for (int h = 0; h < H; h++) {
                    for (int i = 0; i < n; i++) {
                        double sum = 0;
                        for (int l = 0; l < L; l++) {
                            double wl = w[(h * n + i) * L + l];
                            if (!avail.get(l)[i]) assertEquals(0.0, wl, mode + " weight of unavailable scale " + l + " at " + i);
                            sum += wl;
                        }
                        assertEquals(1.0, sum, 1e-12, mode + " weights sum at " + i);
                    }
                }
                // at position 0 only scale 0 is available: the output is u_0 exactly
                for (int h = 0; h < H; h++) {
                    for (int k = 0; k < dh; k++) {
                        assertEquals(clean.get(0).value().getDouble(0, h, 0, k), rd.output().value().getDouble(0, h, 0, k), 0.0);
                    }
                }
                rd.output().sum().backward();
                for (int l = 0; l < L; l++) {
                    INDArray g = dirty.get(l).grad();
                    for (int i = 0; i < n; i++) {
                        if (avail.get(l)[i]) continue;
                        for (int h = 0; h < H; h++) {
                            for (int k = 0; k < dh; k++) {
                                assertEquals(0.0, g.getDouble(0, h, i, k), mode + " gradient of unavailable u." + l + " at " + i);
                            }
                        }
                    }
                }
                if (mode != Mode.MEAN) {
                    for (double g : a.grad().dup().data().asDouble()) assertTrue(Double.isFinite(g), mode + " grad a finite");
                    for (double g : b.grad().dup().data().asDouble()) assertTrue(Double.isFinite(g), mode + " grad b finite");
                }
            }
        }
    }

    @Test
    void oneScaleOrOnePositionGivesTheOnlyAvailableOutput() {
        for (Mode mode : new Mode[] {Mode.MEAN, Mode.CONVEX, Mode.NASH}) {
            try (Scope scope = Scope.open()) {
                // L = 1: w = 1 everywhere, the output is u_0
                List<Tensor> one = scales(111, DataType.DOUBLE, 1, 2, 2, 5, 3);
                Result r = run(mode, one, null, Tensor.randn(112, DataType.DOUBLE, 1, 2, 3), Tensor.randn(113, DataType.DOUBLE, 1, 2), null);
                assertArrayEquals(one.get(0).toDoubleArray(), r.output().toDoubleArray(), 0.0, mode + " L = 1");
                assertTrue(Arrays.stream(r.weights().toDoubleArray()).allMatch(w -> w == 1.0), mode + " L = 1 weights");
                // n = 1 with causal availability: only scale 0 exists at position 0
                List<Tensor> u = scales(114, DataType.DOUBLE, 3, 1, 2, 1, 3);
                Result c = run(mode, u, causal(3, 1), Tensor.randn(115, DataType.DOUBLE, 3, 2, 3), Tensor.randn(116, DataType.DOUBLE, 3, 2), null);
                assertArrayEquals(u.get(0).toDoubleArray(), c.output().toDoubleArray(), 0.0, mode + " n = 1");
            }
        }
    }

    @Test
    void futureTokensNeverChangeThePast() {
        int B = 2, H = 2, n = 9, L = 3, dh = 3, t = 4;
        List<boolean[]> avail = causal(L, n);
        for (Mode mode : new Mode[] {Mode.MEAN, Mode.CONVEX, Mode.NASH, Mode.REFERENCE_SOFTMAX}) {
            try (Scope scope = Scope.open()) {
                List<Tensor> u = scales(31, DataType.DOUBLE, L, B, H, n, dh);
                List<Tensor> changed = new ArrayList<>();
                List<Tensor> noise = scales(32, DataType.DOUBLE, L, B, H, n - t - 1, dh);
                for (int l = 0; l < L; l++) {
                    changed.add(Tensor.concat(2, u.get(l).slice(2, 0, t + 1), noise.get(l).mul(3)));
                }
                Tensor a = Tensor.randn(33, DataType.DOUBLE, L, H, dh);
                Tensor b = Tensor.randn(34, DataType.DOUBLE, L, H);
                Tensor logits = Tensor.randn(35, DataType.DOUBLE, L);
                Tensor before = run(mode, u, avail, a, b, logits).output();
                Tensor after = run(mode, changed, avail, a, b, logits).output();
                assertArrayEquals(before.slice(2, 0, t + 1).toDoubleArray(), after.slice(2, 0, t + 1).toDoubleArray(), 0.0,
                        mode + ": outputs at positions <= " + t + " changed");
                assertFalse(Arrays.equals(before.slice(2, t + 1, n).toDoubleArray(), after.slice(2, t + 1, n).toDoubleArray()),
                        mode + ": the later positions should differ");
            }
        }
    }

    @Test
    void referenceConsensusLeaksTheFuture() {
        int B = 1, H = 2, n = 9, L = 3, dh = 3, t = 4;
        try (Scope scope = Scope.open()) {
            List<Tensor> u = scales(41, DataType.DOUBLE, L, B, H, n, dh);
            List<Tensor> changed = new ArrayList<>();
            List<Tensor> noise = scales(42, DataType.DOUBLE, L, B, H, n - t - 1, dh);
            for (int l = 0; l < L; l++) changed.add(Tensor.concat(2, u.get(l).slice(2, 0, t + 1), noise.get(l).mul(3)));
            Tensor before = run(Mode.REFERENCE_CONSENSUS, u, null, null, null, null).output();
            Tensor after = run(Mode.REFERENCE_CONSENSUS, changed, null, null, null, null).output();
            double[] p = before.slice(2, 0, t + 1).toDoubleArray();
            double[] q = after.slice(2, 0, t + 1).toDoubleArray();
            double diff = 0;
            for (int k = 0; k < p.length; k++) diff = Math.max(diff, Math.abs(p[k] - q[k]));
            assertTrue(diff > 1e-3, "the sequence-wide consensus weights should carry the future into the past, max diff " + diff);
        }
    }

    // ------------------------------------------------------------------ gradients

    private static void gradCheck(String what, Function<Tensor[], Tensor> f, Tensor... in) {
        GradCheck.Report r = GradCheck.check(f, in);
        assertTrue(r.passed(), what + ": " + r);
    }

    /** Tiny inputs B = 1, h = 2, n = 3, L = 3, d_h = 2, all requiring gradients: u.0..u.2, a, b, logits. */
    private static Tensor[] tinyInputs(long seed) {
        List<Tensor> u = scales(seed, DataType.DOUBLE, 3, 1, 2, 3, 2);
        Tensor[] in = new Tensor[6];
        for (int l = 0; l < 3; l++) in[l] = u.get(l).requiresGrad(true);
        in[3] = Tensor.randn(seed + 7, DataType.DOUBLE, 3, 2, 2).requiresGrad(true);
        in[4] = Tensor.randn(seed + 8, DataType.DOUBLE, 3, 2).mul(0.5).detach().requiresGrad(true);
        in[5] = Tensor.randn(seed + 9, DataType.DOUBLE, 3).requiresGrad(true);
        return in;
    }

    private static Function<Tensor[], Tensor> f(Settings s, List<boolean[]> avail) {
        return in -> ScaleAggregator.aggregate(s, List.of(in[0], in[1], in[2]), avail, in[3], in[4], in[5]).output();
    }

    @Test
    void meanGradientMatchesFiniteDifferences() {
        try (Scope scope = Scope.open()) {
            Tensor[] in = tinyInputs(51);
            in[3].requiresGrad(false);
            in[4].requiresGrad(false);
            in[5].requiresGrad(false);
            gradCheck("mean", f(settings(Mode.MEAN), null), in);
            gradCheck("mean, causal", f(settings(Mode.MEAN), causal(3, 3)), in);
        }
    }

    @Test
    void convexGradientMatchesFiniteDifferences() {
        try (Scope scope = Scope.open()) {
            Tensor[] in = tinyInputs(61);
            in[5].requiresGrad(false);
            Settings exact = settings(Mode.CONVEX);
            gradCheck("convex exact implicit", f(exact, null), in);
            gradCheck("convex exact implicit, causal", f(exact, causal(3, 3)), in);
            Settings fista = exact.withConvex(CONVEX.withSolver(ConvexAllocation.Solver.FISTA).withIterations(30)
                    .withGradientMode(GradientMode.UNROLLED));
            gradCheck("convex fista unrolled", f(fista, null), in);
            // the solutions at these inputs are sparse: the gradient goes through a proper active set
            Result r = ScaleAggregator.aggregate(exact, List.of(in[0], in[1], in[2]), null, in[3], in[4], null);
            assertTrue(Arrays.stream(r.weights().toDoubleArray()).anyMatch(w -> w == 0), "expected a sparse solution");
        }
    }

    @Test
    void nashGradientMatchesFiniteDifferences() {
        try (Scope scope = Scope.open()) {
            Tensor[] in = tinyInputs(71);
            in[5].requiresGrad(false);
            Settings exact = settings(Mode.NASH);
            gradCheck("nash exact implicit", f(exact, null), in);
            gradCheck("nash exact implicit, causal", f(exact, causal(3, 3)), in);
            Settings br = exact.withContest(ContestEquilibrium.Options.bestResponse(40, 0.2));
            gradCheck("nash best response unrolled", f(br, null), in);
        }
    }

    @Test
    void referenceGradientsMatchFiniteDifferences() {
        try (Scope scope = Scope.open()) {
            Tensor[] in = tinyInputs(81);
            in[3].requiresGrad(false);
            in[4].requiresGrad(false);
            gradCheck("reference softmax", f(settings(Mode.REFERENCE_SOFTMAX), null), in);
            in[5].requiresGrad(false);
            gradCheck("reference consensus", f(settings(Mode.REFERENCE_CONSENSUS), null), in);
        }
    }

    // ------------------------------------------------------------------ the reference block

    private static List<Tensor> up(SafeTensors.Contents f, String prefix) {
        List<Tensor> u = new ArrayList<>();
        for (int l = 0; l < 3; l++) u.add(Tensor.of(f.get(prefix + "act.up." + l)));
        return u;
    }

    /** {@code [B, N, d]} → {@code [B, H, N, d/H]} (head k takes columns {@code [k·d/H, (k+1)·d/H)}). */
    private static List<Tensor> heads(List<Tensor> merged, int H) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : merged) {
            long[] s = t.shape();
            out.add(t.reshape(s[0], s[1], H, s[2] / H).permute(0, 2, 1, 3));
        }
        return out;
    }

    private static INDArray merge(Tensor perHead) {
        long[] s = perHead.shape();
        return perHead.permute(0, 2, 1, 3).reshape(s[0], s[2], s[1] * s[3]).value();
    }

    @Test
    void reproducesTheReferenceBlockAggregations() {
        SafeTensors.Contents f = Fixtures.referenceBlock();
        try (Scope scope = Scope.open()) {
            Tensor logits = Tensor.of(f.get("aggregation.convex_logits"));
            Result soft = ScaleAggregator.referenceSoftmax(up(f, ""), logits, 0.1);
            assertClose("act.agg", f.get("act.agg"), soft.output().value(), 1e-9);
            assertClose("act.weights", f.get("act.weights"), soft.weights().value(), 1e-9);
            assertEquals(0, soft.auxLoss().rank());
            assertClose("aux", f.get("aux"), soft.auxLoss().value(), 1e-9);

            Result cons = ScaleAggregator.referenceConsensus(up(f, "nash/"), 3);
            assertClose("nash/act.agg", f.get("nash/act.agg"), cons.output().value(), 1e-9);
            assertClose("nash/act.weights", f.get("nash/act.weights"), cons.weights().value(), 1e-9);
            assertEquals(0.0, cons.auxLoss().item());

            // the per-head entry point merges the heads exactly as the reference concatenates them
            Result softH = ScaleAggregator.aggregate(Settings.of(Mode.REFERENCE_SOFTMAX), heads(up(f, ""), 4), null,
                    null, null, logits);
            assertClose("act.agg via heads", f.get("act.agg"), merge(softH.output()), 1e-9);
            assertClose("aux via heads", f.get("aux"), softH.auxLoss().value(), 1e-9);
            Result consH = ScaleAggregator.aggregate(Settings.of(Mode.REFERENCE_CONSENSUS), heads(up(f, "nash/"), 4), null,
                    null, null, null);
            assertClose("nash/act.agg via heads", f.get("nash/act.agg"), merge(consH.output()), 1e-9);
            assertClose("nash/act.weights via heads", f.get("nash/act.weights"), consH.weights().value(), 1e-9);
        }
    }

    // ------------------------------------------------------------------ input checks, data types

    private static void assertRejected(String start, String contains, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
        assertTrue(e.getMessage().contains(contains), e.getMessage());
    }

    @Test
    void badInputNamesTheFunctionAndShapes() {
        try (Scope scope = Scope.open()) {
            List<Tensor> u = scales(91, DataType.DOUBLE, 3, 1, 2, 4, 3);
            Tensor a = Tensor.randn(92, DataType.DOUBLE, 3, 2, 3);
            Tensor b = Tensor.randn(93, DataType.DOUBLE, 3, 2);
            Tensor odd = Tensor.randn(94, DataType.DOUBLE, 1, 2, 5, 3);
            assertRejected("ScaleAggregator.convex: u.2 has shape [1, 2, 5, 3]", "u.0 has [1, 2, 4, 3]",
                    () -> ScaleAggregator.convex(List.of(u.get(0), u.get(1), odd), null, a, b, CONVEX));
            Tensor a2 = Tensor.randn(95, DataType.DOUBLE, 2, 2, 3);
            assertRejected("ScaleAggregator.nash: a has shape [2, 2, 3]", "expected [L, h, d_h] = [3, 2, 3] (L = 3 scales in u",
                    () -> ScaleAggregator.nash(u, null, a2, b, EPS, CONTEST));
            assertRejected("ScaleAggregator.convex: b has shape [2, 3]", "expected [L, h] = [3, 2]",
                    () -> ScaleAggregator.convex(u, null, a, Tensor.randn(96, DataType.DOUBLE, 2, 3), CONVEX));
            assertRejected("ScaleAggregator.mean: u.0 must have shape [B, h, n, d_h]", "[4, 3]",
                    () -> ScaleAggregator.mean(List.of(Tensor.randn(97, DataType.DOUBLE, 4, 3)), null));
            assertRejected("ScaleAggregator.mean: available has 2 entries", "L = 3",
                    () -> ScaleAggregator.mean(u, List.of(new boolean[4], new boolean[4])));
            assertRejected("ScaleAggregator.nash: available.1 has length 3", "n = 4",
                    () -> ScaleAggregator.nash(u, Arrays.asList(null, new boolean[3], null), a, b, EPS, CONTEST));
            assertRejected("ScaleAggregator.nash: epsilon", "-1.0",
                    () -> ScaleAggregator.nash(u, null, a, b, -1, CONTEST));
            assertRejected("ScaleAggregator.convex: a is FLOAT", "u is DOUBLE",
                    () -> ScaleAggregator.convex(u, null, a.cast(DataType.FLOAT), b, CONVEX));
            assertRejected("ScaleAggregator.referenceSoftmax: merged.1 has shape [1, 4, 2]", "merged.0 has [1, 4, 3]",
                    () -> ScaleAggregator.referenceSoftmax(List.of(Tensor.randn(1, DataType.DOUBLE, 1, 4, 3),
                            Tensor.randn(2, DataType.DOUBLE, 1, 4, 2)), Tensor.randn(3, DataType.DOUBLE, 2), 0.1));
            assertRejected("ScaleAggregator.referenceConsensus: merged.0 must have shape [B, n, d]", "[1, 2, 4, 3]",
                    () -> ScaleAggregator.referenceConsensus(u, 3));
            assertRejected("ScaleAggregator.Settings: nashEpsilon", "0.0",
                    () -> Settings.of(Mode.NASH).withNashEpsilon(0));
            assertRejected("ScaleAggregator.Settings: consensusIterations = -2", ">= 0",
                    () -> Settings.of(Mode.REFERENCE_CONSENSUS).withConsensusIterations(-2));
            assertRejected("ScaleAggregator.availability: mask must have shape [n]", "[2, 2]",
                    () -> ScaleAggregator.availability(Nd4j.ones(DataType.BOOL, 2, 2)));
        }
    }

    @Test
    void boolArraysGiveTheSameAvailability() {
        boolean[] m = {false, true, true, false, true};
        INDArray arr = Nd4j.create(m, new long[] {5}, DataType.BOOL);
        assertArrayEquals(m, ScaleAggregator.availability(arr));
        List<boolean[]> both = ScaleAggregator.availability(Arrays.asList(arr, null));
        assertArrayEquals(m, both.get(0));
        assertEquals(null, both.get(1));
    }

    @Test
    void float32MatchesFloat64() {
        int B = 1, H = 2, n = 7, L = 3, dh = 4;
        List<boolean[]> avail = causal(L, n);
        for (Mode mode : Mode.values()) {
            try (Scope scope = Scope.open()) {
                List<Tensor> u64 = scales(101, DataType.DOUBLE, L, B, H, n, dh);
                Tensor a64 = Tensor.randn(102, DataType.DOUBLE, L, H, dh);
                Tensor b64 = Tensor.randn(103, DataType.DOUBLE, L, H);
                Tensor t64 = Tensor.randn(104, DataType.DOUBLE, L);
                List<Tensor> u32 = new ArrayList<>();
                for (Tensor t : u64) u32.add(t.cast(DataType.FLOAT).detach().requiresGrad(true));
                Tensor a32 = a64.cast(DataType.FLOAT).detach().requiresGrad(true);
                Tensor b32 = b64.cast(DataType.FLOAT).detach().requiresGrad(true);
                Tensor t32 = t64.cast(DataType.FLOAT).detach().requiresGrad(true);
                Result r64 = run(mode, u64, avail, a64, b64, t64);
                Result r32 = run(mode, u32, avail, a32, b32, t32);
                assertEquals(DataType.FLOAT, r32.output().dtype(), mode.toString());
                assertEquals(DataType.FLOAT, r32.weights().dtype(), mode.toString());
                assertEquals(DataType.FLOAT, r32.auxLoss().dtype(), mode.toString());
                assertClose(mode + " output", r64.output().value(), r32.output().value(), 1e-5);
                assertClose(mode + " weights", r64.weights().value(), r32.weights().value(), 1e-5);
                r32.output().sum().add(r32.auxLoss()).backward();
                for (Tensor t : u32) assertEquals(DataType.FLOAT, t.grad().dataType());
            }
        }
    }

    @Test
    void utilitiesBeforeUpsamplingEqualUtilitiesOfTheUpsampledOutputsWithGradients() {
        // n = 37 with L = 3, r = 2: causal levels of 37, 18, 9 rows (positions 0 and 0..2 unavailable at
        // levels 1 and 2), non-causal 37, 19, 10 (nearest, non-integer ratios).
        int n = 37;
        int L = 3;
        int r = 2;
        for (boolean causal : new boolean[] {true, false}) {
            long seed = causal ? 70 : 80;
            Tensor[] o = new Tensor[L];
            for (int l = 0; l < L; l++) {
                o[l] = Tensor.randn(seed + l, DataType.DOUBLE, 2, 3, ScaleLengths.at(n, l, r, causal), 4).requiresGrad(true);
            }
            Tensor a = Tensor.randn(seed + 10, DataType.DOUBLE, L, 3, 4).requiresGrad(true);
            Tensor b = Tensor.randn(seed + 11, DataType.DOUBLE, L, 3).requiresGrad(true);
            Tensor cot = Tensor.randn(seed + 12, DataType.DOUBLE, 2, 3, n, L);
            java.util.function.BiFunction<Tensor, Integer, Tensor> up = (x, level) -> Upsampling.upsample(x, 2, n, level, r, causal);

            Tensor coarse = ScaleAggregator.coarseUtilities(Arrays.asList(o), up, a, b);
            coarse.backward(cot.value());
            INDArray[] coarseGrads = {o[0].grad().dup(), o[1].grad().dup(), o[2].grad().dup(), a.grad().dup(), b.grad().dup()};
            for (Tensor t : o) t.zeroGrad();
            a.zeroGrad();
            b.zeroGrad();

            List<Tensor> u = new ArrayList<>();
            for (int l = 0; l < L; l++) u.add(up.apply(o[l], l));
            Tensor direct = ScaleAggregator.utilities(u, a, b);
            direct.backward(cot.value());
            String what = causal ? "causal" : "non-causal";
            assertClose(what + " utilities", direct.value(), coarse.value(), 1e-13);
            INDArray[] directGrads = {o[0].grad(), o[1].grad(), o[2].grad(), a.grad(), b.grad()};
            for (int k = 0; k < directGrads.length; k++) assertClose(what + " gradient " + k, directGrads[k], coarseGrads[k], 1e-12);
        }
    }

    /**
     * MEAN and NASH mixing the coarse outputs in place equal mixing their upsampled copies: outputs,
     * weights and the gradients of the outputs and the utility parameters. Bit for bit when causal (the
     * same products, sums and roundings in the same order); non-causal nearest upsampling sums its
     * gradient with a different op, so float32 there agrees to rounding.
     */
    @Test
    void mixingTheCoarseOutputsInPlaceEqualsMixingTheirUpsampledCopies() {
        int L = 3;
        for (int n : new int[] {1, 5, 37, 64}) {
            for (int r : new int[] {2, 3}) {
                for (boolean causal : new boolean[] {true, false}) {
                    for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
                        for (Mode mode : new Mode[] {Mode.MEAN, Mode.NASH}) {
                            String what = mode + " n=" + n + " r=" + r + (causal ? " causal " : " ") + dt;
                            double tol = causal || dt == DataType.DOUBLE ? 0 : 1e-6;
                            INDArray[] inPlace = mixGradients(n, r, causal, dt, mode, true);
                            INDArray[] copies = mixGradients(n, r, causal, dt, mode, false);
                            if (inPlace == null) continue;                       // no non-empty level beyond 0
                            for (int k = 0; k < inPlace.length; k++) {
                                assertClose(what + " result " + k, copies[k], inPlace[k], tol);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void mixingInPlaceRejectsModesAndMapsItCannotServe() {
        List<Tensor> o = List.of(Tensor.randn(1, DataType.DOUBLE, 1, 2, 8, 4), Tensor.randn(2, DataType.DOUBLE, 1, 2, 4, 4));
        int[][] sources = {Upsampling.sources(8, 8, 0, 2, true), Upsampling.sources(8, 4, 1, 2, true)};
        IllegalArgumentException convex = assertThrows(IllegalArgumentException.class,
                () -> ScaleAggregator.aggregateUpsampled(settings(Mode.CONVEX), o, sources, null, null));
        assertTrue(convex.getMessage().contains("CONVEX"), convex.getMessage());
        IllegalArgumentException maps = assertThrows(IllegalArgumentException.class,
                () -> ScaleAggregator.aggregateUpsampled(settings(Mode.MEAN), o, new int[][] {sources[0]}, null, null));
        assertTrue(maps.getMessage().contains("1 maps"), maps.getMessage());
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> ScaleAggregator.aggregateUpsampled(settings(Mode.MEAN), o, new int[][] {sources[0], sources[0]}, null, null));
        assertTrue(rows.getMessage().contains("upsampled_mix") && rows.getMessage().contains("only 4 rows"), rows.getMessage());
        IllegalArgumentException nash = assertThrows(IllegalArgumentException.class,
                () -> ScaleAggregator.aggregateUpsampled(settings(Mode.NASH), o, sources, null, null));
        assertTrue(nash.getMessage().contains("utilities"), nash.getMessage());
    }

    /** Output, weights, then the gradients of O_l, a and b, for one way of mixing. */
    private static INDArray[] mixGradients(int n, int r, boolean causal, DataType dt, Mode mode, boolean inPlace) {
        int L = 0;
        while (L < 3 && ScaleLengths.at(n, L, r, causal) > 0) L++;
        if (L < 2) return null;
        long seed = 31L * n + r + (causal ? 7 : 0);
        List<Tensor> o = new ArrayList<>();
        List<boolean[]> avail = new ArrayList<>();
        int[][] sources = new int[L][];
        for (int l = 0; l < L; l++) {
            int nl = ScaleLengths.at(n, l, r, causal);
            o.add(Tensor.randn(seed + l, DataType.DOUBLE, 2, 3, nl, 4).cast(dt).requiresGrad(true));
            avail.add(Upsampling.availability(n, nl, l, r, causal));
            sources[l] = Upsampling.sources(n, nl, l, r, causal);
        }
        Tensor a = Tensor.randn(seed + 10, DataType.DOUBLE, L, 3, 4).cast(dt).requiresGrad(true);
        Tensor b = Tensor.randn(seed + 11, DataType.DOUBLE, L, 3).cast(dt).requiresGrad(true);
        java.util.function.BiFunction<Tensor, Integer, Tensor> up = (x, level) -> Upsampling.upsample(x, 2, n, level, r, causal);
        Tensor s = mode == Mode.NASH ? ScaleAggregator.coarseUtilities(o, up, a, b) : null;
        Result res;
        if (inPlace) {
            res = ScaleAggregator.aggregateUpsampled(settings(mode), o, sources, avail, s);
        } else {
            List<Tensor> u = new ArrayList<>();
            for (int l = 0; l < L; l++) u.add(up.apply(o.get(l), l));
            res = ScaleAggregator.aggregate(settings(mode), u, avail, a, b, null, s);
        }
        Tensor cot = Tensor.randn(seed + 12, DataType.DOUBLE, 2, 3, n, 4).cast(dt);
        Tensor wCot = Tensor.randn(seed + 13, DataType.DOUBLE, 2, 3, n, L).cast(dt);
        res.output().mul(cot).sum().add(res.weights().mul(wCot).sum()).backward();
        List<INDArray> out = new ArrayList<>(List.of(res.output().value().dup(), res.weights().value().dup()));
        for (Tensor t : o) out.add(t.grad());
        if (mode == Mode.NASH) {
            out.add(a.grad());
            out.add(b.grad());
        }
        return out.toArray(new INDArray[0]);
    }
}
