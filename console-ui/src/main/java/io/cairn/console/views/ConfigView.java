package io.cairn.console.views;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.AttachmentType;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.splitlayout.SplitLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.component.upload.Upload;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.DownloadEvent;
import com.vaadin.flow.server.streams.DownloadHandler;
import com.vaadin.flow.server.streams.DownloadResponse;
import com.vaadin.flow.server.streams.UploadHandler;
import io.cairn.client.Client;
import io.cairn.client.Configs;
import io.cairn.client.config.Config;
import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.ConfigQuery;
import io.cairn.client.config.Namespace;
import io.cairn.console.cluster.CairnErrors;
import io.cairn.console.cluster.ConsoleSession;
import io.cairn.console.ui.Actions;
import io.cairn.console.ui.MainLayout;
import io.cairn.console.views.config.ConfigEditor;
import io.cairn.console.views.config.ConfigLabels;
import io.cairn.console.views.config.GrayReleases;
import io.cairn.console.views.config.DraftsDialog;
import io.cairn.console.views.config.ImportDialog;
import io.cairn.console.views.config.NamespaceDialog;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The config center: a namespace's configs, filtered by group and searched by data id or
 * content, beside an editor of the one chosen (content with line numbers, history with
 * side-by-side diffs and roll back, gray release); export and import of a whole namespace, and
 * new namespaces.
 */
@Route(value = "config", layout = MainLayout.class)
@PageTitle("Config · Cairn")
public class ConfigView extends VerticalLayout {
    private final ConsoleSession session;
    private final Select<String> namespace = new Select<>();
    private final TextField group = new TextField("Group");
    private final TextField search = new TextField("Search");
    private final Anchor export = new Anchor();
    private static final int MAX_IMPORT_BYTES = 4 * 1024 * 1024;
    private final Upload importUpload = new Upload();
    private final Grid<Config> grid = new Grid<>();
    private final ConfigEditor editor;
    private GrayReleases grayReleases = GrayReleases.NONE;
    /** Set while the namespace list is replaced, so that its value changes do not each reload. */
    private boolean replacingNamespaces;

    public ConfigView(ConsoleSession session) {
        this.session = session;
        this.editor = new ConfigEditor(session, this::refresh);
        grid.setId("config-grid");
        grid.addColumn(c -> c.key().dataId()).setHeader("Data id").setAutoWidth(true).setFlexGrow(1);
        grid.addColumn(c -> c.key().group()).setHeader("Group").setAutoWidth(true);
        grid.addColumn(Config::format).setHeader("Format").setAutoWidth(true);
        grid.addColumn(Config::version).setHeader("Version").setAutoWidth(true);
        grid.addColumn(c -> ConfigLabels.shortMd5(c.md5())).setHeader("MD5").setAutoWidth(true).setTooltipGenerator(Config::md5);
        grid.addColumn(c -> ConfigLabels.author(c.author())).setHeader("Author").setAutoWidth(true);
        grid.addColumn(c -> ConfigLabels.time(c.time())).setHeader("Time (UTC)").setAutoWidth(true);
        grid.addComponentColumn(this::grayBadge).setHeader("Gray").setAutoWidth(true);
        grid.addThemeVariants(GridVariant.LUMO_COMPACT);
        grid.setEmptyStateText("No configs match.");
        grid.setHeightFull();
        grid.asSingleSelect().addValueChangeListener(e -> {
            // re-selecting the open config after a reload of the list must not reload the editor
            if (e.getValue() != null && !e.getValue().key().equals(editor.key())) {
                editor.open(e.getValue().key());
            }
        });

        SplitLayout split = new SplitLayout(grid, editor);
        split.setSplitterPosition(45);
        split.setSizeFull();
        add(toolbar(), split);
        expand(split);
        setSizeFull();
    }

