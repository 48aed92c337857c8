package io.cairn.console.views.leases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LeaseIdsTest {
    @Test
    void printsHexAsEtcdctlDoesWithoutItsPadding() {
        assertEquals("694d7a8b2c3e1a05", LeaseIds.hex(0x694d7a8b2c3e1a05L));
        assertEquals("ff", LeaseIds.hex(255));
    }

    @Test
    void readsDecimalAndHex() {
        assertEquals(255, LeaseIds.parse("255"));
        assertEquals(255, LeaseIds.parse("0xFF"));
        assertEquals(0x694d7a8b2c3e1a05L, LeaseIds.parse(" 694d7a8b2c3e1a05 "));
        assertEquals(0x1234, LeaseIds.parse("0000000000001234")); // etcdctl's padded form
        assertEquals(0, LeaseIds.parse(""));
        assertEquals(0, LeaseIds.parse(null));
    }

    @Test
    void refusesWhatIsNoId() {
        assertThrows(IllegalArgumentException.class, () -> LeaseIds.parse("lease-1"));
    }
}
