package dev.maha.optim;

/**
 * PyTorch's update rules written out element by element in plain Java doubles: the textbook
 * formulas of torch.optim.SGD, Adam and AdamW (single-tensor path, no amsgrad, no maximize), for
 * one parameter. The optimizers under test must reproduce them to 1e-12 in float64.
 */
final class Reference {
    private Reference() {
    }

    /** One parameter's update rule, with its own state. */
    interface Rule {
        void step(double[] p, double[] g);
    }

    /** torch.optim.SGD for one parameter; the momentum buffer is None until the first update. */
    static final class Sgd implements Rule {
        final double lr;
        final double momentum;
        final double dampening;
        final boolean nesterov;
        final double weightDecay;
        double[] buf;

        Sgd(double lr, double momentum, double dampening, boolean nesterov, double weightDecay) {
            this.lr = lr;
            this.momentum = momentum;
            this.dampening = dampening;
            this.nesterov = nesterov;
            this.weightDecay = weightDecay;
        }

        @Override
        public void step(double[] p, double[] g) {
            int n = p.length;
            double[] d = new double[n];
            for (int i = 0; i < n; i++) d[i] = g[i] + weightDecay * p[i];
            if (momentum != 0) {
                if (buf == null) {
                    buf = d.clone();
                } else {
                    for (int i = 0; i < n; i++) buf[i] = momentum * buf[i] + (1 - dampening) * d[i];
                }
                for (int i = 0; i < n; i++) d[i] = nesterov ? d[i] + momentum * buf[i] : buf[i];
            }
            for (int i = 0; i < n; i++) p[i] -= lr * d[i];
        }
    }

    /** torch.optim.Adam (decoupled = false) or torch.optim.AdamW (decoupled = true) for one parameter. */
    static final class Adam implements Rule {
        final double lr;
        final double beta1;
        final double beta2;
        final double eps;
        final double weightDecay;
        final boolean decoupled;
        double[] m;
        double[] v;
        long t;

        Adam(double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
            this.lr = lr;
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.eps = eps;
            this.weightDecay = weightDecay;
            this.decoupled = decoupled;
        }

        @Override
        public void step(double[] p, double[] g) {
            int n = p.length;
            if (m == null) {
                m = new double[n];
                v = new double[n];
            }
            t++;
            double bc1 = 1 - Math.pow(beta1, t);
            double bc2 = 1 - Math.pow(beta2, t);
            for (int i = 0; i < n; i++) {
                double d = g[i];
                if (decoupled) {
                    p[i] *= 1 - lr * weightDecay;
                } else {
                    d += weightDecay * p[i];
                }
                m[i] = beta1 * m[i] + (1 - beta1) * d;
                v[i] = beta2 * v[i] + (1 - beta2) * d * d;
                double denom = Math.sqrt(v[i]) / Math.sqrt(bc2) + eps;
                p[i] -= lr / bc1 * m[i] / denom;
            }
        }
    }
}
