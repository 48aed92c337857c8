package io.cairn.console.views.config;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import io.cairn.client.config.Config;
import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.GrayRelease;
import io.cairn.client.config.GrayRules;
import io.cairn.console.ui.Actions;
import io.cairn.console.ui.Badges;
import io.cairn.console.ui.Times;
import io.cairn.console.views.services.MetadataText;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Gray release tab: the release under way for the open config, if any, with promote and
 * abort; and a form to start one, whose candidate starts as the editor's content.
 *
 * <p>Who got it: every client listening to the config, on every member, with what it was last
 * sent (the candidate or the current version). A client that only reads the config now and
 * then, without listening, is not listed: members keep no record of plain reads.
 */
final class GrayTab extends VerticalLayout {
    private final ConfigEditor editor;
    private final Div current = new Div();
    private final Grid<ListenersAcrossMembers.Row> receivers = new Grid<>();
    private final Paragraph receiversSummary = new Paragraph();
    private final Button promote;
    private final Button abort;
    private final TextArea candidate = new TextArea("Candidate content");
    private final TextField labels = new TextField("Labels");
    private final TextField addresses = new TextField("Addresses");
    private final IntegerField percent = new IntegerField("Percent of clients");
    private final TextField comment = new TextField("Comment");
    /** The candidate was edited here: refreshing must not put the editor's content over it. */
    private boolean candidateEdited;

    GrayTab(ConfigEditor editor) {
        this.editor = editor;
        current.setId("gray-current");
        current.setWidthFull();
        promote = new Button("Promote to all", VaadinIcon.CHECK_CIRCLE.create(), e -> confirmPromote());
        promote.setId("gray-promote");
        promote.addThemeVariants(ButtonVariant.LUMO_SUCCESS);
        abort = new Button("Abort", VaadinIcon.CLOSE_CIRCLE.create(), e -> confirmAbort());
        abort.setId("gray-abort");
        abort.addThemeVariants(ButtonVariant.LUMO_ERROR);

        candidate.setId("gray-content");
        candidate.addClassName("code");
        candidate.setWidthFull();
        candidate.setMinRows(6);
        candidate.addValueChangeListener(e -> candidateEdited |= e.isFromClient());
        labels.setId("gray-labels");
        labels.setPlaceholder("env=canary, zone=eu-1");
        labels.setHelperText("clients carrying all of these labels");
        addresses.setId("gray-addresses");
        addresses.setPlaceholder("10.1.0.0/16, 10.2.3.4");
        addresses.setHelperText("client addresses or CIDR blocks");
        percent.setId("gray-percent");
        percent.setMin(0);
        percent.setMax(100);
        percent.setStepButtonsVisible(true);
        percent.setHelperText("chosen by a stable hash of the client id");
        comment.setId("gray-comment");
        comment.setWidthFull();
        Button startButton = new Button("Start gray release", VaadinIcon.FLASK.create(), e -> start());
        startButton.setId("gray-start");
        startButton.addThemeVariants(ButtonVariant.LUMO_PRIMARY);

        HorizontalLayout rules = new HorizontalLayout(labels, addresses, percent);
        rules.setAlignItems(FlexComponent.Alignment.BASELINE);
        rules.setWrap(true);
        Paragraph alternatives = new Paragraph("A client gets the candidate when it matches any one of these rules.");
        alternatives.addClassName("console-muted");
        receivers.setId("gray-receivers");
        receivers.addColumn(r -> r.client().clientId()).setHeader("Client").setAutoWidth(true);
        receivers.addColumn(r -> MetadataText.inline(r.client().labels())).setHeader("Labels");
        receivers.addColumn(r -> r.client().seenAddress()).setHeader("Address").setAutoWidth(true);
        receivers.addComponentColumn(r -> r.client().version() == 0 ? Badges.of("nothing yet", "")
                : r.client().gray() ? Badges.of("candidate", "success") : Badges.of("version " + r.client().version(), "contrast"))
                .setHeader("Was sent").setAutoWidth(true);
        receivers.addColumn(r -> r.client().sentAt().map(Times::utc).orElse("")).setHeader("At (UTC)").setAutoWidth(true);
        receivers.addColumn(ListenersAcrossMembers.Row::member).setHeader("Through").setAutoWidth(true);
        receivers.setAllRowsVisible(true);
        receiversSummary.setId("gray-receivers-summary");
        Button again = new Button("Ask again", VaadinIcon.REFRESH.create(), e -> showReceivers(editor.key()));
        again.setId("gray-receivers-refresh");
        again.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        add(current, new HorizontalLayout(promote, abort), new H4("Listening clients"), new HorizontalLayout(receiversSummary, again), receivers,
                new H4("Start a gray release"), candidate, rules, alternatives, comment, startButton);
        setPadding(false);
    }

