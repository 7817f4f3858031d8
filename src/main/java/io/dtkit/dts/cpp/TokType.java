package io.dtkit.dts.cpp;

/** Preprocessing token kinds (C11 6.4, as GCC's libcpp classifies them). */
enum TokType {
    // operators that can be followed by '=' to form another operator come first
    EQ("="), NOT("!"), GREATER(">"), LESS("<"), PLUS("+"), MINUS("-"), MULT("*"), DIV("/"),
    MOD("%"), AND("&"), OR("|"), XOR("^"), RSHIFT(">>"), LSHIFT("<<"),
    COMPL("~"), AND_AND("&&"), OR_OR("||"), QUERY("?"), COLON(":"), COMMA(","),
    OPEN_PAREN("("), CLOSE_PAREN(")"), EQ_EQ("=="), NOT_EQ("!="), GREATER_EQ(">="),
    LESS_EQ("<="), PLUS_EQ("+="), MINUS_EQ("-="), MULT_EQ("*="), DIV_EQ("/="), MOD_EQ("%="),
    AND_EQ("&="), OR_EQ("|="), XOR_EQ("^="), RSHIFT_EQ(">>="), LSHIFT_EQ("<<="), HASH("#"),
    PASTE("##"), OPEN_SQUARE("["), CLOSE_SQUARE("]"), OPEN_BRACE("{"), CLOSE_BRACE("}"),
    SEMICOLON(";"), ELLIPSIS("..."), PLUS_PLUS("++"), MINUS_MINUS("--"), DEREF("->"), DOT("."),
    // spelled from their text
    NAME(null), NUMBER(null), CHAR(null), STRING(null), HEADER_NAME(null), OTHER(null),
    // internal
    MACRO_ARG(null), PADDING(null), EOF(null);

    final String spelling;

    TokType(String spelling) {
        this.spelling = spelling;
    }

    boolean isOperator() {
        return spelling != null;
    }

    /** True for the operators that turn into another operator when followed by '='. */
    boolean pastesWithEq() {
        return ordinal() <= LSHIFT.ordinal();
    }
}
