package io.cairn.console.views.keys;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.router.QueryParameters;
import io.cairn.client.Bytes;
import io.cairn.client.Cmp;
import io.cairn.client.Op;
import io.cairn.client.Delete;
import io.cairn.client.Get;
import io.cairn.client.KeyValue;
import io.cairn.client.Kv;
import io.cairn.client.Put;
import io.cairn.console.cluster.ConsoleSession;
import io.cairn.console.ui.Actions;
import io.cairn.console.views.LeasesView;
import io.cairn.console.views.leases.LeaseIds;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/** One key: its value to edit, its revisions, its lease, and its last versions. */
public class KeyDetail extends VerticalLayout {
    private static final int SHOWN_VALUE_CHARS = 200;

    private final ConsoleSession session;
    private final Consumer<String> onDeleted;
    private final Span placeholder = new Span("Select a key to see its value and history.");
    private final VerticalLayout content = new VerticalLayout();
    private final Span name = new Span();
    private final TextArea value = new TextArea("Value");
    private final Span revisions = new Span();
    private final Span lease = new Span();
    private final Button openLease = new Button("Open lease", VaadinIcon.TIMER.create());
    private final Button save = new Button("Save");
    private final Grid<KeyValue> history = new Grid<>();
    private final Span historyNote = new Span();
    private KeyValue shown;

    /** @param onDeleted told the key the person deleted, so the tree drops it */
    public KeyDetail(ConsoleSession session, Consumer<String> onDeleted) {
        this.session = session;
        this.onDeleted = onDeleted;
        placeholder.addClassName("console-muted");
        name.setId("key-name");
        name.addClassName("key-name");
        value.setId("key-value");
        value.setWidthFull();
        value.addClassName("key-value");
        revisions.setId("key-revisions");
        revisions.addClassName("console-muted");
        lease.setId("key-lease");
        openLease.setId("key-open-lease");
        openLease.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
        openLease.addClickListener(e -> openLease());
        HorizontalLayout leaseRow = new HorizontalLayout(lease, openLease);
        leaseRow.setAlignItems(FlexComponent.Alignment.CENTER);

        save.setId("key-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.addClickListener(e -> save());
        Button delete = new Button("Delete", VaadinIcon.TRASH.create(), e -> confirmDelete());
        delete.setId("key-delete");
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR);

        history.setId("key-history");
        history.addThemeVariants(GridVariant.LUMO_COMPACT);
        history.addColumn(KeyValue::version).setHeader("Version").setAutoWidth(true).setFlexGrow(0);
        history.addColumn(KeyValue::modRevision).setHeader("Mod revision").setAutoWidth(true).setFlexGrow(0);
        history.addColumn(kv -> abbreviate(shownValue(kv.value()))).setHeader("Value").setFlexGrow(1)
                .setTooltipGenerator(kv -> shownValue(kv.value()));
        history.setAllRowsVisible(true);
        historyNote.setId("key-history-note");
        historyNote.addClassName("console-muted");

        content.setPadding(false);
        content.add(name, value, revisions, leaseRow, new HorizontalLayout(save, delete),
                new H4("Last versions"), history, historyNote);
        add(placeholder, content);
        addClassName("key-detail");
        setSizeFull();
        clear();
    }

    /** Reads {@code key} and shows it; says so when it no longer exists. */
    public void show(String key) {
        Actions.read(() -> kv().get(Get.key(key))).ifPresent(read -> {
            if (read.first() == null) {
                clear();
                placeholder.setText("The key \"" + key + "\" does not exist (any more).");
                return;
            }
            show(read.first());
        });
    }

    /** Shows nothing: no key is selected. */
    public void clear() {
        shown = null;
        placeholder.setText("Select a key to see its value and history.");
        placeholder.setVisible(true);
        content.setVisible(false);
    }

    private void show(KeyValue kv) {
        shown = kv;
        placeholder.setVisible(false);
        content.setVisible(true);
        name.setText(kv.keyString());
        boolean text = isText(kv.value());
        value.setValue(shownValue(kv.value()));
        // an edit of a value that is not UTF-8 text would write back its lossy rendering
        value.setReadOnly(!text);
        value.setHelperText(text ? "" : "Not UTF-8 text (" + kv.value().size() + " bytes), shown as hex; edit it with etcdctl");
        save.setEnabled(text);
        revisions.setText("Created at revision " + kv.createRevision() + " · modified at revision " + kv.modRevision()
                + " · version " + kv.version());
        lease.setText(kv.lease() == 0 ? "No lease" : "Lease " + LeaseIds.hex(kv.lease()) + " (" + kv.lease() + ")");
        openLease.setVisible(kv.lease() != 0);
        history.setItems(List.of(kv));
        historyNote.setText("");
        Actions.read(() -> KeyHistory.walkBack(kv, revision -> kv().get(Get.key(kv.key()).revision(revision)).first()))
                .ifPresent(h -> {
                    history.setItems(h.versions());
                    historyNote.setText(h.note());
                });
    }

    private void save() {
        KeyValue kv = shown;
        // only over the value shown: a change made meanwhile by someone else is not overwritten unseen;
        // ignoreLease: saving a value must not detach the key from its lease
        boolean[] saved = new boolean[1];
        boolean answered = Actions.run(null, () -> saved[0] = session.client().kv().txn()
                .when(Cmp.modRevision(kv.key()).eq(kv.modRevision()))
                .then(Op.put(Put.key(kv.key(), Bytes.of(value.getValue())).ignoreLease()))
                .commitSync().succeeded());
        if (!answered) {
            return; // refused or unreachable: the error is shown and the edit stays to try again
        }
        if (saved[0]) {
            Actions.done("Saved " + kv.keyString());
        } else {
            Actions.error(kv.keyString() + " changed since it was read (now at a newer revision): reloaded, nothing saved");
        }
        show(kv.keyString());
    }

    private void confirmDelete() {
        KeyValue kv = shown;
        Actions.confirm("Delete key", "Delete \"" + kv.keyString() + "\"? This cannot be undone.", "Delete", () -> {
            if (Actions.run("Deleted " + kv.keyString(), () -> kv().delete(Delete.key(kv.key())))) {
                clear();
                onDeleted.accept(kv.keyString());
            }
        });
    }

    private void openLease() {
        long id = shown.lease();
        getUI().ifPresent(ui -> ui.navigate(LeasesView.class, QueryParameters.of("lease", Long.toString(id))));
    }

    private Kv.Sync kv() {
        return session.client().kv().sync();
    }

    private static boolean isText(Bytes bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes.toByteArray()));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** UTF-8 text as it is; anything else as hex, so that no byte is hidden. */
    private static String shownValue(Bytes bytes) {
        if (isText(bytes)) {
            return bytes.toStringUtf8();
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < bytes.size(); i++) {
            hex.append(String.format("%02x", bytes.byteAt(i))).append(i % 16 == 15 ? "\n" : " ");
        }
        return hex.toString().strip();
    }

    private static String abbreviate(String s) {
        return s.length() <= SHOWN_VALUE_CHARS ? s : s.substring(0, SHOWN_VALUE_CHARS) + "…";
    }
}