    /** The cluster is asked once the view is shown: the layout has made sure there is a session by then. */
    @Override
    protected void onAttach(AttachEvent attachEvent) {
        super.onAttach(attachEvent);
        if (attachEvent.isInitialAttach()) {
            loadNamespaces(ConfigKey.DEFAULT_NAMESPACE);
        }
    }

    private HorizontalLayout toolbar() {
        namespace.setId("config-namespace");
        namespace.setLabel("Namespace");
        namespace.addValueChangeListener(e -> {
            if (!replacingNamespaces && e.getValue() != null) {
                namespaceChosen(e.getValue());
            }
        });
        group.setId("config-group");
        group.setPlaceholder("any");
        group.setClearButtonVisible(true);
        group.setValueChangeMode(ValueChangeMode.LAZY);
        group.addValueChangeListener(e -> refresh());
        search.setId("config-search");
        search.setPlaceholder("data id or content");
        search.setTooltipText("Finds the configs whose data id or content contains the text; "
                + "a text with * is a data id pattern instead (* matches any run of characters)");
        search.setPrefixComponent(VaadinIcon.SEARCH.create());
        search.setClearButtonVisible(true);
        search.setValueChangeMode(ValueChangeMode.LAZY);
        search.addValueChangeListener(e -> refresh());

        Button newConfig = new Button("New config", VaadinIcon.PLUS.create(), e -> newConfig());
        newConfig.setId("new-config");
        newConfig.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        export.setId("config-export");
        export.add(new Button("Export", VaadinIcon.DOWNLOAD_ALT.create()));
        importUpload.setId("config-import");
        importUpload.setUploadButton(new Button("Import", VaadinIcon.UPLOAD_ALT.create()));
        importUpload.setDropAllowed(false);
        importUpload.setMaxFiles(1);
        // held in memory until imported: no larger than the cluster would take in one request
        importUpload.setMaxFileSize(MAX_IMPORT_BYTES);
        importUpload.setAcceptedFileTypes("application/json", ".json");
        // the handler calls back inside UI.access, so the dialog can be opened from it
        importUpload.setUploadHandler(UploadHandler.inMemory((metadata, bytes) ->
                importChosen(metadata.fileName(), new String(bytes, StandardCharsets.UTF_8))));
        importUpload.addFileRejectedListener(e -> Actions.error(e.getFileName() + ": " + e.getErrorMessage()));
        Button newNamespace = new Button("New namespace", VaadinIcon.FOLDER_ADD.create(),
                e -> new NamespaceDialog(session, this::loadNamespaces).open());
        newNamespace.setId("new-namespace");
        Button drafts = new Button("Drafts", VaadinIcon.CHECK_SQUARE_O.create(),
                e -> new DraftsDialog(session, namespace.getValue(), this::reviewed).open());
        drafts.setId("config-drafts");
        drafts.setTooltipText("Changes awaiting review, in a namespace that requires it");

        HorizontalLayout bar = new HorizontalLayout(namespace, group, search, newConfig, drafts, export, importUpload, newNamespace);
        bar.setAlignItems(FlexComponent.Alignment.BASELINE);
        bar.setWrap(true);
        bar.setWidthFull();
        return bar;
    }

    private Configs.Sync configs() {
        return session.client().config().sync();
    }

    /** Lists the namespaces again and shows {@code chosen} (or the first, if it is gone). */
    private void loadNamespaces(String chosen) {
        List<String> names = Actions.read(() -> configs().listNamespaces()).orElse(List.of()).stream()
                .map(Namespace::name).toList();
        if (names.isEmpty()) {
            // the listing failed (its error is shown); "default" always exists
            names = List.of(ConfigKey.DEFAULT_NAMESPACE);
        }
        String shown = names.contains(chosen) ? chosen : names.get(0);
        replacingNamespaces = true;
        try {
            namespace.setItems(names);
            namespace.setValue(shown);
        } finally {
            replacingNamespaces = false;
        }
        namespaceChosen(shown);
    }

