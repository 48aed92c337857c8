package io.cairn.console.views.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorLineTest {

    @Test
    void readsTheLineOfAFormatError() {
        assertThat(ErrorLine.lineOf("config: content does not parse as its format: yaml: line 3, column 7: "
                + "mapping values are not allowed here")).hasValue(3);
        assertThat(ErrorLine.lineOf("config: content does not parse as its format: properties: line 4: "
                + "Malformed \\uxxxx encoding.")).hasValue(4);
        assertThat(ErrorLine.lineOf("config: content does not parse as its format: json: line 2, column 5: "
                + "Unexpected character ('}' (code 125))")).hasValue(2);
        assertThat(ErrorLine.lineOf("xml: line 12, column 3: The element type \"a\" must be terminated")).hasValue(12);
    }

    @Test
    void readsTheFirstLineOfASchemaError() {
        assertThat(ErrorLine.lineOf("config: content does not satisfy the config's schema: "
                + "$.name (line 2): integer found, string expected; $.port (line 3): must have a minimum value of 1"))
                .hasValue(2);
        assertThat(ErrorLine.lineOf("config: content does not satisfy the config's schema: "
                + "document 2: $.port (line 5): must have a maximum value of 65535")).hasValue(5);
    }

    @Test
    void findsNothingWhereNoLineIsNamed() {
        assertThat(ErrorLine.lineOf("config: version conflict: the current version is 3, not 2")).isEmpty();
        assertThat(ErrorLine.lineOf("config: content does not satisfy the config's schema: $: null found, object expected"))
                .isEmpty();
        assertThat(ErrorLine.lineOf("the pipeline 7 and newline 3 are not lines")).isEmpty();
        assertThat(ErrorLine.lineOf("line 0: nothing there")).isEmpty();
        assertThat(ErrorLine.lineOf("")).isEmpty();
        assertThat(ErrorLine.lineOf(null)).isEmpty();
    }
}
