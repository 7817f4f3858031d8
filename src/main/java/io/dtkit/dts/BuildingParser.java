package io.dtkit.dts;

import io.dtkit.dts.grammar.DtsParser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * The generated DTS parser with the tree builder as its only listener, called directly. The
 * runtime's event methods walk a listener list with an iterator and also offer each context to
 * grammar-specific listener methods the builder does not have; once per rule on every node,
 * property and cell, that is a measurable part of a compile under the client compiler.
 * Consuming a token is the same: no listener walk, and the token (a {@link PosToken}) is its
 * own parse-tree leaf.
 */
final class BuildingParser extends DtsParser {
    private final TreeBuilder builder;

    BuildingParser(TokenStream input, TreeBuilder builder) {
        super(input);
        this.builder = builder;
        // the runtime only raises rule events while its listener list is non-empty
        addParseListener(builder);
    }

    @Override
    protected void triggerEnterRuleEvent() {
        builder.enterEveryRule(_ctx);
    }

    @Override
    protected void triggerExitRuleEvent() {
        builder.exitEveryRule(_ctx);
    }

    @Override
    public Token consume() {
        Token o = getCurrentToken();
        if (o.getType() != EOF) {
            getInputStream().consume();
        }
        if (_errHandler.inErrorRecoveryMode(this)) {
            builder.visitErrorNode(_ctx.addErrorNode(createErrorNode(_ctx, o)));
        } else {
            builder.visitTerminal(_ctx.addChild(createTerminalNode(_ctx, o)));
        }
        return o;
    }

    @Override
    public TerminalNode createTerminalNode(ParserRuleContext parent, Token t) {
        return (PosToken) t;
    }
}