    private void namespaceChosen(String ns) {
        editor.close();
        Client client = session.client();
        export.setHref(DownloadHandler.fromInputStream(event -> exportDocument(client, ns, event)), AttachmentType.DOWNLOAD);
        refresh();
    }

    /** A draft was approved or rejected: the list, and the open config, may have changed. */
    private void reviewed() {
        if (editor.key() != null) {
            editor.open(editor.key());
        }
        refresh();
    }

    /** Reads the shown namespace's configs again, keeping the open one selected. */
    private void refresh() {
        String ns = namespace.getValue();
        if (ns == null) {
            return;
        }
        List<Config> configs = find(ns, group.getValue().strip(), search.getValue().strip());
        grayReleases = GrayReleases.in(session.client(), ns);
        grid.setItems(configs);
        ConfigKey open = editor.key();
        configs.stream().filter(c -> c.key().equals(open)).findFirst().ifPresent(grid::select);
    }

    /**
     * The configs of {@code ns} in {@code groupName} (blank: any) that the search finds: with a
     * {@code *} the text is a data id pattern; otherwise a config is found when its data id or
     * its content contains the text. The cluster ANDs a query's filters, so "or" takes two queries.
     */
    private List<Config> find(String ns, String groupName, String text) {
        if (text.isEmpty() || text.contains("*")) {
            return Actions.read(() -> configs().listAll(query(ns, groupName).dataIdPattern(text).build())).orElse(List.of());
        }
        Map<ConfigKey, Config> found = new LinkedHashMap<>();
        Actions.read(() -> configs().listAll(query(ns, groupName).dataIdPattern("*" + text + "*").build()))
                .ifPresent(list -> list.forEach(c -> found.put(c.key(), c)));
        Actions.read(() -> configs().listAll(query(ns, groupName).contentContains(text).build()))
                .ifPresent(list -> list.forEach(c -> found.putIfAbsent(c.key(), c)));
        List<Config> merged = new ArrayList<>(found.values());
        merged.sort(Comparator.comparing((Config c) -> c.key().group()).thenComparing(c -> c.key().dataId()));
        return merged;
    }

    private static ConfigQuery.Builder query(String ns, String groupName) {
        return ConfigQuery.builder(ns).group(groupName);
    }

    private Component grayBadge(Config config) {
        Span badge = new Span();
        if (!grayReleases.known()) {
            badge.setText("?");
            badge.getElement().setAttribute("title", "Gray releases could not be read: " + grayReleases.unknownBecause());
        } else if (grayReleases.underWay(config.key())) {
            badge.setText("gray");
            badge.getElement().getThemeList().add("badge");
            badge.getElement().setAttribute("title", "A gray release is under way");
        }
        return badge;
    }

    private void newConfig() {
        grid.deselectAll();
        String groupName = group.getValue().strip();
        editor.openNew(namespace.getValue(), groupName.isEmpty() ? ConfigKey.DEFAULT_GROUP : groupName);
    }

    private void importChosen(String fileName, String document) {
        ImportDialog dialog = new ImportDialog(session, namespace.getValue(), fileName, document, this::refresh);
        // one file at a time: the upload takes the next once this one's dialog is closed
        dialog.addOpenedChangeListener(e -> {
            if (!e.isOpened()) {
                importUpload.clearFileList();
            }
        });
        dialog.open();
    }

    /** Runs outside the session's lock, on the download's request: it touches no component but through UI.access. */
    private static DownloadResponse exportDocument(Client client, String ns, DownloadEvent event) {
        try {
            byte[] document = client.config().sync().exportNamespace(ns).getBytes(StandardCharsets.UTF_8);
            // the export is one JSON document (ExportDocument in proto3 JSON), whatever the configs' formats
            return new DownloadResponse(new ByteArrayInputStream(document), ns + ".json", "application/json", document.length);
        } catch (RuntimeException e) {
            String why = CairnErrors.describe(e);
            event.getUI().access(() -> Actions.error("Export of " + ns + " failed: " + why));
            return DownloadResponse.error(500, why);
        }
    }
}
