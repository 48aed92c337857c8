package io.cairn.console.views.config;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import io.cairn.client.config.Config;
import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.ConfigPage;
import io.cairn.client.config.Expect;
import io.cairn.console.ui.Actions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The History tab: a config's versions, newest first; any two of them side by side; and a roll
 * back to the version chosen, which publishes that version's content again as a new version.
 */
final class HistoryTab extends VerticalLayout {
    /** The newest versions shown; a config changed more often than this is rarely read further back here. */
    private static final int MAX_VERSIONS = 1000;
    private static final int PAGE_SIZE = 100;

    private final ConfigEditor editor;
    private final Grid<Config> versions = new Grid<>();
    private final Span older = new Span();
    private final Select<Long> from = new Select<>();
    private final Select<Long> to = new Select<>();
    private final Div diff = new Div();
    private final Button rollback;

    HistoryTab(ConfigEditor editor) {
        this.editor = editor;
        versions.setId("config-history");
        versions.addColumn(Config::version).setHeader("Version").setAutoWidth(true).setFlexGrow(0);
        versions.addColumn(ConfigLabels::change).setHeader("Change").setAutoWidth(true);
        versions.addColumn(c -> ConfigLabels.author(c.author())).setHeader("Author").setAutoWidth(true);
        versions.addColumn(Config::comment).setHeader("Comment").setFlexGrow(1);
        versions.addColumn(c -> ConfigLabels.time(c.time())).setHeader("Time (UTC)").setAutoWidth(true);
        versions.addColumn(c -> ConfigLabels.shortMd5(c.md5())).setHeader("MD5").setAutoWidth(true)
                .setTooltipGenerator(Config::md5);
        versions.addThemeVariants(GridVariant.LUMO_COMPACT);
        versions.setHeight("18rem");
        older.addClassName("console-muted");
        older.setVisible(false);

        rollback = new Button("Roll back to the selected version", VaadinIcon.ROTATE_LEFT.create(), e -> confirmRollback());
        rollback.setId("config-rollback");
        rollback.setEnabled(false);
        versions.asSingleSelect().addValueChangeListener(e -> rollback.setEnabled(canRollBackTo(e.getValue())));

        from.setId("diff-from");
        from.setLabel("From");
        from.setItemLabelGenerator(v -> Long.toString(v));
        to.setId("diff-to");
        to.setLabel("To");
        to.setItemLabelGenerator(v -> Long.toString(v));
        Button show = new Button("Show diff", VaadinIcon.SPLIT.create(), e -> showDiff());
        show.setId("diff-show");
        HorizontalLayout compare = new HorizontalLayout(from, to, show);
        compare.setAlignItems(FlexComponent.Alignment.BASELINE);
        diff.setId("config-diff");
        diff.addClassName("config-diff");
        diff.setWidthFull();

        add(versions, older, rollback, compare, diff);
        setPadding(false);
    }

    /** Reads the open config's versions again. */
    void refresh() {
        ConfigKey key = editor.key();
        if (key == null) {
            return;
        }
        Newest newest = Actions.read(() -> newestVersions(key)).orElse(new Newest(List.of(), false));
        versions.setItems(newest.versions());
        older.setText("Showing the newest " + newest.versions().size() + " versions; older ones are kept but not listed here.");
        older.setVisible(newest.olderLeft());
        List<Long> numbers = newest.versions().stream().map(Config::version).toList();
        from.setItems(numbers);
        to.setItems(numbers);
        if (!numbers.isEmpty()) {
            to.setValue(numbers.get(0));
            from.setValue(numbers.get(Math.min(1, numbers.size() - 1)));
        }
        diff.getElement().setProperty("innerHTML", "");
        rollback.setEnabled(false);
    }

    /** @param olderLeft whether versions older than these are kept and were not read */
    private record Newest(List<Config> versions, boolean olderLeft) {
    }

    private Newest newestVersions(ConfigKey key) {
        List<Config> found = new ArrayList<>();
        String token = "";
        do {
            ConfigPage page = editor.configs().history(key, PAGE_SIZE, token);
            found.addAll(page.configs());
            token = page.nextPageToken();
        } while (!token.isEmpty() && found.size() < MAX_VERSIONS);
        boolean olderLeft = !token.isEmpty() || found.size() > MAX_VERSIONS;
        return new Newest(List.copyOf(found.subList(0, Math.min(found.size(), MAX_VERSIONS))), olderLeft);
    }

    /** Rolling back to the current version would publish what is already there. */
    private boolean canRollBackTo(Config version) {
        return version != null && version.version() != editor.currentVersion();
    }

    private void showDiff() {
        Long left = from.getValue();
        Long right = to.getValue();
        if (left == null || right == null) {
            Actions.error("Choose the two versions to compare.");
            return;
        }
        ConfigKey key = editor.key();
        Optional<String> leftText = Actions.read(() -> editor.configs().get(key, left).content());
        Optional<String> rightText = leftText.isEmpty() ? Optional.empty()
                : Actions.read(() -> editor.configs().get(key, right).content());
        if (rightText.isEmpty()) {
            return;
        }
        diff.getElement().setProperty("innerHTML",
                DiffTable.html("Version " + left, "Version " + right, SideBySideDiff.rows(leftText.get(), rightText.get())));
    }

    private void confirmRollback() {
        Config target = versions.asSingleSelect().getValue();
        if (target == null) {
            return;
        }
        ConfigKey key = editor.key();
        long version = target.version();
        long current = editor.currentVersion();
        Actions.confirm("Roll back", "Roll back " + key + " to version " + version + "? This publishes version " + version
                + "'s content as a new version.", "Roll back", () -> {
                    AtomicReference<Config> written = new AtomicReference<>();
                    // expecting the current version: a change made meanwhile is not overwritten unseen
                    AtomicReference<io.cairn.client.config.Draft> drafted = new AtomicReference<>();
                    boolean done = Actions.run(null, () -> {
                        try {
                            written.set(editor.configs().rollback(key, version, Expect.version(current), ""));
                        } catch (io.cairn.client.ReviewRequiredException e) {
                            drafted.set(e.draft());
                        }
                    });
                    if (done && drafted.get() != null) {
                        Actions.done(DraftsDialog.drafted(drafted.get()));
                    } else if (done) {
                        Actions.done("Rolled back " + key + " to version " + version + ": it is now version " + written.get().version());
                        editor.reload();
                    }
                });
    }
}
