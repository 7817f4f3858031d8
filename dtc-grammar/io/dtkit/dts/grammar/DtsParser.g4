/*
 * Parser for device-tree source v1 (dtc 1.6.1's dtc-parser.y). The meaning of each construct
 * (merging, deletion, references) is applied by the compiler that walks these rules.
 */
parser grammar DtsParser;

options { tokenVocab = DtsLexer; }

dtsFile
    : header+ memreserve* firstDef topDef* EOF
    ;

header
    : V1 SEMI (PLUGIN SEMI)?
    ;

memreserve
    : LABEL* MEMRESERVE integerPrim integerPrim SEMI
    ;

firstDef
    : SLASH nodeBody                # firstRoot
    | ref nodeBody                  # firstOrphan
    ;

topDef
    : SLASH nodeBody                # rootDef
    | LABEL? ref nodeBody           # refDef
    | DEL_NODE ref SEMI             # deleteRefDef
    | OMIT ref SEMI                 # omitRefDef
    ;

ref
    : REF
    | PATH_REF
    ;

// dtc requires properties before subnodes; the compiler reports the first violation.
nodeBody
    : LBRACE (propDef | subnode)* RBRACE SEMI
    ;

propDef
    : LABEL* NAME (EQUALS propData)? SEMI       # property
    | LABEL* DEL_PROP NAME SEMI                 # deleteProperty
    ;

subnode
    : (LABEL | OMIT)* NAME nodeBody             # childNode
    | (LABEL | OMIT)* DEL_NODE NAME SEMI        # deleteChild
    ;

propData
    : LABEL* propValue LABEL* (COMMA LABEL* propValue LABEL*)*
    ;

// The items of a cell array and of a byte string are written out in place rather than as rules
// of their own: they are most of every source, and each rule costs a context per item.
propValue
    : STRING                                                    # stringValue
    | (BITS LITERAL)? LANGLE (integerPrim | ref | LABEL)* RANGLE    # cellsValue
    | LBRACKET (BYTE | LABEL)* RBRACKET                         # bytesValue
    | ref                                                       # pathValue
    | INCBIN LPAREN STRING (COMMA integerPrim COMMA integerPrim)? RPAREN   # incbinValue
    ;

integerPrim
    : LITERAL                       # literal
    | CHAR_LITERAL                  # charLiteral
    | LPAREN expr RPAREN            # parenExpr
    ;

expr
    : integerPrim                                           # primExpr
    | op=(MINUS | TILDE | BANG) expr                        # unaryExpr
    | expr op=(STAR | SLASH | PERCENT) expr                 # mulExpr
    | expr op=(PLUS | MINUS) expr                           # addExpr
    | expr op=(LSHIFT | RSHIFT) expr                        # shiftExpr
    | expr op=(LANGLE | RANGLE | LE | GE) expr              # relExpr
    | expr op=(EQ | NE) expr                                # eqExpr
    | expr AMP expr                                         # bitAndExpr
    | expr CARET expr                                       # xorExpr
    | expr PIPE expr                                        # bitOrExpr
    | expr ANDAND expr                                      # andExpr
    | expr OROR expr                                        # orExpr
    | <assoc=right> expr QUESTION expr COLON expr           # condExpr
    ;
