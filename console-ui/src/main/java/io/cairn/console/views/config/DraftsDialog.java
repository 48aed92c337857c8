package io.cairn.console.views.config;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import io.cairn.client.CairnException;
import io.cairn.client.Configs;
import io.cairn.client.config.Change;
import io.cairn.client.config.Draft;
import io.cairn.console.cluster.ConsoleSession;
import io.cairn.console.ui.Actions;
import java.util.List;
import java.util.Optional;

/**
 * A namespace's drafts awaiting review: each with the side-by-side diff it makes to the config
 * as it is now, approved (which publishes it as its author's) or rejected with a comment. The
 * cluster refuses an author's own approval, and a user who is not the namespace's reviewer.
 */
public final class DraftsDialog extends Dialog {
    private final Configs.Sync configs;
    private final String namespace;
    private final Runnable reviewed;
    private final Grid<Draft> drafts = new Grid<>();
    private final Div diff = new Div();
    private final TextField comment = new TextField("Comment");
    private final Button approve;
    private final Button reject;

    /** @param reviewed told after each approval or rejection, so the config list can show it */
    public DraftsDialog(ConsoleSession session, String namespace, Runnable reviewed) {
        this.configs = session.client().config().sync();
        this.namespace = namespace;
        this.reviewed = reviewed;
        setHeaderTitle("Drafts awaiting review in " + namespace);
        setId("drafts-dialog");
        drafts.setId("drafts-grid");
        drafts.addColumn(Draft::id).setHeader("Draft").setAutoWidth(true);
        drafts.addColumn(d -> d.key().group() + "/" + d.key().dataId()).setHeader("Config").setAutoWidth(true);
        drafts.addColumn(DraftsDialog::change).setHeader("Change").setAutoWidth(true);
        drafts.addColumn(d -> d.baseVersion() == 0 ? "new" : "on version " + d.baseVersion()).setHeader("Base").setAutoWidth(true);
        drafts.addColumn(d -> ConfigLabels.author(d.author())).setHeader("Author").setAutoWidth(true);
        drafts.addColumn(d -> ConfigLabels.time(d.time())).setHeader("Time (UTC)").setAutoWidth(true);
        drafts.addColumn(Draft::comment).setHeader("Comment").setFlexGrow(1);
        drafts.setAllRowsVisible(true);
        drafts.setEmptyStateText("No drafts await review.");
        drafts.asSingleSelect().addValueChangeListener(e -> show(e.getValue()));
        diff.setId("draft-diff");
        diff.addClassName("config-diff");
        comment.setId("draft-comment");
        comment.setPlaceholder("why: kept in the audit");
        comment.setWidthFull();
        approve = new Button("Approve and publish", VaadinIcon.CHECK.create(), e -> review(true));
        approve.setId("draft-approve");
        approve.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        reject = new Button("Reject", VaadinIcon.CLOSE.create(), e -> review(false));
        reject.setId("draft-reject");
        reject.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
        Button close = new Button("Close", e -> close());
        close.setId("drafts-close");
        getFooter().add(close);

        Paragraph what = new Paragraph("A reviewer other than a draft's author approves it, which publishes it, "
                + "only while the config is still at the draft's base version; rejecting publishes nothing.");
        what.addClassName("console-muted");
        VerticalLayout body = new VerticalLayout(what, drafts, diff, comment, new HorizontalLayout(approve, reject));
        body.setPadding(false);
        add(body);
        setWidth("min(72rem, 95vw)");
        refresh();
    }

    private void refresh() {
        drafts.setItems(Actions.read(() -> configs.drafts(namespace)).orElse(List.of()));
        show(null);
    }

    private void show(Draft chosen) {
        approve.setEnabled(chosen != null);
        reject.setEnabled(chosen != null);
        diff.getElement().setProperty("innerHTML", "");
        if (chosen == null) {
            return;
        }
        Optional<Draft.WithDiff> full = Actions.read(() -> configs.draft(chosen.key(), chosen.id()));
        if (full.isEmpty()) {
            return;
        }
        long current = full.get().currentVersion();
        String now = current == 0 ? "" : contentOf(full.get().draft().key(), current);
        diff.getElement().setProperty("innerHTML", DiffTable.html(current == 0 ? "Not published yet" : "Version " + current + " (now)",
                "Draft " + chosen.id() + " by " + ConfigLabels.author(chosen.author()),
                SideBySideDiff.rows(now, full.get().draft().content())));
    }

    /**
     * The content of the version the draft was diffed against (not a gray candidate the console
     * might be served); empty when that version is a delete.
     */
    private String contentOf(io.cairn.client.config.ConfigKey key, long version) {
        try {
            return configs.get(key, version).content();
        } catch (CairnException e) {
            if (e.code() == CairnException.Code.NOT_FOUND) {
                return "";
            }
            throw e;
        }
    }

    private void review(boolean approving) {
        Draft d = drafts.asSingleSelect().getValue();
        if (d == null) {
            return;
        }
        String done = approving ? "Approved draft " + d.id() + ": " + d.key() + " is published" : "Rejected draft " + d.id() + " of " + d.key();
        boolean ok = Actions.run(done, () -> {
            if (approving) {
                configs.approve(d.key(), d.id(), comment.getValue());
            } else {
                configs.reject(d.key(), d.id(), comment.getValue());
            }
        });
        if (ok) {
            comment.clear();
            refresh();
            reviewed.run();
        }
    }

    private static String change(Draft d) {
        return d.change() == Change.ROLLED_BACK ? "roll back to " + d.sourceVersion() : d.change() == Change.DELETED ? "delete" : "publish";
    }

    /** What a change stored as a draft says to the user who made it. */
    static String drafted(Draft d) {
        return "Namespace " + d.key().namespace() + " requires review: draft " + d.id() + " of " + d.key()
                + " awaits a reviewer (Drafts)";
    }
}
