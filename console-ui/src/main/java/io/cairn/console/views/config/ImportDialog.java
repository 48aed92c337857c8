package io.cairn.console.views.config;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import io.cairn.client.config.ImportPolicy;
import io.cairn.client.config.ImportResult;
import io.cairn.console.cluster.ConsoleSession;
import io.cairn.console.ui.Actions;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Imports an uploaded export document into a namespace, as one change: first asks what to do with
 * configs that exist already, then says how many were created, updated and skipped.
 */
public final class ImportDialog extends Dialog {
    private final Select<ImportPolicy> policy = new Select<>();
    private final TextField comment = new TextField("Comment");
    private final Span result = new Span();
    private final Button importButton;
    private final Button cancel;

    /** @param imported told once the import is done, so the list can show it */
    public ImportDialog(ConsoleSession session, String namespace, String fileName, String document, Runnable imported) {
        setHeaderTitle("Import into " + namespace);
        setId("import-dialog");
        Paragraph what = new Paragraph("Imports the configs of " + fileName + " into namespace " + namespace
                + " as one change: all of them, or none.");
        policy.setId("import-policy");
        policy.setLabel("When a config exists already");
        policy.setItems(ImportPolicy.values());
        policy.setItemLabelGenerator(ImportDialog::describe);
        policy.setValue(ImportPolicy.ABORT_ON_CONFLICT);
        policy.setWidthFull();
        comment.setId("import-comment");
        comment.setWidthFull();
        result.setId("import-result");
        result.setVisible(false);

        importButton = new Button("Import", e -> runImport(session, namespace, fileName, document, imported));
        importButton.setId("import-confirm");
        importButton.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        cancel = new Button("Cancel", e -> close());
        cancel.setId("import-cancel");
        getFooter().add(cancel, importButton);

        VerticalLayout body = new VerticalLayout(what, policy, comment, result);
        body.setPadding(false);
        add(body);
        setWidth("32rem");
    }

    private void runImport(ConsoleSession session, String namespace, String fileName, String document, Runnable imported) {
        AtomicReference<ImportResult> done = new AtomicReference<>();
        if (!Actions.run(null, () -> done.set(session.client().config().sync()
                .importNamespace(namespace, document, policy.getValue(), comment.getValue())))) {
            return;
        }
        ImportResult r = done.get();
        String text = "Imported " + fileName + " into " + namespace + ": " + r.created() + " created, " + r.updated()
                + " updated, " + r.skipped() + " skipped.";
        Actions.done(text);
        result.setText(text);
        result.setVisible(true);
        importButton.setEnabled(false);
        policy.setReadOnly(true);
        comment.setReadOnly(true);
        cancel.setText("Close");
        imported.run();
    }

    private static String describe(ImportPolicy policy) {
        return switch (policy) {
            case ABORT_ON_CONFLICT -> "Import nothing";
            case SKIP_EXISTING -> "Keep it, import the others";
            case OVERWRITE -> "Overwrite it with the document's content, as a new version";
        };
    }
}
