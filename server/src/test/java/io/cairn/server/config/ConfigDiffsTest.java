package io.cairn.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Every expected text here is what GNU diffutils' {@code diff -U<n> --label v1 --label v2} printed. */
class ConfigDiffsTest {
    private static String numbers(int from, int to, int changed, String as) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> i == changed ? as : String.valueOf(i))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    @Test
    void aSmallChangeWithOneLineOfContext() {
        String v1 = "name: web\nport: 8080\nhosts:\n  - a\n  - b\nlog: info\n";
        String v2 = "name: web\nport: 9090\nhosts:\n  - a\n  - b\n  - c\nlog: info\n";
        assertThat(ConfigDiffs.unified("v1", "v2", v1, v2, 1)).isEqualTo("""
                --- v1
                +++ v2
                @@ -1,3 +1,3 @@
                 name: web
                -port: 8080
                +port: 9090
                 hosts:
                @@ -5,2 +5,3 @@
                   - b
                +  - c
                 log: info
                """);
    }

    @Test
    void identicalVersionsHaveNoDiff() {
        assertThat(ConfigDiffs.unified("v1", "v2", "a\nb\n", "a\nb\n", 3)).isEmpty();
        assertThat(ConfigDiffs.unified("v1", "v2", "", "", 3)).isEmpty();
    }

    @Test
    void aMissingLastLineBreakIsShownAndCounts() {
        assertThat(ConfigDiffs.unified("v1", "v2", "a\nb", "a\nb\n", 3)).isEqualTo("""
                --- v1
                +++ v2
                @@ -1,2 +1,2 @@
                 a
                -b
                \\ No newline at end of file
                +b
                """);
        assertThat(ConfigDiffs.unified("v1", "v2", "", "a\nb", 3)).isEqualTo("""
                --- v1
                +++ v2
                @@ -0,0 +1,2 @@
                +a
                +b
                \\ No newline at end of file
                """);
    }

    @Test
    void changesFarApartAreSeparateHunksAndNearOnesJoin() {
        String v1 = numbers(1, 20, 0, "");
        assertThat(ConfigDiffs.unified("v1", "v2", v1, numbers(1, 20, 3, "three").replace("\n17\n", "\nseventeen\n"), 3))
                .isEqualTo("""
                        --- v1
                        +++ v2
                        @@ -1,6 +1,6 @@
                         1
                         2
                        -3
                        +three
                         4
                         5
                         6
                        @@ -14,7 +14,7 @@
                         14
                         15
                         16
                        -17
                        +seventeen
                         18
                         19
                         20
                        """);
        String joined = ConfigDiffs.unified("v1", "v2", v1, numbers(1, 20, 3, "three").replace("\n9\n", "\nnine\n"), 3);
        assertThat(joined).as("six unchanged lines between: one hunk").startsWith("--- v1\n+++ v2\n@@ -1,12 +1,12 @@\n");
        assertThat(joined.lines().filter(line -> line.startsWith("@@"))).hasSize(1);
    }

    @Test
    void aHugeRewriteIsOneReplacement() {
        String v1 = numbers(1, 30_000, 0, "");
        String v2 = IntStream.rangeClosed(1, 30_000).mapToObj(i -> "x" + i).collect(Collectors.joining("\n", "", "\n"));
        String diff = ConfigDiffs.unified("v1", "v2", v1, v2, 3);
        assertThat(diff).startsWith("--- v1\n+++ v2\n@@ -1,30000 +1,30000 @@\n-1\n-2\n");
        assertThat(diff.lines().filter(l -> l.startsWith("-")).count()).isEqualTo(30_001);
        assertThat(diff.lines().filter(l -> l.startsWith("+")).count()).isEqualTo(30_001);
    }

    @Test
    void contextIsNotNegative() {
        assertThatThrownBy(() -> ConfigDiffs.unified("v1", "v2", "a", "b", -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
