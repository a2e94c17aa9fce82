// Package logic parses REDCap logic: branching logic (column L) and calc
// equations (column F of calc fields). It lists field references and
// function calls with byte positions, renames fields without touching
// anything else, and offers REDCap's own crude pre-checks (Balance,
// HasCurlyQuotes, CleanBrackets) so a validator can report what REDCap
// would.
//
// Expr.Eval, Show and Calc evaluate parsed logic against a Record with
// REDCap's semantics for blanks, checkbox codes and functions (eval.go
// lists them), and Expr.JS translates the same syntax tree to JavaScript
// with the same semantics, for a form preview that runs in a browser.
//
// Lines whose first non-blank characters are // or # are comments and are
// ignored, as REDCap removes them; positions always refer to the original
// text. Spaces, tabs and newlines may appear between any two tokens.
//
// Grammar (lowest precedence first; binary operators are left-associative
// except ^):
//
//	logic   = or
//	or      = and { ("or" | "OR" | "||") and }
//	and     = compare { ("and" | "AND" | "&&") compare }
//	compare = sum { ("=" | "==" | "===" | "<>" | "!=" | "!==" | "<" | "<=" | ">" | ">=") sum }
//	sum     = product { ("+" | "-") product }
//	product = unary { ("*" | "/") unary }
//	unary   = ("-" | "+" | "!") unary | power
//	power   = primary [ "^" unary ]
//	primary = number | string | "true" | "false" | reference
//	        | name "(" [ logic { "," logic } ] ")" | "(" logic ")"
//	number  = digits [ "." digits ] [ ("e" | "E") ["+" | "-"] digits ] | "." digits
//	string  = "'" ... "'" | '"' ... '"'    (a backslash escapes the next character)
//	name    = [A-Za-z_][A-Za-z0-9_]*       (true/false in any case are booleans)
//
// A reference is one to three adjacent bracket groups, no space between:
//
//	reference = [ event ] target [ instance ]
//	event     = "[" unique_event_name "]" | "[" ("event-name" | "previous-event-name" | ...) "]"
//	target    = "[" field [ "(" code ")" ] { ":" modifier } "]"     field reference
//	          | "[" smart-name { ":" parameter } "]"                 Smart Variable
//	instance  = "[" digits "]" | "[" ("previous-instance" | "current-instance" | ...) "]"
//
// Field names are [A-Za-z0-9_]+ starting with a letter or underscore,
// checkbox codes and modifiers [A-Za-z0-9._-]+ (so [cb(1)], [cb(a.b)],
// [age:value], [cb:checked]). A bracketed name containing '-' is a Smart
// Variable ([record-name], [survey-url:consent], [aggregate-mean:age:R-123]);
// its parameters may hold any character except [ ] : quotes and newlines.
// With two groups, the second is an instance when it is a number or an
// instance Smart Variable ([age][2]), otherwise the first is an event
// ([visit_1_arm_1][age]).
//
// Parsing accepts any name followed by "(": whether a function is allowed
// (IsFunction), whether a Smart Variable is known (IsSmartVariable) and
// whether a field exists are questions for the validator, answered from
// Expr.Functions, Expr.SmartVars and Expr.Refs.
package logic
