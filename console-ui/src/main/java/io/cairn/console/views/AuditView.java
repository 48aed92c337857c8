package io.cairn.console.views;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.cairn.client.config.AuditPage;
import io.cairn.client.config.AuditQuery;
import io.cairn.client.config.AuditRecord;
import io.cairn.client.config.Namespace;
import io.cairn.console.cluster.ConsoleSession;
import io.cairn.console.ui.Actions;
import io.cairn.console.ui.MainLayout;
import io.cairn.console.ui.Times;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Who changed which config, when and why: the config center's change log, newest first. */
@Route(value = "audit", layout = MainLayout.class)
@PageTitle("Audit · Cairn")
public class AuditView extends VerticalLayout {
    private static final int PAGE = 100;

    private final ConsoleSession session;
    private final Select<String> namespace = new Select<>();
    private final TextField user = new TextField("User");
    private final DateTimePicker since = new DateTimePicker("Since (UTC)");
    private final DateTimePicker until = new DateTimePicker("Until (UTC)");
    private final Grid<AuditRecord> grid = new Grid<>();
    private final Button more = new Button("Load more");
    private final List<AuditRecord> shown = new ArrayList<>();
    private AuditQuery nextPage;

    public AuditView(ConsoleSession session) {
        this.session = session;
        namespace.setLabel("Namespace");
        namespace.setId("audit-namespace");
        Actions.read(() -> session.client().config().sync().listNamespaces()).ifPresent(list -> {
            namespace.setItems(list.stream().map(Namespace::name).toList());
            namespace.setValue(list.stream().map(Namespace::name).filter("default"::equals).findFirst()
                    .orElse(list.isEmpty() ? null : list.get(0).name()));
        });
        user.setId("audit-user");
        user.setClearButtonVisible(true);
        since.setId("audit-since");
        until.setId("audit-until");
        Button search = new Button("Search", e -> load(true));
        search.setId("audit-search");
        search.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        more.setId("audit-more");
        more.addClickListener(e -> load(false));

        grid.setId("audit-grid");
        grid.addColumn(r -> Times.utc(r.time())).setHeader("Time (UTC)").setAutoWidth(true);
        grid.addColumn(AuditRecord::user).setHeader("User").setAutoWidth(true);
        grid.addColumn(AuditRecord::action).setHeader("Action").setAutoWidth(true);
        grid.addColumn(r -> r.key().map(Object::toString).orElse(r.namespace())).setHeader("Config").setAutoWidth(true);
        grid.addColumn(r -> r.oldVersion() + " → " + r.newVersion()).setHeader("Version").setAutoWidth(true);
        grid.addColumn(AuditRecord::comment).setHeader("Comment").setFlexGrow(1);
        grid.addColumn(AuditRecord::clientAddress).setHeader("From").setAutoWidth(true);

        HorizontalLayout filters = new HorizontalLayout(namespace, user, since, until, search);
        filters.setAlignItems(FlexComponent.Alignment.BASELINE);
        add(filters, grid, more);
        setSizeFull();
        grid.setHeight("70vh");
        namespace.addValueChangeListener(e -> load(true));
        load(true);
    }

    /** Searches afresh with the filters as they are, or pages on through the last search. */
    private void load(boolean fresh) {
        if (namespace.getValue() == null) {
            return;
        }
        if (!fresh && nextPage != null) {
            show(nextPage, false);
            return;
        }
        AuditQuery.Builder q = AuditQuery.builder(namespace.getValue()).pageSize(PAGE);
        if (!user.getValue().isBlank()) {
            q.user(user.getValue().trim());
        }
        if (since.getValue() != null) {
            q.since(since.getValue().atZone(ZoneOffset.UTC).toInstant());
        }
        if (until.getValue() != null) {
            q.until(until.getValue().atZone(ZoneOffset.UTC).toInstant());
        }
        show(q.build(), true);
    }

    private void show(AuditQuery query, boolean fresh) {
        Actions.read(() -> session.client().config().sync().audit(query)).ifPresent((AuditPage page) -> {
            if (fresh) {
                shown.clear();
            }
            shown.addAll(page.records());
            nextPage = page.hasMore() ? query.page(page.nextPageToken()) : null;
            grid.setItems(shown);
            more.setVisible(page.hasMore());
        });
    }
}
