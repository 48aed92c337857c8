package io.cairn.console.views.services;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextArea;
import io.cairn.client.Client;
import io.cairn.client.discovery.InstanceUpdate;
import io.cairn.client.discovery.ServiceInstance;
import io.cairn.console.ui.Actions;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Changes an instance's weight and metadata in place (its lease and registration stay). Only what
 * the person changed is sent. An instance's metadata as read includes its service's defaults:
 * the dialog edits the instance's own entries only (those a default does not explain; one equal
 * to its default cannot be told apart, and is left to the default) and shows the defaults beside.
 */
public class InstanceEditDialog extends Dialog {
    private final Client client;
    private final ServiceInstance instance;
    private final IntegerField weight = new IntegerField("Weight");
    private final TextArea metadata = new TextArea("Metadata");
    private final Map<String, String> own;

    public InstanceEditDialog(Client client, ServiceInstance instance) {
        this.client = client;
        this.instance = instance;
        setId("instance-edit-dialog");
        setHeaderTitle("Edit " + instance.id() + " (" + instance.address() + ")");
        weight.setId("instance-edit-weight");
        weight.setMin(0);
        weight.setMax(10_000);
        weight.setStepButtonsVisible(true);
        weight.setHelperText("Its share of traffic, 0 to 10000; 0 takes none");
        weight.setValue(instance.weight());
        metadata.setId("instance-edit-metadata");
        Optional<Map<String, String>> read = Actions.read(() -> client.discovery().sync().getService(instance.key().serviceKey()).metadata());
        Map<String, String> defaults = read.orElse(Map.of());
        own = MetadataText.ownEntries(instance.metadata(), defaults);
        // without the service's defaults the instance's own entries cannot be told apart: weight only
        metadata.setEnabled(read.isPresent());
        metadata.setHelperText("One key=value a line" + (defaults.isEmpty() ? ""
                : "; the service's defaults apply beneath: " + MetadataText.inline(defaults)));
        metadata.setValue(MetadataText.lines(own));
        metadata.setWidthFull();
        VerticalLayout fields = new VerticalLayout(weight, metadata);
        fields.setPadding(false);
        fields.setWidth("28rem");
        add(fields);

        Button save = new Button("Save", e -> save());
        save.setId("instance-edit-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(new Button("Cancel", e -> close()), save);
    }

    private void save() {
        InstanceUpdate update;
        try {
            update = changes();
        } catch (IllegalArgumentException e) {
            Actions.error(e.getMessage());
            return;
        }
        if (update == null || Actions.run("Updated " + instance.id(),
                () -> client.discovery().sync().update(instance.key(), update))) {
            close();
        }
    }

    /** What the person changed; null for nothing. */
    private InstanceUpdate changes() {
        InstanceUpdate.Builder update = InstanceUpdate.builder();
        boolean changed = false;
        if (!Objects.equals(weight.getValue(), instance.weight())) {
            if (weight.getValue() == null) {
                throw new IllegalArgumentException("The weight is empty");
            }
            update.weight(weight.getValue()); // checks the range
            changed = true;
        }
        Map<String, String> entries = MetadataText.parse(metadata.getValue());
        if (!entries.equals(own)) {
            update.metadata(entries);
            changed = true;
        }
        return changed ? update.build() : null;
    }
}
