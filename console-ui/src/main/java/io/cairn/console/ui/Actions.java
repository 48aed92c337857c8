package io.cairn.console.ui;

import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import io.cairn.console.cluster.CairnErrors;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * How every view changes something: run the call, say what it did, or show the cluster's error
 * as the cluster gave it; and ask first when it cannot be undone.
 */
public final class Actions {
    private Actions() {
    }

    /** A call that changes nothing shown until it succeeds. */
    @FunctionalInterface
    public interface Call {
        void run() throws Exception;
    }

    /** Runs {@code call}; on success tells {@code done}, on failure the cluster's error. Returns whether it succeeded. */
    public static boolean run(String done, Call call) {
        try {
            call.run();
        } catch (Exception e) {
            error(CairnErrors.describe(e));
            return false;
        }
        if (done != null) {
            done(done);
        }
        return true;
    }

    /** Reads something; on failure shows the cluster's error and gives nothing. */
    public static <T> Optional<T> read(Callable<T> call) {
        try {
            return Optional.ofNullable(call.call());
        } catch (Exception e) {
            error(CairnErrors.describe(e));
            return Optional.empty();
        }
    }

    /** Asks before {@code action}, which cannot be undone; {@code confirm} names the button. */
    public static void confirm(String header, String text, String confirm, Runnable action) {
        ConfirmDialog dialog = new ConfirmDialog(header, text, confirm, e -> action.run());
        dialog.setCancelable(true);
        dialog.setConfirmButtonTheme("error primary");
        dialog.setId("confirm-dialog");
        dialog.open();
    }

    public static void done(String text) {
        Notification n = Notification.show(text, 4000, Notification.Position.BOTTOM_START);
        n.addThemeVariants(NotificationVariant.LUMO_SUCCESS);
    }

    public static void error(String text) {
        Notification n = Notification.show(text, 8000, Notification.Position.BOTTOM_START);
        n.addThemeVariants(NotificationVariant.LUMO_ERROR);
    }
}
