package io.cairn.console.views.config;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The line a refused publish points at, read from the cluster's message, so that the editor can
 * mark it. The server words every such place "line N": {@code yaml: line 3, column 7: ...},
 * {@code properties: line 4: ...}, {@code json: line 2, column 5: ...}, {@code xml: line 3, ...},
 * and schema failures {@code $.a.b (line 3): ...}; the first one named is the one marked.
 */
public final class ErrorLine {
    /** "line" as a word of its own (not "newline 3"), then the number. */
    private static final Pattern LINE = Pattern.compile("(?<![\\p{L}\\p{N}_])line (\\d{1,9})(?!\\d)");

    private ErrorLine() {
    }

    /** The 1-based line {@code message} names first; empty when it names none. */
    public static OptionalInt lineOf(String message) {
        if (message == null) {
            return OptionalInt.empty();
        }
        Matcher m = LINE.matcher(message);
        if (!m.find()) {
            return OptionalInt.empty();
        }
        int line = Integer.parseInt(m.group(1));
        return line > 0 ? OptionalInt.of(line) : OptionalInt.empty();
    }
}
