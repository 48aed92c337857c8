package io.cairn.console.views.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.console.views.config.SideBySideDiff.Kind;
import io.cairn.console.views.config.SideBySideDiff.Row;
import org.junit.jupiter.api.Test;

class SideBySideDiffTest {

    @Test
    void anInsertedLineIsOnTheRightOnly() {
        assertThat(SideBySideDiff.rows("a\nc\n", "a\nb\nc\n")).containsExactly(
                new Row(Kind.SAME, 1, "a", 1, "a"),
                new Row(Kind.ADDED, 0, "", 2, "b"),
                new Row(Kind.SAME, 2, "c", 3, "c"));
    }

    @Test
    void aDeletedLineIsOnTheLeftOnly() {
        assertThat(SideBySideDiff.rows("a\nb\nc\n", "a\nc\n")).containsExactly(
                new Row(Kind.SAME, 1, "a", 1, "a"),
                new Row(Kind.REMOVED, 2, "b", 0, ""),
                new Row(Kind.SAME, 3, "c", 2, "c"));
    }

    @Test
    void aChangedLineIsOnBothSides() {
        assertThat(SideBySideDiff.rows("shop:\n  open: true\n", "shop:\n  open: false\n")).containsExactly(
                new Row(Kind.SAME, 1, "shop:", 1, "shop:"),
                new Row(Kind.CHANGED, 2, "  open: true", 2, "  open: false"));
    }

    @Test
    void aChangeOfUnequalLengthEndsInRemovedLinesWithTheirOwnNumbers() {
        assertThat(SideBySideDiff.rows("a\nb\nc\nd\n", "a\nx\nd\n")).containsExactly(
                new Row(Kind.SAME, 1, "a", 1, "a"),
                new Row(Kind.CHANGED, 2, "b", 2, "x"),
                new Row(Kind.REMOVED, 3, "c", 0, ""),
                new Row(Kind.SAME, 4, "d", 3, "d"));
    }

    @Test
    void identicalTextsAreAllTheSame() {
        assertThat(SideBySideDiff.rows("a\n\nb", "a\n\nb")).containsExactly(
                new Row(Kind.SAME, 1, "a", 1, "a"),
                new Row(Kind.SAME, 2, "", 2, ""),
                new Row(Kind.SAME, 3, "b", 3, "b"));
        assertThat(SideBySideDiff.rows("", "")).isEmpty();
    }

    @Test
    void anEmptyTextIsAllAddedOrAllRemoved() {
        assertThat(SideBySideDiff.rows("", "a\nb\n")).containsExactly(
                new Row(Kind.ADDED, 0, "", 1, "a"),
                new Row(Kind.ADDED, 0, "", 2, "b"));
        assertThat(SideBySideDiff.rows("a\r\nb\r\n", "")).containsExactly(
                new Row(Kind.REMOVED, 1, "a", 0, ""),
                new Row(Kind.REMOVED, 2, "b", 0, ""));
    }

    @Test
    void kindsNameTheirCssClasses() {
        assertThat(Kind.CHANGED.cssClass()).isEqualTo("diff-changed");
        assertThat(Kind.SAME.cssClass()).isEqualTo("diff-same");
    }
}
