package dev.maha.autograd.testing;

import static org.junit.jupiter.api.Assertions.fail;

import dev.maha.autograd.Shapes;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The one "assert close, report the worst element" helper that every test uses. */
public final class Close {
    private Close() {
    }

    /**
     * Asserts {@code max|actual − expected| ≤ tol · max(1, max|expected|)} (the fixtures' rule),
     * with equal shapes; on failure reports the worst element, its index and both values.
     */
    public static void assertClose(String what, INDArray expected, INDArray actual, double tol) {
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            fail(what + ": shape " + Arrays.toString(actual.shape()) + ", expected " + Arrays.toString(expected.shape()));
        }
        double[] e = expected.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] a = actual.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double scale = 1;
        for (double v : e) scale = Math.max(scale, Math.abs(v));
        int worst = -1;
        double worstErr = 0;
        for (int i = 0; i < e.length; i++) {
            double err = Math.abs(a[i] - e[i]);
            if (Double.isNaN(err) || err > worstErr) {
                worstErr = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
                worst = i;
            }
        }
        if (worstErr > tol * scale) {
            fail(what + ": worst element " + Arrays.toString(Shapes.unravel(worst, expected.shape())) + " is " + a[worst]
                    + ", expected " + e[worst] + " (|diff| " + worstErr + " > " + tol + " · " + scale + ")");
        }
    }

    /** Asserts every element is within {@code atol} of the expected one. */
    public static void assertAbsClose(String what, INDArray expected, INDArray actual, double atol) {
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            fail(what + ": shape " + Arrays.toString(actual.shape()) + ", expected " + Arrays.toString(expected.shape()));
        }
        double[] e = expected.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] a = actual.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(a[i] - e[i]) <= atol)) {
                fail(what + ": element " + Arrays.toString(Shapes.unravel(i, expected.shape())) + " is " + a[i] + ", expected "
                        + e[i] + " (|diff| > " + atol + ")");
            }
        }
    }

}
