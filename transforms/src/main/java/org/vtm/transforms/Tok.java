package org.vtm.transforms;

/** Token kinds of the program language. */
enum Tok {
    NUMBER("a number"), IDENT("a name"), LPAREN("'('"), RPAREN("')'"), COMMA("','"),
    PLUS("'+'"), MINUS("'-'"), STAR("'*'"), SLASH("'/'"), CARET("'^'"),
    ARROW("'->'"), PIPE("'|>'"), LT("'<'"), LE("'<='"), GT("'>'"), GE("'>='"),
    EOF("end of input");

    final String description;

    Tok(String description) {
        this.description = description;
    }
}
