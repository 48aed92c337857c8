package io.cairn.console.views;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.combobox.dataview.ComboBoxListDataView;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.splitlayout.SplitLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.cairn.client.Bytes;
import io.cairn.client.CairnException;
import io.cairn.client.Get;
import io.cairn.client.GetResponse;
import io.cairn.client.KeyValue;
import io.cairn.client.Keys;
import io.cairn.client.discovery.ServiceKey;
import io.cairn.client.discovery.ServiceSummary;
import io.cairn.console.cluster.CairnErrors;
import io.cairn.console.cluster.ConsoleSession;
import io.cairn.console.ui.Actions;
import io.cairn.console.ui.Badges;
import io.cairn.console.ui.MainLayout;
import io.cairn.console.views.services.RegistryNamespaces;
import io.cairn.console.views.services.ServicePanel;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** The discovery registry: a namespace's services, and the selected one's instances, live. */
@Route(value = "services", layout = MainLayout.class)
@PageTitle("Services · Cairn")
public class ServicesView extends VerticalLayout {
    /** Keys read per step while looking for namespaces; each step skips past the namespace it ends in. */
    private static final int NAMESPACE_SCAN_LIMIT = 500;
    /** Steps at most: as many namespaces found, at least. */
    private static final int NAMESPACE_SCAN_STEPS = 50;

    private final ConsoleSession session;
    private final ComboBox<String> namespace = new ComboBox<>("Namespace");
    /** The namespaces offered; changed in place, since giving the box new items would clear its value. */
    private final List<String> namespaces = new ArrayList<>(List.of(ServiceKey.DEFAULT_NAMESPACE));
    private final ComboBoxListDataView<String> namespaceItems;
    private final Grid<ServiceSummary> services = new Grid<>();
    private final ServicePanel panel;
    private boolean loaded;

    public ServicesView(ConsoleSession session) {
        this.session = session;
        this.panel = new ServicePanel(session);

        namespace.setId("services-namespace");
        namespace.setAllowCustomValue(true);
        namespaceItems = namespace.setItems(namespaces);
        namespace.setValue(ServiceKey.DEFAULT_NAMESPACE);
        namespace.setHelperText("Or type one");
        namespace.addCustomValueSetListener(e -> useNamespace(e.getDetail().trim()));
        namespace.addValueChangeListener(e -> {
            panel.clear();
            loadServices();
        });
        Button refresh = new Button("Refresh", VaadinIcon.REFRESH.create(), e -> {
            findNamespaces();
            loadServices();
        });
        refresh.setId("services-refresh");
        HorizontalLayout toolbar = new HorizontalLayout(namespace, refresh);
        toolbar.setAlignItems(FlexComponent.Alignment.BASELINE);

        services.setId("services-grid");
        services.addThemeVariants(GridVariant.LUMO_COMPACT);
        services.addColumn(ServiceSummary::name).setHeader("Service").setFlexGrow(1);
        services.addColumn(ServiceSummary::instances).setHeader("Instances").setAutoWidth(true).setFlexGrow(0);
        services.addColumn(ServiceSummary::healthy).setHeader("Healthy").setAutoWidth(true).setFlexGrow(0);
        services.addComponentColumn(ServicesView::healthBadge).setHeader("").setAutoWidth(true).setFlexGrow(0);
        services.setEmptyStateText("No services in this namespace");
        services.asSingleSelect().addValueChangeListener(e -> {
            if (e.getValue() != null) {
                panel.show(new ServiceKey(namespace.getValue(), e.getValue().name()));
            }
        });
        services.setHeightFull();

        panel.onChange(this::loadServices);
        SplitLayout split = new SplitLayout(services, panel);
        split.setSplitterPosition(22);
        split.setSizeFull();
        add(toolbar, split);
        expand(split);
        setSizeFull();
        addClassName("services-view");
    }

    @Override
    protected void onAttach(AttachEvent event) {
        super.onAttach(event);
        if (!loaded) {
            loaded = true;
            findNamespaces();
            loadServices();
        }
    }

    private void useNamespace(String typed) {
        if (typed.isEmpty()) {
            return;
        }
        if (!namespaces.contains(typed)) {
            namespaces.add(typed);
            namespaceItems.refreshAll();
        }
        namespace.setValue(typed);
    }

    private void loadServices() {
        String ns = namespace.getValue();
        if (ns == null || ns.isBlank()) {
            services.setItems(List.of());
            return;
        }
        String selected = services.asSingleSelect().getValue() == null ? null : services.asSingleSelect().getValue().name();
        Actions.read(() -> session.client().discovery().sync().allServices(ns)).ifPresent(found -> {
            services.setItems(found);
            // the same service stays selected across a refresh (its counts may have changed)
            found.stream().filter(s -> s.name().equals(selected)).findFirst().ifPresent(services::select);
        });
    }

    /**
     * Offers the namespaces that hold anything: there is no call that lists them, so they are
     * read off the registry's keys, skipping past each namespace found so that a large one does
     * not hide the ones after it. A person who may not read the registry's keys still has
     * "default" and can type any other.
     */
    private void findNamespaces() {
        Bytes end = Keys.prefixEnd(Bytes.of(RegistryNamespaces.ROOT));
        Bytes from = Bytes.of(RegistryNamespaces.ROOT);
        TreeSet<String> found = new TreeSet<>(namespaces);
        try {
            for (int step = 0; step < NAMESPACE_SCAN_STEPS; step++) {
                GetResponse read = session.client().kv().sync()
                        .get(Get.key(from).rangeEnd(end).keysOnly().limit(NAMESPACE_SCAN_LIMIT));
                String last = null;
                for (KeyValue kv : read.kvs()) {
                    String ns = RegistryNamespaces.of(kv.keyString()).orElse(null);
                    if (ns != null) {
                        found.add(ns);
                        last = ns;
                    }
                }
                if (!read.more() || last == null) {
                    break;
                }
                from = Keys.prefixEnd(Bytes.of(RegistryNamespaces.prefix(last)));
            }
        } catch (CairnException e) {
            if (e.code() != CairnException.Code.PERMISSION_DENIED) {
                Actions.error("Cannot list the namespaces: " + CairnErrors.describe(e));
            }
            // refused: the person may not read the registry's keys; "default" and typing stay
        }
        namespaces.clear();
        namespaces.addAll(found);
        namespaceItems.refreshAll();
    }

    private static Span healthBadge(ServiceSummary service) {
        return service.healthy() == 0 && service.instances() > 0 ? Badges.of("no healthy instances", "error") : new Span();
    }
}
