package io.cairn.console.views.config;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.function.SerializableConsumer;
import io.cairn.console.cluster.ConsoleSession;
import io.cairn.console.ui.Actions;

/** Creates a namespace: an environment or a tenant, holding configs by group and data id. */
public final class NamespaceDialog extends Dialog {

    /** @param created told the new namespace's name once the cluster has it */
    public NamespaceDialog(ConsoleSession session, SerializableConsumer<String> created) {
        setHeaderTitle("New namespace");
        setId("namespace-dialog");
        TextField name = new TextField("Name");
        name.setId("namespace-name");
        name.setHelperText("1 to 128 of A-Z a-z 0-9 . _ - :");
        name.setWidthFull();
        name.setAutofocus(true);
        TextField description = new TextField("Description");
        description.setId("namespace-description");
        description.setPlaceholder("what it is for: prod, a tenant ...");
        description.setWidthFull();

        Checkbox review = new Checkbox("Require review: changes are drafts that another user approves");
        review.setId("namespace-review");

        Button create = new Button("Create", e -> {
            String namespace = name.getValue().strip();
            if (Actions.run("Created namespace " + namespace,
                    () -> session.client().config().sync().createNamespace(namespace, description.getValue(), review.getValue()))) {
                close();
                created.accept(namespace);
            }
        });
        create.setId("namespace-create");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Button cancel = new Button("Cancel", e -> close());
        cancel.setId("namespace-cancel");
        getFooter().add(cancel, create);

        VerticalLayout body = new VerticalLayout(name, description, review);
        body.setPadding(false);
        add(body);
        setWidth("28rem");
    }
}
