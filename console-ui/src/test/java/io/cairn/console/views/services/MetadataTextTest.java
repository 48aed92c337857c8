package io.cairn.console.views.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetadataTextTest {
    @Test
    void writesSortedLinesAndReadsThemBack() {
        Map<String, String> metadata = Map.of("zone", "eu-1", "version", "2.1", "url", "http://x/?a=b");
        String text = MetadataText.lines(metadata);
        assertEquals("url=http://x/?a=b\nversion=2.1\nzone=eu-1", text);
        assertEquals(metadata, MetadataText.parse(text));
        assertEquals("url=http://x/?a=b, version=2.1, zone=eu-1", MetadataText.inline(metadata));
    }

    @Test
    void skipsBlankLinesAndTrims() {
        assertEquals(Map.of("a", "1", "b", ""), MetadataText.parse("\n a = 1 \r\n\nb=\n"));
        assertEquals(Map.of(), MetadataText.parse(""));
    }

    @Test
    void namesTheLineThatIsWrong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetadataText.parse("a=1\nnonsense"));
        assertTrue(e.getMessage().startsWith("line 2 "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MetadataText.parse("=1"));
        assertThrows(IllegalArgumentException.class, () -> MetadataText.parse("a=1\na=2"));
    }

    @Test
    void ownEntriesAreThoseTheServiceDefaultsDoNotExplain() {
        Map<String, String> merged = Map.of("team", "payments", "zone", "eu-1", "version", "2");
        Map<String, String> defaults = Map.of("team", "payments", "version", "1");
        assertEquals(Map.of("zone", "eu-1", "version", "2"), MetadataText.ownEntries(merged, defaults));
        assertEquals(Map.of(), MetadataText.ownEntries(Map.of(), defaults));
    }
}
