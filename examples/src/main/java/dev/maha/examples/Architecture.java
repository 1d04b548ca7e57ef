package dev.maha.examples;

/** Which attention a model's blocks use. */
public enum Architecture {
    /** MAHA's hybrid block ({@code HybridBlock}). */
    MAHA,
    /** The dense multi-head self-attention baseline ({@code StandardBlock}). */
    MHSA;

    /** The lower-case name used on the command line and in output folders. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
