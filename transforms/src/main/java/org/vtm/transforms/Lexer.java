package org.vtm.transforms;


/**
 * An on-demand lexer: {@link #advance()} moves to the next token and exposes it through the
 * fields {@link #type}, {@link #start}, {@link #end}, {@link #line}, {@link #column} and, for
 * numbers, {@link #number}. Whitespace (space, tab, CR, LF) separates tokens; LF starts a new
 * line. Runs in time linear in the text length.
 */
final class Lexer {
    /** Messages quote at most this many characters of a token. */
    static final int QUOTE_LIMIT = 40;

    private final String text;
    private int pos;
    private int currentLine = 1;
    private int lineStart;

    Tok type;
    int start;
    int end;
    int line;
    int column;
    double number;

    Lexer(String text) {
        this.text = text;
    }

    /** The source text of the current token. */
    String tokenText() {
        return text.substring(start, end);
    }

    /** How the current token appears in messages: {@code 'x'} or {@code end of input}. */
    String found() {
        return type == Tok.EOF ? "end of input" : quote(text, start, end);
    }

    ProgramParseException error(String detail) {
        return new ProgramParseException(line, column, detail);
    }

    /** {@code 'text[from, to)'} in single quotes, shortened with "..." if long. */
    static String quote(CharSequence s, int from, int to) {
        if (to - from <= QUOTE_LIMIT) {
            return "'" + s.subSequence(from, to) + "'";
        }
        return "'" + s.subSequence(from, from + QUOTE_LIMIT) + "...' (" + (to - from) + " characters)";
    }

    static String quote(String s) {
        return quote(s, 0, s.length());
    }

    void advance() {
        final String s = text;
        final int n = s.length();
        int p = pos;
        while (p < n) {
            char c = s.charAt(p);
            if (c == '\n') {
                currentLine++;
                lineStart = p + 1;
            } else if (c != ' ' && c != '\t' && c != '\r') {
                break;
            }
            p++;
        }
        start = p;
        line = currentLine;
        column = p - lineStart + 1;
        if (p >= n) {
            type = Tok.EOF;
            pos = end = p;
            return;
        }
        char c = s.charAt(p);
        int next = p + 1;
        switch (c) {
            case '(': type = Tok.LPAREN; break;
            case ')': type = Tok.RPAREN; break;
            case ',': type = Tok.COMMA; break;
            case '+': type = Tok.PLUS; break;
            case '*': type = Tok.STAR; break;
            case '/': type = Tok.SLASH; break;
            case '^': type = Tok.CARET; break;
            case '-':
                if (next < n && s.charAt(next) == '>') {
                    type = Tok.ARROW;
                    next++;
                } else {
                    type = Tok.MINUS;
                }
                break;
            case '|':
                if (next < n && s.charAt(next) == '>') {
                    type = Tok.PIPE;
                    next++;
                    break;
                }
                end = next;
                throw error("unexpected character '|' (the pipeline operator is '|>')");
            case '<':
                if (next < n && s.charAt(next) == '=') {
                    type = Tok.LE;
                    next++;
                } else {
                    type = Tok.LT;
                }
                break;
            case '>':
                if (next < n && s.charAt(next) == '=') {
                    type = Tok.GE;
                    next++;
                } else {
                    type = Tok.GT;
                }
                break;
            default:
                if (isDigit(c)) {
                    next = lexNumber(p);
                    type = Tok.NUMBER;
                } else if (isIdentStart(c)) {
                    while (next < n && isIdentPart(s.charAt(next))) {
                        next++;
                    }
                    type = Tok.IDENT;
                } else {
                    end = next;
                    throw error("unexpected character " + describeChar(s.codePointAt(p)));
                }
        }
        pos = end = next;
    }

    /** Lexes {@code digit+ ('.' digit+)? ([eE] [+-]? digit+)?} starting at {@code p}. */
    private int lexNumber(int p) {
        final String s = text;
        final int n = s.length();
        int q = p;
        while (q < n && isDigit(s.charAt(q))) {
            q++;
        }
        if (q < n && s.charAt(q) == '.') {
            q++;
            if (q >= n || !isDigit(s.charAt(q))) {
                end = q;
                throw error("expected a digit after '.' in number " + quote(s, p, q));
            }
            while (q < n && isDigit(s.charAt(q))) {
                q++;
            }
        }
        int mantissaEnd = q;
        if (q < n && (s.charAt(q) == 'e' || s.charAt(q) == 'E')) {
            int r = q + 1;
            if (r < n && (s.charAt(r) == '+' || s.charAt(r) == '-')) {
                r++;
            }
            // Only an exponent if digits follow; otherwise 'e' starts the next token (and "2e" is
            // then reported by the parser as a number followed by a name).
            if (r < n && isDigit(s.charAt(r))) {
                while (r < n && isDigit(s.charAt(r))) {
                    r++;
                }
                q = r;
            }
        }
        end = q;
        double v = Double.parseDouble(s.substring(p, q));
        if (Double.isInfinite(v)) {
            throw error("number literal " + quote(s, p, q) + " is too large (overflows to infinity)");
        }
        if (v == 0.0) {
            for (int i = p; i < mantissaEnd; i++) {
                char c = s.charAt(i);
                if (c >= '1' && c <= '9') {
                    throw error("number literal " + quote(s, p, q) + " is too small (underflows to zero)");
                }
            }
        }
        number = v;
        return q;
    }

    private static String describeChar(int cp) {
        if (cp >= 0x21 && cp < 0x7f) {
            return "'" + (char) cp + "'";
        }
        String hex = Integer.toHexString(cp).toUpperCase(java.util.Locale.ROOT);
        return "U+" + "0000".substring(Math.min(4, hex.length())) + hex;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    static boolean isIdentPart(char c) {
        return isIdentStart(c) || isDigit(c);
    }
}
