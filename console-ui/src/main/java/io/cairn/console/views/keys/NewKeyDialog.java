package io.cairn.console.views.keys;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import io.cairn.client.Cmp;
import io.cairn.client.Op;
import io.cairn.client.Put;
import io.cairn.client.TxnResponse;
import io.cairn.console.cluster.ConsoleSession;
import io.cairn.console.ui.Actions;
import io.cairn.console.views.leases.LeaseIds;
import java.util.function.Consumer;

/**
 * Creates a key, optionally attached to a lease. It only creates: a key that exists already is
 * refused rather than overwritten, since its value and lease are edited where they are shown.
 */
public class NewKeyDialog extends Dialog {
    private final ConsoleSession session;
    private final Consumer<String> onCreated;
    private final TextField key = new TextField("Key");
    private final TextArea value = new TextArea("Value");
    private final TextField lease = new TextField("Lease (optional)");

    /** @param folder where the person is in the tree: the new key's name starts there */
    public NewKeyDialog(ConsoleSession session, String folder, Consumer<String> onCreated) {
        this.session = session;
        this.onCreated = onCreated;
        setId("new-key-dialog");
        setHeaderTitle("New key");
        key.setId("new-key-name");
        key.setValue(folder);
        key.setWidthFull();
        value.setId("new-key-value");
        value.setWidthFull();
        lease.setId("new-key-lease");
        lease.setHelperText("A lease id, decimal or hex as etcdctl prints it; the key goes when the lease does");
        lease.setWidthFull();
        VerticalLayout fields = new VerticalLayout(key, value, lease);
        fields.setPadding(false);
        fields.setWidth("32rem");
        add(fields);

        Button create = new Button("Create", e -> create());
        create.setId("new-key-save");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Button cancel = new Button("Cancel", e -> close());
        getFooter().add(cancel, create);
    }

    private void create() {
        String name = key.getValue();
        boolean created = Actions.run("Created " + name, () -> {
            Put put = Put.key(name, value.getValue());
            long leaseId = LeaseIds.parse(lease.getValue());
            if (leaseId != 0) {
                put.lease(leaseId);
            }
            // version 0: the key does not exist, so this put cannot overwrite one
            TxnResponse txn = session.client().kv().txn().when(Cmp.version(name).eq(0)).then(Op.put(put)).commitSync();
            if (!txn.succeeded()) {
                throw new IllegalStateException("The key \"" + name + "\" exists already; select it in the tree to edit it");
            }
        });
        if (created) {
            close();
            onCreated.accept(name);
        }
    }
}
