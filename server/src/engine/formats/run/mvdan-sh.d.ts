/**
 * The part of mvdan-sh (mvdan.cc/sh's syntax package, compiled to JavaScript) this project
 * uses. Positions are byte offsets into the UTF-8 encoding of the parsed text.
 */
declare module 'mvdan-sh' {
  export interface Pos {
    Offset(): number;
    Line(): number;
    Col(): number;
  }
  export interface Node {
    Pos(): Pos;
    End(): Pos;
    [key: string]: unknown;
  }
  export interface WordPart extends Node {
    Value?: string;
    Dollar?: boolean;
    Parts?: WordPart[];
  }
  export interface Word extends Node {
    Parts: WordPart[];
  }
  export interface CallExpr extends Node {
    Args: Word[] | null;
  }
  export interface ParseError {
    Error(): string;
    Pos: Pos;
  }
  export interface Parser {
    Parse(src: string, name: string): Node;
  }
  export type ParserOption = unknown;
  export const syntax: {
    NewParser(...options: ParserOption[]): Parser;
    KeepComments(keep: boolean): ParserOption;
    Variant(lang: unknown): ParserOption;
    LangBash: unknown;
    Walk(node: Node, visit: (node: Node | null) => boolean): void;
    NodeType(node: Node): string;
  };
}
