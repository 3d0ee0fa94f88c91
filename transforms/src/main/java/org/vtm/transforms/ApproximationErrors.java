package org.vtm.transforms;

/**
 * The three approximations of one program over {@code v0 + r·[-1,1]^d}, each measured against
 * plain execution on the {@link Oracle}'s point set: the Taylor polynomial (the expansion at
 * {@code h = r·u}), the fixed-{@code T_FX} {@link FunctionSeries}, and the least-squares oracle.
 */
public record ApproximationErrors(ErrorMetrics taylor, ErrorMetrics fixed, ErrorMetrics oracle) {
}
