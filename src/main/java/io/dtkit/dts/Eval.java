package io.dtkit.dts;

import static io.dtkit.dts.grammar.DtsParser.*;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.tree.ParseTree;

/**
 * Evaluates integer expressions with dtc's 64-bit unsigned semantics. Both arms of {@code ?:}
 * are evaluated, as in dtc, so errors in either are reported. Works with explicit stacks:
 * long operator chains must not exhaust the Java stack.
 */
final class Eval {
    private Eval() {
    }

    static long prim(IntegerPrimContext root, Diagnostics diags) {
        return eval(root, diags, new java.util.IdentityHashMap<>());
    }

    /**
     * Evaluates {@code root}; sub-expressions already in {@code known} are taken from there
     * (and removed), so their errors are not reported twice.
     */
    static long eval(ParserRuleContext root, Diagnostics diags, java.util.Map<ParserRuleContext, Long> known) {
        // post-order over the expression's rule contexts, children left to right
        List<ParserRuleContext> post = new ArrayList<>();
        Deque<ParserRuleContext> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            ParserRuleContext c = stack.pop();
            post.add(c);
            if (c != root && known.containsKey(c)) {
                continue;
            }
            if (c.children != null) {
                for (ParseTree k : c.children) {
                    if (k instanceof ParserRuleContext r) {
                        stack.push(r);
                    }
                }
            }
        }
        Deque<Long> vals = new ArrayDeque<>();
        for (int i = post.size() - 1; i >= 0; i--) {
            ParserRuleContext c = post.get(i);
            Long done = c != root ? known.remove(c) : null;
            if (done != null) {
                vals.push(done);
            } else if (c instanceof LiteralContext l) {
                vals.push(((PosToken) l.LITERAL().getSymbol()).value);
            } else if (c instanceof CharLiteralContext l) {
                vals.push(((PosToken) l.CHAR_LITERAL().getSymbol()).value);
            } else if (c instanceof ParenExprContext || c instanceof PrimExprContext) {
                // value passes through
            } else if (c instanceof UnaryExprContext u) {
                long a = vals.pop();
                vals.push(switch (u.op.getType()) {
                    case MINUS -> -a;
                    case TILDE -> ~a;
                    default -> a == 0 ? 1L : 0L;
                });
            } else if (c instanceof CondExprContext) {
                long f = vals.pop();
                long t = vals.pop();
                long q = vals.pop();
                vals.push(q != 0 ? t : f);
            } else {
                long b = vals.pop();
                long a = vals.pop();
                vals.push(binary(c, a, b, diags));
            }
        }
        return vals.pop();
    }

    private static long binary(ParserRuleContext c, long a, long b, Diagnostics diags) {
        if (c instanceof MulExprContext m) {
            switch (m.op.getType()) {
                case STAR:
                    return a * b;
                default:
                    if (b == 0) {
                        diags.error(TreeBuilder.span(c), "Division by zero");
                        return 0;
                    }
                    return m.op.getType() == SLASH ? Long.divideUnsigned(a, b)
                            : Long.remainderUnsigned(a, b);
            }
        }
        if (c instanceof AddExprContext x) {
            return x.op.getType() == PLUS ? a + b : a - b;
        }
        if (c instanceof ShiftExprContext x) {
            if (Long.compareUnsigned(b, 64) >= 0) {
                return 0;
            }
            return x.op.getType() == LSHIFT ? a << b : a >>> b;
        }
        if (c instanceof RelExprContext x) {
            int cmp = Long.compareUnsigned(a, b);
            boolean r = switch (x.op.getType()) {
                case LANGLE -> cmp < 0;
                case RANGLE -> cmp > 0;
                case LE -> cmp <= 0;
                default -> cmp >= 0;
            };
            return r ? 1 : 0;
        }
        if (c instanceof EqExprContext x) {
            return (x.op.getType() == EQ) == (a == b) ? 1 : 0;
        }
        if (c instanceof BitAndExprContext) {
            return a & b;
        }
        if (c instanceof XorExprContext) {
            return a ^ b;
        }
        if (c instanceof BitOrExprContext) {
            return a | b;
        }
        if (c instanceof AndExprContext) {
            return a != 0 && b != 0 ? 1 : 0;
        }
        if (c instanceof OrExprContext) {
            return a != 0 || b != 0 ? 1 : 0;
        }
        throw new IllegalStateException("unknown expression " + c.getClass().getSimpleName());
    }
}
