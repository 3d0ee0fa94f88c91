package org.vtm.transforms;

/** The comparisons allowed in {@code if(a < b, then, else)}. */
public enum Comparison {
    LT("<"), LE("<="), GT(">"), GE(">=");

    private final String symbol;

    Comparison(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    public boolean test(double a, double b) {
        switch (this) {
            case LT: return a < b;
            case LE: return a <= b;
            case GT: return a > b;
            case GE: return a >= b;
            default: throw new AssertionError(this);
        }
    }
}
