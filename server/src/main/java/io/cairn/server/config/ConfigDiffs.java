package io.cairn.server.config;

import com.github.difflib.DiffUtils;
import com.github.difflib.algorithm.DiffAlgorithmI;
import com.github.difflib.algorithm.myers.MyersDiff;
import com.github.difflib.algorithm.myers.MyersDiffWithLinearSpace;
import com.github.difflib.patch.AbstractDelta;
import java.util.ArrayList;
import java.util.List;

/**
 * Unified diffs between two versions of a config, as {@code diff -u --label FROM --label TO}
 * prints them: the two header lines, then hunks of changed lines with {@code context} unchanged
 * lines around them, hunks closer than twice the context joined into one. A line count of one is
 * left out of a hunk's range ({@code -3 +3,2}); an empty range names the line before it
 * ({@code -0,0} for an empty file). A last line without a line break is followed by
 * {@code \ No newline at end of file}, so adding the break is a change like any other:
 *
 * <pre>
 * --- v1
 * +++ v2
 * &#64;&#64; -1,2 +1,2 &#64;&#64;
 *  a
 * -b
 * \ No newline at end of file
 * +b
 * </pre>
 *
 * Which lines changed is found by Myers' algorithm (java-diff-utils) on what lies between the
 * common first and last lines: its classic form up to {@value #CLASSIC_LINES} lines, which pairs
 * lines as GNU diff mostly does, its linear-space form up to {@value #MAX_LINES}, and beyond
 * that, where the cost would grow with the square of the size, the whole middle is shown
 * replaced. Always a correct patch, not always the smallest. Thread-safe.
 */
public final class ConfigDiffs {
    static final int CLASSIC_LINES = 2_000;
    static final int MAX_LINES = 40_000;
    private static final String NO_NEWLINE = "\\ No newline at end of file\n";

    private ConfigDiffs() {
    }

    /** Lines {@code [aStart, aEnd)} of the old text replaced by {@code [bStart, bEnd)} of the new. */
    private record Change(int aStart, int aEnd, int bStart, int bEnd) {
    }

    /**
     * @param context unchanged lines shown around each change, zero or more
     * @return the diff, every line ending in a line break; "" if {@code from} equals {@code to}
     */
    public static String unified(String fromLabel, String toLabel, String from, String to, int context) {
        if (context < 0) {
            throw new IllegalArgumentException("context must not be negative: " + context);
        }
        if (from.equals(to)) {
            return "";
        }
        List<String> a = lines(from);
        List<String> b = lines(to);
        List<Change> changes = changes(a, b);
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(fromLabel).append('\n').append("+++ ").append(toLabel).append('\n');
        for (int first = 0; first < changes.size(); ) {
            int last = first;
            while (last + 1 < changes.size() && changes.get(last + 1).aStart() - changes.get(last).aEnd() <= 2 * context) {
                last++;
            }
            hunk(out, a, b, changes.subList(first, last + 1), context);
            first = last + 1;
        }
        return out.toString();
    }

    /** The changes in order, with no unchanged line between two of them merged into one. */
    private static List<Change> changes(List<String> a, List<String> b) {
        int prefix = 0;
        while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < a.size() - prefix && suffix < b.size() - prefix
                && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
            suffix++;
        }
        List<String> aMiddle = a.subList(prefix, a.size() - suffix);
        List<String> bMiddle = b.subList(prefix, b.size() - suffix);
        int size = aMiddle.size() + bMiddle.size();
        List<Change> changes = new ArrayList<>();
        if (aMiddle.isEmpty() || bMiddle.isEmpty() || size > MAX_LINES) {
            changes.add(new Change(prefix, prefix + aMiddle.size(), prefix, prefix + bMiddle.size()));
            return changes;
        }
        DiffAlgorithmI<String> algorithm = size <= CLASSIC_LINES ? new MyersDiff<>() : new MyersDiffWithLinearSpace<>();
        for (AbstractDelta<String> delta : DiffUtils.diff(aMiddle, bMiddle, algorithm).getDeltas()) {
            int aStart = prefix + delta.getSource().getPosition();
            int bStart = prefix + delta.getTarget().getPosition();
            Change change = new Change(aStart, aStart + delta.getSource().size(), bStart, bStart + delta.getTarget().size());
            Change previous = changes.isEmpty() ? null : changes.get(changes.size() - 1);
            if (previous != null && previous.aEnd() == change.aStart()) {
                changes.set(changes.size() - 1, new Change(previous.aStart(), change.aEnd(), previous.bStart(), change.bEnd()));
            } else {
                changes.add(change);
            }
        }
        return changes;
    }

    private static void hunk(StringBuilder out, List<String> a, List<String> b, List<Change> changes, int context) {
        Change head = changes.get(0);
        Change tail = changes.get(changes.size() - 1);
        int before = Math.min(context, head.aStart());
        int after = Math.min(context, a.size() - tail.aEnd());
        int aStart = head.aStart() - before;
        int bStart = head.bStart() - before;
        out.append("@@ -").append(range(aStart, tail.aEnd() + after - aStart))
                .append(" +").append(range(bStart, tail.bEnd() + after - bStart)).append(" @@\n");
        int at = aStart;
        for (Change change : changes) {
            for (; at < change.aStart(); at++) {
                line(out, ' ', a.get(at));
            }
            for (int i = change.aStart(); i < change.aEnd(); i++) {
                line(out, '-', a.get(i));
            }
            for (int i = change.bStart(); i < change.bEnd(); i++) {
                line(out, '+', b.get(i));
            }
            at = change.aEnd();
        }
        for (; at < tail.aEnd() + after; at++) {
            line(out, ' ', a.get(at));
        }
    }

    /** GNU diff's range: {@code start,count} 1-based, the count left out when it is one. */
    private static String range(int start, int count) {
        if (count == 1) {
            return String.valueOf(start + 1);
        }
        return (count == 0 ? start : start + 1) + "," + count;
    }

    private static void line(StringBuilder out, char mark, String line) {
        out.append(mark).append(line);
        if (!line.endsWith("\n")) {
            out.append('\n').append(NO_NEWLINE);
        }
    }

    /** The lines of {@code text}, each with its line break, so "b" and "b\n" differ. */
    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int newline = text.indexOf('\n', start);
            int end = newline < 0 ? text.length() : newline + 1;
            lines.add(text.substring(start, end));
            start = end;
        }
        return lines;
    }
}