    /** Reads the open config's gray release again; an untouched candidate follows the editor's content. */
    void refresh() {
        ConfigKey key = editor.key();
        if (key == null) {
            return;
        }
        if (!candidateEdited) {
            candidate.setValue(editor.editedContent());
        }
        current.removeAll();
        Optional<Optional<GrayRelease>> answer = Actions.read(() -> editor.configs().getGray(key));
        Optional<GrayRelease> release = answer.orElse(Optional.empty());
        promote.setEnabled(release.isPresent());
        abort.setEnabled(release.isPresent());
        if (answer.isEmpty()) {
            current.add(new Paragraph("The gray release could not be read."));
        } else if (release.isEmpty()) {
            current.add(new Paragraph("No gray release under way: every client gets version " + editor.currentVersion() + "."));
        } else {
            showRelease(release.get());
        }
        showReceivers(key);
    }

    private void showReceivers(ConfigKey key) {
        if (key == null) {
            return;
        }
        Actions.read(() -> ListenersAcrossMembers.of(editor.session(), key)).ifPresent(found -> {
            receivers.setItems(found.rows());
            String summary = found.unknown() ? "No member could say who listens."
                    : found.rows().isEmpty() ? "No client is listening to this config."
                    : found.onCandidate() + " of " + found.rows().size() + " listening clients were sent the candidate.";
            receiversSummary.setText(found.problems().isEmpty() ? summary
                    : summary + " Not counted: " + String.join("; ", found.problems()));
        });
    }

    private void showRelease(GrayRelease release) {
        Paragraph started = new Paragraph("Started from version " + release.baseVersion() + " by "
                + ConfigLabels.author(release.author()) + " at " + ConfigLabels.time(release.time()) + " UTC"
                + (release.comment().isEmpty() ? "." : ": " + release.comment()));
        Paragraph who = new Paragraph("Who gets it: " + GrayRulesText.describe(release.rules()) + ".");
        who.setId("gray-who");
        Paragraph what = new Paragraph("Candidate, " + release.format() + ", MD5 " + release.md5() + ":");
        Pre content = new Pre(release.content());
        content.setId("gray-current-content");
        content.addClassName("code-block");
        current.add(new H4("Gray release under way"), started, who, what, content);
    }

    private void start() {
        ConfigKey key = editor.key();
        AtomicReference<GrayRules> rules = new AtomicReference<>();
        // format null: the candidate is read in the config's current format
        boolean started = Actions.run(null, () -> {
            rules.set(GrayRulesText.parse(labels.getValue(), addresses.getValue(), percent.getValue()));
            editor.configs().startGray(key, candidate.getValue(), null, rules.get(), comment.getValue());
        });
        if (started) {
            Actions.done("Started a gray release of " + key + " to " + GrayRulesText.describe(rules.get()));
            comment.clear();
            refresh();
            editor.grayChanged();
        }
    }

    private void confirmPromote() {
        ConfigKey key = editor.key();
        Actions.confirm("Promote gray release", "Publish the candidate of " + key + " to every client, as a new version?",
                "Promote", () -> {
                    AtomicReference<Config> written = new AtomicReference<>();
                    if (Actions.run(null, () -> written.set(editor.configs().promoteGray(key, comment.getValue())))) {
                        Actions.done("Promoted the gray release of " + key + ": it is now version " + written.get().version());
                        comment.clear();
                        candidateEdited = false;
                        editor.reload();
                    }
                });
    }

    private void confirmAbort() {
        ConfigKey key = editor.key();
        Actions.confirm("Abort gray release", "Abort the gray release of " + key + "? The clients it served go back to version "
                + editor.currentVersion() + ".", "Abort", () -> {
                    if (Actions.run("Aborted the gray release of " + key, () -> editor.configs().abortGray(key, comment.getValue()))) {
                        comment.clear();
                        refresh();
                        editor.grayChanged();
                    }
                });
    }
}
