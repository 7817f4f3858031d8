package io.dtkit.dts;

import io.dtkit.dts.grammar.DtsParser;
import org.antlr.v4.runtime.TokenStream;

/**
 * The generated DTS parser with the tree builder as its only listener, called directly. The
 * runtime's event methods walk a listener list with an iterator and also offer each context to
 * grammar-specific listener methods the builder does not have; once per rule on every node,
 * property and cell, that is a measurable part of a compile under the client compiler.
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
}
