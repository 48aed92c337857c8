package io.cairn.console.views.config;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.tabs.Tab;
import com.vaadin.flow.component.tabs.TabSheet;
import io.cairn.client.Configs;
import io.cairn.client.config.Config;
import io.cairn.client.config.ConfigKey;
import io.cairn.console.cluster.ConsoleSession;
import io.cairn.console.ui.Actions;

/**
 * The panel beside the config list: one config, or one being written, with its Edit, History and
 * Gray release tabs. It holds what the tabs share: which config, and the version the edits are
 * based on, which every change expects to still be current.
 */
public final class ConfigEditor extends VerticalLayout {
    private final ConsoleSession session;
    private final Runnable configsChanged;
    private final Paragraph nothingOpen = new Paragraph("Choose a config from the list, or start a new one.");
    private final Div opened = new Div();
    private final H3 title = new H3();
    private final Span version = new Span();
    private final TabSheet tabs = new TabSheet();
    private final Tab editTab;
    private final Tab historyTab;
    private final Tab grayTab;
    private final Tab rolloutTab;
    private final EditTab edit;
    private final HistoryTab history;
    private final GrayTab gray;
    private final RolloutTab rollout;

    /** The open config; null when none is open or a new one is being written. */
    private ConfigKey key;
    /** The version the editor is based on; 0 for a new config. */
    private long currentVersion;
    /** The namespace of the config being written; null unless one is. */
    private String newNamespace;

    /** @param configsChanged told after every change made here, so the list can show it */
    public ConfigEditor(ConsoleSession session, Runnable configsChanged) {
        this.session = session;
        this.configsChanged = configsChanged;
        edit = new EditTab(this);
        history = new HistoryTab(this);
        gray = new GrayTab(this);
        rollout = new RolloutTab(this);
        editTab = tabs.add("Edit", edit);
        editTab.setId("config-tab-edit");
        historyTab = tabs.add("History", history);
        historyTab.setId("config-tab-history");
        grayTab = tabs.add("Gray release", gray);
        grayTab.setId("config-tab-gray");
        rolloutTab = tabs.add("Rollout", rollout);
        rolloutTab.setId("config-tab-rollout");
        tabs.setWidthFull();
        tabs.addSelectedChangeListener(e -> refreshSelectedTab());

        version.setId("config-version");
        version.getElement().getThemeList().add("badge contrast");
        title.addClassName("config-title");
        HorizontalLayout header = new HorizontalLayout(title, version);
        header.setAlignItems(FlexComponent.Alignment.BASELINE);
        opened.add(header, tabs);
        opened.setWidthFull();
        nothingOpen.addClassName("console-muted");

        add(nothingOpen, opened);
        addClassName("config-editor");
        setSizeFull();
        close();
    }

    /** Opens the version of {@code key} published to all; on failure the cluster's error is shown and nothing changes. */
    public void open(ConfigKey key) {
        Actions.read(() -> publishedVersion(key)).ifPresent(this::show);
    }

    /** Starts a new config in {@code namespace}, in {@code group}. */
    public void openNew(String namespace, String group) {
        key = null;
        currentVersion = 0;
        newNamespace = namespace;
        title.setText("New config in " + namespace);
        version.setText("Not published yet");
        edit.startNew(group);
        tabs.setSelectedTab(editTab);
        setTabsEnabled(false);
        showOpened(true);
    }

    /** Shows nothing: no config is open. */
    public void close() {
        key = null;
        currentVersion = 0;
        newNamespace = null;
        showOpened(false);
    }

    /** The open config; null when none is, or while a new one is being written. */
    public ConfigKey key() {
        return key;
    }

    long currentVersion() {
        return currentVersion;
    }

    boolean isNew() {
        return newNamespace != null;
    }

    String namespaceOfNew() {
        return newNamespace;
    }

    /** The Edit tab's content as it is now, published or not. */
    String editedContent() {
        return edit.content();
    }

    ConsoleSession session() {
        return session;
    }

    Configs.Sync configs() {
        return session.client().config().sync();
    }

    /** The Edit tab published {@code written}: it is the open config's version from now on. */
    void published(Config written) {
        key = written.key();
        currentVersion = written.version();
        newNamespace = null;
        showHeader();
        setTabsEnabled(true);
        configsChanged.run();
    }

    /** Something other than the Edit tab changed the config (a roll back, a promote): show its version now. */
    void reload() {
        if (key != null) {
            open(key);
        }
        configsChanged.run();
    }

    void deleted() {
        close();
        configsChanged.run();
    }

    void grayChanged() {
        configsChanged.run();
    }

    private Config publishedVersion(ConfigKey key) {
        Config config = configs().get(key);
        // The console's own client can match a gray release (its id "cairn-console" may fall in
        // a percentage): get then answers the candidate; the editor edits the version published
        // to all, which history holds under the same number.
        return config.gray() ? configs().get(key, config.version()) : config;
    }

    private void show(Config config) {
        key = config.key();
        currentVersion = config.version();
        newNamespace = null;
        showHeader();
        edit.load(config);
        setTabsEnabled(true);
        showOpened(true);
        refreshSelectedTab();
    }

    private void showHeader() {
        title.setText(key.toString());
        version.setText("Version " + currentVersion);
    }

    private void refreshSelectedTab() {
        if (key == null) {
            return;
        }
        Tab selected = tabs.getSelectedTab();
        if (selected == historyTab) {
            history.refresh();
        } else if (selected == grayTab) {
            gray.refresh();
        } else if (selected == rolloutTab) {
            rollout.refresh();
        }
    }

    /** History, gray releases and rollouts belong to a config that exists. */
    private void setTabsEnabled(boolean enabled) {
        historyTab.setEnabled(enabled);
        grayTab.setEnabled(enabled);
        rolloutTab.setEnabled(enabled);
    }

    private void showOpened(boolean isOpen) {
        opened.setVisible(isOpen);
        nothingOpen.setVisible(!isOpen);
    }
}
