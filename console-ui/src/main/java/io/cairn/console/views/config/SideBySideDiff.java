package io.cairn.console.views.config;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Two texts as the rows of a side-by-side diff: each row holds a line of the left text, of the
 * right text, or of both, with its line numbers.
 *
 * <p>The rows are made from java-diff-utils' deltas rather than its {@code DiffRowGenerator}:
 * the generator pads a change of unequal length with empty strings, which cannot be told from
 * real empty lines, and the line numbers would then be wrong.
 */
public final class SideBySideDiff {
    private SideBySideDiff() {
    }

    /** What a row shows; its CSS class is {@code diff-} and the kind in lower case. */
    public enum Kind {
        /** The same line on both sides. */
        SAME,
        /** A line of the left replaced by a line of the right. */
        CHANGED,
        /** A line of the left only. */
        REMOVED,
        /** A line of the right only. */
        ADDED;

        public String cssClass() {
            return "diff-" + name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One row.
     *
     * @param leftLine  the left line's 1-based number; 0 when the row has no left line
     * @param leftText  the left line; empty when the row has none
     * @param rightLine the right line's 1-based number; 0 when the row has no right line
     * @param rightText the right line; empty when the row has none
     */
    public record Row(Kind kind, int leftLine, String leftText, int rightLine, String rightText) {
    }

    /** The rows from {@code left} (the older text) to {@code right} (the newer). */
    public static List<Row> rows(String left, String right) {
        List<String> a = lines(left);
        List<String> b = lines(right);
        List<Row> rows = new ArrayList<>();
        int i = 0; // the next line of a not yet in a row
        int j = 0; // the same for b
        for (AbstractDelta<String> delta : DiffUtils.diff(a, b).getDeltas()) {
            while (i < delta.getSource().getPosition() && j < delta.getTarget().getPosition()) {
                rows.add(new Row(Kind.SAME, i + 1, a.get(i), j + 1, b.get(j)));
                i++;
                j++;
            }
            List<String> removed = delta.getSource().getLines();
            List<String> added = delta.getTarget().getLines();
            for (int k = 0; k < Math.max(removed.size(), added.size()); k++) {
                if (k < removed.size() && k < added.size()) {
                    rows.add(new Row(Kind.CHANGED, i + k + 1, removed.get(k), j + k + 1, added.get(k)));
                } else if (k < removed.size()) {
                    rows.add(new Row(Kind.REMOVED, i + k + 1, removed.get(k), 0, ""));
                } else {
                    rows.add(new Row(Kind.ADDED, 0, "", j + k + 1, added.get(k)));
                }
            }
            i += removed.size();
            j += added.size();
        }
        while (i < a.size() && j < b.size()) {
            rows.add(new Row(Kind.SAME, i + 1, a.get(i), j + 1, b.get(j)));
            i++;
            j++;
        }
        return rows;
    }

    /** The text's lines: a final line break ends the last line rather than starting an empty one. */
    static List<String> lines(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\r\n|\r|\n", -1)));
        if (lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }
}
