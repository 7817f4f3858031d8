package io.dtkit.dts.cpp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Evaluates the controlling expression of {@code #if} / {@code #elif} (C11 6.10.1): integer
 * constant expressions in intmax_t / uintmax_t, {@code defined}, character constants, and
 * identifiers that are not macros as 0. Operator precedence is resolved with explicit stacks,
 * so deeply nested parentheses cost no recursion.
 */
final class IfExpression {

    /** What the evaluator needs from the preprocessor. */
    interface Host {
        /** The next macro-expanded token, padding skipped. */
        Tok next();

        /** The next token without macro expansion (the operand of {@code defined}). */
        Tok nextUnexpanded();

        /** The next token, with {@code <...>} read as one header name. */
        Tok nextHeaderName();

        boolean isDefined(String name);

        boolean hasInclude(String name, boolean angled);

        void error(Tok at, String msg);

        void warning(Tok at, String msg);
    }

    private final Host host;
    private final boolean unsignedChar;
    /** Every token read, to recognise the include-guard form {@code !defined X}. */
    private final List<Tok> toks = new ArrayList<>();

    IfExpression(Host host, boolean unsignedChar) {
        this.host = host;
        this.unsignedChar = unsignedChar;
    }

    /** Reads the expression up to the end of the directive line; false if it is invalid. */
    boolean evaluate(Tok dname) {
        skipEval = 0;
        return parseExpr(dname).isTrue();
    }

    /** The X of a whole expression {@code !defined X} or {@code !defined(X)}, else null. */
    String guardMacro() {
        return guardMacro(toks);
    }

    private Tok next() {
        Tok t = host.next();
        toks.add(t);
        return t;
    }

    private Tok nextUnexpanded() {
        Tok t = host.nextUnexpanded();
        toks.add(t);
        return t;
    }


    /** A value in a #if expression: intmax_t or uintmax_t (C11 6.10.1p4). */
    private record Num(long v, boolean unsigned) {
        boolean isTrue() {
            return v != 0;
        }
    }

    private static final int P_COMMA = 1;
    private static final int P_COND = 2;
    private static final int P_OROR = 3;
    private static final int P_ANDAND = 4;
    private static final int P_OR = 5;
    private static final int P_XOR = 6;
    private static final int P_AND = 7;
    private static final int P_EQ = 8;
    private static final int P_REL = 9;
    private static final int P_SHIFT = 10;
    private static final int P_ADD = 11;
    private static final int P_MUL = 12;
    private static final int P_UNARY = 13;

    private static final class Op {
        final TokType type;
        final int prec;
        final boolean unary;
        final Tok tok;
        boolean colonSeen;
        boolean skipped;

        Op(TokType type, int prec, boolean unary, Tok tok) {
            this.type = type;
            this.prec = prec;
            this.unary = unary;
            this.tok = tok;
        }
    }

    static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failed(String msg) {
            super(msg, null, false, false);
        }
    }

    private int skipEval;
    /** The token most recently read by the expression parser (where cpp reports overflow). */
    private Tok exprCur;

    private static int binaryPrec(TokType t) {
        return switch (t) {
            case COMMA -> P_COMMA;
            case QUERY, COLON -> P_COND;
            case OR_OR -> P_OROR;
            case AND_AND -> P_ANDAND;
            case OR -> P_OR;
            case XOR -> P_XOR;
            case AND -> P_AND;
            case EQ_EQ, NOT_EQ -> P_EQ;
            case LESS, GREATER, LESS_EQ, GREATER_EQ -> P_REL;
            case LSHIFT, RSHIFT -> P_SHIFT;
            case PLUS, MINUS -> P_ADD;
            case MULT, DIV, MOD -> P_MUL;
            default -> -1;
        };
    }

    private Failed exprError(Tok at, String msg) {
        host.error(at, msg);
        return new Failed(msg);
    }

    /** Operator-precedence evaluation with explicit stacks (no recursion on nesting). */
    private Num parseExpr(Tok dname) {
        ArrayList<Num> vals = new ArrayList<>();
        ArrayList<Op> ops = new ArrayList<>();
        boolean wantValue = true;
        Tok prevTok = null;
        for (;;) {
            Tok t = next();
            exprCur = t;
            if (t.type == TokType.NAME && t.text.equals("defined")) {
                Num v = parseDefined(t);
                if (!wantValue) {
                    throw exprError(t, "missing binary operator before token \"defined\"");
                }
                vals.add(v);
                wantValue = false;
                prevTok = t;
                continue;
            }
            if (t.type == TokType.EOF) {
                if (wantValue) {
                    if (prevTok == null) {
                        throw exprError(dname, "#" + dname.text + " with no expression");
                    }
                    if (prevTok.type == TokType.OPEN_PAREN) {
                        throw exprError(prevTok, "missing expression between '(' and ')'");
                    }
                    throw exprError(t, "operator '" + prevTok.text + "' has no right operand");
                }
                break;
            }
            if (wantValue) {
                switch (t.type) {
                    case NUMBER -> {
                        vals.add(parseNumber(t));
                        wantValue = false;
                    }
                    case CHAR -> {
                        vals.add(parseChar(t));
                        wantValue = false;
                    }
                    case NAME -> {
                        if (t.text.equals("__has_include") || t.text.equals("__has_include_next")) {
                            vals.add(parseHasInclude(t));
                        } else {
                            vals.add(new Num(0, false));
                        }
                        wantValue = false;
                    }
                    case PLUS, MINUS, NOT, COMPL -> ops.add(new Op(t.type, P_UNARY, true, t));
                    case OPEN_PAREN -> ops.add(new Op(TokType.OPEN_PAREN, 0, false, t));
                    case CLOSE_PAREN -> {
                        if (prevTok != null && prevTok.type == TokType.OPEN_PAREN) {
                            throw exprError(t, "missing expression between '(' and ')'");
                        }
                        throw exprError(t, prevTok == null ? "#" + dname.text + " with no expression"
                                : "operator '" + prevTok.text + "' has no right operand");
                    }
                    default -> {
                        if (binaryPrec(t.type) > 0) {
                            throw exprError(t, prevTok == null || prevTok.type == TokType.OPEN_PAREN
                                    ? "operator '" + t.text + "' has no left operand"
                                    : "operator '" + prevTok.text + "' has no right operand");
                        }
                        throw exprError(t, "token \"" + t.text + "\" is not valid in preprocessor expressions");
                    }
                }
                prevTok = t;
                continue;
            }
            // expecting an operator
            if (t.type == TokType.CLOSE_PAREN) {
                reduceWhile(ops, vals, 1);
                if (ops.isEmpty() || ops.get(ops.size() - 1).type != TokType.OPEN_PAREN) {
                    throw exprError(t, "missing '(' in expression");
                }
                ops.remove(ops.size() - 1);
                prevTok = t;
                continue;
            }
            int prec = binaryPrec(t.type);
            if (prec < 0) {
                if (t.type == TokType.OPEN_PAREN) {
                    throw exprError(t, "missing binary operator before token \"(\"");
                }
                throw exprError(t, t.type.isOperator()
                        ? "token \"" + t.text + "\" is not valid in preprocessor expressions"
                        : "missing binary operator before token \"" + t.text + "\"");
            }
            if (t.type == TokType.COLON) {
                // finish the true branch, then turn the '?' into a full conditional
                for (;;) {
                    if (ops.isEmpty()) {
                        throw exprError(t, "':' without preceding '?'");
                    }
                    Op o = ops.get(ops.size() - 1);
                    if (o.type == TokType.QUERY && !o.colonSeen) {
                        break;
                    }
                    if (o.type == TokType.OPEN_PAREN) {
                        throw exprError(t, "':' without preceding '?'");
                    }
                    reduce(ops, vals);
                }
                Op q = ops.get(ops.size() - 1);
                q.colonSeen = true;
                Num cond = vals.get(vals.size() - 2);
                if (cond.isTrue()) {
                    skipEval++;
                } else {
                    skipEval--;
                }
            } else {
                // right associativity for '?:', left for the rest
                int limit = t.type == TokType.QUERY ? prec + 1 : prec;
                reduceWhile(ops, vals, limit);
                Op o = new Op(t.type, prec, false, t);
                Num lhs = vals.get(vals.size() - 1);
                if ((t.type == TokType.AND_AND && !lhs.isTrue()) || (t.type == TokType.OR_OR && lhs.isTrue())
                        || (t.type == TokType.QUERY && !lhs.isTrue())) {
                    skipEval++;
                    o.skipped = true;
                }
                ops.add(o);
            }
            wantValue = true;
            prevTok = t;
        }
        reduceWhile(ops, vals, 1);
        if (!ops.isEmpty()) {
            Op o = ops.get(ops.size() - 1);
            if (o.type == TokType.OPEN_PAREN) {
                throw exprError(o.tok, "missing ')' in expression");
            }
            throw exprError(exprCur, "'?' without following ':'");
        }
        if (vals.size() != 1) {
            throw exprError(dname, "unbalanced stack in #" + dname.text);
        }
        return vals.get(0);
    }

    /** The X of a whole expression "!defined X" or "!defined(X)", which can guard a header. */
    private static String guardMacro(List<Tok> toks) {
        int n = toks.size();
        if (n > 0 && toks.get(n - 1).type == TokType.EOF) {
            n--;
        }
        if (n >= 3 && toks.get(0).type == TokType.NOT && toks.get(1).text.equals("defined")) {
            if (n == 3 && toks.get(2).type == TokType.NAME) {
                return toks.get(2).text;
            }
            if (n == 5 && toks.get(2).type == TokType.OPEN_PAREN && toks.get(3).type == TokType.NAME
                    && toks.get(4).type == TokType.CLOSE_PAREN) {
                return toks.get(3).text;
            }
        }
        return null;
    }

    /** Reduces operators on the stack with precedence >= limit (stops at '('). */
    private void reduceWhile(ArrayList<Op> ops, ArrayList<Num> vals, int limit) {
        while (!ops.isEmpty()) {
            Op o = ops.get(ops.size() - 1);
            if (o.type == TokType.OPEN_PAREN || o.prec < limit) {
                return;
            }
            if (o.type == TokType.QUERY && !o.colonSeen) {
                throw exprError(exprCur, "'?' without following ':'");
            }
            reduce(ops, vals);
        }
    }

    private void reduce(ArrayList<Op> ops, ArrayList<Num> vals) {
        Op o = ops.remove(ops.size() - 1);
        if (o.unary) {
            Num a = vals.remove(vals.size() - 1);
            vals.add(switch (o.type) {
                case PLUS -> a;
                case MINUS -> {
                    if (!a.unsigned && a.v == Long.MIN_VALUE && skipEval == 0) {
                        host.warning(exprCur, "integer overflow in preprocessor expression");
                    }
                    yield new Num(-a.v, a.unsigned);
                }
                case COMPL -> new Num(~a.v, a.unsigned);
                default -> new Num(a.isTrue() ? 0 : 1, false);
            });
            return;
        }
        if (o.type == TokType.QUERY) {
            Num c = vals.get(vals.size() - 1);
            Num b = vals.get(vals.size() - 2);
            Num cond = vals.get(vals.size() - 3);
            vals.subList(vals.size() - 3, vals.size()).clear();
            if (cond.isTrue()) {
                skipEval--;
            }
            Num r = cond.isTrue() ? b : c;
            vals.add(new Num(r.v, b.unsigned || c.unsigned));
            return;
        }
        Num b = vals.remove(vals.size() - 1);
        Num a = vals.remove(vals.size() - 1);
        if (o.skipped) {
            skipEval--;
        }
        boolean u = a.unsigned || b.unsigned;
        Num r = switch (o.type) {
            case COMMA -> b;
            case OR_OR -> new Num(a.isTrue() || b.isTrue() ? 1 : 0, false);
            case AND_AND -> new Num(a.isTrue() && b.isTrue() ? 1 : 0, false);
            case OR -> new Num(a.v | b.v, u);
            case XOR -> new Num(a.v ^ b.v, u);
            case AND -> new Num(a.v & b.v, u);
            case EQ_EQ -> new Num(a.v == b.v ? 1 : 0, false);
            case NOT_EQ -> new Num(a.v != b.v ? 1 : 0, false);
            case LESS -> new Num(cmp(a, b, u) < 0 ? 1 : 0, false);
            case GREATER -> new Num(cmp(a, b, u) > 0 ? 1 : 0, false);
            case LESS_EQ -> new Num(cmp(a, b, u) <= 0 ? 1 : 0, false);
            case GREATER_EQ -> new Num(cmp(a, b, u) >= 0 ? 1 : 0, false);
            case LSHIFT, RSHIFT -> {
                Num v = shift(a, b, o.type == TokType.LSHIFT);
                boolean left = (o.type == TokType.LSHIFT) == (b.unsigned || b.v >= 0);
                if (left && !a.unsigned && skipEval == 0) {
                    Num back = shift(v, new Num(b.unsigned || b.v >= 0 ? b.v : -b.v, b.unsigned), false);
                    if (back.v != a.v) {
                        host.warning(exprCur, "integer overflow in preprocessor expression");
                    }
                }
                yield v;
            }
            case PLUS -> {
                long v = a.v + b.v;
                if (!u && ((a.v ^ v) & (b.v ^ v)) < 0 && skipEval == 0) {
                    host.warning(exprCur, "integer overflow in preprocessor expression");
                }
                yield new Num(v, u);
            }
            case MINUS -> {
                long v = a.v - b.v;
                if (!u && ((a.v ^ b.v) & (a.v ^ v)) < 0 && skipEval == 0) {
                    host.warning(exprCur, "integer overflow in preprocessor expression");
                }
                yield new Num(v, u);
            }
            case MULT -> {
                long v = a.v * b.v;
                if (!u && skipEval == 0) {
                    long hi = Math.multiplyHigh(a.v, b.v);
                    if ((hi != 0 || v < 0) && (hi != -1 || v >= 0)) {
                        host.warning(exprCur, "integer overflow in preprocessor expression");
                    }
                }
                yield new Num(v, u);
            }
            case DIV, MOD -> {
                if (b.v == 0) {
                    if (skipEval == 0) {
                        throw exprError(o.tok, "division by zero in #if");
                    }
                    yield new Num(0, u);
                }
                long v;
                if (u) {
                    v = o.type == TokType.DIV ? Long.divideUnsigned(a.v, b.v) : Long.remainderUnsigned(a.v, b.v);
                } else if (a.v == Long.MIN_VALUE && b.v == -1) {
                    if (skipEval == 0 && o.type == TokType.DIV) {
                        host.warning(exprCur, "integer overflow in preprocessor expression");
                    }
                    v = o.type == TokType.DIV ? Long.MIN_VALUE : 0;
                } else {
                    v = o.type == TokType.DIV ? a.v / b.v : a.v % b.v;
                }
                yield new Num(v, u);
            }
            default -> throw exprError(o.tok, "impossible operator '" + o.tok.text + "'");
        };
        vals.add(r);
    }

    private static int cmp(Num a, Num b, boolean u) {
        return u ? Long.compareUnsigned(a.v, b.v) : Long.compare(a.v, b.v);
    }

    private static Num shift(Num a, Num b, boolean left) {
        long n = b.v;
        if (!b.unsigned && n < 0) {
            left = !left;
            n = n == Long.MIN_VALUE ? Long.MAX_VALUE : -n;
        }
        long v;
        if (left) {
            v = (n >= 64 || n < 0) ? 0 : a.v << n;
        } else if (a.unsigned) {
            v = (n >= 64 || n < 0) ? 0 : a.v >>> n;
        } else {
            v = (n >= 64 || n < 0) ? (a.v < 0 ? -1 : 0) : a.v >> n;
        }
        return new Num(v, a.unsigned);
    }

    private Num parseDefined(Tok at) {
        Tok t = nextUnexpanded();
        boolean paren = false;
        if (t.type == TokType.OPEN_PAREN) {
            paren = true;
            t = nextUnexpanded();
        }
        if (t.type != TokType.NAME) {
            throw exprError(t.type == TokType.EOF ? at : t, "operator \"defined\" requires an identifier");
        }
        if (paren) {
            Tok c = nextUnexpanded();
            if (c.type != TokType.CLOSE_PAREN) {
                throw exprError(c.type == TokType.EOF ? at : c, "missing ')' after \"defined\"");
            }
        }
        return new Num(host.isDefined(t.text) ? 1 : 0, false);
    }

    private Num parseHasInclude(Tok at) {
        Tok p = next();
        if (p.type != TokType.OPEN_PAREN) {
            throw exprError(at, "missing '(' before \"" + at.text + "\" operand");
        }
        Tok f = host.nextHeaderName();
        toks.add(f);
        String fname;
        boolean angled;
        if (f.type == TokType.STRING && f.text.startsWith("\"")) {
            fname = f.text.substring(1, f.text.length() - 1);
            angled = false;
        } else if (f.type == TokType.HEADER_NAME) {
            fname = f.text.substring(1, f.text.length() - 1);
            angled = true;
        } else {
            throw exprError(f, "operator \"" + at.text + "\" requires a header-name");
        }
        Tok c = next();
        if (c.type != TokType.CLOSE_PAREN) {
            throw exprError(c, "missing ')' after \"" + at.text + "\" operand");
        }
        boolean found = host.hasInclude(fname, angled);
        return new Num(found ? 1 : 0, false);
    }

    private Num parseNumber(Tok t) {
        String s = t.text.toLowerCase(Locale.ROOT);
        int radix = 10;
        int i = 0;
        if (s.startsWith("0x")) {
            radix = 16;
            i = 2;
        } else if (s.startsWith("0b")) {
            radix = 2;
            i = 2;
        } else if (s.startsWith("0")) {
            radix = 8;
        }
        int digitsStart = i;
        while (i < s.length() && Character.digit(s.charAt(i), radix == 8 ? 10 : radix) >= 0) {
            i++;
        }
        String digits = s.substring(digitsStart, i);
        String suffix = s.substring(i);
        if (suffix.startsWith(".") || (radix != 16 && suffix.startsWith("e")) || (radix == 16 && suffix.startsWith("p"))
                || (radix == 10 && suffix.startsWith("f"))) {
            throw exprError(t, "floating constant in preprocessor expression");
        }
        String origSuffix = t.text.substring(i);
        boolean unsignedSuffix;
        switch (origSuffix) {
            case "", "l", "L", "ll", "LL" -> unsignedSuffix = false;
            case "u", "U", "ul", "uL", "Ul", "UL", "lu", "lU", "Lu", "LU", "ull", "uLL", "Ull", "ULL", "llu",
                 "llU", "LLu", "LLU" -> unsignedSuffix = true;
            default -> throw exprError(t, "invalid suffix \"" + origSuffix + "\" on integer constant");
        }
        if ((radix == 16 || radix == 2) && digits.isEmpty()) {
            throw exprError(t, "invalid suffix \"" + t.text.substring(1) + "\" on integer constant");
        }
        if (radix == 8) {
            for (int k = 0; k < digits.length(); k++) {
                if (digits.charAt(k) > '7') {
                    throw exprError(t, "invalid digit \"" + digits.charAt(k) + "\" in octal constant");
                }
            }
        }
        long v = 0;
        boolean overflow = false;
        for (int k = 0; k < digits.length(); k++) {
            int d = Character.digit(digits.charAt(k), radix);
            long hi = Math.multiplyHigh(v, radix) + (v < 0 ? radix : 0);
            long nv = v * radix + d;
            if (hi != 0 || Long.compareUnsigned(nv, v * radix) < 0) {
                overflow = true;
            }
            v = nv;
        }
        boolean uns = unsignedSuffix;
        if (overflow) {
            host.warning(t, "integer constant is too large for its type");
            uns = true;
        } else if (!uns && v < 0) {
            if (radix == 10) {
                host.warning(t, "integer constant is so large that it is unsigned");
            }
            uns = true;
        }
        return new Num(v, uns);
    }

    private Num parseChar(Tok t) {
        String s = t.text;
        int q = s.indexOf('\'');
        String prefix = s.substring(0, q);
        String body = s.substring(q + 1, s.length() - 1);
        int width = prefix.isEmpty() || prefix.equals("u8") ? 8 : prefix.equals("u") ? 16 : 32;
        List<Long> chars = new ArrayList<>();
        for (int i = 0; i < body.length();) {
            char c = body.charAt(i++);
            if (c != '\\' || i >= body.length()) {
                chars.add((long) (c & 0xFF));
                continue;
            }
            char e = body.charAt(i++);
            long v;
            switch (e) {
                case 'n' -> v = '\n';
                case 't' -> v = '\t';
                case 'r' -> v = '\r';
                case 'a' -> v = 7;
                case 'b' -> v = 8;
                case 'f' -> v = 12;
                case 'v' -> v = 11;
                case 'e', 'E' -> v = 27;
                case 'x' -> {
                    v = 0;
                    while (i < body.length() && Character.digit(body.charAt(i), 16) >= 0) {
                        v = (v << 4) | Character.digit(body.charAt(i++), 16);
                    }
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        v = e - '0';
                        for (int k = 0; k < 2 && i < body.length() && body.charAt(i) >= '0' && body.charAt(i) <= '7'; k++) {
                            v = (v << 3) | (body.charAt(i++) - '0');
                        }
                    } else {
                        v = e & 0xFF;
                    }
                }
            }
            chars.add(v & ((1L << width) - 1));
        }
        if (chars.isEmpty()) {
            throw exprError(t, "empty character constant");
        }
        long result = 0;
        for (long c : chars) {
            result = width < 32 ? ((result << width) | c) & 0xFFFFFFFFL : c;
        }
        int n = chars.size();
        boolean uns;
        int w = width;
        if (n > 1) {
            host.warning(t, "multi-character character constant");
            uns = false;
            w = 32;
        } else if (prefix.isEmpty()) {
            uns = unsignedChar;
        } else {
            uns = !prefix.equals("L");
        }
        long mask = w >= 64 ? -1L : (1L << w) - 1;
        if (uns || (result & (1L << (w - 1))) == 0) {
            result &= mask;
        } else {
            result |= ~mask;
        }
        return new Num(result, false);
    }
}
