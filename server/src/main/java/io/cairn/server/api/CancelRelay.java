package io.cairn.server.api;

import io.cairn.server.node.CancelSignal;
import java.util.ArrayList;
import java.util.List;

/** Tells a waiting core call that its gRPC call was cancelled by the client. */
final class CancelRelay implements CancelSignal {
    private final List<Runnable> actions = new ArrayList<>();
    private boolean fired;

    @Override
    public void onCancel(Runnable action) {
        synchronized (this) {
            if (!fired) {
                actions.add(action);
                return;
            }
        }
        action.run();
    }

    void fire() {
        List<Runnable> run;
        synchronized (this) {
            fired = true;
            run = new ArrayList<>(actions);
            actions.clear();
        }
        run.forEach(Runnable::run);
    }
}
