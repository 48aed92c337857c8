package io.cairn.console.views;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.splitlayout.SplitLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.component.treegrid.TreeGrid;
import com.vaadin.flow.data.provider.hierarchy.TreeData;
import com.vaadin.flow.data.provider.hierarchy.TreeDataProvider;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.cairn.console.cluster.CairnErrors;
import io.cairn.console.cluster.ConsoleSession;
import io.cairn.console.ui.Actions;
import io.cairn.console.ui.MainLayout;
import io.cairn.console.views.keys.KeyDetail;
import io.cairn.console.views.keys.KeyTree;
import io.cairn.console.views.keys.KeyTree.Node;
import io.cairn.console.views.keys.LevelRead;
import io.cairn.console.views.keys.NewKeyDialog;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The whole keyspace as a tree split at "/", read a level at a time as folders are opened (a
 * keys-only read per level, so that a large keyspace is never read at once), beside the
 * selected key's value and history.
 */
@Route(value = "keys", layout = MainLayout.class)
@PageTitle("Keys · Cairn")
public class KeysView extends VerticalLayout {
    /** Keys read per level; a level with more says so in a "more..." row. */

    private final ConsoleSession session;
    private final TextField prefix = new TextField("Prefix");
    private final Span note = new Span();
    private final TreeData<Node> levels = new TreeData<>();
    /** Folders whose keys were not all read: their counts are lower bounds. */
    private final Set<String> partial = new HashSet<>();
    private final FoldersReadOnExpand provider = new FoldersReadOnExpand(levels);
    private final TreeGrid<Node> tree = new TreeGrid<>();
    private final KeyDetail detail;
    private boolean loaded;

    public KeysView(ConsoleSession session) {
        this.session = session;
        this.detail = new KeyDetail(session, this::deleted);

        prefix.setId("keys-prefix");
        prefix.setPlaceholder("/ (empty: the whole keyspace)");
        prefix.setClearButtonVisible(true);
        prefix.setWidth("28rem");
        prefix.addValueChangeListener(e -> loadTop());
        Button refresh = new Button("Refresh", VaadinIcon.REFRESH.create(), e -> loadTop());
        refresh.setId("keys-refresh");
        Button newKey = new Button("New key", VaadinIcon.PLUS.create(),
                e -> new NewKeyDialog(session, KeyTree.folderOf(prefix.getValue()), this::created).open());
        newKey.setId("key-new");
        HorizontalLayout toolbar = new HorizontalLayout(prefix, refresh, newKey);
        toolbar.setAlignItems(FlexComponent.Alignment.BASELINE);
        note.setId("keys-note");
        note.addClassName("console-error");
        note.setVisible(false);

        tree.setId("keys-tree");
        tree.addThemeVariants(GridVariant.LUMO_COMPACT);
        tree.setDataProvider(provider);
        tree.addHierarchyColumn(Node::label).setHeader("Key").setFlexGrow(1);
        tree.addColumn(n -> !n.folder() ? "" : n.count() + (partial.contains(n.path()) ? "+" : "")).setHeader("Keys").setAutoWidth(true).setFlexGrow(0);
        tree.setPartNameGenerator(n -> n.kind() == KeyTree.Kind.MORE ? "keys-more" : null);
        tree.addExpandListener(e -> e.getItems().forEach(this::readChildren));
        tree.asSingleSelect().addValueChangeListener(e -> {
            if (e.getValue() != null && e.getValue().key()) {
                detail.show(e.getValue().path());
            }
        });
        tree.setHeightFull();

        SplitLayout split = new SplitLayout(tree, detail);
        split.setSplitterPosition(40);
        split.setSizeFull();
        add(toolbar, note, split);
        expand(split);
        setSizeFull();
        addClassName("keys-view");
    }

    @Override
    protected void onAttach(AttachEvent event) {
        super.onAttach(event);
        if (!loaded) {
            loaded = true;
            loadTop();
        }
    }

    /**
     * The top level: what lies under the typed prefix, shown from the folder it is in. A refusal
     * is shown beside the prefix rather than as a notification: someone allowed only part of the
     * keyspace is refused the whole of it on arrival, and their next step is to type a prefix.
     */
    private void loadTop() {
        String typed = prefix.getValue();
        // the grid remembers what was open: a folder read afresh would show as open yet empty
        tree.collapseRecursively(levels.getRootItems(), Integer.MAX_VALUE);
        levels.clear();
        partial.clear();
        note.setVisible(false);
        try {
            addLevel(null, KeyTree.folderOf(typed), LevelRead.of(typed, KeyTree.folderOf(typed), session.client().kv().sync()));
        } catch (RuntimeException e) {
            note.setVisible(true);
            note.setText("Cannot list " + (typed.isEmpty() ? "the keyspace" : "the keys under \"" + typed + "\"") + ": "
                    + CairnErrors.describe(e) + (typed.isEmpty() ? ". Type a prefix you may read." : ""));
        }
        provider.refreshAll();
    }

    /** A folder is read when first opened; opening it again shows what was read then (Refresh reads afresh). */
    private void readChildren(Node folder) {
        if (!folder.folder() || !levels.getChildren(folder).isEmpty()) {
            return;
        }
        read(folder.path()).ifPresent(read -> {
            addLevel(folder, folder.path(), read);
            provider.refreshItem(folder, true);
        });
    }

    private Optional<LevelRead> read(String keyPrefix) {
        return Actions.read(() -> LevelRead.of(keyPrefix, keyPrefix, session.client().kv().sync()));
    }

    private void addLevel(Node parent, String folder, LevelRead read) {
        partial.addAll(read.partial());
        List<Node> nodes = new ArrayList<>(KeyTree.children(folder, read.keys()));
        if (read.more()) {
            nodes.add(KeyTree.more(folder, read.keys().size()));
        }
        levels.addItems(parent, nodes);
    }

    private void created(String key) {
        loadTop();
        detail.show(key);
    }

    private void deleted(String key) {
        Node selected = tree.asSingleSelect().getValue();
        if (selected != null && selected.key() && selected.path().equals(key) && levels.contains(selected)) {
            levels.removeItem(selected);
            provider.refreshAll();
        }
    }

    /** Shows every folder as one that opens, before its children are read: they are read as it opens. */
    private static final class FoldersReadOnExpand extends TreeDataProvider<Node> {
        FoldersReadOnExpand(TreeData<Node> levels) {
            super(levels);
        }

        @Override
        public boolean hasChildren(Node node) {
            return node.folder() || super.hasChildren(node);
        }
    }
}
