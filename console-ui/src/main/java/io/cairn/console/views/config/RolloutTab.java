package io.cairn.console.views.config;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.Receipt;
import io.cairn.client.config.Rollout;
import io.cairn.console.ui.Actions;
import io.cairn.console.ui.Badges;
import io.cairn.console.ui.Times;
import io.cairn.console.views.services.MetadataText;

/**
 * The Rollout tab: which running instance applied which version of the open config, from the
 * receipts instances report (sdk-java and the Spring Boot starter do), and who failed to apply
 * it, with the error their listener gave. Instances drop out by themselves when they stop.
 */
final class RolloutTab extends VerticalLayout {
    private final ConfigEditor editor;
    private final Paragraph summary = new Paragraph();
    private final Grid<Rollout.Count> versions = new Grid<>();
    private final Grid<Receipt> receipts = new Grid<>();

    RolloutTab(ConfigEditor editor) {
        this.editor = editor;
        summary.setId("rollout-summary");
        Button again = new Button("Ask again", VaadinIcon.REFRESH.create(), e -> refresh());
        again.setId("rollout-refresh");
        again.addThemeVariants(ButtonVariant.LUMO_TERTIARY);

        versions.setId("rollout-versions");
        versions.addColumn(c -> c.version() + (c.gray() ? " (gray candidate)" : "")).setHeader("Version").setAutoWidth(true);
        versions.addColumn(Rollout.Count::instances).setHeader("Instances").setAutoWidth(true);
        versions.addComponentColumn(c -> c.failed() == 0 ? Badges.of("none", "success") : Badges.of(c.failed() + " failed", "error"))
                .setHeader("Failed").setAutoWidth(true);
        versions.setAllRowsVisible(true);

        receipts.setId("rollout-receipts");
        receipts.addColumn(Receipt::clientId).setHeader("Instance").setAutoWidth(true);
        receipts.addColumn(r -> MetadataText.inline(r.labels())).setHeader("Labels");
        receipts.addColumn(Receipt::seenAddress).setHeader("Address").setAutoWidth(true);
        receipts.addComponentColumn(r -> r.gray() ? Badges.of("gray candidate", "success") : Badges.of("version " + r.version(), "contrast"))
                .setHeader("Runs").setAutoWidth(true);
        receipts.addComponentColumn(r -> r.applied() ? Badges.of("applied", "success") : Badges.of("failed", "error"))
                .setHeader("Applied").setAutoWidth(true);
        receipts.addColumn(Receipt::error).setHeader("Error").setFlexGrow(3);
        receipts.addColumn(r -> Times.utc(r.time())).setHeader("Reported (UTC)").setAutoWidth(true);
        receipts.setAllRowsVisible(true);

        add(new HorizontalLayout(summary, again), new H4("Versions in use"), versions, new H4("Instances"), receipts);
        setPadding(false);
    }

    void refresh() {
        ConfigKey key = editor.key();
        if (key == null) {
            return;
        }
        Actions.read(() -> editor.configs().status(key)).ifPresent(r -> {
            summary.setText(describe(r));
            versions.setItems(r.versions());
            receipts.setItems(r.receipts());
        });
    }

    /** "3 of 4 instances applied version 7; 1 failed to apply it; 1 runs the gray candidate." */
    static String describe(Rollout r) {
        if (r.receipts().isEmpty()) {
            return "No running instance reports this config (instances report what they applied through sdk-java "
                    + "or the Spring Boot starter).";
        }
        long current = r.current();
        long applied = r.receipts().stream().filter(x -> x.appliedAtLeast(current)).count();
        int failed = r.failed(current).size();
        int gray = r.onGrayCandidate().size();
        return applied + " of " + r.receipts().size() + " instances applied version " + current
                + (failed == 0 ? "" : "; " + failed + " failed to apply it")
                + (gray == 0 ? "" : "; " + gray + (gray == 1 ? " runs" : " run") + " the gray candidate") + ".";
    }
}
