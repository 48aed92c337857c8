package io.cairn.console.views.config;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import io.cairn.client.ReviewRequiredException;
import io.cairn.client.config.Config;
import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.Expect;
import io.cairn.client.config.Draft;
import io.cairn.client.config.Format;
import io.cairn.client.config.Publish;
import io.cairn.client.config.Secrets;
import java.util.Arrays;
import io.cairn.console.cluster.CairnErrors;
import io.cairn.console.ui.Actions;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Edit tab: a config's name, format and content, published as its next version only if the
 * version loaded is still the current one (a compare-and-set), so nobody's change is overwritten
 * unseen. What is secret is named beside the content: its values are sealed on the members, and
 * show as ****** to a user who may not reveal them (left so, they keep what they hide).
 */
final class EditTab extends VerticalLayout {
    private final ConfigEditor editor;
    private final TextField dataId = new TextField("Data id");
    private final TextField group = new TextField("Group");
    private final Select<Format> format = new Select<>();
    private final CodeEditor code = new CodeEditor();
    private final TextField comment = new TextField("Comment");
    private final TextField secretKeys = new TextField("Secret keys");
    private final Checkbox secretWhole = new Checkbox("Whole content is secret");
    private final Span masked = new Span("Secret values show as ******: your user may not reveal them here. "
            + "Leave them as they are to keep them.");
    private final Button delete;
    /** Whether the format was picked by hand; until then a new config's data id suggests it. */
    private boolean formatChosen;

    EditTab(ConfigEditor editor) {
        this.editor = editor;
        dataId.setId("config-data-id");
        dataId.setPlaceholder("orders.yaml");
        dataId.addValueChangeListener(e -> {
            if (editor.isNew() && !formatChosen) {
                format.setValue(Format.fromFileName(e.getValue().strip()));
            }
        });
        group.setId("config-edit-group");
        format.setId("config-format");
        format.setLabel("Format");
        format.setItems(Format.values());
        format.addValueChangeListener(e -> formatChosen |= e.isFromClient());
        comment.setId("config-comment");
        comment.setPlaceholder("why: kept with the version and in the audit");
        comment.setWidthFull();
        secretKeys.setId("config-secret-keys");
        secretKeys.setPlaceholder("db.password, servers[0].token");
        secretKeys.setHelperText("keys (properties) or paths (yaml, json) whose values are sealed");
        secretKeys.setWidth("24em");
        secretWhole.setId("config-secret-whole");
        secretWhole.addValueChangeListener(e -> secretKeys.setEnabled(!e.getValue()));
        masked.setId("config-masked");
        masked.getStyle().set("color", "var(--lumo-secondary-text-color)");
        masked.setVisible(false);

        Button publishButton = new Button("Publish", VaadinIcon.PAPERPLANE.create(), e -> publish());
        publishButton.setId("config-publish");
        publishButton.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        delete = new Button("Delete", VaadinIcon.TRASH.create(), e -> confirmDelete());
        delete.setId("config-delete");
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);

        HorizontalLayout names = new HorizontalLayout(dataId, group, format);
        names.setAlignItems(FlexComponent.Alignment.BASELINE);
        names.setWrap(true);
        HorizontalLayout secrets = new HorizontalLayout(secretKeys, secretWhole);
        secrets.setAlignItems(FlexComponent.Alignment.BASELINE);
        add(names, masked, code, secrets, comment, new HorizontalLayout(publishButton, delete));
        setPadding(false);
    }

    /** Shows a version that exists: its name can no longer change. */
    void load(Config config) {
        dataId.setValue(config.key().dataId());
        group.setValue(config.key().group());
        setNamesEditable(false);
        formatChosen = true;
        format.setValue(config.format());
        code.setContent(config.content());
        showSecrets(config.secrets());
        masked.setVisible(config.masked());
        comment.clear();
        delete.setVisible(true);
    }

    private void showSecrets(Secrets secrets) {
        secretWhole.setValue(secrets.whole());
        secretKeys.setValue(String.join(", ", secrets.keys()));
    }

    /** What the form marks secret: published with every version, so the form is what holds. */
    private Secrets secrets() {
        if (secretWhole.getValue()) {
            return Secrets.wholeContent();
        }
        return new Secrets(false, Arrays.stream(secretKeys.getValue().split(",")).map(String::strip)
                .filter(k -> !k.isEmpty()).toList());
    }

    /** An empty form for a config not published yet, in {@code group}. */
    void startNew(String groupName) {
        formatChosen = false;
        format.setValue(Format.TEXT);
        dataId.clear();
        group.setValue(groupName);
        setNamesEditable(true);
        code.setContent("");
        showSecrets(Secrets.none());
        masked.setVisible(false);
        comment.clear();
        delete.setVisible(false);
    }

    /** What is in the editor now, published or not. */
    String content() {
        return code.content();
    }

    private void setNamesEditable(boolean editable) {
        dataId.setReadOnly(!editable);
        group.setReadOnly(!editable);
    }

    private void publish() {
        code.clearError();
        boolean isNew = editor.isNew();
        AtomicReference<Config> written = new AtomicReference<>();
        AtomicReference<Draft> drafted = new AtomicReference<>();
        boolean published = Actions.run(null, () -> {
            ConfigKey key = isNew ? new ConfigKey(editor.namespaceOfNew(), group.getValue().strip(), dataId.getValue().strip())
                    : editor.key();
            Publish.Builder publish = Publish.builder(key, code.content()).format(format.getValue()).comment(comment.getValue())
                    .secrets(secrets());
            if (isNew) {
                publish.mustNotExist();
            } else {
                publish.expectVersion(editor.currentVersion());
            }
            try {
                written.set(editor.configs().publish(publish.build()));
            } catch (ReviewRequiredException e) {
                drafted.set(e.draft());
            } catch (RuntimeException e) {
                // also under the editor, with its line marked: the notification goes, the mistake stays
                code.showError(CairnErrors.describe(e));
                throw e;
            }
        });
        if (!published) {
            return;
        }
        if (drafted.get() != null) {
            Actions.done(DraftsDialog.drafted(drafted.get()));
            comment.clear();
            return;
        }
        Config version = written.get();
        Actions.done("Published " + version.key() + " version " + version.version());
        comment.clear();
        setNamesEditable(false);
        delete.setVisible(true);
        editor.published(version);
    }

    private void confirmDelete() {
        ConfigKey key = editor.key();
        long current = editor.currentVersion();
        Actions.confirm("Delete config", "Delete " + key + "? The delete is kept as a version with no content; "
                + "history keeps the versions before it.", "Delete", () -> {
                    AtomicReference<Draft> drafted = new AtomicReference<>();
                    boolean done = Actions.run(null, () -> {
                        try {
                            editor.configs().delete(key, Expect.version(current), comment.getValue());
                        } catch (ReviewRequiredException e) {
                            drafted.set(e.draft());
                        }
                    });
                    if (done && drafted.get() != null) {
                        Actions.done(DraftsDialog.drafted(drafted.get()));
                    } else if (done) {
                        Actions.done("Deleted " + key);
                        editor.deleted();
                    }
                });
    }
}
