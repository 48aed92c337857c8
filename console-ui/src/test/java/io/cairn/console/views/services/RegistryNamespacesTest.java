package io.cairn.console.views.services;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegistryNamespacesTest {
    @Test
    void theNamespaceIsTheFirstSegmentAfterTheRoot() {
        assertEquals(Optional.of("prod"), RegistryNamespaces.of("/cairn/registry/prod/orders/i-1"));
        assertEquals(Optional.of("prod"), RegistryNamespaces.of("/cairn/registry/prod/orders"));
    }

    @Test
    void keysOutsideTheLayoutHaveNone() {
        assertEquals(Optional.empty(), RegistryNamespaces.of("/cairn/config/prod/a"));
        assertEquals(Optional.empty(), RegistryNamespaces.of("/cairn/registry/prod"));
        assertEquals(Optional.empty(), RegistryNamespaces.of("/cairn/registry//orders"));
    }
}
