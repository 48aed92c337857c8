package io.cairn.server.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.cairn.server.errors.ServerException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ForwarderTest {
    /**
     * A read index that failed while the member shut down is retried through the forwarder, on a
     * JRaft thread; a closed forwarder must fail the read rather than throw there (an exception
     * kept JRaft's read-only service from counting its shutdown latch down: a removed member hung).
     */
    @Test
    void aRetryAfterCloseFailsItsCallerWithoutThrowing() throws Exception {
        Forwarder forwarder = new Forwarder(null, 1000);
        CompletableFuture<Void> open = new CompletableFuture<>();
        forwarder.schedule(() -> open.complete(null), open);
        open.get(5, TimeUnit.SECONDS);

        forwarder.close();
        CompletableFuture<Void> late = new CompletableFuture<>();
        assertThatCode(() -> forwarder.schedule(() -> late.complete(null), late)).doesNotThrowAnyException();
        assertThat(late).isCompletedExceptionally();
        assertThat(late.handle((v, e) -> e).get()).isInstanceOf(ServerException.class).hasMessageContaining("stopped");
    }
}
