package io.dtkit.dts.cpp;

import java.util.List;

/** A macro definition (C11 6.10.3): object-like, function-like, or one of the built-in ones. */
final class MacroDef {
    enum Builtin { FILE, LINE, COUNTER, INCLUDE_LEVEL, BASE_FILE, DATE, TIME, TIMESTAMP }

    final String name;
    final boolean funLike;
    final boolean variadic;
    final List<String> params;
    final Tok[] body;
    final Builtin builtin;
    final String file;
    final int line;
    /** Set while the macro's own expansion is being rescanned (C11 6.10.3.4p2). */
    boolean disabled;

    MacroDef(String name, boolean funLike, boolean variadic, List<String> params, Tok[] body,
             Builtin builtin, String file, int line) {
        this.name = name;
        this.funLike = funLike;
        this.variadic = variadic;
        this.params = params;
        this.body = body;
        this.builtin = builtin;
        this.file = file;
        this.line = line;
    }

    int paramc() {
        return params.size();
    }

    /** Whether a redefinition with {@code o} is benign (C11 6.10.3p2). */
    boolean sameAs(MacroDef o) {
        if (builtin != null || o.builtin != null) {
            return false;
        }
        if (funLike != o.funLike || variadic != o.variadic || !params.equals(o.params)
                || body.length != o.body.length) {
            return false;
        }
        int mask = Tok.PREV_WHITE | Tok.STRINGIFY | Tok.PASTE_LEFT;
        for (int i = 0; i < body.length; i++) {
            Tok a = body[i];
            Tok b = o.body[i];
            if (a.type != b.type || !a.text.equals(b.text) || (a.flags & mask) != (b.flags & mask)
                    || a.argNo != b.argNo) {
                return false;
            }
        }
        return true;
    }
}
