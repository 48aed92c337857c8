package io.cairn.server.config;

import java.io.IOException;
import java.io.StringReader;
import java.util.Properties;

/**
 * The properties format checked with line numbers. {@link Properties#load(java.io.Reader)} decides
 * what is refused but says no line, so the content is also read here into logical lines the way
 * it reads them, each character remembering its physical line:
 *
 * <pre>
 * 1  # a comment ends at its line's end, even after a backslash \
 * 2  name = first \
 * 3         second            logical line "name = first second", lines 2-3
 * 4  path = C:\\dir\\          an even number of backslashes: no continuation
 * 5  =orphan                   refused here: an empty key
 * </pre>
 *
 * Line terminators are \n, \r and \r\n; a line that ends in an odd number of backslashes goes on
 * on the next line, whose leading blanks (space, tab, form feed) are dropped; a comment line
 * starts with # or ! after blanks, and only where a logical line starts.
 */
final class PropertiesLines {
    private PropertiesLines() {
    }

    /** @throws io.cairn.server.errors.ServerException CONFIG_BAD_CONTENT naming the line */
    static void check(String content) {
        String refused = null;
        try {
            new Properties().load(new StringReader(content));
        } catch (IllegalArgumentException e) {
            refused = String.valueOf(e.getMessage());
        } catch (IOException e) {
            throw new IllegalStateException("a StringReader does not fail", e);
        }
        new Reader(content).check(refused);
    }

    private static final class Reader {
        private final String content;
        private int pos;
        private int line = 1;
        private final StringBuilder logical = new StringBuilder();
        private int[] lines = new int[64];

        Reader(String content) {
            this.content = content;
        }

        void check(String refused) {
            while (nextLogicalLine()) {
                if (logical.length() == 0) {
                    continue;
                }
                if (logical.charAt(0) == '=' || logical.charAt(0) == ':') {
                    throw ConfigFormats.bad("properties", "line " + lines[0] + ": empty key");
                }
                int malformed = malformedEscape();
                if (malformed >= 0 && refused != null) {
                    throw ConfigFormats.bad("properties", "line " + lines[malformed] + ": " + refused);
                }
            }
            if (refused != null) {
                throw ConfigFormats.bad("properties", refused);
            }
        }

        /** Where a \\u escape without four hex digits starts in the logical line, or -1. */
        private int malformedEscape() {
            for (int i = 0; i < logical.length(); i++) {
                if (logical.charAt(i) != '\\' || i + 1 == logical.length()) {
                    continue;
                }
                if (logical.charAt(i + 1) == 'u') {
                    for (int d = i + 2; d < i + 6; d++) {
                        if (d >= logical.length() || Character.digit(logical.charAt(d), 16) < 0) {
                            return i;
                        }
                    }
                    i += 5;
                } else {
                    i++;
                }
            }
            return -1;
        }

        /** Reads the next logical line into {@link #logical}, skipping blank and comment lines. */
        private boolean nextLogicalLine() {
            logical.setLength(0);
            boolean startOfLogical = true;
            while (pos < content.length()) {
                skipBlanks();
                if (startOfLogical) {
                    if (pos == content.length()) {
                        return false;
                    }
                    char c = content.charAt(pos);
                    if (c == '\n' || c == '\r') {
                        endOfLine();
                        continue;
                    }
                    if (c == '#' || c == '!') {
                        skipToEndOfLine();
                        endOfLine();
                        continue;
                    }
                }
                startOfLogical = false;
                int start = logical.length();
                while (pos < content.length() && content.charAt(pos) != '\n' && content.charAt(pos) != '\r') {
                    append(content.charAt(pos++));
                }
                int backslashes = 0;
                for (int i = logical.length() - 1; i >= start && logical.charAt(i) == '\\'; i--) {
                    backslashes++;
                }
                endOfLine();
                if (backslashes % 2 == 0) {
                    return true;
                }
                logical.setLength(logical.length() - 1);
            }
            return logical.length() > 0;
        }

        private void append(char c) {
            if (logical.length() == lines.length) {
                lines = java.util.Arrays.copyOf(lines, lines.length * 2);
            }
            lines[logical.length()] = line;
            logical.append(c);
        }

        private void skipBlanks() {
            while (pos < content.length() && " \t\f".indexOf(content.charAt(pos)) >= 0) {
                pos++;
            }
        }

        private void skipToEndOfLine() {
            while (pos < content.length() && content.charAt(pos) != '\n' && content.charAt(pos) != '\r') {
                pos++;
            }
        }

        /** Steps over one line terminator, if there is one, counting the line. */
        private void endOfLine() {
            if (pos == content.length()) {
                return;
            }
            if (content.charAt(pos) == '\r' && pos + 1 < content.length() && content.charAt(pos + 1) == '\n') {
                pos++;
            }
            pos++;
            line++;
        }
    }
}
