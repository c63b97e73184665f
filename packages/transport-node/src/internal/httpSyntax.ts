/** What HTTP/1.1 allows in a request or response head, shared by the writer and the parser. */

/** A method or header name: one or more token characters. */
export const token = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/** A character no header value may hold: CR, LF, NUL, other controls, or beyond Latin-1. */
export const forbiddenInValue = /[^\t\x20-\x7e\x80-\xff]/
